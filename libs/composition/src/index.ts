export * from './cases-with-effects';
export * from './worker-core.module';
export * from './relay-loop.service';
