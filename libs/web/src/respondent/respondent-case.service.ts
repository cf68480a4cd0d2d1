import { Injectable } from '@nestjs/common';
import { CaseAccess, CaseNotes, CaseTimeline, CaseViews, VisibleCase } from '@cc/cases';
import { ListEvidence } from '@cc/evidence';
import { commandSchemas, feeShares } from '@cc/workflows';
import { whereItStands } from '@cc/wording';
import type { WebSession } from '../web-sessions.service';
import { Renderer, humanise } from '../renderer';
import { pageContext } from '../page';
import { actionWordsFor } from '../case-work/action-labels';
import type { CasePageState } from '../case-work/case-page.service';
import { actionPageOf, feeMoney } from '../case-work/case-page.service';
import type { Formats } from '../case-work/state-words';
import { capitalised, respondentDeadlineSentence, respondentHistorySentence } from './respondent-words';

/** The actions the public body takes on pages of their own (a reply or a report with documents), not by the case page's forms. */
export const OWN_PAGES: Record<string, { href: (id: string) => string; text: string }> = {
  RECORD_RESPONSE: { href: (id) => `/cases/${id}/reply`, text: 'Reply online' },
  REPORT_ACTIONS_DONE: { href: (id) => `/cases/${id}/actions-done`, text: 'Tell us the agreed actions are done' },
};

/** The clock each task's date comes from. */
const TASK_CLOCK: Record<string, string> = { 'task-reply': 'respondentReply', 'task-fee': 'feeAgreement', 'task-pay': 'feePayment', 'task-actions': 'monitoring' };

/** Something the public body has to do now, with when by and where. */
export interface RespondentTask {
  id: string;
  text: string;
  detail?: string;
  href?: string;
  linkText?: string;
}

const respondentShareOf = (amountPence: number, reporterSharePercent: number) => feeShares({ amountPence, reporterSharePercent }).respondent;

/**
 * The public body's case page: where the case stands and what they need to do by when, the report
 * as filed, the documents shared with them, messages and the events about them. Every read goes
 * through the cases and evidence libraries, which decide what a respondent may see.
 */
@Injectable()
export class RespondentCaseData {
  private readonly formats: Formats;

  constructor(
    private readonly access: CaseAccess,
    private readonly views: CaseViews,
    private readonly timeline: CaseTimeline,
    private readonly notes: CaseNotes,
    private readonly evidence: ListEvidence,
    renderer: Renderer,
  ) {
    const filter = (name: string) => renderer.env.getFilter(name) as (v: unknown) => string;
    this.formats = { date: filter('date'), dateTime: filter('dateTime'), pounds: filter('pounds') };
  }

  /** The case, checked: a respondent not named on it gets the same 404 as for a case that does not exist. */
  visible(session: WebSession, id: string): Promise<VisibleCase> {
    return this.access.visible(session.caller, id);
  }

