import { Injectable } from '@nestjs/common';
import { CaseAccess, CaseDetail, CaseLinks, CaseNotes, CaseTimeline, CaseViews, FeeInstructions, FeeInstructionsStore, TimelineEntry, VisibleCase, writableBy } from '@cc/cases';
import { DeadlineQueries, DeadlineRow } from '@cc/deadlines';
import { EvidenceView, ListEvidence } from '@cc/evidence';
import { UsersDirectory } from '@cc/identity';
import { ReadLog } from '@cc/audit';
import { messageTitle } from '@cc/wording';
import { staffOpeningsOf } from '../case-reads/staff-openings';
import { REOPEN_WINDOW_DAYS, commandSchemas, feeShares, workflowFor } from '@cc/workflows';
import type { WebSession } from '../web-sessions.service';
import { Renderer, humanise } from '../renderer';
import { pageContext } from '../page';
import { caseDiagram } from '../workflow/case-diagram';
import { ActionForm, actionForms } from './action-forms';
import { PeopleChoicesLookup, contactsPageOf } from './people-choices';
import {
  DEADLINE_WORDS,
  Formats,
  OUTCOME_WORDS,
  REJECTION_WORDS,
  historySentence,
  reporterDeadlineSentence,
  stageLines,
  shownDetail,
  staffDetail,
  moreWorkingDays,
  whereItStands,
} from './state-words';
import { ACTION_WORDS, EVENT_HEADINGS, actionWordsFor } from './action-labels';

/** What the case page shows besides the case itself: form state after a refusal. */
export interface CasePageState {
  errorList?: Array<{ text: string; href: string }>;
  /** Per form ("action:TYPE", "note", "link", "evidence"): errors by field and values typed. */
  forms?: Record<string, { fieldErrors?: Record<string, { text: string }>; values?: Record<string, string> }>;
  openForm?: string;
  flash?: string;
  conflict?: string;
}

/** A quoted fee in pence, each party's share and what each has paid and still owes. */
export interface FeeMoney {
  total: number;
  waived: boolean;
  reporter: { share: number; paid: number; outstanding: number; agreed: boolean };
  respondent: { share: number; paid: number; outstanding: number; agreed: boolean };
}

/** Something the reporter has to do, with the date it is due by and where to do it. */
export interface ReporterTask {
  id: string;
  text: string;
  detail?: string;
  href?: string;
  linkText?: string;
  questions?: string;
  instructions?: string[];
}

/** What the confirmation and answer pages need about a case, beyond the case itself. */
export interface CaseFacts {
  detail: CaseDetail;
  fee: FeeMoney | null;
  questions: string | null;
  answerBy: string | null;
  feeAgreeBy: string | null;
  payBy: string | null;
  instructions: FeeInstructions | null;
  rejection: { reason: string; explanation: string | null } | null;
  /** Version 2: the public body's request for more time, and what became of it. */
  extension: { reason: string; workingDays: number; at: string; decision: 'granted' | 'refused' | null; workingDaysGranted: number | null; refusal: string | null } | null;
  /** Version 2: until when the reporter may ask for a review of a rejection. */
  reviewableUntil: string | null;
  /** Version 2: the times each party offered for the session, newest last. */
  proposals: Array<{ by: 'reporter' | 'respondent'; times: string[]; note: string | null; at: string }>;
  /** Version 2: the public body's report that the agreed actions are done, since the case was last resolved. */
  actionsDone: { summary: string; at: string } | null;
  timeline: TimelineEntry[];
  deadlines: DeadlineRow[];
}

const shareOf = (amountPence: number, reporterSharePercent: number) => feeShares({ amountPence, reporterSharePercent }).reporter;

/** Gathers everything on the case page from the same use cases the API uses. */
@Injectable()
export class CasePageData {
  private readonly formats: Formats;

