import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { ValidationFailed, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runPreparedText } from '@cc/persistence';
import { CaseAccess } from '../domain/case-access.service';
import { CaseEntity } from '../domain/case.entity';
import type { CaseSummary, NamedRef } from '../get-case/case.dto';
import { reporterAsRespondentSeesIt } from '../respondent/reporter-identity';
import { applyCaseSearch, findByWords } from './case-search';

export { parseCaseSearch } from './case-search';
export type { CaseSearch } from './case-search';
export type { ActionNeeded, ReporterAction } from './reporter-actions';
import { CasePage, ListCasesQuery } from './list-cases.dto';
import { CaseWaiting, reporterActions } from './reporter-actions';

/** A listed case as it is read: what a summary shows, with the names it shows beside the ids. */
interface ListedRow {
  id: string;
  reference: string;
  title: string;
  state: string;
  stage: string;
  outcome: string | null;
  reportingOrganisationId: string;
  reportingOrganisationName: string | null;
  respondentOrganisationId: string;
  respondentName: string | null;
  compactId: string;
  commitments: string[];
  assigneeId: string | null;
  assigneeName: string | null;
  submittedAt: Date;
  updatedAt: Date;
  /** Read for a respondent's list only: whether they may be told who reported, and the reporter's area if not. */
  reporterNamed?: boolean;
  reportingArea?: string | null;
}

/** One list's statement as built, before it is read; a search for words is read its own way. */
interface BuiltList {
  q: SelectQueryBuilder<CaseEntity>;
  limit: number;
  oldest: boolean;
  words?: { tsquery: string | null };
}

/** A row of a reporter's list, which also says what the case waits for them to do. */
type ReporterListedRow = ListedRow & CaseWaiting;

/**
 * Reads what a list shows, the names included, in the one statement: not the rest of the row (the
 * snapshot above all, decoded from JSON for every row read; only a reporter's list needs it, as
 * ReporterListedRow), nor a query per kind of name afterwards, nor entities built from rows only
 * to be mapped again.
 */
function selectListed(q: SelectQueryBuilder<CaseEntity>, caller: Caller): SelectQueryBuilder<CaseEntity> {
  q.select('c.id', 'id')
    .addSelect('c.reference', 'reference')
    .addSelect('c.title', 'title')
    .addSelect('c.state', 'state')
    .addSelect('c.stage', 'stage')
    .addSelect('c.outcome', 'outcome')
    .addSelect('c.reporting_organisation_id', 'reportingOrganisationId')
    .addSelect('reporting.name', 'reportingOrganisationName')
    .addSelect('c.respondent_organisation_id', 'respondentOrganisationId')
    .addSelect('respondent.name', 'respondentName')
    .addSelect('c.compact_id', 'compactId')
    .addSelect('c.commitments', 'commitments')
    .addSelect('c.assignee_id', 'assigneeId')
    .addSelect('assignee.display_name', 'assigneeName')
    .addSelect('c.submitted_at', 'submittedAt')
    .addSelect('c.updated_at', 'updatedAt')
    .leftJoin('organisations', 'reporting', 'reporting.id = c.reporting_organisation_id')
    .leftJoin('organisations', 'respondent', 'respondent.id = c.respondent_organisation_id')
    .leftJoin('users', 'assignee', 'assignee.id = c.assignee_id');
  if (caller.role === 'reporter' || caller.role === 'respondent') q.addSelect('c.machine_version', 'machineVersion').addSelect('c.snapshot', 'snapshot');
  if (caller.role === 'respondent') q.addSelect('c.reporter_named', 'reporterNamed').addSelect('reporting.area', 'reportingArea');
  return q;
}

