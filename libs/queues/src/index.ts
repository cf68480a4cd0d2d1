export * from './queues';
export * from './queues.module';
export * from './redis-discovery';
export * from './redis-calls';
export * from './queue-relay';
export * from './queue-processor';