  constructor(
    private readonly views: CaseViews,
    private readonly access: CaseAccess,
    private readonly timeline: CaseTimeline,
    private readonly notes: CaseNotes,
    private readonly links: CaseLinks,
    private readonly deadlines: DeadlineQueries,
    private readonly evidence: ListEvidence,
    private readonly people: PeopleChoicesLookup,
    private readonly directory: UsersDirectory,
    private readonly feeInstructions: FeeInstructionsStore,
    private readonly reads: ReadLog,
    renderer: Renderer,
  ) {
    // The renderer's own filters, so sentences built here read like the rest of the page.
    const filter = (name: string) => renderer.env.getFilter(name) as (v: unknown) => string;
    this.formats = { date: filter('date'), dateTime: filter('dateTime'), pounds: filter('pounds') };
  }

  /** The action forms this caller gets on this case now (loads the case; the POST of a form uses it). */
  async forms(session: WebSession, id: string, availableActions: string[]): Promise<ActionForm[]> {
    return this.formsOf(await this.access.visible(session.caller, id), availableActions);
  }

  private async formsOf(seen: VisibleCase, availableActions: string[], respondentId = seen.row.respondentOrganisationId): Promise<ActionForm[]> {
    return actionForms(availableActions, seen.relation, await this.people.forActions(availableActions, respondentId));
  }

  /** The case with what its deadlines, history and fee say, for the confirmation pages: the case read once. */
  async facts(session: WebSession, id: string): Promise<CaseFacts> {
    const { seen, detail } = await this.views.visibleDetail(session.caller, id);
    const [timeline, deadlines] = await Promise.all([this.timeline.of(seen), this.deadlines.ofCase(seen)]);
    return factsOf(detail, timeline, deadlines, await this.instructionsFor(detail));
  }

  /** The facts and the case's evidence (the answer page lists the documents sent with it). */
  async factsWithEvidence(session: WebSession, id: string): Promise<{ facts: CaseFacts; evidence: EvidenceView[] }> {
    const { seen, detail } = await this.views.visibleDetail(session.caller, id);
    const [timeline, deadlines, evidence] = await Promise.all([this.timeline.of(seen), this.deadlines.ofCase(seen), this.evidence.of(seen)]);
    return { facts: factsOf(detail, timeline, deadlines, await this.instructionsFor(detail)), evidence };
  }

