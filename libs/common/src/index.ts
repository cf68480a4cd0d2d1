export * from './domain-error';
export * from './zod-validation';
export * from './class-validation';
export * from './domain-error.filter';
export * from './structured-logger';
export * from './ids';
export * from './database-unavailable';
