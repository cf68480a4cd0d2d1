import { Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CasePage, ListCases, ListCasesQuery, STAGES } from '@cc/cases';
import { ValidationFailed, createValidationPipe } from '@cc/common';
import { errorView, pageContext, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';

/** The filters a caseworker or administrator can set; `q` is the free text (the list's `text`). */
const FILTERS = ['state', 'stage', 'assigneeId', 'respondentId', 'q'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

const TITLES = {
  reporter: "Our organisation's cases",
  caseworker: 'All cases',
  administrator: 'All cases',
  mediator: 'Cases you mediate',
} as const;

/** The cases each role may see, through the same ListCases use case (and its access rules) as the API. */
@WebPages('cases')
export class CaseListsController {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly renderer: Renderer,
    private readonly listCases: ListCases,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query() raw: Record<string, unknown>): Promise<void> {
    const role = session.caller.role;
    const filtering = role === 'caseworker' || role === 'administrator';
    const filters: Filters = {};
    if (filtering) {
      for (const key of FILTERS) {
        const value = typeof raw[key] === 'string' ? (raw[key] as string).trim() : '';
        if (value) filters[key] = value;
      }
    }
    const cursor = typeof raw.cursor === 'string' && raw.cursor ? raw.cursor : undefined;
    const query = { state: filters.state, stage: filters.stage, assigneeId: filters.assigneeId, respondentId: filters.respondentId, text: filters.q, cursor };
    let page: CasePage = { items: [], nextCursor: null };
    let errors: { errorList: Array<{ text: string; href: string }>; fieldErrors: Record<string, { text: string }> } | undefined;
    try {
      const checked = (await this.validation.transform(stripUndefined(query), { type: 'query', metatype: ListCasesQuery })) as ListCasesQuery;
      page = await this.listCases.execute(session.caller, checked);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const ids = { text: 'q', cursor: 'cases-heading' };
      const fixed = err.errors.map((e) => ({
        field: e.field === 'text' ? 'q' : e.field,
        reason: e.field === 'cursor' ? 'The page link is out of date. Go back to the first page of cases.' : `${FILTER_LABELS[e.field] ?? 'This filter'} ${e.reason}. Change it or clear the filters.`,
      }));
      errors = errorView(fixed, ids, false);
    }

    const options = filtering ? await this.filterOptions(session) : undefined;
    const nextHref = page.nextCursor ? `/cases?${new URLSearchParams({ ...filters, cursor: page.nextCursor }).toString()}` : undefined;
    const firstHref = cursor ? `/cases${Object.keys(filters).length ? `?${new URLSearchParams(filters).toString()}` : ''}` : undefined;
    const html = this.renderer.render(
      'case-lists/cases.njk',
      pageContext(session, {
        currentPath: '/cases',
        title: TITLES[role],
        role,
        filtering,
        filters,
        anyFilter: Object.keys(filters).length > 0,
        options,
        cases: page.items,
        nextHref,
        firstHref,
        ...(errors ?? {}),
      }),
    );
    sendPage(reply, html, errors ? 400 : 200);
  }

  /** Choices for the filter selects: the states and public bodies cases have reached, and the caseworkers. */
  private async filterOptions(session: WebSession) {
    const [states, respondents, caseworkers] = await Promise.all([
      this.dataSource.query(`SELECT DISTINCT state FROM cases ORDER BY state`) as Promise<Array<{ state: string }>>,
      this.dataSource.query(
        `SELECT DISTINCT o.id, o.name FROM cases c JOIN organisations o ON o.id = c.respondent_organisation_id ORDER BY o.name`,
      ) as Promise<Array<{ id: string; name: string }>>,
      this.dataSource.query(`SELECT id, display_name AS name FROM users WHERE role = 'caseworker' AND active ORDER BY display_name`) as Promise<
        Array<{ id: string; name: string }>
      >,
    ]);
    return {
      stages: STAGES,
      states: states.map((s) => s.state),
      respondents,
      caseworkers: caseworkers.map((c) => ({ ...c, name: c.id === session.user.id ? `${c.name} (you)` : c.name })),
    };
  }
}

const FILTER_LABELS: Record<string, string> = {
  state: 'State',
  stage: 'Stage',
  assigneeId: 'Assigned to',
  respondentId: 'Public body',
  text: 'Search',
};

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
