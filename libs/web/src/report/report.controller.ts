import { Body, Get, Logger, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FileReport } from '@cc/cases';
import { UploadEvidence } from '@cc/evidence';
import { FieldError, ValidationFailed, isUuid } from '@cc/common';
import { CompactSummary, REPORT_FACTS, RegistryLookup, RegistryQueries, ReportFactName, factProblems } from '@cc/registry';
import { DEADLINE_KINDS, breachCaseRules } from '@cc/workflows';
import { pageContext, redirect, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { ReportEvidencePage } from './report-evidence.page';
import { DRAFT_KEPT_DAYS, ReportDrafts } from './report-drafts.store';
import {
  FILED_KEY,
  REPORT_LIMITS,
  REPORT_LIMIT_WORDS,
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
  pageForField,
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
/** The radio that leads to the "it is not listed" route, on the public body and Compact steps. */
const NOT_LISTED = 'not-listed';

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

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T12:00:00Z`));

/** A Compact's status in words (the registry keeps codes). */
const COMPACT_STATUS_WORDS: Record<string, string> = { archived: 'No longer in force', under_review: 'Under review', draft: 'Draft, not yet adopted' };

/**
 * Report a breach: one question per page, the draft kept for the reporter (ReportDrafts) so a
 * lapsed session loses nothing, each step posted and redirected, a check-your-answers page, then
 * the same FileReport use case the API calls.
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
    private readonly evidencePage: ReportEvidencePage,
    private readonly upload: UploadEvidence,
    private readonly drafts: ReportDrafts,
  ) {}

  // (a) Start page

  @Get()
  async start(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.draft(session);
    const started = Object.keys(draft).some((k) => k !== 'lastPage');
    this.page(reply, session, 'report/start.njk', { started, continueHref: `/report/${firstIncomplete(draft) ?? 'check'}`, triageDays: DEADLINE_KINDS.triage.workingDays });
  }

  @Post('start-again')
  async startAgain(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.draft(session);
    // The documents held for the old report go with it.
    for (const id of draft.heldEvidenceIds ?? []) await this.upload.removeHeld(session.caller, id);
    await this.drafts.clear(session.user.id);
    redirect(reply, '/report/organisation');
  }

  // (b) Who you are

  @Get('organisation')
  async organisation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const organisation = session.caller.organisationId ? await this.lookup.findOrganisation(session.caller.organisationId) : null;
    await this.stepPage(reply, session, await this.draft(session), 'organisation', 'report/organisation.njk', { organisation, change: change === '1' });
  }

  @Post('organisation')
  async confirmOrganisation(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const draft = await this.save(session, { organisationConfirmed: true });
    redirect(reply, nextAfter(draft, 'organisation', body.change === '1'));
  }

  // (c) The public body: from the registry, or typed when it is not listed

  @Get('public-body')
  async publicBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('q') q?: string, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'public-body')) return;
    await this.renderPublicBody(reply, session, draft, { q: typeof q === 'string' ? q.trim().slice(0, 200) : '', selected: draft.unlistedBody ? NOT_LISTED : draft.respondentId, change: change === '1' });
  }

  @Post('public-body')
  async choosePublicBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'public-body')) return;
    const respondentId = text(body, 'respondentId');
    const q = text(body, 'q');
    const change = body.change === '1';
    if (respondentId === NOT_LISTED) return redirect(reply, `/report/public-body/not-listed${change ? '?change=1' : ''}`);
    const found = respondentId && isUuid(respondentId) ? await this.lookup.findOrganisation(respondentId) : null;
    const placeholder = found ? await this.registry.unverifiedOrganisation(found.id) : null;
    if (!found || found.sector !== 'public' || placeholder) {
      const message = respondentId ? 'Select a public body from the list, or “It is not listed”' : 'Select the public body, or “It is not listed”';
      return this.renderPublicBody(reply, session, before, { q, selected: undefined, change, ...stepErrors([{ field: 'respondentId', text: message }]) }, 400);
    }
    const changed = before.respondentId !== found.id;
    const draft = await this.save(session, {
      respondentId: found.id,
      respondentName: found.name,
      unlistedBody: undefined,
      ...(changed ? afterBodyChanged : {}),
      submitErrors: withoutStep(before.submitErrors, 'public-body'),
    });
    redirect(reply, nextAfter(draft, 'public-body', change));
  }

  private async renderPublicBody(reply: FastifyReply, session: WebSession, draft: ReportDraft, ctx: { q: string; selected?: string; change: boolean } & Form, status = 200): Promise<void> {
    const own = session.caller.organisationId ? await this.lookup.findOrganisation(session.caller.organisationId) : null;
    const searched = ctx.q !== '';
    let bodies = await this.registry.searchOrganisations(
      searched ? { q: ctx.q, sector: 'public', limit: SEARCH_LIMIT } : { sector: 'public', area: own?.area ?? undefined, limit: SEARCH_LIMIT },
    );
    if (!searched && bodies.length === 0) bodies = await this.registry.searchOrganisations({ sector: 'public', limit: SEARCH_LIMIT });
    if (ctx.selected && ctx.selected !== NOT_LISTED && !bodies.some((b) => b.id === ctx.selected)) {
      const chosen = await this.lookup.findOrganisation(ctx.selected);
      if (chosen) bodies.unshift({ id: chosen.id, name: chosen.name, sector: chosen.sector, bodyType: chosen.bodyType, bodyTypeLabel: null, area: chosen.area, charityNumber: null, website: null });
    }
    await this.stepPage(reply, session, draft, 'public-body', 'report/public-body.njk', { ...ctx, searched, area: own?.area, bodies, notListed: NOT_LISTED, unlistedBody: draft.unlistedBody }, status);
  }

  @Get('public-body/not-listed')
  async unlistedBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'public-body')) return;
    await this.renderUnlisted(reply, session, draft, { values: draft.unlistedBody ?? {}, change: change === '1', ...this.submitErrorsFor(draft, 'public-body') });
  }

  @Post('public-body/not-listed')
  async saveUnlistedBody(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'public-body')) return;
    const values = { name: text(body, 'name').replace(/\s+/g, ' '), area: text(body, 'area').replace(/\s+/g, ' ') };
    const change = body.change === '1';
    const problems: Problem[] = [];
    if (!values.name) problems.push({ field: 'unlistedRespondent.name', text: 'Enter the name of the public body' });
    if (!values.area) problems.push({ field: 'unlistedRespondent.area', text: 'Enter the area the public body serves, such as the town, district or county' });
    const found = new Set(problems.map((p) => p.field));
    const typed = { ...(values.name ? { name: values.name } : { name: 'xx' }), ...(values.area ? { area: values.area } : { area: 'xx' }) };
    for (const e of await dtoProblems({ unlistedRespondent: typed })) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
    if (problems.length) {
      return this.renderUnlisted(reply, session, before, { values, change, ...stepErrors(inOrder(problems, ['unlistedRespondent.name', 'unlistedRespondent.area'])) }, 400);
    }
    const changed = before.respondentId !== undefined || before.unlistedBody?.name !== values.name || before.unlistedBody?.area !== values.area;
    const draft = await this.save(session, {
      respondentId: undefined,
      respondentName: values.name,
      unlistedBody: values,
      ...(changed ? afterBodyChanged : {}),
      submitErrors: withoutStep(before.submitErrors, 'public-body'),
    });
    redirect(reply, nextAfter(draft, 'public-body', change));
  }

  private async renderUnlisted(reply: FastifyReply, session: WebSession, draft: ReportDraft, ctx: Form, status = 200): Promise<void> {
    await this.stepPage(reply, session, draft, 'public-body', 'report/public-body-not-listed.njk', { ...ctx, backHref: '/report/public-body' }, status);
  }

  // (d) The Compact: those the body signed, with "it is not listed" leading to all of them

  @Get('compact')
  async compact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('q') q?: string, @Query('all') all?: string, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'compact')) return;
    await this.renderCompact(reply, session, draft, { q: typeof q === 'string' ? q.trim().slice(0, 200) : '', all: all === '1', selected: draft.compactId, change: change === '1' });
  }

  @Post('compact')
  async chooseCompact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'compact')) return;
    const compactId = text(body, 'compactId');
    const change = body.change === '1';
    if (compactId === NOT_LISTED) return redirect(reply, `/report/compact?all=1${change ? '&change=1' : ''}`);
    const found = compactId && isUuid(compactId) ? await this.lookup.findCompact(compactId) : null;
    if (!found) {
      const ctx = { q: text(body, 'q'), all: body.all === '1', selected: undefined, change };
      return this.renderCompact(reply, session, before, { ...ctx, ...stepErrors([{ field: 'compactId', text: 'Select the Compact the public body broke' }]) }, 400);
    }
    const changed = before.compactId !== found.id;
    const draft = await this.save(session, {
      compactId: found.id,
      compactName: found.name,
      ...(changed ? afterCompactChanged : {}),
      submitErrors: withoutStep(before.submitErrors, 'compact'),
    });
    redirect(reply, nextAfter(draft, 'compact', change));
  }

  private async renderCompact(
    reply: FastifyReply,
    session: WebSession,
    draft: ReportDraft,
    ctx: { q: string; all: boolean; selected?: string; change: boolean } & Form,
    status = 200,
  ): Promise<void> {
    const body = draft.respondentId ? await this.lookup.findOrganisation(draft.respondentId) : null;
    const area = body?.area ?? draft.unlistedBody?.area ?? null;
    const signed = draft.respondentId ? await this.registry.signedCompacts(draft.respondentId) : [];
    const signedIds = new Set(signed.map((c) => c.id));
    // Only what the body signed, unless there is none, the reporter said theirs is not listed, or searched.
    const showAll = signed.length === 0 || ctx.all || ctx.q !== '' || (!!ctx.selected && !signedIds.has(ctx.selected));
    const searched = showAll && ctx.q !== '';
    let compacts: CompactSummary[];
    if (!showAll) compacts = signed;
    else if (searched) compacts = await this.registry.searchCompacts({ q: ctx.q, limit: SEARCH_LIMIT });
    else {
      // The Compacts the body signed, then the national ones and those of its area.
      const local = await this.registry.searchCompacts({ area: area ?? undefined, limit: SEARCH_LIMIT });
      compacts = [...signed, ...local.filter((c) => !signedIds.has(c.id) && (c.scope === 'national' || !area || c.area?.toLowerCase() === area.toLowerCase()))];
    }
    if (ctx.selected && !compacts.some((c) => c.id === ctx.selected)) {
      const chosen = await this.lookup.findCompact(ctx.selected);
      if (chosen) compacts.unshift({ id: chosen.id, name: chosen.name, scope: chosen.scope, area: chosen.area, status: chosen.status } as CompactSummary);
    }
    const options: Array<Record<string, unknown>> = compacts.map((c) => ({
      value: c.id,
      text: c.name,
      checked: c.id === ctx.selected,
      hint: [
        showAll && signedIds.has(c.id) ? `Signed by ${draft.respondentName}` : null,
        c.scope === 'national' ? 'National Compact' : c.area ? `Local Compact for ${c.area}` : null,
        COMPACT_STATUS_WORDS[c.status] ?? null,
      ]
        .filter(Boolean)
        .join('. '),
    }));
    if (!showAll) options.push({ divider: 'or' }, { value: NOT_LISTED, text: 'It is not listed', hint: `The Compact ${draft.respondentName} broke is not one of these` });
    const why = draft.unlistedBody ? 'unlisted' : signed.length === 0 ? 'none-signed' : showAll ? 'not-listed' : 'signed';
    await this.stepPage(reply, session, draft, 'compact', 'report/compact.njk', { ...ctx, showAll, searched, why, area, respondentName: draft.respondentName, options, signedCount: signed.length }, status);
  }

  // (e) The commitments: only those the public body made (the voluntary sector's own cannot be broken by it)

  @Get('commitments')
  async commitments(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'commitments')) return;
    await this.renderCommitments(reply, session, draft, { selected: draft.commitments ?? [], change: change === '1', ...this.submitErrorsFor(draft, 'commitments') });
  }

  @Post('commitments')
  async chooseCommitments(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'commitments')) return;
    const chosen = list(body, 'commitments');
    const change = body.change === '1';
    const all = (await this.registry.commitments(before.compactId!)).filter((c) => c.binds !== 'voluntary');
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
    type Item = { value: string; text: string; id: string; hint?: { text: string }; checked: boolean };
    const groups: Array<{ code: string; title: string; idPrefix: string; items: Item[] }> = [];
    let n = 0;
    for (const c of compact.commitments.filter((k) => k.binds !== 'voluntary')) {
      const code = c.sectionCode ?? '';
      let group = groups.find((g) => g.code === code);
      if (!group) groups.push((group = { code, title: titles.get(code) ?? (code ? `Section ${code}` : 'Other commitments'), idPrefix: `commitments-section-${groups.length + 1}`, items: [] }));
      n += 1;
      // Ids numbered across the whole page (the macro numbers per call, and they repeated from section to
      // section); the first is "commitments", where the error summary links.
      group.items.push({
        value: c.reference,
        text: `${c.reference}: ${c.text}`,
        id: n === 1 ? 'commitments' : `commitments-${n}`,
        ...(c.binds === 'both' ? { hint: { text: 'A commitment of both sides: the public body and the voluntary sector' } } : {}),
        checked: ctx.selected.includes(c.reference),
      });
    }
    const voluntaryLeftOut = compact.commitments.some((k) => k.binds === 'voluntary');
    await this.stepPage(reply, session, draft, 'commitments', 'report/commitments.njk', { ...ctx, compactName: compact.name, groups, voluntaryLeftOut, respondentName: draft.respondentName }, status);
  }

  // (f) What happened and when

  @Get('what-happened')
  async whatHappened(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'what-happened')) return;
    await this.stepPage(reply, session, draft, 'what-happened', 'report/what-happened.njk', {
      values: { title: draft.title, whatHappened: draft.whatHappened, happenedOn: draft.happenedOn },
      change: change === '1',
      ...this.submitErrorsFor(draft, 'what-happened'),
    });
  }

  @Post('what-happened')
  async saveWhatHappened(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
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
    // The API's own rule (not in the future, not before the first Compact), said here in words.
    else if (!breachCaseRules.breachDateSensible(happenedOn, new Date().toISOString())) {
      problems.push({
        field: 'happenedOn',
        text: happenedOn > breachCaseRules.EARLIEST_BREACH_DATE ? 'The date it happened must be today or in the past' : `The date it happened must be on or after ${longDate(breachCaseRules.EARLIEST_BREACH_DATE)}, when the first Compact was agreed`,
      });
    }
    const typed = { ...(values.title ? { title: values.title } : {}), ...(values.whatHappened ? { whatHappened: values.whatHappened } : {}) };
    const found = new Set(problems.map((p) => p.field));
    for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
    if (problems.length) {
      return this.stepPage(reply, session, before, 'what-happened', 'report/what-happened.njk', { values, change, ...stepErrors(inOrder(problems, ['title', 'whatHappened', 'happenedOn'])) }, 400);
    }
    const draft = await this.save(session, { ...values, submitErrors: withoutStep(before.submitErrors, 'what-happened') });
    redirect(reply, nextAfter(draft, 'what-happened', change));
  }

  // (g) The facts the chosen commitments' rules check

  @Get('facts')
  async facts(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'facts')) return;
    if (!draft.factNames?.length) return redirect(reply, nextAfter(draft, 'facts', change === '1'));
    await this.stepPage(reply, session, draft, 'facts', 'report/facts.njk', { questions: this.factQuestions(draft, draft.facts ?? {}), change: change === '1', ...this.submitErrorsFor(draft, 'facts') });
  }

  @Post('facts')
  async saveFacts(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
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
      return this.stepPage(reply, session, before, 'facts', 'report/facts.njk', { questions: this.factQuestions(before, facts), change, ...stepErrors(problems) }, 400);
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
  async impact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'impact')) return;
    await this.stepPage(reply, session, draft, 'impact', 'report/impact.njk', {
      values: { impact: draft.impact, desiredOutcome: draft.desiredOutcome },
      change: change === '1',
      ...this.submitErrorsFor(draft, 'impact'),
    });
  }

  @Post('impact')
  async saveImpact(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'impact')) return;
    const values = { impact: text(body, 'impact'), desiredOutcome: text(body, 'desiredOutcome') };
    const change = body.change === '1';
    const problems: Problem[] = [];
    if (!values.impact) problems.push({ field: 'impact', text: 'Enter the impact on your organisation and the people it serves' });
    if (!values.desiredOutcome) problems.push({ field: 'desiredOutcome', text: 'Enter what you would like to happen' });
    const found = new Set(problems.map((p) => p.field));
    const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
    for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
    if (problems.length) return this.stepPage(reply, session, before, 'impact', 'report/impact.njk', { values, change, ...stepErrors(inOrder(problems, ['impact', 'desiredOutcome'])) }, 400);
    const draft = await this.save(session, { ...values, submitErrors: withoutStep(before.submitErrors, 'impact') });
    redirect(reply, nextAfter(draft, 'impact', change));
  }

  // (i) Evidence: documents held until the report is sent (ReportEvidenceController), and a description

  @Get('evidence')
  async evidence(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Query('change') change?: string): Promise<void> {
    const draft = await this.draft(session);
    if (this.mustGoBack(reply, draft, 'evidence')) return;
    await this.remember(session, draft, '/report/evidence');
    await this.evidencePage.render(reply, session, draft, { change: change === '1', ...this.submitErrorsFor(draft, 'evidence') });
  }

  /** The description alone (a form without a file, as the API would send); the page's own form is multipart. */
  @Post('evidence')
  async saveEvidence(@CurrentSession() session: WebSession, @Res() reply: FastifyReply, @Body() body: Form): Promise<void> {
    const before = await this.draft(session);
    if (this.mustGoBack(reply, before, 'evidence')) return;
    const change = body.change === '1';
    const result = await this.evidencePage.saveDescription(session, before, text(body, 'evidence'));
    if ('problems' in result) return this.evidencePage.render(reply, session, before, { values: { evidence: text(body, 'evidence') }, change, ...stepErrors(result.problems) }, 400);
    redirect(reply, nextAfter(result.draft, 'evidence', change));
  }

  // (j) Check your answers, (k) submit

  @Get('check')
  async check(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.draft(session);
    const missing = firstIncomplete(draft);
    if (missing) return redirect(reply, `/report/${missing}`);
    await this.remember(session, draft, '/report/check');
    await this.renderCheck(reply, session, draft);
  }

  @Post('check')
  async submit(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const draft = await this.draft(session);
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

  private draft(session: WebSession): Promise<ReportDraft> {
    return this.drafts.get(session.user.id);
  }

  private async save(session: WebSession, changes: Partial<ReportDraft>): Promise<ReportDraft> {
    const draft: ReportDraft = { ...(await this.draft(session)), ...changes };
    for (const key of Object.keys(draft) as Array<keyof ReportDraft>) if (draft[key] === undefined) delete draft[key];
    await this.drafts.put(session.user.id, draft);
    return draft;
  }

  /** Notes the page shown, so signing in again after a timeout comes back to it (written only when it moves). */
  private async remember(session: WebSession, draft: ReportDraft, path: string): Promise<void> {
    if (draft.lastPage === path || Object.keys(draft).length === 0) return;
    draft.lastPage = path;
    await this.drafts.put(session.user.id, draft);
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

  private async stepPage(reply: FastifyReply, session: WebSession, draft: ReportDraft, step: Step, template: string, ctx: Form, status = 200): Promise<void> {
    await this.remember(session, draft, template === 'report/public-body-not-listed.njk' ? '/report/public-body/not-listed' : `/report/${step}`);
    const backHref = ctx.change ? '/report/check' : previousStep(draft, step);
    this.page(reply, session, template, { backHref, step, limits: REPORT_LIMITS, limitWords: REPORT_LIMIT_WORDS, ...ctx }, status);
  }

  private page(reply: FastifyReply, session: WebSession, template: string, ctx: Form, status = 200): void {
    sendPage(reply, this.renderer.render(template, pageContext(session, { currentPath: '/report', keptDays: DRAFT_KEPT_DAYS, idleMinutes: session.idleMinutes, ...ctx })), status);
  }
}

/** A different body may not have signed the Compact chosen before: the Compact and what hangs on it are asked again. */
const afterBodyChanged: Partial<ReportDraft> = {
  compactId: undefined,
  compactName: undefined,
  commitments: undefined,
  factNames: undefined,
  facts: undefined,
  factsAnswered: undefined,
};
const afterCompactChanged: Partial<ReportDraft> = { commitments: undefined, factNames: undefined, facts: undefined, factsAnswered: undefined };

/** Problems in the order their fields appear on the page, as the error summary should list them. */
function inOrder(problems: Problem[], fields: string[]): Problem[] {
  return [...problems].sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
}

function withoutStep(errors: FieldError[] | undefined, step: Step): FieldError[] | undefined {
  const left = (errors ?? []).filter((e) => stepForField(e.field) !== step);
  return left.length ? left : undefined;
}
