import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsSelect, In, Repository, SelectQueryBuilder } from 'typeorm';
import { ValidationFailed, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { CaseAccess } from '../domain/case-access.service';
import { CaseEntity } from '../domain/case.entity';
import { CaseViews } from '../get-case/case-views.service';
import { applyCaseSearch, findByWords } from './case-search';

export { parseCaseSearch } from './case-search';
export type { CaseSearch } from './case-search';
export type { ActionNeeded, ReporterAction } from './reporter-actions';
import { CasePage, ListCasesQuery } from './list-cases.dto';
import { reporterActions } from './reporter-actions';

/**
 * The columns a list shows (what CaseViews.summaries reads). The rest of a case's row is never
 * shown in a list, and its snapshot is the bulk of it, decoded from JSON for every row read; a
 * reporter's list also needs the snapshot, to say what each case waits for them to do.
 */
const SUMMARY_COLUMNS = [
  'id', 'reference', 'title', 'state', 'stage', 'outcome', 'reportingOrganisationId', 'respondentOrganisationId',
  'compactId', 'commitments', 'assigneeId', 'submittedAt', 'updatedAt',
] as const satisfies ReadonlyArray<keyof CaseEntity>;
const REPORTER_ACTION_COLUMNS = ['machineVersion', 'snapshot'] as const satisfies ReadonlyArray<keyof CaseEntity>;

function listColumns(caller: Caller): Array<keyof CaseEntity> {
  return caller.role === 'reporter' ? [...SUMMARY_COLUMNS, ...REPORTER_ACTION_COLUMNS] : [...SUMMARY_COLUMNS];
}

/** Cases the caller may see, newest first, with keyset (cursor) pagination that stays fast deep in. */
@Injectable()
export class ListCases {
  constructor(
    @InjectRepository(CaseEntity) private readonly cases: Repository<CaseEntity>,
    private readonly access: CaseAccess,
    private readonly views: CaseViews,
  ) {}

  async execute(caller: Caller, query: ListCasesQuery): Promise<CasePage> {
    const limit = query.limit ?? 25;
    const columns = listColumns(caller);
    const q = this.access.scope(caller, this.cases.createQueryBuilder('c').select(columns.map((column) => `c.${column}`)));
    if (query.state) q.andWhere('c.state = :state', { state: query.state });
    if (query.stage) q.andWhere('c.stage = :stage', { stage: query.stage });
    if (query.respondentId) q.andWhere('c.respondent_organisation_id = :respondentId', { respondentId: query.respondentId });
    if (query.compactId) q.andWhere('c.compact_id = :compactId', { compactId: query.compactId });
    if (query.assigneeId === 'none') q.andWhere('c.assignee_id IS NULL');
    else if (query.assigneeId) {
      if (!isUuid(query.assigneeId)) throw new ValidationFailed([{ field: 'assigneeId', reason: "must be a UUID or 'none'" }]);
      q.andWhere('c.assignee_id = :assigneeId', { assigneeId: query.assigneeId });
    }
    const words = query.text ? await applyCaseSearch(this.cases.manager, caller, q, query.text) : undefined;
    if (query.cursor) {
      const { submittedAt, id } = decodeCursor(query.cursor);
      q.andWhere('(c.submitted_at, c.id) < (:cursorAt, :cursorId)', { cursorAt: submittedAt, cursorId: id });
    }
    const rows = words ? await this.byWords(q, words.tsquery, limit + 1, columns) : await q.orderBy('c.submitted_at', 'DESC').addOrderBy('c.id', 'DESC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const [items, actions] = await Promise.all([
      this.views.summaries(page),
      caller.role === 'reporter' ? reporterActions(this.cases.manager, page) : Promise.resolve(undefined),
    ]);
    return {
      items: actions ? items.map((item) => ({ ...item, actionNeeded: actions.get(item.id) ?? null })) : items,
      nextCursor: rows.length > limit && last ? encodeCursor(last.submittedAt, last.id) : null,
    };
  }

  /** A page of the cases that match a search for words, newest first (see findByWords). */
  private async byWords(q: SelectQueryBuilder<CaseEntity>, tsquery: string | null, take: number, columns: Array<keyof CaseEntity>): Promise<CaseEntity[]> {
    if (!tsquery) return [];
    const ids = await findByWords(this.cases.manager, q, tsquery, take);
    const select = Object.fromEntries(columns.map((column) => [column, true])) as FindOptionsSelect<CaseEntity>;
    return ids.length ? byIdsInOrder(await this.cases.find({ select, where: { id: In(ids) } }), ids) : [];
  }
}

function byIdsInOrder(rows: CaseEntity[], ids: string[]): CaseEntity[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is CaseEntity => !!r);
}

function encodeCursor(submittedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([submittedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { submittedAt: string; id: string } {
  try {
    const [submittedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof submittedAt === 'string' && !Number.isNaN(Date.parse(submittedAt)) && isUuid(id)) return { submittedAt, id };
  } catch {
    // fall through to the error below
  }
  throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this API gave out; start again without it' }]);
}
