import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail that comes in (replies to the product's e-mails):
 * - `inbound_mail` keeps every message received, raw and in full, once per Message-ID (or the hash
 *   of the raw bytes when it has none), so a message received twice (an SMTP retry, an IMAP message
 *   seen again after a crash) is stored once. The row is the truth the processing loop works from:
 *   'received' until processed; then 'filed' (on a case), 'to_sort' (waits for a caseworker, with a
 *   reason code), 'auto_reply', 'bounce' or 'discarded'.
 * - `users.email_failing_since`: a bounce marks that person's address as failing, shown to staff.
 */
export class InboundMail1764920000000 implements MigrationInterface {
  name = 'InboundMail1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbound_mail (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id text NOT NULL UNIQUE,
        raw bytea NOT NULL,
        via text NOT NULL CHECK (via IN ('smtp', 'imap')),
        envelope jsonb NOT NULL DEFAULT '{}'::jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'filed', 'to_sort', 'auto_reply', 'bounce', 'discarded')),
        why_to_sort text,
        from_address text,
        subject text,
        case_id uuid REFERENCES cases(id),
        note_id uuid REFERENCES case_notes(id),
        notification_id uuid REFERENCES notifications(id),
        processed_at timestamptz,
        handled_by uuid REFERENCES users(id),
        handled_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    // The processing loop's queue, and the mail-to-sort list: both small partial indexes.
    await q.query(`CREATE INDEX inbound_mail_received_idx ON inbound_mail (received_at) WHERE status = 'received'`);
    await q.query(`CREATE INDEX inbound_mail_to_sort_idx ON inbound_mail (received_at) WHERE status = 'to_sort'`);
    await q.query(`CREATE INDEX inbound_mail_case_idx ON inbound_mail (case_id) WHERE case_id IS NOT NULL`);

    await q.query(`ALTER TABLE users ADD COLUMN email_failing_since timestamptz`);
    await q.query(`ALTER TABLE users ADD COLUMN email_failing_reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS email_failing_reason, DROP COLUMN IF EXISTS email_failing_since`);
    await q.query(`DROP TABLE IF EXISTS inbound_mail`);
  }
}
