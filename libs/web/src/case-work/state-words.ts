import { CLOSED_BECAUSE, DEADLINE_LABELS, MEDIATION_RESULT_WORDS, REJECTION_REASON_WORDS, REPORTER_STAGES, type DetailFormats, detailLabel, detailText, moreWorkingDays } from '@cc/wording';

/** The words live in @cc/wording, shared with the e-mails; these names are the pages' own. */
export { KNOWN_STATES, REPORTER_STAGES, moreWorkingDays, whereItStands } from '@cc/wording';

/** Deadline kinds in plain words. */
export const DEADLINE_WORDS: Record<string, string> = DEADLINE_LABELS;

/** How dates and money are written on pages; given by the renderer, so every page writes them alike. */
export type Formats = DetailFormats;

/** What usually comes after each stage, for the "next" line of the stages list. */
const NEXT_STAGE: Record<string, string | null> = {
  submitted: 'triage',
  triage: 'advocacy',
  advocacy: null,
  negotiation: 'resolved',
  mediation: 'resolved',
  campaigning: 'closed',
  resolved: 'closed',
  closed: null,
};

/** Several ways on from advocacy, so the next step is said rather than named as one stage. */
const AFTER_ADVOCACY = 'Reaching an agreement: by talking with the public body, through mediation or by wider campaigning';

export interface StageLine {
  text: string;
  status: 'done' | 'current' | 'next';
}

/**
 * The case's stages as done, current and next: the stages it has been through (in the order it
 * first reached them), the one it is in, and what usually follows.
 */
export function stageLines(visited: string[], current: string, outcomeText?: string): StageLine[] {
  const seen: string[] = [];
  for (const s of visited) if (s !== current && !seen.includes(s) && REPORTER_STAGES[s]) seen.push(s);
  // A reopened case has been closed before the stage it is in now.
  const lines: StageLine[] = seen.map((s) => ({ text: s === 'closed' ? 'Case closed, then reopened' : REPORTER_STAGES[s], status: 'done' }));
  const currentText = REPORTER_STAGES[current] ?? 'In progress';
  lines.push({ text: current === 'closed' && outcomeText ? `${currentText}: ${outcomeText}` : currentText, status: 'current' });
  if (current === 'advocacy') lines.push({ text: AFTER_ADVOCACY, status: 'next' });
  const next = NEXT_STAGE[current];
  if (next) lines.push({ text: REPORTER_STAGES[next], status: 'next' });
  return lines;
}

/** A closed case's outcome, as the reporter's stages list ends it. */
export const OUTCOME_WORDS: Record<string, string> = CLOSED_BECAUSE;

/** Why a report was not taken up, in words (the REJECT event's reason), as it reads after "because". */
export const REJECTION_WORDS: Record<string, string> = Object.fromEntries(Object.entries(REJECTION_REASON_WORDS).map(([code, w]) => [code, w.because]));

interface RunningClock {
  kind: string;
  status: string;
  dueAt: string | null;
}

/** A running clock as the reporter would say it, or null when it only repeats what they need to do (said above it). */
export function reporterDeadlineSentence(d: RunningClock, respondent: string, f: Formats): string | null {
  const by = d.dueAt ? f.date(d.dueAt) : '';
  if (d.status === 'paused') {
    return d.kind === 'triage' ? 'Our decision on whether we can take up your case waits until you answer our questions.' : 'This is paused while we wait for you.';
  }
  switch (d.kind) {
    case 'triage':
      return `We aim to decide whether we can take up your case by ${by}.`;
    case 'informationRequest':
      return null;
    case 'feeAgreement':
      return `If you and ${respondent} both agree the fee by ${by}, it is then paid and we appoint a mediator.`;
    case 'feePayment':
      return `Once the whole fee is paid, by ${by}, we appoint a mediator.`;
    case 'respondentReply':
      return `${respondent} has until ${by} to reply to us.`;
    case 'negotiationReview':
      return `We will review how the negotiation is going by ${by}.`;
    case 'sessionReminder':
      return `We will remind you about the mediation session on ${by}.`;
    case 'monitoring':
      return `${respondent} should carry out the agreed actions by ${by}. We will then check with you that they were.`;
    default:
      return by ? `Something is due by ${by}.` : null;
  }
}

export interface HistoryEntry {
  type: string;
  at: string;
  actorRole: string;
  details: Record<string, unknown>;
}

