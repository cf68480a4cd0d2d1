import { CHASE_WORKING_DAYS, DEADLINE_KINDS as D, REOPEN_WINDOW_DAYS } from '@cc/workflows';

/** "Where your case stands", in plain words, for each state: one sentence for reporters, one for staff. */
const WORDS: Record<string, { reporter: string; staff: string }> = {
  submitted: {
    reporter: `We have your report. A caseworker will look at it and decide whether we can take it up, usually within ${D.triage.workingDays} working days.`,
    staff: `New report, not yet assigned. Assign a caseworker to start triage (target: ${D.triage.workingDays} working days from submission).`,
  },
  'triage.reviewing': {
    reporter: 'A caseworker is reviewing your report to decide whether we can take it up.',
    staff: 'In triage: accept it, reject it with a reason, or ask the reporter for more information.',
  },
  'triage.awaitingInformation': {
    reporter: `We have asked you some questions. Please answer them within ${D.informationRequest.workingDays} working days, or the case will lapse.`,
    staff: `Waiting for the reporter to answer questions (${D.informationRequest.workingDays} working days); the triage clock is paused.`,
  },
  'advocacy.preparing': {
    reporter: 'We have taken up your case and are preparing to contact the public body.',
    staff: 'Accepted: contact the public body when ready.',
  },
  'advocacy.awaitingResponse': {
    reporter: `We have written to the public body. They have ${D.respondentReply.workingDays} working days to reply.`,
    staff: `Waiting for the public body to reply (${D.respondentReply.workingDays} working days, reminder at ${D.respondentReply.reminderAfterWorkingDays}).`,
  },
  'advocacy.responseOverdue': {
    reporter: 'The public body has not replied in time. Your caseworker will chase them.',
    staff: `The public body has not replied in time: chase them (${CHASE_WORKING_DAYS} more working days) or record their response.`,
  },
  'advocacy.reviewing': {
    reporter: "The public body has replied. Your caseworker is deciding what to do next with you.",
    staff: "Review the public body's response: resolve, negotiate, refer to mediation, campaign, or close unresolved.",
  },
  negotiation: {
    reporter: 'Your caseworker is negotiating with the public body on your behalf.',
    staff: `In negotiation: record meetings (review every ${D.negotiationReview.workingDays} working days), agree, refer to mediation or close unresolved.`,
  },
  'mediation.feeQuoting': {
    reporter: 'The case is going to mediation. We will tell you the fee and how it is shared.',
    staff: 'Referred to mediation: quote the fee (or an administrator may waive it).',
  },
  'mediation.feeAgreement': {
    reporter: `The mediation fee has been quoted. Please agree or decline it within ${D.feeAgreement.workingDays} working days.`,
    staff: `Waiting for both parties to agree the fee (${D.feeAgreement.workingDays} working days).`,
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
    reporter: 'The mediation session is booked. You will get a reminder 2 days before.',
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
    reporter: `This case is closed. If something has changed, a caseworker can reopen it within ${REOPEN_WINDOW_DAYS} days.`,
    staff: `Closed. It can be reopened within ${REOPEN_WINDOW_DAYS} days of closing.`,
  },
};

export function whereItStands(state: string, role: string): string {
  const w = WORDS[state] ?? WORDS[state.split('.')[0]];
  if (!w) return `The case is at: ${state}.`;
  return role === 'reporter' ? w.reporter : w.staff;
}

export const KNOWN_STATES = Object.keys(WORDS);

/** Deadline kinds in plain words. */
export const DEADLINE_WORDS: Record<string, string> = {
  triage: 'Triage decision',
  informationRequest: 'Reporter to answer questions',
  respondentReply: 'Public body to reply',
  negotiationReview: 'Negotiation review',
  feeAgreement: 'Both parties to agree the fee',
  feePayment: 'Fee to be paid',
  sessionReminder: 'Reminder before the mediation session',
  monitoring: 'Agreed actions to be done',
};
