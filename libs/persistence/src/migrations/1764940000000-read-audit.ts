import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every staff read of a case is recorded (issue 15), not only administrators' requests:
 * `access_audit` gains who read as (`role`: the role at the time, kept even if the account's role
 * changes later), which part of the case (`what`) and how (`via`: a page or the API). Rows written
 * before this migration were all administrators' requests, so they are filled in from their paths.
 * The index on (case_id, at DESC) answers "who has read this case", newest first, and the
 * reporter's "which staff have opened it"; (user_id, at DESC) already answers "what has this
 * person read".
 */
export class ReadAudit1764940000000 implements MigrationInterface {
  name = 'ReadAudit1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE access_audit ADD COLUMN role text, ADD COLUMN what text, ADD COLUMN via text`);
    await q.query(`
      UPDATE access_audit SET
        role = 'administrator',
        via = CASE WHEN path LIKE '/api/web/%' OR path NOT LIKE '/api/%' THEN 'page' ELSE 'api' END,
        what = CASE WHEN case_id IS NULL THEN 'other' ELSE 'case' END`);
    await q.query(`
      ALTER TABLE access_audit
        ALTER COLUMN role SET NOT NULL,
        ALTER COLUMN what SET NOT NULL,
        ALTER COLUMN via SET NOT NULL,
        ADD CONSTRAINT access_audit_role_check CHECK (role IN ('caseworker', 'mediator', 'administrator')),
        ADD CONSTRAINT access_audit_what_check CHECK (what IN ('case', 'timeline', 'notes', 'messages', 'evidence', 'case-file', 'letters', 'deadlines', 'other')),
        ADD CONSTRAINT access_audit_via_check CHECK (via IN ('page', 'api'))`);
    await q.query(`CREATE INDEX access_audit_case_idx ON access_audit (case_id, at DESC) WHERE case_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS access_audit_case_idx`);
    await q.query(`ALTER TABLE access_audit DROP COLUMN via, DROP COLUMN what, DROP COLUMN role`);
  }
}
