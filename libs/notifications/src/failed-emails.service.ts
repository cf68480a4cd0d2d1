import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Sql, joinSql, rawSql, runSql, sql } from '@cc/persistence';
import { Conflict, FieldError, NotFound, ValidationFailed, isRealDate, isUuid } from '@cc/common';
import { EMAIL_TEMPLATES, isEmailTemplate, type EmailTemplate } from './templates';

// The pages name the e-mails in plain words for every template, so they need the list from here.
export { EMAIL_TEMPLATES, isEmailTemplate, type EmailTemplate };

export const NOTIFICATION_STATUSES = ['pending', 'queued', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationRow {
  id: string;
  caseReference: string;
  template: string;
  recipientEmail: string;
  status: string;
  attempts: number;
  lastError: string | null;
  smtpResponse: string | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
}

/**
 * Which e-mails an administrator means. Every field is optional (null is taken as absent, as JSON
 * clients send it) and they combine with AND; the dates are days in England, both ends included.
 */
export interface EmailFilter {
  template?: string | null;
  caseReference?: string | null;
  /** Compared without regard to case: addresses are typed by people. */
  recipient?: string | null;
  /** YYYY-MM-DD */
  failedFrom?: string | null;
  /** YYYY-MM-DD */
  failedTo?: string | null;
}

/** YYYY-MM-DD naming a day that exists (2027-02-30 does not) in a year PostgreSQL can store: the API's one calendar check. */
export function isCalendarDay(value: unknown): value is string {
  return isRealDate(value);
}

/**
 * What is wrong with a filter, field by field. The API's DTO refuses most of this first; it is
 * checked again here so that no caller (the pages, say) can reach the database with a date
 * PostgreSQL would refuse, which would be a 500 rather than a 400.
 */
export function emailFilterProblems(filter: EmailFilter): FieldError[] {
  const errors: FieldError[] = [];
  if (filter.template != null && !isEmailTemplate(filter.template)) errors.push({ field: 'template', reason: `must be one of ${EMAIL_TEMPLATES.join(', ')}` });
  for (const field of ['caseReference', 'recipient'] as const) {
    if (filter[field] != null && typeof filter[field] !== 'string') errors.push({ field, reason: 'must be text' });
  }
  for (const field of ['failedFrom', 'failedTo'] as const) {
    if (filter[field] != null && !isCalendarDay(filter[field])) errors.push({ field, reason: 'must be a real date in the form YYYY-MM-DD' });
  }
  // Compared as text: YYYY-MM-DD sorts as the days do.
  if (!errors.length && filter.failedFrom && filter.failedTo && filter.failedFrom > filter.failedTo) {
    errors.push({ field: 'failedFrom', reason: `must be on or before failedTo (${filter.failedTo})` });
  }
  return errors;
}

/**
 * The filter as SQL conditions on `n` (notifications) and `c` (cases), so that listing and
 * retrying choose exactly the same rows.
 */
function conditions(filter: EmailFilter): Sql[] {
  const problems = emailFilterProblems(filter);
  if (problems.length) throw new ValidationFailed(problems);
  const where: Sql[] = [];
  if (filter.template != null) where.push(sql`n.template = ${filter.template}`);
  if (filter.caseReference != null) where.push(sql`n.case_id IN (SELECT id FROM cases WHERE upper(reference) = upper(${filter.caseReference.trim()}))`);
  if (filter.recipient != null) where.push(sql`lower(n.recipient_email) = lower(${filter.recipient.trim()})`);
  // Midnight in London, not UTC: an e-mail that failed at 00:30 BST on 1 June failed on 1 June.
  if (filter.failedFrom != null) where.push(sql`n.failed_at >= (${filter.failedFrom}::date::timestamp AT TIME ZONE 'Europe/London')`);
  if (filter.failedTo != null) where.push(sql`n.failed_at < ((${filter.failedTo}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`);
  return where;
}

/**
 * A retried e-mail starts again as if new: a fresh retry window and attempt count from the
 * worker, a new relay_count so a new job id is queued even if the old job lingers in Redis.
 * last_error stays, so the administrator can still see why it failed before.
 */
const RETRIED = rawSql(`status = 'pending', failed_at = NULL, relay_count = relay_count + 1, retry_until = NULL, attempts = 0`);

/** E-mails by status (failed ones, for administrators), and sending failed ones again. */
@Injectable()
export class FailedEmails {
  constructor(private readonly dataSource: DataSource) {}

  async list(status: NotificationStatus = 'failed', limit = 50, filter: EmailFilter = {}): Promise<NotificationRow[]> {
    return (await this.search(status, limit, filter)).items;
  }

  /** The newest `limit` e-mails matching, and how many match in all (what a bulk retry would take). */
  async search(status: NotificationStatus = 'failed', limit = 50, filter: EmailFilter = {}): Promise<{ items: NotificationRow[]; total: number }> {
    const where = [sql`n.status = ${status}`, ...conditions(filter)];
    // With no OFFSET, no rows back means none match, so the window count is all that is needed.
    const rows = await runSql(
      this.dataSource,
      sql`SELECT n.id, c.reference AS "caseReference", n.template, n.recipient_email AS "recipientEmail", n.status, n.attempts,
              n.last_error AS "lastError", n.smtp_response AS "smtpResponse", n.created_at AS "createdAt", n.sent_at AS "sentAt",
              n.failed_at AS "failedAt", count(*) OVER ()::int AS total
         FROM notifications n LEFT JOIN cases c ON c.id = n.case_id
        WHERE ${joinSql(where, ' AND ')} ORDER BY n.created_at DESC, n.id LIMIT ${limit}`,
    );
    const items = rows.map(({ total: _total, ...r }) => ({
      ...r,
      createdAt: (r.createdAt as Date).toISOString(),
      sentAt: r.sentAt ? (r.sentAt as Date).toISOString() : null,
      failedAt: r.failedAt ? (r.failedAt as Date).toISOString() : null,
    })) as NotificationRow[];
    return { items, total: rows.length ? Number(rows[0].total) : 0 };
  }

  /** Puts a failed e-mail back in the outbox; the relay queues it again. */
  async retry(id: string): Promise<{ id: string; status: string }> {
    if (!isUuid(id)) throw new NotFound(`Notification ${id}`);
    const [row] = await runSql<{ id: string; status: string }>(this.dataSource, sql`WITH retried AS (
         UPDATE notifications SET ${RETRIED} WHERE id = ${id} AND status = 'failed' RETURNING id, status)
       SELECT id, status FROM retried`);
    if (row) return row;
    const [existing] = await runSql<{ status: string }>(this.dataSource, sql`SELECT status FROM notifications WHERE id = ${id}`);
    if (!existing) throw new NotFound(`Notification ${id}`);
    throw new Conflict('NOT_FAILED', `Only failed e-mails can be retried; this one is ${existing.status}.`, { status: existing.status });
  }

  /**
   * Puts every failed e-mail matching the filter back in the outbox, in one statement: rows that
   * stop being failed meanwhile (retried by someone else) are simply not matched.
   */
  async retryAll(filter: EmailFilter = {}): Promise<{ retried: number }> {
    const where = [sql`n.status = 'failed'`, ...conditions(filter)];
    // Account e-mails (a reset link) belong to no case: no join, so they are retried too.
    const [row] = await runSql<{ retried: number }>(
      this.dataSource,
      sql`WITH retried AS (
         UPDATE notifications n SET ${RETRIED} WHERE ${joinSql(where, ' AND ')} RETURNING n.id)
       SELECT count(*)::int AS retried FROM retried`,
    );
    return { retried: Number(row?.retried ?? 0) };
  }
}

