import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict, FieldError, NotFound, ValidationFailed, isRealDate } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';
import { REQUEST_KINDS, RequestKind, RequestStatus, clockLine, dueInWords } from './request-words';

export interface DataProtectionRequest {
  id: string;
  kind: RequestKind;
  email: string;
  details: string | null;
  /** Calendar dates, YYYY-MM-DD: the day it came in and the day it must be answered by. */
  receivedOn: string;
  dueOn: string;
  /** Days from today (in England) to the due date; negative once overdue. */
  daysLeft: number;
  dueWords: string;
  status: RequestStatus;
  outcomeNote: string | null;
  /** Two more months taken (EXTENSION_MONTHS): why, by whom and when; null when not. */
  extension: { reason: string; by: string | null; at: Date } | null;
  /** Whether more time can still be taken: open, not yet extended, and still in the first month. */
  canExtend: boolean;
  recordedBy: string | null;
  requestedBy: string | null;
  requestedByOrganisation: string | null;
  createdAt: Date;
  gatheredAt: Date | null;
  gatheredBy: string | null;
  handledAt: Date | null;
  handledBy: string | null;
  /** Whether the person has an account, and whether they are a public body's contact. */
  hasAccount: boolean;
  isContact: boolean;
}

/** One line on the deadlines page. */
export interface DataProtectionClock {
  id: string;
  line: string;
  dueOn: string;
  dueWords: string;
  overdue: boolean;
}

/** What is written on the account's history for each step (account_events; see recordEvent). */
type RequestEventKind = 'data-request-recorded' | 'data-request-asked' | 'data-request-gathered' | 'data-request-extended' | 'data-request-answered' | 'data-request-refused';

/** The further months UK GDPR allows for a complex request or one of many (Article 12(3)). */
export const EXTENSION_MONTHS = 2;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_TEXT = 2000;
/** Far enough back for a letter found late in a pile; further is surely a typing slip. */
const OLDEST_RECEIVED_DAYS = 366;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

/**
 * Requests about a person's data: recorded by an administrator (a letter, an e-mail, a phone call)
 * or asked for on the website by someone signed in, each with the ICO's one-month clock. Only
 * administrators handle them; caseworkers see the clocks on the deadlines page, so a request does
 * not go unanswered while the administrators are away. Every step is written on the account
 * history of whoever took it (account_events), in the same transaction as the step.
 */
@Injectable()
export class DataProtectionRequests {
  private readonly logger = new Logger(DataProtectionRequests.name);

  constructor(private readonly dataSource: DataSource) {}

  /** An administrator records a request that came in by letter, e-mail or phone. */
  async record(caller: Caller, input: { kind?: unknown; email?: unknown; receivedOn?: unknown; details?: unknown }): Promise<{ id: string }> {
    assertAdministrator(caller);
    const errors: FieldError[] = [];
    const kind = typeof input.kind === 'string' && (REQUEST_KINDS as readonly string[]).includes(input.kind) ? (input.kind as RequestKind) : undefined;
    if (!kind) errors.push({ field: 'kind', reason: 'Choose what the person asked for' });
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    if (!email) errors.push({ field: 'email', reason: 'Enter the e-mail address of the person the request is about' });
    else if (email.length > 320 || !EMAIL.test(email)) errors.push({ field: 'email', reason: 'Enter an e-mail address in the correct format, like name@example.com' });
    const receivedOn = typeof input.receivedOn === 'string' ? input.receivedOn.trim() : '';
    if (!receivedOn) errors.push({ field: 'receivedOn', reason: 'Enter the date the request was received' });
    else if (!isRealDate(receivedOn)) errors.push({ field: 'receivedOn', reason: 'The date the request was received must be a real date' });
    else if (receivedOn > today()) errors.push({ field: 'receivedOn', reason: 'The date the request was received must be today or in the past' });
    else if (Date.parse(`${today()}T00:00:00Z`) - Date.parse(`${receivedOn}T00:00:00Z`) > OLDEST_RECEIVED_DAYS * 86_400_000) errors.push({ field: 'receivedOn', reason: 'The date the request was received must be within the last year' });
    const details = optionalText(input.details, 'details', 'What they said', errors);
    if (errors.length || !kind) throw new ValidationFailed(errors);
    return this.dataSource.transaction(async (m) => {
      const [row] = await runSql<{ id: string }>(
        m,
        sql`INSERT INTO data_protection_requests (kind, email, details, received_on, recorded_by)
            VALUES (${kind}, ${email}, ${details}, ${receivedOn}::date, ${caller.userId}) RETURNING id`,
      );
      await recordEvent(m, caller.userId, 'data-request-recorded', { requestId: row.id, kind, email });
      this.logger.log({ requestId: row.id, kind, byUserId: caller.userId }, 'Data protection request recorded');
      return row;
    });
  }

