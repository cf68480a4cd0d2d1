import { Module } from '@nestjs/common';
import { AdminNotificationsController } from './admin-notifications.controller';
import { FailedEmails } from './failed-emails.service';
import { NotificationEffects } from './write-notifications/notification-effects.handler';
import { NotificationWriter } from './write-notifications/notification-writer.service';

/** The outbox side, used by the API: transitions write e-mails as rows; administrators see failures. */
@Module({
  controllers: [AdminNotificationsController],
  providers: [NotificationWriter, NotificationEffects, FailedEmails],
  exports: [NotificationWriter, NotificationEffects, FailedEmails],
})
export class NotificationsModule {}
