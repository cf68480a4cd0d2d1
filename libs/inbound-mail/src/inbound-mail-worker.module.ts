import { Module } from '@nestjs/common';
import { InboundMailModule } from './inbound-mail.module';

/** The worker's side: the loop that processes each stored message (added by the processing use case). */
@Module({
  imports: [InboundMailModule],
  exports: [InboundMailModule],
})
export class InboundMailWorkerModule {}
