import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Caller } from '@cc/identity';
import { runPrepared, sql } from '@cc/persistence';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
import { MESSAGE_VISIBILITIES, readableBy, respondentSeesEvent, visiblePayload } from '../domain/visibility';

export class TimelineEntry {
  @ApiProperty() seq: number;
  @ApiProperty({ example: 'ACCEPT' }) type: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 'caseworker' }) actorRole: string;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ nullable: true, type: String }) fromState: string | null;
  @ApiProperty() toState: string;
  @ApiProperty({ type: Object, description: 'The event details you may see; for a MESSAGE: messageId, body and audience (parties or respondent); for a LETTER_SENT (caseworkers and administrators): letterId, subject, recipients, byEmail, evidenceId' })
  details: Record<string, unknown>;
}

/** A message between the caseworker and the public body, or a record (a letter sent), as the timeline places it. */
interface MessageRow {
  id: string;
  /** 'MESSAGE', or a record's type ('LETTER_SENT'). */
  type: string;
  /** A record's details, shown as they are: its owner writes them in words and ids only. */
  record?: Record<string, unknown>;
  visibility: string;
  body: string;
  createdAt: Date;
  authorRole: string | null;
  authorName: string | null;
}

interface EventRow {
  seq: number;
  type: string;
  occurredAt: Date;
  actorRole: string;
  /** Null for the system, or an actor no longer among the users. */
  actorName: string | null;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

/** The case's event log as the caller may see it, oldest first. */
@Injectable()
export class CaseTimeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  async execute(caller: Caller, idOrReference: string): Promise<TimelineEntry[]> {
    return this.of(await this.access.visible(caller, idOrReference));
  }

  /**
   * The timeline of a case already loaded and checked, with the messages (notes to or from the
   * public body) the caller may read, each after the event it followed. A respondent sees only the
   * events about them, and not who at the reporting organisation acted when the reporter asked
   * not to be named.
   */
  async of({ caller, row: c }: VisibleCase): Promise<TimelineEntry[]> {
    const audiences = MESSAGE_VISIBILITIES.filter((v) => readableBy(caller.role).includes(v));
    // Records (letters sent) are the staff's working history; the reporter and the public body see
    // the letters addressed to them among the case's documents instead.
    const seesRecords = caller.role === 'caseworker' || caller.role === 'administrator';
    // The log, then the messages (a row with no seq, its note in `payload`), then the records (no
    // seq, type from their kind), with the actors' names: one round trip, which on every case page
    // costs more than the rows it brings.
    const all = await runPrepared<Omit<EventRow, 'seq'> & { seq: number | null; noteId: string | null }>(
      this.dataSource.manager,
      sql`SELECT e.seq, e.type, e.occurred_at AS "occurredAt", e.actor_role AS "actorRole", u.display_name AS "actorName",
                 e.from_state AS "fromState", e.to_state AS "toState", e.payload, NULL::uuid AS "noteId"
            FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
           WHERE e.case_id = ${c.id}
          UNION ALL
          SELECT NULL, 'MESSAGE', n.created_at, u.role, u.display_name, NULL, NULL,
                 jsonb_build_object('visibility', n.visibility, 'body', n.body), n.id
            FROM case_notes n LEFT JOIN users u ON u.id = n.author_id
           WHERE n.case_id = ${c.id} AND n.visibility = ANY(${audiences}::text[])
          UNION ALL
          SELECT NULL, upper(r.kind), r.at, u.role, u.display_name, NULL, NULL, r.details, r.id
            FROM case_records r LEFT JOIN users u ON u.id = r.actor_id
           WHERE r.case_id = ${c.id} AND ${seesRecords}::boolean
          ORDER BY seq NULLS LAST, "occurredAt", "noteId"`,
    );
    const rows = all.filter((r): r is EventRow & { noteId: null } => r.seq !== null);
    const messages: MessageRow[] = all
      .filter((r) => r.seq === null)
      .map((r) =>
        r.type === 'MESSAGE'
          ? { id: String(r.noteId), type: 'MESSAGE', visibility: String(r.payload.visibility), body: String(r.payload.body), createdAt: r.occurredAt, authorRole: r.actorRole, authorName: r.actorName }
          : { id: String(r.noteId), type: r.type, visibility: '', body: '', record: r.payload, createdAt: r.occurredAt, authorRole: r.actorRole, authorName: r.actorName },
      );
    const asRespondent = caller.role === 'respondent';
    const hideReporter = asRespondent && !c.reporterNamed;
    const nameOf = (role: string | null, name: string | null) => (hideReporter && role === 'reporter' ? null : name);
    const events: TimelineEntry[] = rows
      .filter((r) => !asRespondent || respondentSeesEvent(r.type))
      .map((r) => ({
        seq: r.seq,
        type: r.type,
        at: r.occurredAt.toISOString(),
        actorRole: r.actorRole,
        actorName: nameOf(r.actorRole, r.actorName),
        fromState: r.fromState,
        toState: r.toState,
        details: visiblePayload(caller.role, r.type, r.payload),
      }));
    if (!messages.length) return events;
    return withMessages(events, rows, messages, nameOf);
  }
}

/** Each message after the last event at or before it (by the full log, so its seq and state are the case's then). */
function withMessages(
  events: TimelineEntry[],
  log: EventRow[],
  messages: MessageRow[],
  nameOf: (role: string | null, name: string | null) => string | null,
): TimelineEntry[] {
  const entries = messages.map((m) => {
    const before = [...log].reverse().find((e) => e.occurredAt.getTime() <= m.createdAt.getTime()) ?? log[0];
    const entry: TimelineEntry = {
      seq: before?.seq ?? 0,
      type: m.type,
      at: m.createdAt.toISOString(),
      actorRole: m.authorRole ?? 'unknown',
      actorName: nameOf(m.authorRole, m.authorName),
      fromState: null,
      toState: before?.toState ?? '',
      details: m.record ? { ...m.record, recordId: m.id } : { messageId: m.id, body: m.body, audience: m.visibility },
    };
    return entry;
  });
  const placed = new Set(entries);
  const isMessage = (e: TimelineEntry) => (placed.has(e) ? 1 : 0);
  // Stable: the events keep the log's order, each message after its event, messages by time.
  return [...events, ...entries].sort((a, b) => a.seq - b.seq || isMessage(a) - isMessage(b) || (isMessage(a) ? a.at.localeCompare(b.at) : 0));
}
