export * from './notification-writer.service';
export * from './notification-effects.handler';
export * from './notifications.module';
export * from './notifications-worker.module';
export * from './outbox-relay.service';
export * from './email-delivery.service';
export * from './mail-transport.service';
export * from './failed-emails.service';
