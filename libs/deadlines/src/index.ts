export * from './deadline-policy.service';
export * from './deadline-effects.handler';
export * from './deadline-firing.service';
export * from './deadline-wakeups.service';
export * from './deadlines.module';
export * from './deadlines-worker.module';
export * from './deadline-queries.service';
export * from './deadlines.processor';
