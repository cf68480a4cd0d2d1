import { Module } from '@nestjs/common';
import { EvidenceModule } from '@cc/evidence';
import { ReplyAddressesModule } from '@cc/notifications';
import { InboundMailModule } from './inbound-mail.module';
import { InboundMailLoop } from './process-mail/inbound-mail-loop.service';
import { ProcessInboundMail } from './process-mail/process-inbound-mail';

/** The worker's side: the loop that settles each stored message (filed, to sort, auto-reply, bounce). */
@Module({
  imports: [InboundMailModule, EvidenceModule, ReplyAddressesModule],
  providers: [ProcessInboundMail, InboundMailLoop],
  exports: [InboundMailModule, ProcessInboundMail],
})
export class InboundMailWorkerModule {}
