import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The triage queue asks for the newest cases in a stage that nobody is assigned to. With only
 * cases_stage_list_idx, PostgreSQL walks every case in the stage newest first and throws away the
 * assigned ones: in triage, where cases arrive by being assigned, that is every triage case on
 * every view of the queue, to find a handful or none. The unassigned cases of a stage, newest
 * first, are one range of this index instead. It is partial rather than a column of the key
 * because the planner uses an index's order only after equalities, and IS NULL is not one.
 */
export class CasesUnassignedList1764880000100 implements MigrationInterface {
  name = 'CasesUnassignedList1764880000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX cases_unassigned_list_idx ON cases (stage, submitted_at DESC, id DESC) WHERE assignee_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_unassigned_list_idx`);
  }
}
