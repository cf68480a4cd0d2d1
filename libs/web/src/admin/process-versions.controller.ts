import { Body, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NotFound, isUuid } from '@cc/common';
import { MOVE_MAX_CASE_IDS, MoveToVersion2 } from '@cc/cases';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';

const PATH = '/admin/process-versions';
const cases = (n: number) => `${n} ${n === 1 ? 'case' : 'cases'}`;

/**
 * GET /admin/process-versions: the dry run of moving open version 1 cases to version 2; a
 * confirmation; then the run and what it did. For anyone but an administrator the pages do not
 * exist (404), so the page does not say there is a migration to run.
 */
@WebPages('admin')
export class ProcessVersionsController {
  constructor(
    private readonly renderer: Renderer,
    private readonly move: MoveToVersion2,
  ) {}

  @Get('process-versions')
  async dryRun(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    administratorsOnly(session);
    const plan = await this.move.dryRun(session.caller);
    sendPage(
      reply,
      this.renderer.render('admin/process-versions.njk', pageContext(session, { title: 'Process versions', currentPath: PATH, plan, moveButton: `Move ${cases(plan.movable)} to version 2` })),
    );
  }

  @Get('process-versions/confirm')
  async confirm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    administratorsOnly(session);
    const plan = await this.move.dryRun(session.caller);
    // Nothing to confirm: back to the list, which says so.
    if (plan.movable === 0) return redirect(reply, PATH);
    const movable = plan.cases.filter((c) => c.movable);
    sendPage(
      reply,
      this.renderer.render(
        'admin/process-versions-confirm.njk',
        pageContext(session, { title: `Move ${cases(movable.length)} to version 2?`, currentPath: PATH, movable, stay: plan.cannotMove, moveButton: `Move ${cases(movable.length)} to version 2` }),
      ),
    );
  }

  @Post('process-versions/move')
  async run(@CurrentSession() session: WebSession, @Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    administratorsOnly(session);
    // The cases confirmed, no others: one that became movable since is left for the next run.
    const ids = confirmedIds(form?.caseIds);
    if (!ids.length) return redirect(reply, PATH);
    const result = await this.move.run(session.caller, ids);
    sendPage(
      reply,
      this.renderer.render(
        'admin/process-versions-done.njk',
        pageContext(session, { title: result.moved.length ? `${cases(result.moved.length)} moved to version 2` : 'No cases moved', currentPath: PATH, result }),
      ),
    );
  }
}

/** The case ids the confirmation form carried: one field, or the field repeated. */
function confirmedIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string' && isUuid(v)).slice(0, MOVE_MAX_CASE_IDS);
}

function administratorsOnly(session: WebSession): void {
  if (session.caller.role !== 'administrator') throw new NotFound('Page');
}
