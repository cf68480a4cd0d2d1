import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import { messageIdentity } from './message-identity';

/** The largest message taken in; the SMTP receiver announces it as SIZE and refuses more with 552. */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

export interface InboundVia {
  transport: 'smtp' | 'imap';
  envelopeFrom?: string;
  envelopeTo?: string[];
}

/** Envelope addresses kept per message; a message sent to more of ours than this is not a reply. */
const MAX_ENVELOPE_RECIPIENTS = 100;
const MAX_ADDRESS_LENGTH = 320;

/**
 * The one door every received message comes in by. It stores the raw message and nothing else: the
 * processing loop (the worker) reads it from the table later, so a receiver's answer never waits for
 * parsing, and a message is never lost to a crash between receiving it and filing it.
 */
@Injectable()
export class InboundMailbox {
  private readonly logger = new Logger(InboundMailbox.name);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the raw message once. Resolves only after it is committed (one autocommitted statement),
   * so a receiver answers 250, or marks the IMAP message done, only after this resolves; a duplicate
   * (same Message-ID, or the same bytes when it has none) resolves { duplicate: true } with the
   * stored row's id. Rejects when the database cannot be reached: the receiver then says "try later".
   */
  async accept(raw: Buffer, via: InboundVia): Promise<{ id: string; duplicate: boolean }> {
    if (raw.length > MAX_INBOUND_BYTES) {
      throw new DomainError('tooLarge', 'INBOUND_MAIL_TOO_LARGE', `A message may be at most ${MAX_INBOUND_BYTES} bytes.`);
    }
    if (raw.length === 0) throw new DomainError('invalid', 'INBOUND_MAIL_EMPTY', 'An empty message cannot be stored.');
    const messageId = messageIdentity(raw);
    const envelope = {
      from: clip(via.envelopeFrom),
      to: (via.envelopeTo ?? []).slice(0, MAX_ENVELOPE_RECIPIENTS).map(clip).filter((a): a is string => !!a),
    };
    // ON CONFLICT then a read in the same statement: a duplicate is answered in one round trip, and
    // two receivers racing on the same message both get the one row.
    const rows = await runSql<{ id: string; inserted: boolean }>(
      this.dataSource.manager,
      sql`WITH inserted AS (
            INSERT INTO inbound_mail (message_id, raw, via, envelope)
            VALUES (${messageId}, ${raw}, ${via.transport}, ${JSON.stringify(envelope)}::jsonb)
            ON CONFLICT (message_id) DO NOTHING
            RETURNING id)
          SELECT id, true AS inserted FROM inserted
          UNION ALL
          SELECT id, false FROM inbound_mail WHERE message_id = ${messageId} AND NOT EXISTS (SELECT 1 FROM inserted)`,
    );
    let row = rows[0];
    // A racing insert not yet visible to this statement's snapshot: read it once more now it is committed.
    if (!row) {
      row = (await runSql<{ id: string; inserted: boolean }>(this.dataSource.manager, sql`SELECT id, false AS inserted FROM inbound_mail WHERE message_id = ${messageId}`))[0];
    }
    if (!row) throw new Error('The message was neither stored nor found; try again.');
    this.logger.log({ msg: row.inserted ? 'inbound mail stored' : 'inbound mail already stored', inboundMailId: row.id, via: via.transport, bytes: raw.length });
    return { id: row.id, duplicate: !row.inserted };
  }
}

function clip(address: string | undefined): string | undefined {
  const a = address?.trim();
  return a ? a.slice(0, MAX_ADDRESS_LENGTH) : undefined;
}