  /**
   * Everything on the case page. The case is read, with the names it shows, and its access checked
   * once; every read after that is handed the loaded case, and they run together.
   */
  async context(session: WebSession, id: string, state: CasePageState = {}): Promise<Record<string, unknown>> {
    const caller = session.caller;
    const { seen, detail } = await this.views.visibleDetail(caller, id);
    const isStaff = caller.role === 'caseworker' || caller.role === 'administrator';
    const isReporter = caller.role === 'reporter';
    const [timeline, deadlines, allNotes, evidence, links, staffOpenings] = await Promise.all([
      this.timeline.of(seen),
      this.deadlines.ofCase(seen),
      this.notes.listOf(seen),
      this.evidence.of(seen),
      isStaff ? this.links.linkedTo(seen) : Promise.resolve(null),
      isReporter ? staffOpeningsOf(this.reads, seen.row.id) : Promise.resolve(null),
    ]);
    // Messages with the public body have a section of their own. Every note the caller may read is
    // read once (a statement is a round trip, and each costs the page more than its rows do).
    const notes = allNotes.filter((n) => !MESSAGE_AUDIENCES.has(n.visibility));
    const messages = allNotes.filter((n) => MESSAGE_AUDIENCES.has(n.visibility));
    const rejecter = rejecterOf(seen) === caller.userId;
    const [instructions, staffTimeline] = await Promise.all([
      this.instructionsFor(detail),
      isReporter ? Promise.resolve(null) : this.staffTimeline(timeline, detail.namedContacts ?? [], [detail.assignee, detail.mediator]),
    ]);
    const facts = factsOf(detail, timeline, deadlines, instructions);
    // The review window is kept in the case's workflow state, not on the timeline the reporter reads.
    facts.reviewableUntil ??= reviewWindowOf(seen);
    const open = facts.deadlines.filter((d) => d.status === 'pending' || d.status === 'paused');
    const isClosed = detail.stage === 'closed';
    // The diagram is for staff and mediators; a reporter gets the stages in words instead.
    const diagram = isReporter ? null : caseDiagram(detail.state, detail.machineVersion);
    return {
      ...pageContext(session, { title: `${detail.reference}: ${detail.title}`, currentPath: `/cases/${detail.id}` }),
      c: detail,
      isStaff,
      isReporter,
      stands: whereItStands(detail.state, caller.role),
      stateText: humanise(detail.state),
      deadlines: open.map((d) => ({ ...d, what: DEADLINE_WORDS[d.kind] ?? humanise(d.kind) })),
      fee: facts.fee,
      questions: facts.questions,
      answerBy: facts.answerBy,
      feeAgreeBy: facts.feeAgreeBy,
      payBy: facts.payBy,
      rejection: facts.rejection,
      extension: facts.extension,
      reviewableUntil: facts.reviewableUntil,
      proposals: facts.proposals,
      actionsDone: facts.actionsDone,
      reopenDays: REOPEN_WINDOW_DAYS,
      feeInstructions: facts.instructions,
      ...(isReporter ? this.reporterView(detail, facts, open) : { timeline: staffTimeline }),
      notes,
      messages,
      contactsPage: isStaff ? contactsPageOf(detail.respondent.id) : null,
      publicBodyDid: isStaff ? publicBodyDid(detail, timeline, this.formats) : [],
      reviewByOther: rejecter && detail.availableActions.some((t) => REVIEW_DECISIONS.has(t)),
      noteVisibilities: writableBy(caller.role).map((v) => ({ value: v, text: { shared: 'Shared: everyone on the case, including the reporting organisation', internal: 'Internal: caseworkers only', mediator: 'Mediator: the appointed mediator only' }[v] })),
      evidence,
      canUpload: caller.role !== 'mediator' && !isClosed,
      links,
      staffOpenings,
      // Each action is a link to its own page (one thing per page): the case page builds no forms,
      // so it neither renders them nor looks up the people they offer.
      actions: actionLinks(detail, offeredActions(seen, detail, caller.userId), caller.role, facts.fee),
      facts: Object.entries(detail.facts ?? {}).map(([k, v]) => ({ key: humanise(k), value: typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v) })),
      svg: diagram?.svg ?? null,
      diagramNote: diagram?.note ?? null,
      rows: diagram?.rows ?? [],
      currentState: detail.state,
      forms: state.forms ?? {},
      errorList: state.errorList,
      openForm: state.openForm,
      flash: state.flash,
      conflict: state.conflict,
    };
  }

  /** The page of reports that may be the same matter as this case, each with a button to link it (staff only). */
  async linkSuggestionsContext(session: WebSession, id: string): Promise<Record<string, unknown>> {
    const { seen, detail } = await this.views.visibleDetail(session.caller, id);
    const group = await this.links.linkedTo(seen);
    const suggestions = await this.links.suggestionsFor(seen, group);
    return {
      ...pageContext(session, { title: `Reports that may be the same matter: ${detail.reference}`, currentPath: `/cases/${detail.id}` }),
      c: detail,
      suggestions,
    };
  }

  /**
   * One action's page: its form, with what a person needs to know before taking it (the questions
   * asked, the fee in money, what the public body said...). Reads the case, its history and clocks;
   * the people a form offers are looked up only for the form that offers them. `a` is null when the
   * caller cannot take this action on the case now.
   */
  async actionContext(session: WebSession, id: string, type: string, state: CasePageState = {}): Promise<Record<string, unknown>> {
    const caller = session.caller;
    const { seen, detail } = await this.views.visibleDetail(caller, id);
    const [timeline, deadlines] = await Promise.all([this.timeline.of(seen), this.deadlines.ofCase(seen)]);
    const offered = offeredActions(seen, detail, caller.userId).includes(type);
    const [instructions, forms] = await Promise.all([this.instructionsFor(detail), offered ? this.formsOf(seen, [type], detail.respondent.id) : Promise.resolve([])]);
    const facts = factsOf(detail, timeline, deadlines, instructions);
    facts.reviewableUntil ??= reviewWindowOf(seen);
    const isReporter = caller.role === 'reporter';
    const words = actionWordsFor(type, caller.role) ?? { title: humanise(type) };
    const key = `action:${type}`;
    return {
      ...pageContext(session, { title: `${words.title}: ${detail.reference}`, currentPath: `/cases/${detail.id}` }),
      c: detail,
      a: forms[0] ?? null,
      actionTitle: words.title,
      actionType: type,
      formKey: key,
      isStaff: caller.role === 'caseworker' || caller.role === 'administrator',
      isReporter,
      isRespondent: caller.role === 'respondent',
      stands: whereItStands(detail.state, caller.role),
      stateText: humanise(detail.state),
      deadlines: facts.deadlines.filter((d) => d.status === 'pending' || d.status === 'paused'),
      fee: facts.fee,
      questions: facts.questions,
      answerBy: facts.answerBy,
      feeAgreeBy: facts.feeAgreeBy,
      payBy: facts.payBy,
      extension: facts.extension,
      reviewableUntil: facts.reviewableUntil,
      proposals: facts.proposals,
      actionsDone: facts.actionsDone,
      feeInstructions: facts.instructions,
      confirmFirst: confirmationPageOf(type, detail.id, caller.role, facts.fee) !== null,
      forms: withSuggestions(state.forms ?? {}, facts),
      errorList: state.errorList,
      conflict: state.conflict,
    };
  }

  /** How to pay a fee: asked for only when the case has one, as nothing else shows it. */
  private instructionsFor(detail: CaseDetail): Promise<FeeInstructions | null> {
    return detail.fee ? this.feeInstructions.current() : Promise.resolve(null);
  }

  /** The reporter's view: stages in words, what they need to do and by when, and the history as sentences, newest first. */
  private reporterView(detail: CaseDetail, facts: CaseFacts, open: DeadlineRow[]) {
    const f = this.formats;
    const respondent = detail.respondent.name;
    const visited = ['submitted', ...facts.timeline.map((t) => t.toState.split('.')[0])];
    const tasks: ReporterTask[] = [];
    const can = (type: string) => detail.availableActions.includes(type);
    if (detail.state === 'triage.awaitingInformation' && can('PROVIDE_INFO')) {
      tasks.push({
        id: 'task-answer',
        text: facts.answerBy ? `You need to answer our questions by ${f.date(facts.answerBy)}.` : 'You need to answer our questions.',
        detail: 'If you do not answer in time, the case will be closed.',
        questions: facts.questions ?? undefined,
        href: `/cases/${detail.id}/answer`,
        linkText: 'Answer the questions',
      });
    }
    const fee = facts.fee;
    if (can('REQUEST_REVIEW')) {
      tasks.push({
        id: 'task-review',
        text: facts.reviewableUntil ? `If you think our decision is wrong, you can ask for a review until ${f.date(facts.reviewableUntil)}.` : 'If you think our decision is wrong, you can ask for a review.',
        detail: 'A caseworker who did not make the decision will look at it again.',
        href: actionPageOf(detail.id, 'REQUEST_REVIEW'),
        linkText: 'Ask for a review',
      });
    }
    if (fee && !fee.waived && detail.state === 'mediation.feeAgreement' && !fee.reporter.agreed && can('AGREE_FEE')) {
      tasks.push({
        id: 'task-fee',
        text: facts.feeAgreeBy ? `You need to tell us by ${f.date(facts.feeAgreeBy)} whether you agree to pay your share of the mediation fee.` : 'You need to tell us whether you agree to pay your share of the mediation fee.',
        detail: `Your share: ${f.pounds(fee.reporter.share)} of ${f.pounds(fee.total)}.`,
        href: `/cases/${detail.id}/agree-fee`,
        linkText: 'Agree to pay your share',
      });
    }
    if (fee && !fee.waived && fee.reporter.agreed && fee.reporter.outstanding > 0 && (detail.state === 'mediation.feeAgreement' || detail.state === 'mediation.payment')) {
      tasks.push({
        id: 'task-pay',
        text: facts.payBy
          ? `You need to pay your share of the mediation fee, ${f.pounds(fee.reporter.outstanding)}, by ${f.date(facts.payBy)}.`
          : `You need to pay your share of the mediation fee, ${f.pounds(fee.reporter.outstanding)}, once ${respondent} has agreed to pay its share. We will tell you when.`,
        instructions: facts.instructions?.paragraphs,
      });
    }
    return {
      stages: stageLines(visited, detail.stage, detail.outcome ? OUTCOME_WORDS[detail.outcome] : undefined),
      tasks,
      happensNext: open.map((d) => reporterDeadlineSentence(d, respondent, f)).filter((s): s is string => !!s),
      timeline: [...facts.timeline].reverse().map((t) => ({ at: t.at, ...historySentence(t, { respondent, feeShareOf: shareOf }, f) })),
    };
  }

  /** The full log for staff, with every detail in words: money in pounds, people by name, no codes. */
  private async staffTimeline(timeline: TimelineEntry[], contacts: Array<{ id: string; name: string }>, known: Array<{ id: string; name: string } | null>) {
    // The people the case already names (its caseworker, its mediator) are not looked up again:
    // on most cases they are everyone the log names, and the page is spared a round trip.
    const names = new Map([...known.filter((p) => p !== null).map((p) => [p.id, p.name] as const), ...contacts.map((c) => [c.id, c.name] as const)]);
    const ids = timeline.flatMap((t) => [t.details.caseworkerId, t.details.mediatorId].filter((v): v is string => typeof v === 'string' && !names.has(v)));
    for (const [id, name] of await this.directory.displayNames(ids)) names.set(id, name);
    return timeline.map((t) => ({
      ...t,
      what: t.type === 'MESSAGE' ? messageTitle(t.actorRole) : (EVENT_HEADINGS[t.type] ?? ACTION_WORDS[t.type]?.title ?? humanise(t.type)),
      // "Negotiation to Negotiation" says nothing: the move is shown only when the state changed.
      moved: !!t.fromState && t.fromState !== t.toState,
      detailList:
        t.type === 'MESSAGE'
          ? messageDetails(t)
          : Object.entries(t.details)
              .filter(([k]) => shownDetail(k))
              .map(([k, v]) => staffDetail(k, v, names, this.formats, t.details)),
    }));
  }
}

