import { MEDIATION_RESULT_WORDS } from '@cc/wording';
import { type Formats, type HistoryEntry, moreWorkingDays } from '../case-work/state-words';

/** What the public body's pages need to say who is who. */
export interface RespondentFacts {
  /** The reporting organisation as the public body may know it ("a voluntary organisation in Leicester" when not named). */
  reporter: string;
  /** The reporter's share of a quoted fee, for the public body's own share. */
  respondentShareOf?: (amountPence: number, percent: number) => number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** "a voluntary organisation in Leicester" at the start of a sentence. */
export const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * One event as the public body reads it: "you" for the public body, the caseworker by role, the
 * reporter as it may be named. The events and fields a public body sees are chosen by the cases
 * library (respondent timeline); this only words them, never adding a reason it was not given.
 */
export function respondentHistorySentence(e: HistoryEntry, facts: RespondentFacts, f: Formats): { text: string; quote?: string; list?: string[]; onlyUs?: boolean } {
  const on = `on ${f.date(e.at)}`;
  const d = e.details;
  const reporter = facts.reporter;
  const byUs = e.actorRole === 'respondent';
  switch (e.type) {
    case 'SUBMITTED':
      return { text: `${capitalised(reporter)} reported a breach of the Compact ${on}.` };
    case 'CONTACT_RESPONDENT':
      return { text: `The caseworker contacted you about this case ${on}.`, quote: str(d.summary) || undefined };
    case 'CHASE':
      return { text: `The caseworker reminded you ${on} that your reply is due.` };
    case 'RESPONSE_OVERDUE':
      return { text: `The time to reply ran out ${on}.` };
    case 'RECORD_RESPONSE':
      return { text: byUs ? `You replied ${on}.` : `The caseworker recorded your reply ${on}.`, quote: str(d.summary) || undefined };
    case 'REQUEST_EXTENSION':
      return { text: `You asked ${on} for ${moreWorkingDays(d.workingDays)} to reply.`, quote: str(d.reason) || undefined };
    case 'GRANT_EXTENSION':
      return { text: `The caseworker gave you ${moreWorkingDays(d.workingDays)} to reply ${on}.`, quote: str(d.note) || undefined };
    case 'REFUSE_EXTENSION':
      return { text: `The caseworker did not give you more time to reply ${on}.`, quote: str(d.reason) || undefined };
    case 'QUOTE_FEE': {
      const amount = typeof d.amountPence === 'number' ? d.amountPence : null;
      const pct = typeof d.reporterSharePercent === 'number' ? d.reporterSharePercent : null;
      if (amount === null) return { text: `A fee for mediation was quoted ${on}.` };
      const share = pct !== null && facts.respondentShareOf ? ` Your share is ${f.pounds(facts.respondentShareOf(amount, pct))}.` : '';
      return { text: `A fee of ${f.pounds(amount)} was quoted for the mediation ${on}.${share}` };
    }
    case 'AGREE_FEE':
      return { text: d.party === 'respondent' ? `You agreed to pay your share of the mediation fee ${on}.` : `${capitalised(reporter)} agreed to pay its share of the mediation fee ${on}.` };
    case 'DECLINE_FEE':
      return { text: d.party === 'respondent' ? `You declined the mediation fee ${on}.` : `${capitalised(reporter)} declined the mediation fee ${on}.` };
    case 'WAIVE_FEE':
      return { text: `The mediation fee was waived ${on}: nobody has to pay it.` };
    case 'REPORT_FEE_PAID':
      return { text: d.party === 'respondent' ? `You told us ${on} that you have paid your share of the mediation fee.` : `${capitalised(reporter)} said ${on} that it has paid its share of the mediation fee.` };
    case 'RECORD_PAYMENT': {
      const amount = typeof d.amountPence === 'number' ? f.pounds(d.amountPence) : 'a payment';
      return { text: d.party === 'respondent' ? `We received ${amount} from you towards the mediation fee ${on}.` : `We received ${amount} from ${reporter} towards the mediation fee ${on}.` };
    }
    case 'FEE_AGREEMENT_OVERDUE':
      return { text: `The time to agree or pay the mediation fee ran out ${on}.` };
    case 'APPOINT_MEDIATOR':
      return { text: `A mediator was appointed ${on}.` };
    case 'PROPOSE_SESSION_TIMES':
      return { text: byUs ? `You offered times for the mediation session ${on}.` : `${capitalised(reporter)} offered times for the mediation session ${on}.`, list: timesOf(d, f) };
    case 'SCHEDULE_SESSION':
    case 'RESCHEDULE': {
      const when = str(d.startsAt) ? ` for ${f.dateTime(str(d.startsAt))}` : '';
      const where = str(d.location) ? ` at ${str(d.location)}` : '';
      return { text: `${e.type === 'RESCHEDULE' ? 'The mediation session was moved' : 'The mediation session was arranged'} ${on}${when}${where}.` };
    }
    case 'RECORD_SESSION_HELD':
      return { text: `The mediation session took place: the mediator recorded it ${on}.` };
    case 'RESOLVE':
      return { text: `You agreed ${on} to put things right.`, list: agreed(d, f) };
    case 'AGREE':
      return { text: `An agreement was reached ${on}.`, list: agreed(d, f) };
    case 'RECORD_OUTCOME': {
      const result = MEDIATION_RESULT_WORDS[str(d.result) as keyof typeof MEDIATION_RESULT_WORDS]?.clause ?? 'ended';
      return { text: `The mediator recorded ${on} that the mediation ${result}.`, quote: str(d.summary) || undefined, list: agreed(d, f) };
    }
    case 'REPORT_ACTIONS_DONE':
      return { text: `You told us ${on} that the agreed actions are done.`, quote: str(d.summary) || undefined };
    case 'CONFIRM_IMPLEMENTED':
      return { text: `The caseworker confirmed ${on} that the agreed actions were carried out, and closed the case.` };
    case 'REPORT_NOT_IMPLEMENTED':
      return { text: `The caseworker recorded ${on} that the agreed actions were not carried out, and is looking at the case again.`, quote: str(d.details) || undefined };
    case 'CLOSE':
    case 'CLOSE_UNRESOLVED':
      return { text: `The case was closed ${on}.` };
    case 'WITHDRAW':
      return { text: `The case was withdrawn and closed ${on}.` };
    case 'MESSAGE': {
      const who = byUs ? 'You wrote' : e.actorRole === 'reporter' ? `${capitalised(reporter)} wrote` : 'The caseworker wrote';
      const onlyUs = d.audience === 'respondent';
      return { text: `${who} ${on}${onlyUs ? ', only between you and the caseworker' : ''}:`, quote: str(d.body) || undefined, onlyUs };
    }
    default:
      return { text: `The case was updated ${on}.` };
  }
}

function timesOf(d: Record<string, unknown>, f: Formats): string[] | undefined {
  const times = Array.isArray(d.times) ? d.times.filter((t): t is string => typeof t === 'string') : [];
  return times.length ? times.map((t) => f.dateTime(t)) : undefined;
}

function agreed(d: Record<string, unknown>, f: Formats): string[] | undefined {
  const actions = Array.isArray(d.agreedActions) ? d.agreedActions.map(String) : [];
  if (!actions.length) return undefined;
  return typeof d.monitorUntil === 'string' ? [...actions, `To be done by ${f.date(d.monitorUntil)}.`] : actions;
}

/** A clock that waits on the public body, as what it has to do by when ("Reply by 29 January 2027."). */
export function respondentDeadlineSentence(d: { kind: string; dueAt: string | null; paused: boolean }, f: Formats): string | null {
  if (d.paused || !d.dueAt) return d.paused ? 'This is paused while we wait for the reporting organisation.' : null;
  const by = f.date(d.dueAt);
  switch (d.kind) {
    case 'respondentReply':
      return `Reply by ${by}.`;
    case 'feeAgreement':
      return `Tell us by ${by} whether you agree to pay your share of the mediation fee.`;
    case 'feePayment':
      return `Pay your share of the mediation fee by ${by}.`;
    case 'monitoring':
      return `Carry out the agreed actions by ${by}, then tell us they are done.`;
    case 'sessionReminder':
      return null;
    default:
      return `Something is due by ${by}.`;
  }
}
