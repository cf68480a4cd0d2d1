import { Module } from '@nestjs/common';
import { ReportDraftStore } from './report-draft.store';

/** Reports being written, kept per person until sent or too old (the report pages use it). */
@Module({
  providers: [ReportDraftStore],
  exports: [ReportDraftStore],
})
export class ReportDraftsModule {}
