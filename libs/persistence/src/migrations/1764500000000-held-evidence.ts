import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence uploaded while a report is still being written has no case yet: it is held for the
 * reporter who uploaded it, and attached to the case when the report is sent.
 */
export class HeldEvidence1764500000000 implements MigrationInterface {
  name = 'HeldEvidence1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evidence
        ALTER COLUMN case_id DROP NOT NULL,
        ADD COLUMN held_for uuid REFERENCES users(id) ON DELETE CASCADE,
        ADD CONSTRAINT evidence_on_a_case_or_held CHECK ((case_id IS NULL) <> (held_for IS NULL))`);
    await q.query(`CREATE INDEX evidence_held_for_idx ON evidence (held_for) WHERE held_for IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM evidence WHERE case_id IS NULL`);
    await q.query(`DROP INDEX IF EXISTS evidence_held_for_idx`);
    await q.query(`ALTER TABLE evidence DROP CONSTRAINT IF EXISTS evidence_on_a_case_or_held, DROP COLUMN IF EXISTS held_for, ALTER COLUMN case_id SET NOT NULL`);
  }
}
