import { Module } from '@nestjs/common';
import { QueuesModule } from '@cc/queues';
import { EmailDelivery } from './email-delivery.service';
import { EmailLeases } from './email-leases.service';
import { EmailProcessor } from './email.processor';
import { MailTransport } from './mail-transport.service';
import { OutboxRelay } from './outbox-relay.service';

/** The delivery side, run by the worker: relay rows to the queue, render and send them. */
@Module({
  imports: [QueuesModule.queues()],
  providers: [MailTransport, EmailLeases, EmailDelivery, EmailProcessor, OutboxRelay],
  exports: [OutboxRelay, EmailDelivery, EmailProcessor, EmailLeases],
})
export class NotificationsWorkerModule {}
