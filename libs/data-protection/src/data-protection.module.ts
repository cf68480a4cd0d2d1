import { Module } from '@nestjs/common';
import { CasesCoreModule } from '@cc/cases';
import { EvidenceModule } from '@cc/evidence';
import { CaseAnonymiser } from './anonymise/case-anonymiser';
import { EvidenceFileRemovals } from './anonymise/evidence-file-removals';
import { ErasePerson } from './erase-person/erase-person';
import { ErasureController } from './erase-person/erasure.controller';
import { PersonErasure } from './erase-person/person-erasure';
import { LegalHolds } from './legal-hold/legal-holds';
import { LegalHoldsController } from './legal-hold/legal-holds.controller';
import { RetentionLoop } from './retention/retention-loop.service';
import { RetentionRules } from './retention/retention-rules';
import { RetentionRunner } from './retention/retention-runner';
import { RetentionSchedule } from './retention/retention-schedule';
import { RetentionController } from './retention/retention.controller';

/** The use cases, without HTTP: shared by the API, the pages and the worker (one provider each). */
@Module({
  imports: [CasesCoreModule, EvidenceModule],
  providers: [RetentionSchedule, RetentionRules, RetentionRunner, CaseAnonymiser, EvidenceFileRemovals, PersonErasure, ErasePerson, LegalHolds],
  exports: [RetentionSchedule, RetentionRunner, ErasePerson, LegalHolds],
})
export class DataProtectionCoreModule {}

/** Personal data over HTTP: the retention schedule and its dry run, legal holds, erasure. */
@Module({
  imports: [DataProtectionCoreModule],
  controllers: [RetentionController, LegalHoldsController, ErasureController],
  exports: [DataProtectionCoreModule],
})
export class DataProtectionModule {}

/** What a worker runs: the daily retention run. */
@Module({
  imports: [DataProtectionCoreModule],
  providers: [RetentionLoop],
})
export class DataProtectionWorkerModule {}
