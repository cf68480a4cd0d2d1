import { Module } from '@nestjs/common';
import { EvidenceModule } from '@cc/evidence';
import { DataProtectionCoreModule } from './data-protection.module';
import { CarryOutErasure } from './requests/carry-out-erasure';
import { DataProtectionRequests } from './requests/data-protection-requests';
import { GatherPersonalData } from './subject-access/gather-personal-data';

/** Requests about a person's data (subject access, erasure) with their one-month clocks, the export that answers one, and erasure carried out (FORGET's ErasePerson). */
@Module({
  imports: [EvidenceModule, DataProtectionCoreModule],
  providers: [DataProtectionRequests, GatherPersonalData, CarryOutErasure],
  exports: [DataProtectionRequests, GatherPersonalData, CarryOutErasure],
})
export class SubjectAccessModule {}