  /**
   * Someone signed in asks for a copy of their own data, or its erasure. It is about the account's
   * own e-mail address, so nobody can ask for someone else's data this way; asking again while the
   * same kind of request is still open gives the open one rather than a second clock.
   */
  async ask(caller: Caller, input: { kind?: unknown; details?: unknown }): Promise<{ id: string; alreadyAsked: boolean; dueOn: string }> {
    const errors: FieldError[] = [];
    const kind = typeof input.kind === 'string' && (REQUEST_KINDS as readonly string[]).includes(input.kind) ? (input.kind as RequestKind) : undefined;
    if (!kind) errors.push({ field: 'kind', reason: 'Choose what you are asking for' });
    const details = optionalText(input.details, 'details', 'What you tell us', errors);
    if (errors.length || !kind) throw new ValidationFailed(errors);
    return this.dataSource.transaction(async (m) => {
      // One asker at a time per account, so two quick clicks cannot start two clocks.
      const [me] = await runSql<{ email: string }>(m, sql`SELECT email FROM users WHERE id = ${caller.userId} FOR UPDATE`);
      if (!me) throw new NotFound('Your account', 'USER_NOT_FOUND');
      const [open] = await runSql<{ id: string; dueOn: string }>(
        m,
        sql`SELECT id, to_char(due_on, 'YYYY-MM-DD') AS "dueOn" FROM data_protection_requests
             WHERE status = 'open' AND kind = ${kind} AND lower(email) = lower(${me.email}) ORDER BY created_at LIMIT 1`,
      );
      if (open) return { ...open, alreadyAsked: true };
      const [row] = await runSql<{ id: string; dueOn: string }>(
        m,
        sql`INSERT INTO data_protection_requests (kind, email, details, received_on, requested_by_user, requested_by_org)
            VALUES (${kind}, ${me.email}, ${details}, (now() AT TIME ZONE 'Europe/London')::date, ${caller.userId}, ${caller.organisationId})
            RETURNING id, to_char(due_on, 'YYYY-MM-DD') AS "dueOn"`,
      );
      await recordEvent(m, caller.userId, 'data-request-asked', { requestId: row.id, kind });
      this.logger.log({ requestId: row.id, kind, byUserId: caller.userId }, 'Data protection request asked for');
      return { ...row, alreadyAsked: false };
    });
  }

  /** The requests the person signed in has asked for themselves, newest first (shown on their request page). */
  async mine(caller: Caller): Promise<DataProtectionRequest[]> {
    return this.select(sql`r.requested_by_user = ${caller.userId}`, 20);
  }

  /** Open requests first (soonest due first), then the answered ones, newest first. */
  async list(caller: Caller, limit = 200): Promise<DataProtectionRequest[]> {
    assertAdministrator(caller);
    return this.select(sql`true`, limit);
  }

  async get(caller: Caller, id: string): Promise<DataProtectionRequest> {
    assertAdministrator(caller);
    const [found] = await this.select(sql`r.id = ${id}`, 1);
    if (!found) throw new NotFound('This request', 'REQUEST_NOT_FOUND');
    return found;
  }

