import { Injectable, Logger } from '@nestjs/common';
import { DRAFT_KEPT_DAYS, ReportDraftStore } from '@cc/cases';
import { UploadEvidence } from '@cc/evidence';
import type { ReportDraft } from './report-draft';

export { DRAFT_KEPT_DAYS };

/**
 * The report a person is writing, kept in the database for them (not for one session), so a
 * session that times out, or signing in on another computer, finds it where they left it.
 */
@Injectable()
export class ReportDrafts {
  private readonly logger = new Logger(ReportDrafts.name);

  constructor(
    private readonly store: ReportDraftStore,
    private readonly upload: UploadEvidence,
  ) {}

  async get(userId: string): Promise<ReportDraft> {
    return (await this.store.get<ReportDraft>(userId)) ?? {};
  }

  async put(userId: string, draft: ReportDraft): Promise<void> {
    if (Object.keys(draft).length === 0) return this.clear(userId);
    await this.store.put(userId, draft);
  }

  async clear(userId: string): Promise<void> {
    await this.store.delete(userId);
  }

  /**
   * Deletes drafts older than the limit and the documents held for them (personal data is kept no
   * longer than we say). Called at sign-in, as sessions are swept: cheap, and needs no job.
   */
  async forgetExpired(): Promise<void> {
    const gone = await this.store.deleteExpired();
    for (const { userId, held } of gone) {
      for (const id of held ?? []) {
        await this.upload.removeHeld({ userId, role: 'reporter', organisationId: null }, id).catch((err: unknown) =>
          this.logger.error({ err: err instanceof Error ? err.message : String(err), evidenceId: id }, 'Could not remove a document held for an expired draft'),
        );
      }
    }
  }
}
