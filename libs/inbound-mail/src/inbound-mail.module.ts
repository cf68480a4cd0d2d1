import { Module } from '@nestjs/common';
import { CasesCoreModule } from '@cc/cases';
import { EvidenceModule } from '@cc/evidence';
import { NotificationsModule } from '@cc/notifications';
import { FailingAddresses } from './failing-addresses/failing-addresses';
import { ReplyFiling } from './file-reply/reply-filing';
import { MailToSort } from './mail-to-sort/mail-to-sort';
import { MailToSortController } from './mail-to-sort/mail-to-sort.controller';
import { InboundMailbox } from './receive/inbound-mailbox';

/**
 * Receiving replies: the mailbox every transport stores into, the filing of a reply on its case,
 * mail to sort (its API; the pages are in libs/web), and which addresses are failing.
 */
@Module({
  imports: [CasesCoreModule, EvidenceModule, NotificationsModule],
  controllers: [MailToSortController],
  providers: [InboundMailbox, ReplyFiling, MailToSort, FailingAddresses],
  exports: [InboundMailbox, ReplyFiling, MailToSort, FailingAddresses],
})
export class InboundMailModule {}
