import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - `report_drafts`: a report being written, kept for its writer rather than for one session, so a
 *   session that times out (or another computer) does not lose it. One draft per person; kept for
 *   30 days after it last changed, then deleted with the documents held for it.
 * - `organisations.unverified`: a public body a reporter named because it was not in the registry.
 *   The case is filed against this placeholder (so every query that joins the respondent keeps
 *   working) until a caseworker links the case to the registry's own organisation at triage.
 *   `suggested_by` / `suggested_at` say who typed it and when.
 * - The workflow snapshot names the respondent too (the mediator-ties rule reads it). A trigger
 *   keeps it equal to the case's column, so an event decided on a snapshot read just before the
 *   link cannot put the placeholder back. Its WHEN clause is one jsonb lookup per case update.
 */
export class ReportDraftsAndUnlistedBodies1764800000001 implements MigrationInterface {
  name = 'ReportDraftsAndUnlistedBodies1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_drafts (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        draft jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_drafts_updated_idx ON report_drafts (updated_at)`);
    // Reports being written when this arrives were kept in their sessions: they move with their writers.
    await q.query(`
      INSERT INTO report_drafts (user_id, draft, updated_at)
      SELECT DISTINCT ON (user_id) user_id, data->'reportDraft', last_seen_at FROM web_sessions
       WHERE data ? 'reportDraft' ORDER BY user_id, last_seen_at DESC`);
    await q.query(`UPDATE web_sessions SET data = data - 'reportDraft' WHERE data ? 'reportDraft'`);
    await q.query(`
      ALTER TABLE organisations
        ADD COLUMN unverified boolean NOT NULL DEFAULT false,
        ADD COLUMN suggested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN suggested_at timestamptz,
        ADD CONSTRAINT organisations_unverified_are_public CHECK (NOT unverified OR sector = 'public')`);
    // Registry searches leave placeholders out; the few there are are found by this index.
    await q.query(`CREATE INDEX organisations_unverified_idx ON organisations (created_at) WHERE unverified`);
    await q.query(`
      CREATE FUNCTION cases_snapshot_follows_respondent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.snapshot := jsonb_set(NEW.snapshot, '{context,respondentOrganisationId}', to_jsonb(NEW.respondent_organisation_id::text), false);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER cases_snapshot_follows_respondent BEFORE UPDATE ON cases
      FOR EACH ROW WHEN (NEW.snapshot->'context' ? 'respondentOrganisationId'
        AND NEW.snapshot->'context'->>'respondentOrganisationId' IS DISTINCT FROM NEW.respondent_organisation_id::text)
      EXECUTE FUNCTION cases_snapshot_follows_respondent()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS cases_snapshot_follows_respondent ON cases`);
    await q.query(`DROP FUNCTION IF EXISTS cases_snapshot_follows_respondent()`);
    await q.query(`DROP INDEX IF EXISTS organisations_unverified_idx`);
    await q.query(`
      ALTER TABLE organisations
        DROP CONSTRAINT IF EXISTS organisations_unverified_are_public,
        DROP COLUMN IF EXISTS suggested_at,
        DROP COLUMN IF EXISTS suggested_by,
        DROP COLUMN IF EXISTS unverified`);
    await q.query(`DROP TABLE IF EXISTS report_drafts`);
  }
}
