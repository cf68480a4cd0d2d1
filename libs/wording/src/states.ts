/** Where a case is, in words: its states for staff, its stages for reporters, and "where it stands". */
import { DEADLINE_KINDS as D } from '@cc/workflows';
import { CHASE_DAYS, REOPEN_DAYS, SESSION_REMINDER_DAYS, days, workingDays } from './periods';

/** "triage.reviewing" -> "Triage: reviewing"; "REQUEST_INFO" -> "Request info". The last resort for a code with no words of its own. */
export function humanise(value: string): string {
  const words = (s: string) => s.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const [head, ...rest] = value.split('.');
  const first = words(head);
  const text = rest.length ? `${first}: ${rest.map(words).join(', ')}` : first;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Each state (and stage) of a case as staff would say where it is. */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  submitted: 'New report, waiting for a caseworker',
  triage: 'Triage',
  'triage.reviewing': 'Triage',
  'triage.awaitingInformation': 'Triage: waiting for information from the reporter',
  advocacy: 'Advocacy',
  'advocacy.preparing': 'Advocacy: preparing to contact the public body',
  'advocacy.awaitingResponse': "Advocacy: waiting for the public body's reply",
  'advocacy.responseOverdue': "Advocacy: the public body's reply is overdue",
  'advocacy.reviewing': 'Advocacy: deciding the next step',
  negotiation: 'Negotiation',
  mediation: 'Mediation',
  'mediation.feeQuoting': 'Mediation: setting the fee',
  'mediation.feeAgreement': 'Mediation: waiting for both sides to agree the fee',
  'mediation.payment': 'Mediation: waiting for the fee to be paid',
  'mediation.appointment': 'Mediation: appointing a mediator',
  'mediation.scheduling': 'Mediation: arranging a session',
  'mediation.sessionScheduled': 'Mediation: session arranged',
  'mediation.sessionHeld': 'Mediation: session held, waiting for the outcome',
  campaigning: 'Wider campaigning',
  resolved: 'Resolved: checking the agreed actions',
  closed: 'Closed',
};

/** A state in staff's words; a state added later without words is still said, never shown as its code. */
export function stateName(state: string): string | undefined {
  if (!state) return undefined;
  return STATE_NAMES[state] ?? humanise(state);
}

/** The stages a reporter sees, in the order a case usually goes through them. */
export const REPORTER_STAGES: Readonly<Record<string, string>> = {
  submitted: 'Report received',
  triage: 'Checking the report',
  advocacy: 'Taking it up with the public body',
  negotiation: 'Negotiating with the public body',
  mediation: 'Mediation with an independent mediator',
  campaigning: 'Wider campaigning',
  resolved: 'Agreement reached: checking it is carried out',
  closed: 'Case closed',
};

/** "Where your case stands", in plain words, for each state: one sentence for reporters, one for staff. */
const WHERE_IT_STANDS: Readonly<Record<string, { reporter: string; staff: string }>> = {
  submitted: {
    reporter: `We have your report. A caseworker will look at it and decide whether we can take it up, usually within ${workingDays(D.triage.workingDays)}.`,
    staff: `New report, not yet assigned. Assign a caseworker to start triage (target: ${workingDays(D.triage.workingDays)} from submission).`,
  },
  'triage.reviewing': {
    reporter: 'A caseworker is reviewing your report to decide whether we can take it up.',
    staff: 'In triage: accept it, reject it with a reason, or ask the reporter for more information.',
  },
  'triage.awaitingInformation': {
    reporter: `We have asked you some questions. Please answer them within ${workingDays(D.informationRequest.workingDays)}, or the case will lapse.`,
    staff: `Waiting for the reporter to answer questions (${workingDays(D.informationRequest.workingDays)}); the triage clock is paused.`,
  },
  'advocacy.preparing': {
    reporter: 'We have taken up your case and are preparing to contact the public body.',
    staff: 'Accepted: contact the public body when ready.',
  },
  'advocacy.awaitingResponse': {
    reporter: `We have written to the public body. They have ${workingDays(D.respondentReply.workingDays)} to reply.`,
    staff: `Waiting for the public body to reply (${workingDays(D.respondentReply.workingDays)}, reminder at ${D.respondentReply.reminderAfterWorkingDays}).`,
  },
  'advocacy.responseOverdue': {
    reporter: 'The public body has not replied in time. Your caseworker will chase them.',
    staff: `The public body has not replied in time: chase them (${CHASE_DAYS} more working days) or record their response.`,
  },
  'advocacy.reviewing': {
    reporter: 'The public body has replied. Your caseworker is deciding what to do next with you.',
    staff: "Review the public body's response: resolve, negotiate, refer to mediation, campaign, or close unresolved.",
  },
  negotiation: {
    reporter: 'Your caseworker is negotiating with the public body on your behalf.',
    staff: `In negotiation: record meetings (review every ${workingDays(D.negotiationReview.workingDays)}), agree, refer to mediation or close unresolved.`,
  },
  'mediation.feeQuoting': {
    reporter: 'The case is going to mediation. We will tell you the fee and how it is shared.',
    staff: 'Referred to mediation: quote the fee (or an administrator may waive it).',
  },
  'mediation.feeAgreement': {
    reporter: `The mediation fee has been quoted. Please agree or decline it within ${workingDays(D.feeAgreement.workingDays)}.`,
    staff: `Waiting for both parties to agree the fee (${workingDays(D.feeAgreement.workingDays)}).`,
  },
  'mediation.payment': {
    reporter: 'Both parties agreed the fee. We are waiting for it to be paid.',
    staff: 'Fee agreed: record payments until it is paid in full.',
  },
  'mediation.appointment': {
    reporter: 'The fee is settled. A mediator is being appointed.',
    staff: 'Appoint a mediator who is not tied to either party.',
  },
  'mediation.scheduling': {
    reporter: 'A mediator has been appointed and will arrange the session.',
    staff: 'Mediator appointed: they will schedule the session.',
  },
  'mediation.sessionScheduled': {
    reporter: `The mediation session is booked. You will get a reminder ${days(SESSION_REMINDER_DAYS)} before.`,
    staff: 'Session booked: the mediator records it once held.',
  },
  'mediation.sessionHeld': {
    reporter: 'The mediation session has taken place. The mediator will record the outcome.',
    staff: 'Session held: the mediator records the outcome or books another session.',
  },
  campaigning: {
    reporter: 'We are campaigning and lobbying on the issue more widely.',
    staff: 'Campaigning: record activity, and close with an outcome when done.',
  },
  resolved: {
    reporter: 'An agreement was reached. We are checking the agreed actions are carried out.',
    staff: 'Resolved: monitor the agreed actions until the date set, then confirm or report them not done.',
  },
  closed: {
    reporter: `This case is closed. If something has changed, a caseworker can reopen it within ${days(REOPEN_DAYS)}.`,
    staff: `Closed. It can be reopened within ${days(REOPEN_DAYS)} of closing.`,
  },
};

/** The states "where it stands" has a sentence for. */
export const KNOWN_STATES: string[] = Object.keys(WHERE_IT_STANDS);

/** Where the case stands, as one sentence for the reporter or for staff. */
export function whereItStands(state: string, role: string): string {
  const w = WHERE_IT_STANDS[state] ?? WHERE_IT_STANDS[state.split('.')[0]];
  if (!w) return `The case is at: ${stateName(state) ?? 'an unknown step'}.`;
  return role === 'reporter' ? w.reporter : w.staff;
}
