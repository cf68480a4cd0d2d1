import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UploadEvidence } from '@cc/evidence';
import { queryRows } from '@cc/persistence';
import type { ReportDraft } from './report-draft';

/** How long a report not yet sent is kept after it last changed. Said on every report page. */
export const DRAFT_KEPT_DAYS = 30;

/**
 * The report a person is writing, kept in the database for them (not for one session), so a
 * session that times out, or signing in on another computer, finds it where they left it.
 */
@Injectable()
export class ReportDrafts {
  private readonly logger = new Logger(ReportDrafts.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly upload: UploadEvidence,
  ) {}

  async get(userId: string): Promise<ReportDraft> {
    const [row] = await queryRows<{ draft: ReportDraft }>(
      this.dataSource,
      `SELECT draft FROM report_drafts WHERE user_id = $1 AND updated_at > now() - $2 * interval '1 day'`,
      [userId, DRAFT_KEPT_DAYS],
    );
    return row?.draft ?? {};
  }

  async put(userId: string, draft: ReportDraft): Promise<void> {
    if (Object.keys(draft).length === 0) return this.clear(userId);
    await this.dataSource.query(
      `INSERT INTO report_drafts (user_id, draft, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET draft = EXCLUDED.draft, updated_at = now()`,
      [userId, JSON.stringify(draft)],
    );
  }

  async clear(userId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM report_drafts WHERE user_id = $1`, [userId]);
  }

  /**
   * Deletes drafts older than the limit and the documents held for them (personal data is kept no
   * longer than we say). Called at sign-in, as sessions are swept: cheap, and needs no job.
   */
  async forgetExpired(): Promise<void> {
    const gone = await queryRows<{ userId: string; held: string[] | null }>(
      this.dataSource,
      `DELETE FROM report_drafts WHERE updated_at < now() - $1 * interval '1 day'
       RETURNING user_id AS "userId", ARRAY(SELECT jsonb_array_elements_text(COALESCE(draft->'heldEvidenceIds', '[]'::jsonb))) AS held`,
      [DRAFT_KEPT_DAYS],
    );
    for (const { userId, held } of gone) {
      for (const id of held ?? []) {
        await this.upload.removeHeld({ userId, role: 'reporter', organisationId: null }, id).catch((err: unknown) =>
          this.logger.error({ err: err instanceof Error ? err.message : String(err), evidenceId: id }, 'Could not remove a document held for an expired draft'),
        );
      }
    }
  }
}
