import { Module } from '@nestjs/common';
import { QueuesModule } from '@cc/queues';
import { EmailDelivery } from './send-email/email-delivery.service';
import { EmailLeases } from './send-email/email-leases.service';
import { EmailProcessor } from './send-email/email.processor';
import { MailTransport } from './send-email/mail-transport.service';
import { OutboxRelay } from './relay-outbox/outbox-relay.service';
import { ReplyAddressesModule } from './reply-address/reply-addresses.module';

/** The delivery side, run by the worker: relay rows to the queue, render and send them. */
@Module({
  imports: [QueuesModule.queues(), ReplyAddressesModule],
  providers: [MailTransport, EmailLeases, EmailDelivery, EmailProcessor, OutboxRelay],
  exports: [OutboxRelay, EmailDelivery, EmailProcessor, EmailLeases],
})
export class NotificationsWorkerModule {}
