import { Module } from '@nestjs/common';
import { ReplyAddresses } from './reply-address';

/** ReplyAddresses once, for the worker's sending side and for whoever reads replies (the inbound mail). */
@Module({
  providers: [ReplyAddresses],
  exports: [ReplyAddresses],
})
export class ReplyAddressesModule {}
