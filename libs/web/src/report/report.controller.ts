import { Body, Get, Logger, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { FileReport } from '@cc/cases';
import { UploadEvidence } from '@cc/evidence';
import { ReportEvidencePage } from './report-evidence.page';
import { FieldError, ValidationFailed } from '@cc/common';
import { CompactSummary, REPORT_FACTS, RegistryLookup, RegistryQueries, ReportFactName, factProblems } from '@cc/registry';
import { DEADLINE_KINDS } from '@cc/workflows';
import { pageContext, redirect, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import {
  DRAFT_KEY,
  FILED_KEY,
  ReportDraft,
  STEPS,
  Step,
  TypedDate,
  anchorFor,
  capitalise,
  dtoProblems,
  factsForReport,
  firstIncomplete,
  isoDate,
  list,
  nextAfter,
  previousStep,
  reportFrom,
  sentenceFor,
  stepComplete,
  stepErrors,
  stepForField,
  text,
  typedDate,
} from './report-draft';

type Form = Record<string, unknown>;
type Problem = { field: string; text: string };

const SEARCH_LIMIT = 25;

/** Plain questions for the registry's facts; a fact added later is asked with its registry label. */
const FACT_QUESTIONS: Partial<Record<ReportFactName, string>> = {
  consultationOpenedOn: 'When did the consultation open?',
  consultationClosedOn: 'When did the consultation close?',
  shorterConsultationRationaleGiven: 'Did the public body give a reason for a consultation shorter than the Compact asks?',
  fundingNoticeGivenOn: 'When was notice of the funding change given?',
  fundingChangeEffectiveOn: 'When does the funding change take effect?',
  fundingNoticeInWriting: 'Was the notice of the funding change given in writing?',
  fundingChangeRationaleGiven: 'Did the public body give a reason for the funding change?',
  impactAssessed: 'Did the public body assess the impact before deciding?',
};

/**
 * Report a breach: one question per page, the draft kept in the session, each step posted and
 * redirected, a check-your-answers page, then the same FileReport use case the API calls.
 */
@WebPages('report')
@PageRoles('reporter')
export class ReportController {
  private readonly logger = new Logger(ReportController.name);

  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly registry: RegistryQueries,
    private readonly lookup: RegistryLookup,
    private readonly fileReport: FileReport,
    private readonly dataSource: DataSource,
    private readonly evidencePage: ReportEvidencePage,
    private readonly upload: UploadEvidence,
  ) {}

  // (a) Start page

  @Get()
  start(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    const draft = this.draft(session);
    const started = Object.keys(draft).length > 0;
    this.page(reply, session, 'report/start.njk', { started, continueHref: `/report/${firstIncomplete(draft) ?? 'check'}`, triageDays: DEADLINE_KINDS.triage.workingDays });
  }

  @Post('start-again')
  async startAgain(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.setData(session, DRAFT_KEY, undefined);
    redirect(reply, '/report/organisation');
  }

  // (b) Who you are

  @Get('organisation')
  async organisation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const organisation = session.caller.organisationId ? await this.lookup.findOrganisation(session.caller.organisationId) : null;
    this.stepPage(reply, session, 'organisation', 'report/organisation.njk', { organisation, change: change === '1' });
  }

  @Post('organisation')
  async confirmOrganisation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const draft = await this.save(session, { organisationConfirmed: true });
    redirect(reply, nextAfter(draft, 'organisation', body.change === '1'));
  }

  // (c) The public body

  @Get('public-body')
  async publicBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('q') q?: string, @Query('change') change?: string): Promise<void> {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'public-body')) return;
    await this.renderPublicBody(reply, session, { q: typeof q === 'string' ? q.trim().slice(0, 200) : '', selected: draft.respondentId, change: change === '1' });
  }

  @Post('public-body')
  async choosePublicBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const respondentId = text(body, 'respondentId');
    const q = text(body, 'q');
    const change = body.change === '1';
    const found = respondentId && /^[0-9a-f-]{36}$/i.test(respondentId) ? await this.lookup.findOrganisation(respondentId) : null;
    if (!found || found.sector !== 'public') {
      const message = respondentId ? 'Select a public body from the list; search again if it is not there' : 'Select the public body';
      return this.renderPublicBody(reply, session, { q, selected: undefined, change, ...stepErrors([{ field: 'respondentId', text: message }]) }, 400);
    }
    const before = this.draft(session);
    const changed = before.respondentId !== found.id;
    // A different body may not have signed the Compact chosen before: the Compact and what hangs on it are asked again.
    const draft = await this.save(session, {
      respondentId: found.id,
      respondentName: found.name,
      ...(changed ? { compactId: undefined, compactName: undefined, commitments: undefined, factNames: undefined, facts: undefined, factsAnswered: undefined } : {}),
      submitErrors: withoutStep(before.submitErrors, 'public-body'),
    });
    redirect(reply, nextAfter(draft, 'public-body', change));
  }

  private async renderPublicBody(reply: FastifyReply, session: WebSession, ctx: { q: string; selected?: string; change: boolean } & Form, status = 200): Promise<void> {
    const own = session.caller.organisationId ? await this.lookup.findOrganisation(session.caller.organisationId) : null;
    const searched = ctx.q !== '';
    let bodies = await this.registry.searchOrganisations(
      searched ? { q: ctx.q, sector: 'public', limit: SEARCH_LIMIT } : { sector: 'public', area: own?.area ?? undefined, limit: SEARCH_LIMIT },
    );
    if (!searched && bodies.length === 0) bodies = await this.registry.searchOrganisations({ sector: 'public', limit: SEARCH_LIMIT });
    if (ctx.selected && !bodies.some((b) => b.id === ctx.selected)) {
      const chosen = await this.lookup.findOrganisation(ctx.selected);
      if (chosen) bodies.unshift({ id: chosen.id, name: chosen.name, sector: chosen.sector, bodyType: chosen.bodyType, bodyTypeLabel: null, area: chosen.area, charityNumber: null, website: null });
    }
    this.stepPage(reply, session, 'public-body', 'report/public-body.njk', { ...ctx, searched, area: own?.area, bodies }, status);
  }

  // (d) The Compact

  @Get('compact')
  async compact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('q') q?: string, @Query('change') change?: string): Promise<void> {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'compact')) return;
    await this.renderCompact(reply, session, draft, { q: typeof q === 'string' ? q.trim().slice(0, 200) : '', selected: draft.compactId, change: change === '1' });
  }

  @Post('compact')
  async chooseCompact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'compact')) return;
    const compactId = text(body, 'compactId');
    const change = body.change === '1';
    const found = compactId && /^[0-9a-f-]{36}$/i.test(compactId) ? await this.lookup.findCompact(compactId) : null;
    if (!found) {
      return this.renderCompact(reply, session, before, { q: text(body, 'q'), selected: undefined, change, ...stepErrors([{ field: 'compactId', text: 'Select the Compact the public body broke' }]) }, 400);
    }
    const changed = before.compactId !== found.id;
    const draft = await this.save(session, {
      compactId: found.id,
      compactName: found.name,
      ...(changed ? { commitments: undefined, factNames: undefined, facts: undefined, factsAnswered: undefined } : {}),
      submitErrors: withoutStep(before.submitErrors, 'compact'),
    });
    redirect(reply, nextAfter(draft, 'compact', change));
  }

  private async renderCompact(reply: FastifyReply, session: WebSession, draft: ReportDraft, ctx: { q: string; selected?: string; change: boolean } & Form, status = 200): Promise<void> {
    const body = draft.respondentId ? await this.lookup.findOrganisation(draft.respondentId) : null;
    const signed: Array<{ id: string }> = draft.respondentId
      ? await this.dataSource.query(`SELECT compact_id AS id FROM compact_signatories WHERE organisation_id = $1`, [draft.respondentId])
      : [];
    const signedIds = new Set(signed.map((s) => s.id));
    const searched = ctx.q !== '';
    let compacts: CompactSummary[];
    if (searched) {
      compacts = await this.registry.searchCompacts({ q: ctx.q, limit: SEARCH_LIMIT });
    } else {
      // The Compacts the body signed, those of its area, and the national ones.
      const local = await this.registry.searchCompacts({ area: body?.area ?? undefined, limit: SEARCH_LIMIT });
      const signedRows: CompactSummary[] = signedIds.size
        ? await this.dataSource.query(`SELECT id, name, scope, area, status FROM compacts WHERE id = ANY($1::uuid[]) ORDER BY name`, [[...signedIds]])
        : [];
      compacts = [...signedRows, ...local.filter((c) => !signedIds.has(c.id) && (c.scope === 'national' || !body?.area || c.area?.toLowerCase() === body.area.toLowerCase()))];
    }
    if (ctx.selected && !compacts.some((c) => c.id === ctx.selected)) {
      const chosen = await this.lookup.findCompact(ctx.selected);
      if (chosen) compacts.unshift({ id: chosen.id, name: chosen.name, scope: chosen.scope, area: chosen.area, status: chosen.status } as CompactSummary);
    }
    const options = compacts.map((c) => ({
      value: c.id,
      text: c.name,
      checked: c.id === ctx.selected,
      hint: [signedIds.has(c.id) ? `Signed by ${body?.name}` : null, c.scope === 'national' ? 'National Compact' : c.area ? `Local Compact for ${c.area}` : null, c.status !== 'active' ? `Status: ${c.status.replace(/_/g, ' ')}` : null]
        .filter(Boolean)
        .join('. '),
    }));
    this.stepPage(reply, session, 'compact', 'report/compact.njk', { ...ctx, searched, respondentName: draft.respondentName, options }, status);
  }

  // (e) The commitments

  @Get('commitments')
  async commitments(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'commitments')) return;
    await this.renderCommitments(reply, session, draft, { selected: draft.commitments ?? [], change: change === '1', ...this.submitErrorsFor(draft, 'commitments') });
  }

  @Post('commitments')
  async chooseCommitments(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'commitments')) return;
    const chosen = list(body, 'commitments');
    const change = body.change === '1';
    const all = await this.registry.commitments(before.compactId!);
    const known = chosen.filter((ref) => all.some((c) => c.reference === ref));
    const problems: Problem[] = [];
    if (known.length === 0) problems.push({ field: 'commitments', text: 'Select at least one commitment the public body broke' });
    else problems.push(...(await dtoProblems({ commitments: known })).map((e) => ({ field: 'commitments', text: sentenceFor({ ...e, field: 'commitments' }) })));
    if (problems.length) return this.renderCommitments(reply, session, before, { selected: chosen, change, ...stepErrors(problems) }, 400);
    const order = Object.keys(REPORT_FACTS) as ReportFactName[];
    const checked = new Set(all.filter((c) => known.includes(c.reference)).flatMap((c) => c.factsChecked as ReportFactName[]));
    const factNames = order.filter((f) => checked.has(f));
    const facts = Object.fromEntries(Object.entries(before.facts ?? {}).filter(([name]) => checked.has(name as ReportFactName)));
    const newFacts = factNames.some((f) => !(before.factNames ?? []).includes(f));
    const draft = await this.save(session, {
      commitments: known,
      factNames,
      facts,
      ...(newFacts ? { factsAnswered: undefined } : {}),
      submitErrors: withoutStep(before.submitErrors, 'commitments'),
    });
    redirect(reply, nextAfter(draft, 'commitments', change));
  }

  private async renderCommitments(reply: FastifyReply, session: WebSession, draft: ReportDraft, ctx: { selected: string[]; change: boolean } & Form, status = 200): Promise<void> {
    const compact = await this.registry.compact(draft.compactId!);
    const titles = new Map(compact.sections.map((s) => [s.code, s.title]));
    const groups: Array<{ code: string; title: string; items: Array<{ value: string; text: string; hint: { text: string }; checked: boolean }> }> = [];
    for (const c of compact.commitments) {
      const code = c.sectionCode ?? '';
      let group = groups.find((g) => g.code === code);
      if (!group) groups.push((group = { code, title: titles.get(code) ?? (code ? `Section ${code}` : 'Other commitments'), items: [] }));
      group.items.push({
        value: c.reference,
        text: `${c.reference}: ${c.text}`,
        hint: { text: c.binds === 'voluntary' ? 'A commitment of the voluntary sector' : c.binds === 'both' ? 'A commitment of both sides' : 'A commitment of public bodies' },
        checked: ctx.selected.includes(c.reference),
      });
    }
    this.stepPage(reply, session, 'commitments', 'report/commitments.njk', { ...ctx, compactName: compact.name, groups }, status);
  }

  // (f) What happened and when

  @Get('what-happened')
  whatHappened(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): void {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'what-happened')) return;
    this.stepPage(reply, session, 'what-happened', 'report/what-happened.njk', {
      values: { title: draft.title, whatHappened: draft.whatHappened, happenedOn: draft.happenedOn },
      change: change === '1',
      ...this.submitErrorsFor(draft, 'what-happened'),
    });
  }

  @Post('what-happened')
  async saveWhatHappened(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'what-happened')) return;
    const values = { title: text(body, 'title'), whatHappened: text(body, 'whatHappened'), happenedOn: typedDate(body, 'happenedOn') };
    const change = body.change === '1';
    const problems: Problem[] = [];
    if (!values.title) problems.push({ field: 'title', text: 'Enter a short title for the breach' });
    if (!values.whatHappened) problems.push({ field: 'whatHappened', text: 'Enter what the public body did or did not do' });
    const happenedOn = isoDate(values.happenedOn);
    if (happenedOn === 'blank') problems.push({ field: 'happenedOn', text: 'Enter the date it happened' });
    else if (happenedOn === 'incomplete') problems.push({ field: 'happenedOn', text: 'The date it happened must include a day, month and year' });
    else if (happenedOn === 'invalid') problems.push({ field: 'happenedOn', text: 'The date it happened must be a real date, for example 27 3 2026' });
    const typed = { ...(values.title ? { title: values.title } : {}), ...(values.whatHappened ? { whatHappened: values.whatHappened } : {}) };
    const found = new Set(problems.map((p) => p.field));
    for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
    if (problems.length) {
      return this.stepPage(reply, session, 'what-happened', 'report/what-happened.njk', { values, change, ...stepErrors(inOrder(problems, ['title', 'whatHappened', 'happenedOn'])) }, 400);
    }
    const draft = await this.save(session, { ...values, submitErrors: withoutStep(before.submitErrors, 'what-happened') });
    redirect(reply, nextAfter(draft, 'what-happened', change));
  }

  // (g) The facts the chosen commitments' rules check

  @Get('facts')
  facts(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): void {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'facts')) return;
    if (!draft.factNames?.length) return redirect(reply, nextAfter(draft, 'facts', change === '1'));
    this.stepPage(reply, session, 'facts', 'report/facts.njk', { questions: this.factQuestions(draft, draft.facts ?? {}), change: change === '1', ...this.submitErrorsFor(draft, 'facts') });
  }

  @Post('facts')
  async saveFacts(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'facts')) return;
    const change = body.change === '1';
    const names = before.factNames ?? [];
    const facts: Record<string, TypedDate | string> = {};
    const problems: Problem[] = [];
    for (const name of names) {
      const fact = REPORT_FACTS[name];
      if (fact.type === 'date') {
        const typed = typedDate(body, name);
        facts[name] = typed;
        const iso = isoDate(typed);
        if (iso === 'incomplete') problems.push({ field: `facts.${name}`, text: `${capitalise(fact.label)} must include a day, month and year, or leave it blank if you do not know` });
        else if (iso === 'invalid') problems.push({ field: `facts.${name}`, text: `${capitalise(fact.label)} must be a real date, for example 27 3 2026` });
      } else {
        const answer = text(body, name);
        facts[name] = ['yes', 'no', 'unknown'].includes(answer) ? answer : '';
        if (!facts[name]) problems.push({ field: `facts.${name}`, text: `Select yes, no or I do not know for whether ${fact.label}` });
      }
    }
    if (problems.length === 0) {
      // The registry's own checks of the facts (for example a closing date before the opening date).
      for (const e of factProblems(factsForReport({ ...before, facts }))) problems.push({ field: e.field, text: sentenceFor(e) });
    }
    if (problems.length) {
      return this.stepPage(reply, session, 'facts', 'report/facts.njk', { questions: this.factQuestions(before, facts), change, ...stepErrors(problems) }, 400);
    }
    const draft = await this.save(session, { facts, factsAnswered: true, submitErrors: withoutStep(before.submitErrors, 'facts') });
    redirect(reply, nextAfter(draft, 'facts', change));
  }

  private factQuestions(draft: ReportDraft, values: Record<string, TypedDate | string>) {
    return (draft.factNames ?? []).map((name) => ({
      name,
      type: REPORT_FACTS[name].type,
      label: REPORT_FACTS[name].label,
      question: FACT_QUESTIONS[name] ?? (REPORT_FACTS[name].type === 'date' ? capitalise(REPORT_FACTS[name].label) : `Is this so: ${REPORT_FACTS[name].label}?`),
      value: values[name],
      field: `facts.${name}`,
      id: `facts-${name}`,
    }));
  }

  // (h) Impact and the outcome wanted

  @Get('impact')
  impact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): void {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'impact')) return;
    this.stepPage(reply, session, 'impact', 'report/impact.njk', {
      values: { impact: draft.impact, desiredOutcome: draft.desiredOutcome },
      change: change === '1',
      ...this.submitErrorsFor(draft, 'impact'),
    });
  }

  @Post('impact')
  async saveImpact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'impact')) return;
    const values = { impact: text(body, 'impact'), desiredOutcome: text(body, 'desiredOutcome') };
    const change = body.change === '1';
    const problems: Problem[] = [];
    if (!values.impact) problems.push({ field: 'impact', text: 'Enter the impact on your organisation and the people it serves' });
    if (!values.desiredOutcome) problems.push({ field: 'desiredOutcome', text: 'Enter what you would like to happen' });
    const found = new Set(problems.map((p) => p.field));
    const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
    for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
    if (problems.length) return this.stepPage(reply, session, 'impact', 'report/impact.njk', { values, change, ...stepErrors(inOrder(problems, ['impact', 'desiredOutcome'])) }, 400);
    const draft = await this.save(session, { ...values, submitErrors: withoutStep(before.submitErrors, 'impact') });
    redirect(reply, nextAfter(draft, 'impact', change));
  }

  // (i) Evidence: described here; documents are uploaded to the case once it has a reference

  @Get('evidence')
  async evidence(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = this.draft(session);
    if (this.mustGoBack(reply, draft, 'evidence')) return;
    await this.evidencePage.render(reply, session, { change: change === '1', ...this.submitErrorsFor(draft, 'evidence') });
  }

  @Post('evidence')
  async saveEvidence(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = this.draft(session);
    if (this.mustGoBack(reply, before, 'evidence')) return;
    const values = { evidence: text(body, 'evidence') };
    const change = body.change === '1';
    const problems = values.evidence ? (await dtoProblems(values)).map((e) => ({ field: e.field, text: sentenceFor(e) })) : [];
    if (problems.length) return this.evidencePage.render(reply, session, { values, change, ...stepErrors(problems) }, 400);
    const draft = await this.save(session, { evidence: values.evidence || undefined, evidenceAnswered: true, submitErrors: withoutStep(before.submitErrors, 'evidence') });
    redirect(reply, nextAfter(draft, 'evidence', change));
  }

  // (j) Check your answers, (k) submit

  @Get('check')
  async check(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = this.draft(session);
    const missing = firstIncomplete(draft);
    if (missing) return redirect(reply, `/report/${missing}`);
    await this.renderCheck(reply, session, draft);
  }

  @Post('check')
  async submit(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = this.draft(session);
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
      await this.save(session, { submitErrors: errors });
      return this.renderCheck(reply, session, draft, {
        errorList: errors.map((e) => ({ text: sentenceFor(e), href: `/report/${stepForField(e.field)}?change=1#${anchorFor(e.field)}` })),
      }, 400);
    }
    const held = draft.heldEvidenceIds ?? [];
    const attached = await this.upload.attachHeld(session.caller, filed.id, held).catch((err: unknown) => {
      // The case stands; documents not attached stay held, and the case page takes new uploads.
      this.logger.error({ err: err instanceof Error ? err.message : String(err), caseId: filed!.id }, 'Could not attach documents held for the report');
      return 0;
    });
    await this.sessions.setData(session, DRAFT_KEY, undefined);
    await this.sessions.setData(session, FILED_KEY, { ...filed, documents: attached, documentsMissing: held.length - attached });
    redirect(reply, '/report/confirmation');
  }

  private async renderCheck(reply: FastifyReply, session: WebSession, draft: ReportDraft, extra: Form = {}, status = 200): Promise<void> {
    const organisation = session.caller.organisationId ? await this.lookup.findOrganisation(session.caller.organisationId) : null;
    const commitments = draft.compactId ? await this.registry.commitments(draft.compactId).catch(() => []) : [];
    const chosen = (draft.commitments ?? []).map((ref) => {
      const c = commitments.find((k) => k.reference === ref);
      return c ? `${c.reference}: ${c.text}` : ref;
    });
    const facts = (draft.factNames ?? []).map((name) => {
      const value = draft.facts?.[name];
      const shown =
        REPORT_FACTS[name].type === 'date'
          ? ((iso) => (['blank', 'incomplete', 'invalid'].includes(iso) ? 'Not known' : iso))(isoDate(value as TypedDate | undefined))
          : value === 'yes' ? 'Yes' : value === 'no' ? 'No' : 'Not known';
      return { name, label: capitalise(REPORT_FACTS[name].label), value: shown, isDate: REPORT_FACTS[name].type === 'date' && /^\d{4}-/.test(shown) };
    });
    const documents = await this.upload.held(session.caller, draft.heldEvidenceIds ?? []);
    this.page(reply, session, 'report/check.njk', {
      draft,
      documents: documents.map((d) => d.fileName).join('\n'),
      organisationName: organisation?.name,
      chosen,
      facts,
      happenedOn: reportFrom(draft).happenedOn,
      backHref: '/report/evidence',
      ...extra,
    }, status);
  }

  @Get('confirmation')
  confirmation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    const filed = session.data[FILED_KEY] as { id: string; reference: string } | undefined;
    if (!filed) return redirect(reply, '/report');
    this.page(reply, session, 'report/confirmation.njk', { filed, triageDays: DEADLINE_KINDS.triage.workingDays, infoDays: DEADLINE_KINDS.informationRequest.workingDays });
  }

  // Helpers

  private draft(session: WebSession): ReportDraft {
    return (session.data[DRAFT_KEY] as ReportDraft | undefined) ?? {};
  }

  private async save(session: WebSession, changes: Partial<ReportDraft>): Promise<ReportDraft> {
    const draft: ReportDraft = { ...this.draft(session), ...changes };
    for (const key of Object.keys(draft) as Array<keyof ReportDraft>) if (draft[key] === undefined) delete draft[key];
    await this.sessions.setData(session, DRAFT_KEY, draft);
    return draft;
  }

  /** A step opened before the ones it depends on were answered sends the reporter to the first of those. */
  private mustGoBack(reply: FastifyReply, draft: ReportDraft, step: Step): boolean {
    const i = STEPS.indexOf(step);
    const missing = STEPS.slice(0, i).find((s) => !stepComplete(draft, s));
    if (!missing) return false;
    redirect(reply, `/report/${missing}`);
    return true;
  }

  /** Problems the use case found at submission that belong to this step, shown beside its fields. */
  private submitErrorsFor(draft: ReportDraft, step: Step): Form {
    const mine = (draft.submitErrors ?? []).filter((e) => stepForField(e.field) === step);
    return mine.length ? stepErrors(mine.map((e) => ({ field: e.field, text: sentenceFor(e) }))) : {};
  }

  private stepPage(reply: FastifyReply, session: WebSession, step: Step, template: string, ctx: Form, status = 200): void {
    const draft = this.draft(session);
    const backHref = ctx.change ? '/report/check' : previousStep(draft, step);
    this.page(reply, session, template, { backHref, step, ...ctx }, status);
  }

  private page(reply: FastifyReply, session: WebSession, template: string, ctx: Form, status = 200): void {
    sendPage(reply, this.renderer.render(template, pageContext(session, { currentPath: '/report', ...ctx })), status);
  }
}

/** Problems in the order their fields appear on the page, as the error summary should list them. */
function inOrder(problems: Problem[], fields: string[]): Problem[] {
  return [...problems].sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
}

function withoutStep(errors: FieldError[] | undefined, step: Step): FieldError[] | undefined {
  const left = (errors ?? []).filter((e) => stepForField(e.field) !== step);
  return left.length ? left : undefined;
}
