import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the processing of received mail keeps beside each message (apart from the table itself, which
 * was already on main, so that a database that ran it gets these too):
 * - `from_name`: the sender's name as their mail program wrote it, for the mail-to-sort list;
 * - `reply_text`: the new part of the text (quoted earlier message and signature taken off);
 * - `attempted_at`: when processing last began, so a message that failed waits longer before each try.
 */
export class InboundMailProcessing1764920000001 implements MigrationInterface {
  name = 'InboundMailProcessing1764920000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_mail ADD COLUMN IF NOT EXISTS from_name text, ADD COLUMN IF NOT EXISTS reply_text text, ADD COLUMN IF NOT EXISTS attempted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inbound_mail DROP COLUMN IF EXISTS attempted_at, DROP COLUMN IF EXISTS reply_text, DROP COLUMN IF EXISTS from_name`);
  }
}