/** The audiences of messages with the public body (shown in their own section, not as notes). */
const MESSAGE_AUDIENCES = new Set<string>(['parties', 'respondent']);

/**
 * What the public body has done on the case, for the caseworker: its reply, its request for more
 * time (with where to answer it), its fee answers, times offered and actions reported done.
 */
export function publicBodyDid(detail: CaseDetail, timeline: TimelineEntry[], f: Formats) {
  const can = (type: string) => detail.availableActions.includes(type);
  const out: Array<{ text: string; quote?: string; list?: string[]; href?: string; linkText?: string }> = [];
  for (const t of timeline) {
    const on = `on ${f.date(t.at)}`;
    const byThem = t.actorRole === 'respondent';
    const d = t.details;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    switch (t.type) {
      case 'RECORD_RESPONSE':
        out.push({ text: byThem ? `Replied online ${on}:` : `Its reply was recorded by a caseworker ${on}:`, quote: str(d.summary) });
        break;
      case 'REQUEST_EXTENSION': {
        const pending = can('GRANT_EXTENSION') || can('REFUSE_EXTENSION');
        out.push({ text: `Asked ${on} for ${moreWorkingDays(d.workingDays)} to reply${pending ? '. You need to give or refuse more time.' : '.'}`, quote: str(d.reason), ...(pending ? { href: '#actions', linkText: 'Give or refuse more time' } : {}) });
        break;
      }
      case 'GRANT_EXTENSION':
        out.push({ text: `Was given ${moreWorkingDays(d.workingDays)} to reply ${on}.` });
        break;
      case 'REFUSE_EXTENSION':
        out.push({ text: `Was refused more time ${on}.` });
        break;
      case 'AGREE_FEE':
        if (d.party === 'respondent') out.push({ text: byThem ? `Agreed to pay its share of the mediation fee ${on}.` : `Its agreement to pay its share of the fee was recorded ${on}.` });
        break;
      case 'DECLINE_FEE':
        if (d.party === 'respondent') out.push({ text: `Declined the mediation fee ${on}.`, quote: str(d.reason) });
        break;
      case 'REPORT_FEE_PAID':
        if (d.party === 'respondent') out.push({ text: `Said ${on} that it has paid its share of the mediation fee. An administrator records the payment when it arrives.`, quote: str(d.note) });
        break;
      case 'PROPOSE_SESSION_TIMES':
        if (byThem) out.push({ text: `Offered times for the mediation session ${on}:`, list: Array.isArray(d.times) ? d.times.map((x) => f.dateTime(String(x))) : undefined });
        break;
      case 'REPORT_ACTIONS_DONE': {
        const open = can('CONFIRM_IMPLEMENTED');
        out.push({ text: `Said ${on} that the agreed actions are done${open ? '. Check with the reporting organisation, then confirm or report that they were not.' : '.'}`, quote: str(d.summary), ...(open ? { href: actionPageOf(detail.id, 'CONFIRM_IMPLEMENTED'), linkText: 'Confirm the agreed actions were carried out' } : {}) });
        break;
      }
      default:
    }
  }
  return out;
}

