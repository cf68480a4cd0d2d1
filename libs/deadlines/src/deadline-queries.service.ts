import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ValidationFailed, isUuid } from '@cc/common';
import { CaseAccess, VisibleCase } from '@cc/cases';
import type { Caller } from '@cc/identity';
import { DEADLINE_KINDS } from '@cc/workflows';
import { type Sql, joinSql, runPrepared, sql } from '@cc/persistence';

export const DEADLINE_DUE = ['overdue', 'today', 'week', 'all'] as const;
export type DeadlineDue = (typeof DEADLINE_DUE)[number];

/** A running (or finished) clock on a case, as people see it. */
export interface DeadlineRow {
  id: string;
  caseId: string;
  caseReference: string;
  caseTitle: string;
  kind: string;
  status: string;
  dueAt: string | null;
  overdue: boolean;
  assigneeName: string | null;
  reminderAt: string | null;
  firedAt: string | null;
}

const SELECT = sql`
  SELECT d.id, d.case_id AS "caseId", c.reference AS "caseReference", c.title AS "caseTitle", d.kind, d.status,
         d.due_at AS "dueAt", (d.status = 'pending' AND d.due_at < now()) AS overdue, u.display_name AS "assigneeName",
         d.reminder_at AS "reminderAt", d.fired_at AS "firedAt"
    FROM deadlines d
    JOIN cases c ON c.id = d.case_id
    LEFT JOIN users u ON u.id = c.assignee_id`;

/** Where every clock stands: the API's deadline lists and the pages' share these queries. */
@Injectable()
export class DeadlineQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  /** Running clocks (pending or paused) across the cases the caller works on; `kind` keeps one kind of clock only. */
  async list(caller: Caller, query: { due?: DeadlineDue; assignee?: string; caseIds?: string[]; kind?: string } = {}): Promise<DeadlineRow[]> {
    const where: Sql[] = [sql`d.status IN ('pending', 'paused')`];
    if (caller.role === 'mediator') where.push(sql`c.mediator_id = ${caller.userId}`);
    const due = query.due ?? 'all';
    if (due === 'overdue') where.push(sql`d.status = 'pending' AND d.due_at < now()`);
    if (due === 'today') where.push(sql`d.status = 'pending' AND d.due_at < date_trunc('day', now() AT TIME ZONE 'Europe/London') AT TIME ZONE 'Europe/London' + interval '1 day'`);
    if (due === 'week') where.push(sql`d.status = 'pending' AND d.due_at < now() + interval '7 days'`);
    if (query.assignee === 'none') where.push(sql`c.assignee_id IS NULL`);
    else if (query.assignee) {
      const id = query.assignee === 'me' ? caller.userId : query.assignee;
      if (!isUuid(id)) throw new ValidationFailed([{ field: 'assignee', reason: "must be a UUID, 'me' or 'none'" }]);
      where.push(sql`c.assignee_id = ${id}`);
    }
    if (query.caseIds) where.push(sql`d.case_id = ANY(${query.caseIds}::uuid[])`);
    if (query.kind) where.push(sql`d.kind = ${query.kind}`);
    // The triage queue asks on every view; the text depends only on which filters are set.
    const rows = await runPrepared(this.dataSource.manager, sql`${SELECT} WHERE ${joinSql(where, ' AND ')} ORDER BY d.due_at NULLS LAST LIMIT 500`);
    return rows.map(toRow);
  }

  /**
   * The running clock of one kind on each of these cases (the triage queue's column): only what the
   * column shows, read from the clocks alone. The cases were listed for the caller already, so they
   * are the caller's to see; a mediator is still held to their own.
   */
  async runningOfKind(caller: Caller, caseIds: readonly string[], kind: string): Promise<Array<Pick<DeadlineRow, 'caseId' | 'status' | 'dueAt' | 'overdue'>>> {
    if (!caseIds.length) return [];
    const mine = caller.role === 'mediator' ? sql`AND EXISTS (SELECT FROM cases c WHERE c.id = d.case_id AND c.mediator_id = ${caller.userId})` : sql``;
    return runPrepared(
      this.dataSource.manager,
      sql`SELECT d.case_id AS "caseId", d.status, to_char(d.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
                 (d.status = 'pending' AND d.due_at < now()) AS overdue
            FROM deadlines d
           WHERE d.case_id = ANY(${[...caseIds]}::uuid[]) AND d.kind = ${kind} AND d.status IN ('pending', 'paused') ${mine}`,
    );
  }

  /** Every clock of one case the caller may see (404 otherwise). */
  async forCase(caller: Caller, id: string): Promise<DeadlineRow[]> {
    return this.ofCase(await this.access.visible(caller, id));
  }

  /** Every clock of a case already loaded and checked; to the public body, only the clocks that wait on it. */
  async ofCase({ row: c, caller }: VisibleCase): Promise<DeadlineRow[]> {
    // On every case page: prepared, so the server plans it once per connection.
    const rows = await runPrepared(this.dataSource.manager, sql`${SELECT} WHERE d.case_id = ${c.id} ORDER BY d.started_at, d.kind`);
    const shown = caller.role === 'respondent' ? rows.filter((r) => waitsOnThePublicBody(String(r.kind))) : rows;
    return shown.map(toRow);
  }
}

/** The clocks a public body is shown: its reply, the fee and the session (both parties), monitoring. */
function waitsOnThePublicBody(kind: string): boolean {
  const waitsOn = (DEADLINE_KINDS as Record<string, { waitsOn: string } | undefined>)[kind]?.waitsOn;
  return waitsOn === 'respondent' || waitsOn === 'parties';
}

function toRow(r: Record<string, unknown>): DeadlineRow {
  const iso = (v: unknown) => (v ? (v as Date).toISOString() : null);
  return { ...(r as unknown as DeadlineRow), dueAt: iso(r.dueAt), reminderAt: iso(r.reminderAt), firedAt: iso(r.firedAt) };
}
