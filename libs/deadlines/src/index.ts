export * from './deadline-policy/deadline-policy.service';
export * from './start-and-end-clocks/deadline-effects.handler';
export * from './fire-deadline/deadline-firing.service';
export * from './relay-wakeups/deadline-wakeups.service';
export * from './deadlines.module';
export * from './deadlines-worker.module';
export * from './deadline-queries.service';
export * from './fire-deadline/deadlines.processor';