  /** The one-month clocks still running, for the deadlines page (caseworkers and administrators). */
  async clocks(caller: Caller): Promise<DataProtectionClock[]> {
    if (caller.role !== 'caseworker' && caller.role !== 'administrator') return [];
    const rows = await runSql<{ id: string; kind: RequestKind; email: string; dueOn: string; daysLeft: number }>(
      this.dataSource,
      sql`SELECT id, kind, email, to_char(due_on, 'YYYY-MM-DD') AS "dueOn", (due_on - (now() AT TIME ZONE 'Europe/London')::date) AS "daysLeft"
            FROM data_protection_requests WHERE status = 'open' ORDER BY due_on, created_at LIMIT 100`,
    );
    return rows.map((r) => ({ id: r.id, line: clockLine(r.kind, r.email, r.dueOn), dueOn: r.dueOn, dueWords: dueInWords(r.daysLeft), overdue: r.daysLeft < 0 }));
  }

  /** Answered (the copy sent, or the erasure done) or refused with the reason; once, from open. */
  async close(caller: Caller, id: string, input: { outcome?: unknown; note?: unknown }): Promise<DataProtectionRequest> {
    assertAdministrator(caller);
    const errors: FieldError[] = [];
    const outcome = input.outcome === 'done' || input.outcome === 'refused' ? input.outcome : undefined;
    if (!outcome) errors.push({ field: 'outcome', reason: 'Choose whether the request was answered or refused' });
    const note = optionalText(input.note, 'note', 'The note', errors);
    if (outcome === 'refused' && !note) errors.push({ field: 'note', reason: 'Say why the request was refused: the person must be told' });
    if (errors.length || !outcome) throw new ValidationFailed(errors);
    await this.get(caller, id);
    await this.dataSource.transaction(async (m) => {
      const [row] = await runSql<{ kind: RequestKind }>(
        m,
        sql`UPDATE data_protection_requests SET status = ${outcome}, outcome_note = ${note}, handled_by = ${caller.userId}, handled_at = now()
             WHERE id = ${id} AND status = 'open' RETURNING kind`,
      );
      if (!row) throw new Conflict('REQUEST_ALREADY_CLOSED', 'This request has already been answered or refused.', { allowedActions: ['gather'] });
      await recordEvent(m, caller.userId, outcome === 'done' ? 'data-request-answered' : 'data-request-refused', { requestId: id, kind: row.kind });
    });
    this.logger.log({ requestId: id, outcome, byUserId: caller.userId }, 'Data protection request closed');
    return this.get(caller, id);
  }

  /**
   * Two more months for a request that is complex, or one of many from the same person. The law
   * allows it once, decided within the first month, and the person must be told why: the reason is
   * required and kept on the request.
   */
  async extend(caller: Caller, id: string, input: { reason?: unknown }): Promise<DataProtectionRequest> {
    assertAdministrator(caller);
    const errors: FieldError[] = [];
    const reason = optionalText(input.reason, 'reason', 'Why it needs more time', errors);
    if (!reason && !errors.length) errors.push({ field: 'reason', reason: 'Say why the request needs more time: you must tell the person why' });
    if (errors.length || !reason) throw new ValidationFailed(errors);
    await this.get(caller, id);
    await this.dataSource.transaction(async (m) => {
      const [row] = await runSql<{ kind: RequestKind; status: RequestStatus; extended: boolean; tooLate: boolean }>(
        m,
        sql`SELECT kind, status, extended_by_months > 0 AS extended,
                   (received_on + interval '1 month')::date < (now() AT TIME ZONE 'Europe/London')::date AS "tooLate"
              FROM data_protection_requests WHERE id = ${id} FOR UPDATE`,
      );
      if (row.status !== 'open') throw new Conflict('REQUEST_ALREADY_CLOSED', 'This request has already been answered or refused.', { allowedActions: [] });
      if (row.extended) throw new Conflict('REQUEST_ALREADY_EXTENDED', `This request already has ${EXTENSION_MONTHS} more months: that is the most the law allows.`, { allowedActions: ['close'] });
      if (row.tooLate) throw new Conflict('EXTENSION_TOO_LATE', 'More time can only be taken within the first month of the request, and that month is over. Answer it as soon as you can.', { allowedActions: ['close'] });
      await runSql(
        m,
        sql`UPDATE data_protection_requests SET extended_by_months = ${EXTENSION_MONTHS}, extension_reason = ${reason}, extended_by = ${caller.userId}, extended_at = now() WHERE id = ${id}`,
      );
      await recordEvent(m, caller.userId, 'data-request-extended', { requestId: id, kind: row.kind, months: EXTENSION_MONTHS });
    });
    this.logger.log({ requestId: id, months: EXTENSION_MONTHS, byUserId: caller.userId }, 'Data protection request given more time');
    return this.get(caller, id);
  }

