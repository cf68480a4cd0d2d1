import { Module } from '@nestjs/common';
import { ReplyAddressesModule } from '@cc/notifications';
import { InboundMailModule } from './inbound-mail.module';
import { ImapPoller } from './poll-imap/imap-poller.service';
import { SmtpReceiver } from './receive-smtp/smtp-receiver.service';

/**
 * How replies arrive, for the worker: the SMTP receiver (INBOUND_SMTP_URL) and the IMAP poller
 * (INBOUND_IMAP_URL); each does nothing unless its URL is set. Both store through InboundMailbox.
 */
@Module({
  imports: [InboundMailModule, ReplyAddressesModule],
  providers: [SmtpReceiver, ImapPoller],
  exports: [SmtpReceiver, ImapPoller],
})
export class InboundTransportsModule {}

export { SmtpReceiver } from './receive-smtp/smtp-receiver.service';
export { ImapPoller, type ImapPollerStatus, NOT_TAKEN_KEYWORD } from './poll-imap/imap-poller.service';
