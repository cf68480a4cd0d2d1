import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * UK GDPR (Article 12(3)) lets a controller take two further months over a request that is complex
 * or one of many from the same person, if it tells them, with the reason, within the first month.
 * `extended_by_months` (0 or 2) says whether that was done; the answer-by date, kept as a generated
 * column so it can never disagree with the dates it comes from, now counts it. PostgreSQL 15 cannot
 * change a generated column's expression, so the column (and its index) is made again.
 */
export class DataRequestExtension1764980000000 implements MigrationInterface {
  name = 'DataRequestExtension1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE data_protection_requests
        ADD COLUMN extended_by_months int NOT NULL DEFAULT 0 CHECK (extended_by_months IN (0, 2)),
        ADD COLUMN extension_reason text CHECK (length(extension_reason) <= 2000),
        ADD COLUMN extended_by uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN extended_at timestamptz,
        ADD CONSTRAINT data_protection_requests_extension_says_why CHECK (extended_by_months = 0 OR (extension_reason IS NOT NULL AND extended_at IS NOT NULL))`);
    await q.query(`DROP INDEX IF EXISTS data_protection_requests_open_idx`);
    await q.query(`ALTER TABLE data_protection_requests DROP COLUMN due_on`);
    await q.query(`ALTER TABLE data_protection_requests ADD COLUMN due_on date GENERATED ALWAYS AS ((received_on + make_interval(months => 1 + extended_by_months))::date) STORED`);
    await q.query(`CREATE INDEX data_protection_requests_open_idx ON data_protection_requests (due_on) WHERE status = 'open'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS data_protection_requests_open_idx`);
    await q.query(`ALTER TABLE data_protection_requests DROP COLUMN due_on`);
    await q.query(`ALTER TABLE data_protection_requests ADD COLUMN due_on date GENERATED ALWAYS AS ((received_on + interval '1 month')::date) STORED`);
    await q.query(`CREATE INDEX data_protection_requests_open_idx ON data_protection_requests (due_on) WHERE status = 'open'`);
    await q.query(`ALTER TABLE data_protection_requests DROP CONSTRAINT data_protection_requests_extension_says_why, DROP COLUMN extended_at, DROP COLUMN extended_by, DROP COLUMN extension_reason, DROP COLUMN extended_by_months`);
  }
}