export interface HistoryFacts {
  respondent: string;
  /** The fee quoted at the time of the entry, for payments and shares. */
  feeShareOf?: (amountPence: number, percent: number) => number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * One event of the case's history as a sentence a reporter understands, with its date; and what
 * was said with it (the questions, the answer, a reason), when there is something to quote.
 */
export function historySentence(e: HistoryEntry, facts: HistoryFacts, f: Formats): { text: string; quote?: string; list?: string[] } {
  const on = `on ${f.date(e.at)}`;
  const d = e.details;
  const body = facts.respondent;
  switch (e.type) {
    case 'SUBMITTED':
      return { text: `We received your report ${on}.` };
    case 'ASSIGN':
      return { text: `A caseworker was given your case ${on}.` };
    case 'REQUEST_INFO':
      return { text: `We asked you some questions ${on}.`, quote: str(d.questions) || undefined };
    case 'PROVIDE_INFO':
      return { text: `You answered our questions ${on}.`, quote: str(d.answer) || undefined };
    case 'INFORMATION_OVERDUE':
      return { text: `The time to answer our questions ran out ${on}, so the case was closed.` };
    case 'ACCEPT':
      return { text: `We took up your case ${on}.` };
    case 'REJECT':
      return { text: `We decided ${on} that we cannot take up your case${REJECTION_WORDS[str(d.reason)] ? `, because ${REJECTION_WORDS[str(d.reason)]}` : ''}.`, quote: str(d.explanation) || undefined };
    case 'CONTACT_RESPONDENT':
      return { text: `We contacted ${body} ${on}.` };
    case 'CHASE':
      return { text: `We chased ${body} for a reply ${on}.` };
    case 'RESPONSE_OVERDUE':
      return { text: `${body} did not reply in time: the time to reply ran out ${on}.` };
    case 'RECORD_RESPONSE':
      return { text: `${body} replied to us ${on}.` };
    case 'RESOLVE':
      return { text: `${body} agreed ${on} to put things right.`, list: agreed(d, f) };
    case 'OPEN_NEGOTIATION':
      return { text: `We started negotiating with ${body} ${on}.` };
    case 'RECORD_MEETING':
      return { text: `We recorded a meeting with ${body} ${on}.` };
    case 'AGREE':
      return { text: `We reached an agreement with ${body} ${on}.`, list: agreed(d, f) };
    case 'REFER_TO_MEDIATION':
      return { text: `We referred the case to mediation ${on}.` };
    case 'CAMPAIGN':
      return { text: `We started wider campaigning on the issue ${on}.`, quote: str(d.plan) || undefined };
    case 'RECORD_ACTIVITY':
      return { text: `We recorded campaign activity ${on}.` };
    case 'CLOSE':
      return { text: `We ended the campaign and closed the case ${on}${d.outcome === 'resolved' ? ': the issue was resolved' : d.outcome === 'unresolved' ? ': the issue was not resolved' : ''}.`, quote: str(d.summary) || undefined };
    case 'CLOSE_UNRESOLVED':
      return { text: `We closed the case without an agreement ${on}.`, quote: str(d.reason) || undefined };
    case 'QUOTE_FEE': {
      const amount = typeof d.amountPence === 'number' ? d.amountPence : null;
      const pct = typeof d.reporterSharePercent === 'number' ? d.reporterSharePercent : null;
      if (amount === null) return { text: `We quoted a fee for the mediation ${on}.` };
      const share = pct !== null && facts.feeShareOf ? ` Your share is ${f.pounds(facts.feeShareOf(amount, pct))}.` : '';
      return { text: `We quoted a fee of ${f.pounds(amount)} for the mediation ${on}.${share}` };
    }
    case 'AGREE_FEE':
      return { text: d.party === 'reporter' ? `You agreed to pay your share of the mediation fee ${on}.` : `${body} agreed to pay its share of the mediation fee ${on}.` };
    case 'DECLINE_FEE':
      return { text: d.party === 'reporter' ? `You declined the mediation fee ${on}.` : `${body} declined the mediation fee ${on}.`, quote: str(d.reason) || undefined };
    case 'FEE_AGREEMENT_OVERDUE':
      return { text: `The time to agree or pay the mediation fee ran out ${on}, so your caseworker is deciding what to do next.` };
    case 'WAIVE_FEE':
      return { text: `The mediation fee was waived ${on}: nobody has to pay it.` };
    case 'RECORD_PAYMENT': {
      const amount = typeof d.amountPence === 'number' ? f.pounds(d.amountPence) : 'a payment';
      return { text: d.party === 'reporter' ? `We received ${amount} from you towards the mediation fee ${on}.` : `We received ${amount} from ${body} towards the mediation fee ${on}.` };
    }
    case 'APPOINT_MEDIATOR':
      return { text: `A mediator was appointed ${on}.` };
    case 'SCHEDULE_SESSION':
    case 'RESCHEDULE': {
      const when = str(d.startsAt) ? ` for ${f.dateTime(str(d.startsAt))}` : '';
      const where = str(d.location) ? ` at ${str(d.location)}` : '';
      return { text: `${e.type === 'RESCHEDULE' ? 'The mediation session was moved' : 'The mediation session was arranged'} ${on}${when}${where}.`, quote: str(d.reason) || undefined };
    }
    case 'RECORD_SESSION_HELD':
      return { text: `The mediation session took place: the mediator recorded it ${on}.` };
    case 'RECORD_OUTCOME': {
      const result = MEDIATION_RESULT_WORDS[str(d.result) as keyof typeof MEDIATION_RESULT_WORDS]?.clause ?? 'ended';
      return { text: `The mediator recorded ${on} that the mediation ${result}.`, quote: str(d.summary) || undefined, list: agreed(d, f) };
    }
    case 'CONFIRM_IMPLEMENTED':
      return { text: `We confirmed ${on} that the agreed actions were carried out, and closed the case.` };
    case 'REPORT_NOT_IMPLEMENTED':
      return { text: `We heard ${on} that the agreed actions were not carried out, so we are looking at the case again.`, quote: str(d.details) || undefined };
    case 'WITHDRAW':
      return { text: e.actorRole === 'reporter' ? `You withdrew the case ${on}.` : `We withdrew the case for you ${on}.`, quote: str(d.reason) || undefined };
    case 'REOPEN':
      return { text: `We reopened the case ${on}.`, quote: str(d.reason) || undefined };
    // Version 2
    case 'REQUEST_EXTENSION':
      return { text: `${body} asked ${on} for ${moreWorkingDays(d.workingDays)} to reply.` };
    case 'GRANT_EXTENSION':
      return { text: `We gave ${body} ${moreWorkingDays(d.workingDays)} to reply ${on}.` };
    case 'REFUSE_EXTENSION':
      return { text: `We did not give ${body} more time to reply ${on}.` };
    case 'REPORT_FEE_PAID':
      return { text: d.party === 'reporter' ? `You told us ${on} that you have paid your share of the mediation fee.` : `${body} told us ${on} that it has paid its share of the mediation fee.` };
    case 'PROPOSE_SESSION_TIMES':
      return { text: e.actorRole === 'reporter' ? `You offered times for the mediation session ${on}.` : `${body} offered times for the mediation session ${on}.`, list: timesOf(d, f) };
    case 'REPORT_ACTIONS_DONE':
      return { text: `${body} told us ${on} that the agreed actions are done. We will check with you.`, quote: str(d.summary) || undefined };
    case 'REQUEST_REVIEW':
      return { text: `You asked us ${on} to review our decision not to take up your case.`, quote: str(d.reason) || undefined };
    case 'UPHOLD_REJECTION':
      return { text: `Another caseworker reviewed our decision ${on}. The decision stands: we cannot take up your case.`, quote: str(d.explanation) || undefined };
    case 'REOPEN_AFTER_REVIEW':
      return { text: `Another caseworker reviewed our decision ${on} and reopened your case.`, quote: str(d.explanation) || undefined };
    case 'MESSAGE': {
      const who = e.actorRole === 'reporter' ? 'You wrote' : e.actorRole === 'respondent' ? `${body} wrote` : `Your caseworker wrote to ${body}`;
      return { text: `${who} ${on}:`, quote: str(d.body) || undefined };
    }
    case 'MOVED_TO_VERSION_2':
      return { text: `Your case moved to the new version of our process ${on}. Nothing you have done is lost.` };
    default:
      return { text: `The case was updated ${on}.` };
  }
}

/** The times a party offered for a session, as dates and times. */
function timesOf(d: Record<string, unknown>, f: Formats): string[] | undefined {
  const times = Array.isArray(d.times) ? d.times.filter((t): t is string => typeof t === 'string') : [];
  return times.length ? times.map((t) => f.dateTime(t)) : undefined;
}

function agreed(d: Record<string, unknown>, f: Formats): string[] | undefined {
  const actions = Array.isArray(d.agreedActions) ? d.agreedActions.map(String) : [];
  if (!actions.length) return undefined;
  return typeof d.monitorUntil === 'string' ? [...actions, `To be done by ${f.date(d.monitorUntil)}.`] : actions;
}


/** Details kept for the workflow that say nothing to a person (the one who acted is shown already). */
const HIDDEN_DETAILS = new Set(['actorId']);

/** Whether an event detail is shown to staff. */
export const shownDetail = (key: string) => !HIDDEN_DETAILS.has(key);

/**
 * One detail of an event for staff, written for people (@cc/wording's detailText, with the page's
 * formats): money in pounds, people by name, dates as dates, choices in words.
 */
export function staffDetail(key: string, value: unknown, names: ReadonlyMap<string, string>, f: Formats, event: Record<string, unknown>): { key: string; value: string } {
  return { key: detailLabel(key), value: detailText(key, value, event, names, f) ?? '' };
}
