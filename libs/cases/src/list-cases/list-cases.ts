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
    const found = await Promise.all(queries.map((query) => this.rowsOf(caller, query)));
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

  /** One more row than the page holds, so that whether there is a next page is known. */
  private async rowsOf(caller: Caller, query: ListCasesQuery): Promise<{ rows: ListedRow[]; limit: number }> {
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
    const direction = oldest ? 'ASC' : 'DESC';
    const rows = words
      ? await this.byWords(caller, q, words.tsquery, limit + 1)
      : await this.prepared(selectListed(q, caller).orderBy('c.submitted_at', direction).addOrderBy('c.id', direction).limit(limit + 1));
    return { rows, limit };
  }

  /**
   * The built list statement run as a prepared one (its text depends only on which filters are
   * set, so there are few): the triage queue sends three and the case list one on every view.
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