  async context(session: WebSession, id: string, state: CasePageState = {}): Promise<Record<string, unknown>> {
    const { seen, detail } = await this.views.visibleDetail(session.caller, id);
    const [timeline, messages, evidence] = await Promise.all([this.timeline.of(seen), this.notes.messagesOf(seen), this.evidence.of(seen)]);
    const f = this.formats;
    const reporter = detail.reportingOrganisation.name;
    const can = (type: string) => detail.availableActions.includes(type);
    const fee = feeMoney(detail);
    const deadlines = (detail.respondentDeadlines ?? []).map((d) => ({ ...d, sentence: respondentDeadlineSentence(d, f) }));
    const dueOf = (kind: string) => deadlines.find((d) => d.kind === kind && !d.paused)?.dueAt ?? null;
    const extension = extensionOf(timeline);
    const tasks: RespondentTask[] = [];
    if (can('RECORD_RESPONSE')) {
      const by = dueOf('respondentReply');
      tasks.push({
        id: 'task-reply',
        text: by ? `Reply by ${f.date(by)}.` : 'Reply to the caseworker.',
        detail: can('REQUEST_EXTENSION') ? 'If you cannot reply in time, you can ask for more time once.' : undefined,
        href: OWN_PAGES.RECORD_RESPONSE.href(detail.id),
        linkText: 'Reply online',
      });
    }
    if (fee && !fee.waived && (can('AGREE_FEE') || can('DECLINE_FEE')) && !fee.respondent.agreed) {
      const by = dueOf('feeAgreement');
      tasks.push({
        id: 'task-fee',
        text: by ? `Tell us by ${f.date(by)} whether you agree to pay your share of the mediation fee.` : 'Tell us whether you agree to pay your share of the mediation fee.',
        detail: `Your share: ${f.pounds(fee.respondent.share)} of ${f.pounds(fee.total)}.`,
        // Agreeing and declining are two actions, each on its own page; the agreeing one links to declining.
        href: actionPageOf(detail.id, can('AGREE_FEE') ? 'AGREE_FEE' : 'DECLINE_FEE'),
        linkText: 'Agree or decline the fee',
      });
    }
    if (fee && !fee.waived && can('REPORT_FEE_PAID') && fee.respondent.outstanding > 0) {
      const by = dueOf('feePayment');
      tasks.push({
        id: 'task-pay',
        text: by ? `Pay your share of the mediation fee, ${f.pounds(fee.respondent.outstanding)}, by ${f.date(by)}.` : `Pay your share of the mediation fee, ${f.pounds(fee.respondent.outstanding)}.`,
        detail: 'When you have paid, tell us so we can look for your payment.',
        href: actionPageOf(detail.id, 'REPORT_FEE_PAID'),
        linkText: 'Tell us you have paid',
      });
    }
    if (can('PROPOSE_SESSION_TIMES') && !detail.session) {
      tasks.push({ id: 'task-times', text: 'Offer times you can attend the mediation session.', href: actionPageOf(detail.id, 'PROPOSE_SESSION_TIMES'), linkText: 'Offer times' });
    }
    if (can('REPORT_ACTIONS_DONE')) {
      const by = dueOf('monitoring') ?? detail.monitorUntil;
      tasks.push({
        id: 'task-actions',
        text: by ? `Carry out the agreed actions by ${f.date(by)}, then tell us they are done.` : 'Carry out the agreed actions, then tell us they are done.',
        href: OWN_PAGES.REPORT_ACTIONS_DONE.href(detail.id),
        linkText: 'Tell us the agreed actions are done',
      });
    }
    // Every action has a page of its own (a reply and a report with documents have their own steps): the case page links to each.
    const actions = detail.availableActions
      .filter((t) => Object.hasOwn(commandSchemas, t))
      .map((type) => ({ type, title: OWN_PAGES[type]?.text ?? actionWordsFor(type, 'respondent')?.title ?? humanise(type), href: OWN_PAGES[type]?.href(detail.id) ?? actionPageOf(detail.id, type) }));
    return {
      ...pageContext(session, { title: `${detail.reference}: ${detail.title}`, currentPath: `/cases/${detail.id}` }),
      c: detail,
      reporter,
      reporterSentence: capitalised(reporter),
      stands: whereItStands(detail.state, 'respondent'),
      tasks,
      // A date already said as something to do is not said again.
      deadlines: deadlines.filter((d) => d.sentence && !tasks.some((t) => TASK_CLOCK[t.id] === d.kind)),
      extension,
      fee,
      actions,
      evidence,
      messages,
      timeline: [...timeline].reverse().map((t) => ({ at: t.at, ...respondentHistorySentence(t, { reporter, respondentShareOf }, f) })),
      facts: Object.entries(detail.facts ?? {}).map(([k, v]) => ({ key: humanise(k), value: typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v) })),
      forms: state.forms ?? {},
      errorList: state.errorList,
      flash: state.flash,
      conflict: state.conflict,
      canUpload: detail.stage !== 'closed',
    };
  }
}

/** The one request for more time, and its answer (from the events the public body sees). */
function extensionOf(timeline: Array<{ type: string; at: string; details: Record<string, unknown> }>) {
  const i = timeline.map((t) => t.type).lastIndexOf('REQUEST_EXTENSION');
  if (i < 0) return null;
  const answer = timeline.slice(i + 1).find((t) => t.type === 'GRANT_EXTENSION' || t.type === 'REFUSE_EXTENSION');
  return {
    workingDays: Number(timeline[i].details.workingDays) || 0,
    at: timeline[i].at,
    decision: answer ? (answer.type === 'GRANT_EXTENSION' ? 'granted' : 'refused') : null,
    workingDaysGranted: answer?.type === 'GRANT_EXTENSION' ? Number(answer.details.workingDays) || 0 : null,
    refusal: answer?.type === 'REFUSE_EXTENSION' && typeof answer.details.reason === 'string' ? answer.details.reason : null,
  };
}
