import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Letters (issue 14):
 * - letter_templates, kept by administrators: Handlebars text with merge fields. The defaults the
 *   service ships carry a `default_key`; they are added on start when missing and never written
 *   over, so an administrator's edits stay. Templates are archived, never deleted, because sent
 *   letters name the template they came from.
 * - letters: each letter sent (or kept on the case to be posted), as it was sent, with its
 *   recipients and the document (evidence row) holding its PDF. The id is the writer's own
 *   request id, so a form sent twice sends the letter once.
 * - case_records: things on a case's timeline that are not workflow transitions (a letter sent),
 *   written in the same transaction as what they record.
 */
export class Letters1764910000000 implements MigrationInterface {
  name = 'Letters1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('letter_sent')),
        actor_id uuid REFERENCES users(id),
        at timestamptz NOT NULL DEFAULT now(),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX case_records_case_idx ON case_records (case_id, at)`);

    await q.query(`
      CREATE TABLE letter_templates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        default_key text UNIQUE,
        name text NOT NULL,
        purpose text NOT NULL DEFAULT '',
        addressed_to text NOT NULL CHECK (addressed_to IN ('respondent', 'reporter', 'parties')),
        subject text NOT NULL,
        body text NOT NULL,
        position int NOT NULL DEFAULT 1000,
        archived boolean NOT NULL DEFAULT false,
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX letter_templates_name_key ON letter_templates (lower(name))`);

    await q.query(`
      CREATE TABLE letters (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        template_id uuid REFERENCES letter_templates(id),
        template_name text NOT NULL,
        addressed_to text NOT NULL CHECK (addressed_to IN ('respondent', 'reporter', 'parties')),
        subject text NOT NULL,
        body text NOT NULL,
        recipients jsonb NOT NULL,
        by_email boolean NOT NULL,
        sent_by uuid NOT NULL REFERENCES users(id),
        sent_at timestamptz NOT NULL DEFAULT now(),
        evidence_id uuid NOT NULL REFERENCES evidence(id)
      )`);
    await q.query(`CREATE INDEX letters_case_idx ON letters (case_id, sent_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS letters`);
    await q.query(`DROP TABLE IF EXISTS letter_templates`);
    await q.query(`DROP TABLE IF EXISTS case_records`);
  }
}
