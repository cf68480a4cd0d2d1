import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailed } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import type { ReadPart, ReadVia } from '../record-reads/read-entry';

/** Entries on one page of a log. */
export const READ_LOG_PAGE_SIZE = 50;
/** The furthest page asked for: beyond it, narrow down some other way. */
export const READ_LOG_MAX_PAGE = 10_000;

/** One recorded request on a case: who, as what, when, which part, how, and the answer. */
export interface CaseRead {
  userId: string;
  name: string;
  role: Role;
  at: Date;
  what: ReadPart;
  via: ReadVia;
  method: string;
  status: number;
}

/** A case a person has read: when first and last, how often, and how often they were refused. */
export interface PersonCaseRead {
  caseId: string;
  reference: string;
  title: string;
  firstAt: Date;
  lastAt: Date;
  reads: number;
  refused: number;
}

/** A day a member of staff in some role opened a case: what the reporter is told (never who). */
export interface StaffOpening {
  role: Role;
  /** The day in England, as a calendar date (YYYY-MM-DD). */
  day: string;
}

export interface ReadLogPage<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
}

/** The page number from a query string: absent is the first; anything but a whole number from 1 is refused, naming the field. */
export function readLogPage(value: unknown): number {
  if (value === undefined || value === '') return 1;
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > READ_LOG_MAX_PAGE) {
    throw new ValidationFailed([{ field: 'page', reason: `must be a whole number from 1 to ${READ_LOG_MAX_PAGE.toLocaleString('en-GB')}` }]);
  }
  return Number(text);
}

/** What the audit says, for administrators (who read a case, what a person read) and reporters (which roles opened theirs). */
@Injectable()
export class ReadLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Every recorded request on the case, newest first. The caller has checked that they may see the case. */
  async ofCase(caseId: string, page = 1): Promise<ReadLogPage<CaseRead>> {
    const rows = await runSql<CaseRead & { total: string }>(
      this.dataSource,
      sql`SELECT a.user_id AS "userId", COALESCE(u.display_name, 'An account no longer held') AS name, a.role, a.at, a.what, a.via, a.method, a.status,
                 count(*) OVER () AS total
            FROM access_audit a LEFT JOIN users u ON u.id = a.user_id
           WHERE a.case_id = ${caseId}
           ORDER BY a.at DESC, a.id DESC
           LIMIT ${READ_LOG_PAGE_SIZE} OFFSET ${(page - 1) * READ_LOG_PAGE_SIZE}`,
    );
    return pageOf(rows, page, (r) => ({ userId: r.userId, name: r.name, role: r.role, at: r.at, what: r.what, via: r.via, method: r.method, status: r.status }), () => this.countOfCase(caseId));
  }

  /** Every case the person's requests named, the most recently read first. */
  async ofPerson(userId: string, page = 1): Promise<ReadLogPage<PersonCaseRead>> {
    const rows = await runSql<PersonCaseRead & { total: string }>(
      this.dataSource,
      sql`SELECT a.case_id AS "caseId", c.reference, c.title, min(a.at) AS "firstAt", max(a.at) AS "lastAt",
                 count(*) FILTER (WHERE a.status < 400)::int AS reads, count(*) FILTER (WHERE a.status >= 400)::int AS refused,
                 count(*) OVER () AS total
            FROM access_audit a JOIN cases c ON c.id = a.case_id
           WHERE a.user_id = ${userId}
           GROUP BY a.case_id, c.reference, c.title
           ORDER BY max(a.at) DESC, a.case_id
           LIMIT ${READ_LOG_PAGE_SIZE} OFFSET ${(page - 1) * READ_LOG_PAGE_SIZE}`,
    );
    return pageOf(rows, page, ({ total: _, ...r }) => r, () => this.countOfPerson(userId));
  }

  /**
   * The days staff in each role opened the case (any part of it, answered, not refused), newest
   * first: a reporter is told that "a caseworker opened this case on 3 December 2026", never who.
   */
  async staffOpenings(caseId: string, limit = 20): Promise<StaffOpening[]> {
    return runSql<StaffOpening>(
      this.dataSource,
      sql`SELECT role, to_char(day, 'YYYY-MM-DD') AS day
            FROM (SELECT DISTINCT role, (at AT TIME ZONE 'Europe/London')::date AS day
                    FROM access_audit
                   WHERE case_id = ${caseId} AND status < 400 AND method IN ('GET', 'HEAD') AND what <> 'other') d
           ORDER BY day DESC, role
           LIMIT ${limit}`,
    );
  }

  /** Whether the account exists (active or not): its log is there either way. */
  async personExists(userId: string): Promise<boolean> {
    const rows = await runSql(this.dataSource, sql`SELECT 1 FROM users WHERE id = ${userId}`);
    return rows.length > 0;
  }

  private async countOfCase(caseId: string): Promise<number> {
    const [row] = await runSql<{ n: number }>(this.dataSource, sql`SELECT count(*)::int AS n FROM access_audit WHERE case_id = ${caseId}`);
    return row.n;
  }

  private async countOfPerson(userId: string): Promise<number> {
    const [row] = await runSql<{ n: number }>(this.dataSource, sql`SELECT count(DISTINCT case_id)::int AS n FROM access_audit WHERE user_id = ${userId} AND case_id IS NOT NULL`);
    return row.n;
  }
}

/** A page of rows with the total the window counted; a page past the end counts separately, so it can say how many there are. */
async function pageOf<R extends { total: string }, T>(rows: R[], page: number, map: (row: R) => T, count: () => Promise<number>): Promise<ReadLogPage<T>> {
  const total = rows.length ? Number(rows[0].total) : page > 1 ? await count() : 0;
  return { items: rows.map(map), total, page, pages: Math.max(1, Math.ceil(total / READ_LOG_PAGE_SIZE)) };
}
