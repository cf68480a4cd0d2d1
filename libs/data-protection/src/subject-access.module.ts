import { Module } from '@nestjs/common';
import { EvidenceModule } from '@cc/evidence';
import { DataProtectionRequests } from './requests/data-protection-requests';
import { GatherPersonalData } from './subject-access/gather-personal-data';

/** Requests about a person's data (subject access, erasure) with their one-month clocks, and the export that answers one. */
@Module({
  imports: [EvidenceModule],
  providers: [DataProtectionRequests, GatherPersonalData],
  exports: [DataProtectionRequests, GatherPersonalData],
})
export class SubjectAccessModule {}
