import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Documents attached to a case. The bytes live in the evidence storage under a random key; the
 * row keeps what was sniffed from the content (never what the uploader claimed), its hash so a
 * copy can be checked against it, and who uploaded it in which role at the time.
 */
export class Evidence1764250000000 implements MigrationInterface {
  name = 'Evidence1764250000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        uploaded_by uuid NOT NULL REFERENCES users(id),
        uploader_role text,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A case's evidence is always listed oldest first.
    await q.query(`CREATE INDEX evidence_case_idx ON evidence (case_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence`);
  }
}