/** A message on the staff timeline: what was said, and who can read it. */
function messageDetails(t: TimelineEntry) {
  return [
    { key: 'Message', value: typeof t.details.body === 'string' ? t.details.body : '' },
    { key: 'Who can read it', value: t.details.audience === 'respondent' ? 'Only the public body and caseworkers' : 'The public body, the reporting organisation and caseworkers' },
  ];
}

/** What the case's history and clocks say for the case page and its confirmation pages. */
function factsOf(d: CaseDetail, timeline: TimelineEntry[], deadlines: DeadlineRow[], instructions: FeeInstructions | null): CaseFacts {
  const dueOf = (kind: string) => deadlines.find((x) => x.kind === kind && x.status === 'pending')?.dueAt ?? null;
  const last = (type: string) => [...timeline].reverse().find((t) => t.type === type);
  const asked = d.state === 'triage.awaitingInformation' ? last('REQUEST_INFO') : undefined;
  const rejected = d.outcome === 'rejected' ? last('REJECT') : undefined;
  return {
    detail: d,
    fee: feeMoney(d),
    questions: typeof asked?.details.questions === 'string' ? asked.details.questions : null,
    answerBy: dueOf('informationRequest'),
    feeAgreeBy: dueOf('feeAgreement'),
    payBy: dueOf('feePayment'),
    instructions,
    extension: extensionOf(timeline),
    reviewableUntil: rejected && typeof rejected.details.reviewableUntil === 'string' ? rejected.details.reviewableUntil : null,
    proposals: timeline
      .filter((t) => t.type === 'PROPOSE_SESSION_TIMES')
      .map((t) => ({
        by: t.actorRole === 'reporter' ? ('reporter' as const) : ('respondent' as const),
        times: Array.isArray(t.details.times) ? t.details.times.map(String) : [],
        note: typeof t.details.note === 'string' ? t.details.note : null,
        at: t.at,
      })),
    actionsDone: actionsDoneOf(timeline),
    rejection: rejected
      ? {
          reason: REJECTION_WORDS[String(rejected.details.reason)] ?? 'it is not something we can take up',
          explanation: typeof rejected.details.explanation === 'string' ? rejected.details.explanation : null,
        }
      : null,
    timeline,
    deadlines,
  };
}

