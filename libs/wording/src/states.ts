/** Where a case is, in words: its states for staff, its stages for reporters, and "where it stands". */
import { DEADLINE_KINDS as D } from '@cc/workflows';
import { CHASE_DAYS, REOPEN_DAYS, REVIEW_DAYS, SESSION_REMINDER_DAYS, days, workingDays } from './periods';

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
  // Version 2.
  review: 'Rejection being reviewed',
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
  review: 'Our decision to reject it is being reviewed',
};

/** The stages as the public body is told them: what the case means for it, never the caseworker's internal steps. */
export const RESPONDENT_STAGES: Readonly<Record<string, string>> = {
  submitted: 'Report received',
  triage: 'Report being checked',
  advocacy: 'Raised with you',
  negotiation: 'Negotiation',
  mediation: 'Mediation with an independent mediator',
  campaigning: 'Wider campaigning',
  resolved: 'Agreement reached: agreed actions being checked',
  closed: 'Case closed',
  review: 'Decision being reviewed',
};

/**
 * "Where the case stands", in plain words, for each state: one sentence for reporters, one for
 * staff, and (version 2) one for the public body, which says what it needs to do, if anything.
 */
const WHERE_IT_STANDS: Readonly<Record<string, { reporter: string; staff: string; respondent?: string }>> = {
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
    respondent: 'The case has been accepted. The caseworker will write to you about it.',
  },
  'advocacy.awaitingResponse': {
    reporter: `We have written to the public body. They have ${workingDays(D.respondentReply.workingDays)} to reply.`,
    staff: `Waiting for the public body to reply (${workingDays(D.respondentReply.workingDays)}, reminder at ${D.respondentReply.reminderAfterWorkingDays}).`,
    respondent: `We have written to you about this case. Please reply within ${workingDays(D.respondentReply.workingDays)}; you may ask once for more time, with a reason.`,
  },
  'advocacy.responseOverdue': {
    reporter: 'The public body has not replied in time. Your caseworker will chase them.',
    staff: `The public body has not replied in time: chase them (${CHASE_DAYS} more working days) or record their response.`,
    respondent: 'Your reply is overdue. Please reply now, or contact the caseworker.',
  },
  'advocacy.reviewing': {
    reporter: 'The public body has replied. Your caseworker is deciding what to do next with you.',
    staff: "Review the public body's response: resolve, negotiate, refer to mediation, campaign, or close unresolved.",
    respondent: 'Thank you for your reply. The caseworker is deciding the next step and will tell you.',
  },
  negotiation: {
    reporter: 'Your caseworker is negotiating with the public body on your behalf.',
    staff: `In negotiation: record meetings (review every ${workingDays(D.negotiationReview.workingDays)}), agree, refer to mediation or close unresolved.`,
    respondent: 'The caseworker is negotiating with you on behalf of the reporting organisation.',
  },
  'mediation.feeQuoting': {
    reporter: 'The case is going to mediation. We will tell you the fee and how it is shared.',
    staff: 'Referred to mediation: quote the fee (or an administrator may waive it).',
    respondent: 'The case is going to mediation. We will tell you the fee and your share of it.',
  },
  'mediation.feeAgreement': {
    reporter: `The mediation fee has been quoted. Please agree or decline it within ${workingDays(D.feeAgreement.workingDays)}.`,
    staff: `Waiting for both parties to agree the fee (${workingDays(D.feeAgreement.workingDays)}).`,
    respondent: `The mediation fee has been quoted. Please agree or decline your share within ${workingDays(D.feeAgreement.workingDays)}.`,
  },
  'mediation.payment': {
    reporter: 'Both parties agreed the fee. We are waiting for it to be paid.',
    staff: 'Fee agreed: record payments until it is paid in full.',
    respondent: 'Both sides agreed the fee. Please pay your share and tell us when you have.',
  },
  'mediation.appointment': {
    reporter: 'The fee is settled. A mediator is being appointed.',
    staff: 'Appoint a mediator who is not tied to either party.',
    respondent: 'The fee is settled. A mediator is being appointed. You can suggest times for the session.',
  },
  'mediation.scheduling': {
    reporter: 'A mediator has been appointed and will arrange the session.',
    staff: 'Mediator appointed: they will schedule the session.',
    respondent: 'A mediator has been appointed and will arrange the session. You can suggest times that suit you.',
  },
  'mediation.sessionScheduled': {
    reporter: `The mediation session is booked. You will get a reminder ${days(SESSION_REMINDER_DAYS)} before.`,
    staff: 'Session booked: the mediator records it once held.',
    respondent: `The mediation session is booked. You will get a reminder ${days(SESSION_REMINDER_DAYS)} before.`,
  },
  'mediation.sessionHeld': {
    reporter: 'The mediation session has taken place. The mediator will record the outcome.',
    staff: 'Session held: the mediator records the outcome or books another session.',
    respondent: 'The mediation session has taken place. The mediator will record the outcome.',
  },
  campaigning: {
    reporter: 'We are campaigning and lobbying on the issue more widely.',
    staff: 'Campaigning: record activity, and close with an outcome when done.',
    respondent: 'The reporting organisation is campaigning on the issue more widely.',
  },
  resolved: {
    reporter: 'An agreement was reached. We are checking the agreed actions are carried out.',
    staff: 'Resolved: monitor the agreed actions until the date set, then confirm or report them not done.',
    respondent: 'An agreement was reached. Please carry out the agreed actions and tell us when they are done.',
  },
  review: {
    reporter: 'A different caseworker is reviewing our decision to reject your report. We will tell you what they decide.',
    staff: `The reporter asked for a review of the rejection (within ${workingDays(REVIEW_DAYS)}): a caseworker other than the one who rejected it upholds the rejection or reopens the case into triage.`,
  },
  closed: {
    reporter: `This case is closed. If something has changed, a caseworker can reopen it within ${days(REOPEN_DAYS)}.`,
    staff: `Closed. It can be reopened within ${days(REOPEN_DAYS)} of closing.`,
    respondent: 'This case is closed.',
  },
};

/** The states "where it stands" has a sentence for. */
export const KNOWN_STATES: string[] = Object.keys(WHERE_IT_STANDS);

/** What the public body reads where it has no sentence of its own: nothing of the caseworker's internal steps. */
const RESPONDENT_DEFAULT = 'The caseworker is looking at the case. We will tell you if we need anything from you.';

/** Where the case stands, as one sentence for the reporter, the public body or staff. */
export function whereItStands(state: string, role: string): string {
  const w = WHERE_IT_STANDS[state] ?? WHERE_IT_STANDS[state.split('.')[0]];
  if (role === 'respondent') return w?.respondent ?? RESPONDENT_DEFAULT;
  if (!w) return `The case is at: ${stateName(state) ?? 'an unknown step'}.`;
  return role === 'reporter' ? w.reporter : w.staff;
}
