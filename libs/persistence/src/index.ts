export * from './database.module';
export * from './embedded-postgres';
export * from './migrate';
export * from './migrations';
export * from './query-rows';
export * from './scratch-database';
export * from './sql';