/** What a form starts with when nothing has been typed: the working days the public body asked for, when giving more time. */
function withSuggestions(forms: NonNullable<CasePageState['forms']>, facts: CaseFacts): NonNullable<CasePageState['forms']> {
  const key = 'action:GRANT_EXTENSION';
  if (forms[key] || !facts.extension || facts.extension.decision) return forms;
  return { ...forms, [key]: { values: { workingDays: String(facts.extension.workingDays) } } };
}

/** The decisions on a review, which only a caseworker other than the one who rejected may take. */
const REVIEW_DECISIONS = new Set(['UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW']);

/** The actions offered to this caller: the review of a rejection is decided by someone else, so the rejecter is not offered a form the workflow would refuse. */
function offeredActions(seen: VisibleCase, detail: CaseDetail, userId: string): string[] {
  return rejecterOf(seen) === userId ? detail.availableActions.filter((t) => !REVIEW_DECISIONS.has(t)) : detail.availableActions;
}

/** Where an action is taken: its own page, under the case. */
export const actionPageOf = (caseId: string, type: string) => `/cases/${caseId}/actions/${type}`;

/**
 * Withdrawing, and a reporter agreeing to pay a fee, are confirmed on a page that says what
 * follows (confirmations.controller.ts), never sent by one click: the case page links there.
 */
