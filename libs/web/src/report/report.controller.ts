import { Body, Get, Logger, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FileReport } from '@cc/cases';
import { UploadEvidence } from '@cc/evidence';
import { FieldError, ValidationFailed } from '@cc/common';
import { DEADLINE_KINDS } from '@cc/workflows';
import { redirect } from '../page';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { ReportDrafts } from './report-drafts.store';
import { FILED_KEY, ReportDraft, anchorFor, dtoProblems, reportFrom, sentenceFor } from './report-draft';
import { CHECK_BACK_HREF, STEP_PAGES, checkSections, firstIncomplete, pageForField, stepPageAt } from './report-steps';
import { ReportStepPages } from './report-steps.page';

type Form = Record<string, unknown>;

/** Every step's page, as routed here (the controller's own prefix is "report"). */
const STEP_ROUTES = STEP_PAGES.map(({ page }) => page.path.slice('/report/'.length));

/**
 * Report a breach: one question per page, each step's page served from the steps table
 * (report-steps.ts) and posted and redirected, a check-your-answers page, then the same
 * FileReport use case the API calls.
 */
@WebPages('report')
@PageRoles('reporter')
export class ReportController {
  private readonly logger = new Logger(ReportController.name);

  constructor(
    private readonly steps: ReportStepPages,
    private readonly sessions: WebSessions,
    private readonly fileReport: FileReport,
    private readonly upload: UploadEvidence,
    private readonly drafts: ReportDrafts,
  ) {}

  @Get()
  async start(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.steps.draft(session);
    const started = Object.keys(draft).some((k) => k !== 'lastPage');
    this.steps.render(reply, session, 'report/start.njk', { started, continueHref: `/report/${firstIncomplete(draft) ?? 'check'}`, triageDays: DEADLINE_KINDS.triage.workingDays });
  }

  @Post('start-again')
  async startAgain(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.steps.draft(session);
    // The documents held for the old report go with it.
    for (const id of draft.heldEvidenceIds ?? []) await this.upload.removeHeld(session.caller, id);
    await this.drafts.clear(session.user.id);
    redirect(reply, '/report/organisation');
  }

  @Get(STEP_ROUTES)
  async open(@CurrentSession() session: WebSession, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Form): Promise<void> {
    const { step, page } = stepPageAt(request.routeOptions.url ?? '');
    await this.steps.open(reply, session, step, page, query);
  }

  @Post(STEP_ROUTES)
  async answer(@CurrentSession() session: WebSession, @Req() request: FastifyRequest, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const { step, page } = stepPageAt(request.routeOptions.url ?? '');
    await this.steps.answer(reply, session, step, page, body);
  }

  @Get('check')
  async check(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.steps.draft(session);
    const missing = firstIncomplete(draft);
    if (missing) return redirect(reply, `/report/${missing}`);
    await this.steps.remember(session, draft, '/report/check');
    await this.renderCheck(reply, session, draft);
  }

  @Post('check')
  async submit(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.steps.draft(session);
    const missing = firstIncomplete(draft);
    if (missing) return redirect(reply, `/report/${missing}`);
    const report = reportFrom(draft);
    let errors: FieldError[] = await dtoProblems(report);
    let filed: { id: string; reference: string } | undefined;
    if (errors.length === 0) {
      try {
        filed = await this.fileReport.execute(session.caller, report);
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err;
        errors = err.errors;
      }
    }
    if (!filed) {
      // Each problem goes back to the step that asks for it; the answers stay in the draft.
      await this.steps.save(session, { submitErrors: errors });
      return this.renderCheck(reply, session, draft, {
        errorList: errors.map((e) => ({ text: sentenceFor(e), href: `${pageForField(e.field)}?change=1#${anchorFor(e.field)}` })),
      }, 400);
    }
    const held = draft.heldEvidenceIds ?? [];
    const attached = await this.upload.attachHeld(session.caller, filed.id, held).catch((err: unknown) => {
      // The case stands; documents not attached stay held, and the case page takes new uploads.
      this.logger.error({ err: err instanceof Error ? err.message : String(err), caseId: filed!.id }, 'Could not attach documents held for the report');
      return 0;
    });
    await this.drafts.clear(session.user.id);
    await this.sessions.setData(session, FILED_KEY, { ...filed, documents: attached, documentsMissing: held.length - attached });
    redirect(reply, '/report/confirmation');
  }

  private async renderCheck(reply: FastifyReply, session: WebSession, draft: ReportDraft, extra: Form = {}, status = 200): Promise<void> {
    const sections = await checkSections(draft, this.steps.deps(session));
    this.steps.render(reply, session, 'report/check.njk', { sections, backHref: CHECK_BACK_HREF, ...extra }, status);
  }

  @Get('confirmation')
  confirmation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    const filed = session.data[FILED_KEY] as { id: string; reference: string } | undefined;
    if (!filed) return redirect(reply, '/report');
    this.steps.render(reply, session, 'report/confirmation.njk', { filed, triageDays: DEADLINE_KINDS.triage.workingDays, infoDays: DEADLINE_KINDS.informationRequest.workingDays });
  }
}
