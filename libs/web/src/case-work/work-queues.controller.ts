import { Get, Query, Res } from '@nestjs/common';
import { DEADLINE_KINDS } from '@cc/workflows';
import type { FastifyReply } from 'fastify';
import { CaseSummary, CaseViews, ListCases } from '@cc/cases';
import { DEADLINE_DUE, DeadlineDue, DeadlineQueries, DeadlineRow } from '@cc/deadlines';
import { DataProtectionRequests } from '@cc/data-protection';
import { Renderer, humanise } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, sendPage } from '../page';
import { DEADLINE_WORDS } from './state-words';

/** Rows per triage list: a morning's work, not the whole backlog (which the case list pages through). */
const TRIAGE_ROWS = 50;

/** Work lists: the triage queue and deadlines (caseworkers), and a mediator's mediations. */
@WebPages()
export class WorkQueuesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly cases: ListCases,
    private readonly views: CaseViews,
    private readonly deadlines: DeadlineQueries,
    private readonly dataProtection: DataProtectionRequests,
  ) {}

  @Get('triage')
  @PageRoles('caseworker', 'administrator')
  async triage(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const caller = session.caller;
    // The reports waiting longest come first, so each list reads the oldest; the rest are a link away.
    const [submitted, unassigned, mine] = await this.cases.executeEach(caller, [
      { stage: 'submitted', order: 'oldest', limit: TRIAGE_ROWS },
      { stage: 'triage', assigneeId: 'none', order: 'oldest', limit: TRIAGE_ROWS },
      { stage: 'triage', assigneeId: caller.userId, order: 'oldest', limit: TRIAGE_ROWS },
    ]);
    const oldestFirst = (a: CaseSummary, b: CaseSummary) => a.submittedAt.localeCompare(b.submittedAt);
    const waiting = [...submitted.items, ...unassigned.items].sort(oldestFirst);
    const newCases = waiting.slice(0, TRIAGE_ROWS);
    const moreNew = waiting.length > TRIAGE_ROWS || !!submitted.nextCursor || !!unassigned.nextCursor;
    const own = mine.items;
    const ids = [...newCases, ...own].map((c) => c.id);
    // Only the triage clocks are shown, so only they are read (not every running clock of 300 cases).
    const clocks = await this.deadlines.runningOfKind(caller, ids, 'triage');
    const triageClock = new Map(clocks.map((d) => [d.caseId, d]));
    const row = (c: CaseSummary) => ({ ...c, deadline: triageClock.get(c.id) ?? null });
    sendPage(
      reply,
      this.renderer.render('case-work/triage.njk', {
        ...pageContext(session, { title: 'Triage queue', currentPath: '/triage' }),
        newCases: newCases.map(row),
        own: own.map(row),
        rowsShown: TRIAGE_ROWS,
        moreNew,
        moreOwn: !!mine.nextCursor,
        triageWorkingDays: DEADLINE_KINDS.triage.workingDays,
      }),
    );
  }

  @Get('deadlines')
  @PageRoles('caseworker', 'administrator')
  async deadlineList(@CurrentSession() session: WebSession, @Query('due') dueParam: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const due: DeadlineDue = (DEADLINE_DUE as readonly string[]).includes(dueParam ?? '') ? (dueParam as DeadlineDue) : 'week';
    const rows = await this.deadlines.list(session.caller, { due });
    const groups = new Map<string, DeadlineRow[]>();
    for (const d of rows) {
      const who = d.assigneeName ?? 'Not assigned';
      groups.set(who, [...(groups.get(who) ?? []), d]);
    }
    const sorted = [...groups.entries()].sort(([a], [b]) => (a === 'Not assigned' ? -1 : b === 'Not assigned' ? 1 : a.localeCompare(b)));
    sendPage(
      reply,
      this.renderer.render('case-work/deadlines.njk', {
        ...pageContext(session, { title: 'Deadlines', currentPath: '/deadlines' }),
        due,
        filters: [
          { value: 'overdue', text: 'Overdue' },
          { value: 'today', text: 'Due by the end of today' },
          { value: 'week', text: 'Due within 7 days' },
          { value: 'all', text: 'All running' },
        ],
        overdueCount: rows.filter((d) => d.overdue).length,
        dataProtectionClocks: await this.dataProtection.clocks(session.caller),
        groups: sorted.map(([who, list]) => ({ who, items: list.map((d) => ({ ...d, what: DEADLINE_WORDS[d.kind] ?? humanise(d.kind) })) })),
      }),
    );
  }

  @Get('mediations')
  @PageRoles('mediator')
  async mediations(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    // The mediator's scope in the list use case is exactly the cases they are appointed to.
    const page = await this.cases.execute(session.caller, { limit: 100 });
    const details = await Promise.all(page.items.map((c) => this.views.detail(session.caller, c.id)));
    sendPage(
      reply,
      this.renderer.render('case-work/mediations.njk', {
        ...pageContext(session, { title: 'My mediations', currentPath: '/mediations' }),
        cases: details.map((d) => ({ ...d, stateText: humanise(d.state) })),
      }),
    );
  }
}
