import { Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CaseListFilters, CasePage, ListCases, ListCasesQuery, STAGES } from '@cc/cases';
import { ValidationFailed, createValidationPipe } from '@cc/common';
import { errorView, pageContext, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';

/** The filters a caseworker or administrator can set; `q` is the search box (the list's `text`), which everyone has. */
const FILTERS = ['state', 'stage', 'assigneeId', 'respondentId', 'q'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** Stages in a reporter's words, short enough for a tag (the case page says more). */
const REPORTER_STAGES: Record<string, string> = {
  submitted: 'Received',
  triage: 'Being checked',
  advocacy: 'Taken up',
  negotiation: 'Negotiating',
  mediation: 'In mediation',
  campaigning: 'Campaigning',
  resolved: 'Agreement reached',
  closed: 'Closed',
};

/** What a case waits for the reporter or the public body to do, as the list says it (with the date when there is one). */
const ACTION_WORDS: Record<string, string> = {
  answerQuestions: 'Answer our questions',
  agreeFee: 'Agree or decline the mediation fee',
  reply: 'Reply to us',
  reportActionsDone: 'Tell us when the agreed actions are done',
};

/** Stages as the public body would say them, short enough for a tag. */
const RESPONDENT_STAGES: Record<string, string> = {
  submitted: 'Received',
  triage: 'Being checked',
  advocacy: 'With the caseworker',
  negotiation: 'Negotiating',
  mediation: 'In mediation',
  campaigning: 'Campaigning',
  resolved: 'Agreement reached',
  closed: 'Closed',
};

const TITLES = {
  reporter: "Our organisation's cases",
  caseworker: 'All cases',
  administrator: 'All cases',
  respondent: 'Your cases',
  mediator: 'Cases you mediate',
} as const;

/** The cases each role may see, through the same ListCases use case (and its access rules) as the API. */
@WebPages('cases')
export class CaseListsController {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly renderer: Renderer,
    private readonly listCases: ListCases,
    private readonly filters: CaseListFilters,
  ) {}

  @Get()
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query() raw: Record<string, unknown>): Promise<void> {
    const role = session.caller.role;
    const filtering = role === 'caseworker' || role === 'administrator';
    const filters: Filters = {};
    for (const key of filtering ? FILTERS : (['q'] as const)) {
      const value = typeof raw[key] === 'string' ? (raw[key] as string).trim() : '';
      if (value) filters[key] = value;
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
        reason: filterReason(e.field, e.reason),
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
        otherFilters: Object.keys(filters).some((k) => k !== 'q'),
        reporterStages: role === 'respondent' ? RESPONDENT_STAGES : REPORTER_STAGES,
        options,
        cases: page.items.map((c) => ({
          ...c,
          action: c.actionNeeded ? { text: ACTION_WORDS[c.actionNeeded.action], dueAt: c.actionNeeded.dueAt } : undefined,
        })),
        searchHint: filtering
          ? "A case number, like CB-2026-00002 or 2, an organisation's or public body's name, the reporter's name or e-mail address, or words from the title"
          : role === 'respondent'
            ? 'A case number, like CB-2026-00002 or 2, or words from the title'
            : "A case number, like CB-2026-00002 or 2, a public body's name, or words from the title",
        nextHref,
        firstHref,
        ...(errors ?? {}),
      }),
    );
    sendPage(reply, html, errors ? 400 : 200);
  }

  /** Choices for the filter selects: the states and public bodies cases have reached, and the caseworkers. */
  private async filterOptions(session: WebSession) {
    const { states, respondents, caseworkers } = await this.filters.choices();
    return {
      stages: STAGES,
      states,
      respondents,
      caseworkers: caseworkers.map((c) => ({ ...c, name: c.id === session.user.id ? `${c.name} (you)` : c.name })),
    };
  }
}

/** A refused filter as a person would say it; the reasons the API gives are for developers. */
function filterReason(field: string, reason: string): string {
  switch (field) {
    case 'cursor':
      return 'The page link is out of date. Go back to the first page of cases.';
    case 'text':
      return /200/.test(reason) ? 'Search for 200 characters or fewer' : 'Enter what to search for';
    case 'stage':
      return 'Select a stage from the list';
    case 'state':
      return 'Select a state from the list';
    case 'assigneeId':
      return 'Select a caseworker from the list';
    case 'respondentId':
      return 'Select a public body from the list';
    default:
      return 'Change the filters or clear them';
  }
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
