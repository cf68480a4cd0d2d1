import { Module } from '@nestjs/common';
import { InboundMailbox } from './receive/inbound-mailbox';

/** Receiving replies: the mailbox every transport stores into, and the use cases on what came in. */
@Module({
  providers: [InboundMailbox],
  exports: [InboundMailbox],
})
export class InboundMailModule {}
