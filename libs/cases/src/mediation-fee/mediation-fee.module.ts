import { Module } from '@nestjs/common';
import { FeeInstructionsStore } from './fee-instructions.store';

/** What parties are told about paying a mediation fee (administrators keep the text). */
@Module({
  providers: [FeeInstructionsStore],
  exports: [FeeInstructionsStore],
})
export class MediationFeeModule {}