  /** Called when the copy has been made: who made it and when, on the request and the account history. */
  async markGathered(caller: Caller, id: string): Promise<void> {
    assertAdministrator(caller);
    await this.dataSource.transaction(async (m) => {
      await runSql(m, sql`UPDATE data_protection_requests SET gathered_by = ${caller.userId}, gathered_at = now() WHERE id = ${id}`);
      await recordEvent(m, caller.userId, 'data-request-gathered', { requestId: id });
    });
  }

  private async select(where: ReturnType<typeof sql>, limit: number): Promise<DataProtectionRequest[]> {
    type Row = Omit<DataProtectionRequest, 'dueWords' | 'extension'> & { extensionReason: string | null; extendedBy: string | null; extendedAt: Date | null };
    const rows = await runSql<Row>(
      this.dataSource,
      sql`SELECT r.id, r.kind, r.email, r.details, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(r.due_on, 'YYYY-MM-DD') AS "dueOn",
                 (r.due_on - (now() AT TIME ZONE 'Europe/London')::date) AS "daysLeft", r.status, r.outcome_note AS "outcomeNote",
                 r.extension_reason AS "extensionReason", x.display_name AS "extendedBy", r.extended_at AS "extendedAt",
                 (r.status = 'open' AND r.extended_by_months = 0 AND (r.received_on + interval '1 month')::date >= (now() AT TIME ZONE 'Europe/London')::date) AS "canExtend",
                 rec.display_name AS "recordedBy", req.display_name AS "requestedBy", org.name AS "requestedByOrganisation",
                 r.created_at AS "createdAt", r.gathered_at AS "gatheredAt", g.display_name AS "gatheredBy", r.handled_at AS "handledAt", h.display_name AS "handledBy",
                 EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(r.email)) AS "hasAccount",
                 EXISTS (SELECT 1 FROM respondent_contacts c WHERE lower(c.email) = lower(r.email)) AS "isContact"
            FROM data_protection_requests r
            LEFT JOIN users rec ON rec.id = r.recorded_by
            LEFT JOIN users req ON req.id = r.requested_by_user
            LEFT JOIN organisations org ON org.id = r.requested_by_org
            LEFT JOIN users g ON g.id = r.gathered_by
            LEFT JOIN users h ON h.id = r.handled_by
            LEFT JOIN users x ON x.id = r.extended_by
           WHERE ${where}
           ORDER BY (r.status = 'open') DESC, CASE WHEN r.status = 'open' THEN r.due_on END, r.created_at DESC, r.id
           LIMIT ${limit}`,
    );
    return rows.map(({ extensionReason, extendedBy, extendedAt, ...r }) => ({
      ...r,
      daysLeft: Number(r.daysLeft),
      dueWords: dueInWords(Number(r.daysLeft)),
      extension: extensionReason && extendedAt ? { reason: extensionReason, by: extendedBy, at: extendedAt } : null,
    }));
  }
}

/** Handling requests is for administrators; anyone else is told there is nothing here. */
export function assertAdministrator(caller: Caller): void {
  if (caller.role !== 'administrator') throw new NotFound('This page', 'NOT_FOUND');
}

function optionalText(value: unknown, field: string, label: string, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field, reason: `${label} must be text` });
    return null;
  }
  const t = value.trim().replace(/\r\n?/g, '\n');
  if (t.length > MAX_TEXT) errors.push({ field, reason: `${label} must be ${MAX_TEXT.toLocaleString('en-GB')} characters or fewer` });
  return t || null;
}

/**
 * On the audit log: the account history of whoever took the step (account_events, which every
 * account has and which administrators see on the person's page). Written in the step's own
 * transaction, so a step is never taken unrecorded.
 */
async function recordEvent(m: EntityManager, userId: string, kind: RequestEventKind, details: Record<string, unknown>): Promise<void> {
  await runSql(m, sql`INSERT INTO account_events (user_id, kind, by_user_id, details) VALUES (${userId}, ${kind}, ${userId}, ${JSON.stringify(details)})`);
}
