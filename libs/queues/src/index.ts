export * from './queues';
export * from './queues.module';
export * from './redis-discovery';
export * from './redis-calls';