function confirmationPageOf(type: string, caseId: string, role: string, fee: FeeMoney | null): string | null {
  if (type === 'WITHDRAW') return `/cases/${caseId}/withdraw`;
  if (type === 'AGREE_FEE' && role === 'reporter' && fee) return `/cases/${caseId}/agree-fee`;
  return null;
}

/** The case page's list of what the caller can do: each action's title, linking to the page where it is taken. */
function actionLinks(detail: CaseDetail, types: string[], role: string, fee: FeeMoney | null) {
  return types
    .filter((t) => Object.hasOwn(commandSchemas, t))
    .map((type) => {
      const w = actionWordsFor(type, role) ?? { title: humanise(type) };
      return { type, title: w.title, warning: !!w.warning, href: confirmationPageOf(type, detail.id, role, fee) ?? actionPageOf(detail.id, type) };
    });
}

/** Who rejected the case (version 2), from its workflow state. */
function rejecterOf(seen: VisibleCase): string | null {
  const by = workflowFor(seen.row.machineVersion).view(seen.row.snapshot).context.rejection?.rejectedBy;
  return typeof by === 'string' ? by : null;
}

/** Until when a rejection may be reviewed (version 2), from the case's workflow state. */
function reviewWindowOf(seen: VisibleCase): string | null {
  const until = workflowFor(seen.row.machineVersion).view(seen.row.snapshot).context.rejection?.reviewableUntil;
  return typeof until === 'string' ? until : null;
}

/** The last request for more time (a case asks once), with its answer when there is one. */
function extensionOf(timeline: TimelineEntry[]): CaseFacts['extension'] {
  const i = timeline.map((t) => t.type).lastIndexOf('REQUEST_EXTENSION');
  if (i < 0) return null;
  const asked = timeline[i];
  const answer = timeline.slice(i + 1).find((t) => t.type === 'GRANT_EXTENSION' || t.type === 'REFUSE_EXTENSION');
  return {
    reason: typeof asked.details.reason === 'string' ? asked.details.reason : '',
    workingDays: Number(asked.details.workingDays) || 0,
    at: asked.at,
    decision: answer ? (answer.type === 'GRANT_EXTENSION' ? 'granted' : 'refused') : null,
    workingDaysGranted: answer?.type === 'GRANT_EXTENSION' ? Number(answer.details.workingDays) || null : null,
    refusal: answer?.type === 'REFUSE_EXTENSION' && typeof answer.details.reason === 'string' ? answer.details.reason : null,
  };
}

/** The report that the actions are done, unless the case has been resolved again since (a new agreement). */
function actionsDoneOf(timeline: TimelineEntry[]): CaseFacts['actionsDone'] {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const t = timeline[i];
    if (t.type === 'REPORT_ACTIONS_DONE') return { summary: typeof t.details.summary === 'string' ? t.details.summary : '', at: t.at };
    if (t.type === 'RESOLVE' || t.type === 'AGREE' || t.type === 'RECORD_OUTCOME' || t.type === 'REPORT_NOT_IMPLEMENTED') return null;
  }
  return null;
}

/** The fee in money: each party's share, paid and outstanding, worked out as the workflow does. */
export function feeMoney(d: CaseDetail): FeeMoney | null {
  if (!d.fee) return null;
  const shares = feeShares({ amountPence: d.fee.amountPence, reporterSharePercent: d.fee.reporterSharePercent });
  return {
    total: d.fee.amountPence,
    waived: d.fee.waived,
    reporter: { share: shares.reporter, paid: d.fee.paidByReporterPence, outstanding: shares.reporter - d.fee.paidByReporterPence, agreed: d.fee.agreedByReporter },
    respondent: { share: shares.respondent, paid: d.fee.paidByRespondentPence, outstanding: shares.respondent - d.fee.paidByRespondentPence, agreed: d.fee.agreedByRespondent },
  };
}