/** The API's summary of a listed case (as CaseViews.summaries gives it for rows read without names). */
function toSummary(r: ListedRow): CaseSummary {
  const named = (id: string | null, name: string | null): NamedRef | null => (id ? { id, name: name ?? '(unknown)' } : null);
  return {
    id: r.id,
    reference: r.reference,
    title: r.title,
    state: r.state,
    stage: r.stage,
    outcome: r.outcome,
    reportingOrganisation:
      r.reporterNamed === undefined
        ? named(r.reportingOrganisationId, r.reportingOrganisationName)!
        : reporterAsRespondentSeesIt(named(r.reportingOrganisationId, r.reportingOrganisationName)!, r.reporterNamed, r.reportingArea ?? null),
    respondent: named(r.respondentOrganisationId, r.respondentName)!,
    compactId: r.compactId,
    commitments: r.commitments,
    assignee: named(r.assigneeId, r.assigneeName),
    submittedAt: r.submittedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Cases the caller may see, newest first, with keyset (cursor) pagination that stays fast deep in. */
@Injectable()
export class ListCases {
  constructor(
    @InjectRepository(CaseEntity) private readonly cases: Repository<CaseEntity>,
    private readonly access: CaseAccess,
  ) {}

  async execute(caller: Caller, query: ListCasesQuery): Promise<CasePage> {
    const [page] = await this.executeEach(caller, [query]);
    return page;
  }

  /** Several lists at once, as the triage queue shows them, each read as `execute` reads it. */
  async executeEach(caller: Caller, queries: ListCasesQuery[]): Promise<CasePage[]> {
    const found = await this.rowsOfEach(caller, queries);
    const pages = found.map(({ rows, limit }) => rows.slice(0, limit));
    const party = caller.role === 'reporter' || caller.role === 'respondent' ? caller.role : null;
    const actions = party ? await reporterActions(this.cases.manager, pages.flat() as ReporterListedRow[], party) : undefined;
    return pages.map((page, i) => {
      const last = page[page.length - 1];
      const items = page.map(toSummary);
      return {
        items: actions ? items.map((item) => ({ ...item, actionNeeded: actions.get(item.id) ?? null })) : items,
        nextCursor: found[i].rows.length > found[i].limit && last ? encodeCursor(last.submittedAt, last.id) : null,
      };
    });
  }

  /**
   * Each list's rows. Lists without a search for words are read in one statement however many
   * there are (the triage queue shows three): on a busy page each round trip to the database costs
   * more than the rows it brings.
   */
  private async rowsOfEach(caller: Caller, queries: ListCasesQuery[]): Promise<Array<{ rows: ListedRow[]; limit: number }>> {
    const built = await Promise.all(queries.map((query) => this.build(caller, query)));
    const listed = built.filter((b) => !b.words);
    const together = listed.length > 1 ? await this.readTogether(listed) : new Map<BuiltList, ListedRow[]>();
    return Promise.all(
      built.map(async (b) => ({
        limit: b.limit,
        rows: together.get(b) ?? (b.words ? await this.byWords(caller, b.q, b.words.tsquery, b.limit + 1) : await this.prepared(b.q)),
      })),
    );
  }

  /** One list's statement, one more row than the page holds, so that whether there is a next page is known. */
  private async build(caller: Caller, query: ListCasesQuery): Promise<BuiltList> {
    const limit = query.limit ?? 25;
    const q = this.access.scope(caller, this.cases.createQueryBuilder('c'));
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
    // Oldest first reads the same indexes backwards; a search ranks by words and ignores it.
    const oldest = query.order === 'oldest' && !words;
    if (query.cursor) {
      const { submittedAt, id } = decodeCursor(query.cursor);
      q.andWhere(`(c.submitted_at, c.id) ${oldest ? '>' : '<'} (:cursorAt, :cursorId)`, { cursorAt: submittedAt, cursorId: id });
    }
    if (words) return { q, limit, oldest, words };
    const direction = oldest ? 'ASC' : 'DESC';
    return { q: selectListed(q, caller).orderBy('c.submitted_at', direction).addOrderBy('c.id', direction).limit(limit + 1), limit, oldest };
  }

  /**
   * Several built lists in one prepared statement: each list's own statement, its placeholders
   * numbered on from the one before, tagged with the list it belongs to. Each list keeps its own
   * order and limit; its rows are put back in that order here, as UNION ALL promises none.
   */
  private async readTogether(lists: BuiltList[]): Promise<Map<BuiltList, ListedRow[]>> {
    const values: unknown[] = [];
    const parts = lists.map((list, i) => {
      const [text, own] = list.q.getQueryAndParameters();
      const offset = values.length;
      values.push(...own);
      return `SELECT ${i} AS "listIndex", l.* FROM (${text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)}) l`;
    });
    const rows = await runPreparedText<ListedRow & { listIndex: number }>(this.cases.manager, parts.join(' UNION ALL '), values);
    return new Map(
      lists.map((list, i) => {
        const sign = list.oldest ? 1 : -1;
        const own = rows
          .filter((r) => r.listIndex === i)
          .map(({ listIndex: _, ...row }) => row)
          .sort((a, b) => sign * (a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
        return [list, own];
      }),
    );
  }

  /**
   * A built list statement run as a prepared one (its text depends only on which filters are
   * set, so there are few): the case list sends one on every view.
   */
  private prepared(q: SelectQueryBuilder<CaseEntity>): Promise<ListedRow[]> {
    const [text, values] = q.getQueryAndParameters();
    return runPreparedText<ListedRow>(this.cases.manager, text, values);
  }

  /** A page of the cases that match a search for words, newest first (see findByWords). */
  private async byWords(caller: Caller, q: SelectQueryBuilder<CaseEntity>, tsquery: string | null, take: number): Promise<ListedRow[]> {
    if (!tsquery) return [];
    const ids = await findByWords(this.cases.manager, q, tsquery, take);
    if (!ids.length) return [];
    const rows = await selectListed(this.cases.createQueryBuilder('c'), caller).where('c.id IN (:...ids)', { ids }).getRawMany<ListedRow>();
    return byIdsInOrder(rows, ids);
  }
}

function byIdsInOrder(rows: ListedRow[], ids: string[]): ListedRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is ListedRow => !!r);
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
