import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/** How long a report not yet sent is kept after it last changed. Said on every report page. */
export const DRAFT_KEPT_DAYS = 30;

/**
 * The rows of reports being written (report_drafts, one per person). The draft's shape belongs to
 * the report pages; here it is JSON kept for DRAFT_KEPT_DAYS after its last change.
 */
@Injectable()
export class ReportDraftStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The person's draft, unless it is older than the limit. */
  async get<T extends object>(userId: string): Promise<T | null> {
    const [row] = await runSql<{ draft: T }>(
      this.dataSource,
      sql`SELECT draft FROM report_drafts WHERE user_id = ${userId} AND updated_at > now() - ${DRAFT_KEPT_DAYS} * interval '1 day'`,
    );
    return row?.draft ?? null;
  }

  async put(userId: string, draft: object): Promise<void> {
    await runSql(
      this.dataSource,
      sql`INSERT INTO report_drafts (user_id, draft, updated_at) VALUES (${userId}, ${JSON.stringify(draft)}, now())
          ON CONFLICT (user_id) DO UPDATE SET draft = EXCLUDED.draft, updated_at = now()`,
    );
  }

  async delete(userId: string): Promise<void> {
    await runSql(this.dataSource, sql`DELETE FROM report_drafts WHERE user_id = ${userId}`);
  }

  /** Deletes drafts older than the limit; for each, whose it was and the documents it held (to be removed by the caller). */
  deleteExpired(): Promise<Array<{ userId: string; held: string[] | null }>> {
    return runSql(
      this.dataSource,
      sql`DELETE FROM report_drafts WHERE updated_at < now() - ${DRAFT_KEPT_DAYS} * interval '1 day'
          RETURNING user_id AS "userId", ARRAY(SELECT jsonb_array_elements_text(COALESCE(draft->'heldEvidenceIds', '[]'::jsonb))) AS held`,
    );
  }
}
