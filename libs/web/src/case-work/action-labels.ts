import { AFTER_MEDIATION_WORDS, CHASE_DAYS, CLOSING_OUTCOME_WORDS, FEE_PARTY_WORDS, MEDIATION_RESULT_WORDS, REJECTION_REASON_WORDS, REOPEN_DAYS, REVIEW_DAYS, days, EVENT_TITLES, workingDays, workingDaysFor } from '@cc/wording';

/** Words for the action forms: what each action is called, and what each of its fields asks. */
export interface ActionWords {
  /** The heading and the button. */
  title: string;
  button?: string;
  hint?: string;
  warning?: boolean;
}

export const ACTION_WORDS: Record<string, ActionWords> = {
  ASSIGN: { title: 'Assign a caseworker', button: 'Assign', hint: 'The caseworker who will handle this case.' },
  REQUEST_INFO: { title: 'Ask the reporter for more information', button: 'Send the questions', hint: `The reporter has ${workingDays(workingDaysFor('informationRequest'))} to answer; the triage clock pauses meanwhile.` },
  PROVIDE_INFO: { title: 'Answer the questions', button: 'Send your answer' },
  ACCEPT: { title: 'Accept the case', button: 'Accept the case', hint: 'The case moves to advocacy and the reporter is told.' },
  REJECT: { title: 'Reject the case', button: 'Reject the case', warning: true },
  CONTACT_RESPONDENT: { title: 'Contact the public body', button: 'Record the contact', hint: `The public body has ${workingDays(workingDaysFor('respondentReply'))} to reply.` },
  CHASE: { title: 'Chase the public body', button: 'Record the chase', hint: `Gives the public body ${CHASE_DAYS} more working days.` },
  RECORD_RESPONSE: { title: "Record the public body's response", button: 'Record the response' },
  RESOLVE: { title: 'Resolve with agreed actions', button: 'Resolve the case' },
  OPEN_NEGOTIATION: { title: 'Open negotiation', button: 'Open negotiation' },
  RECORD_MEETING: { title: 'Record a negotiation meeting', button: 'Record the meeting' },
  AGREE: { title: 'Record an agreement', button: 'Record the agreement' },
  REFER_TO_MEDIATION: { title: 'Refer to mediation', button: 'Refer to mediation' },
  CAMPAIGN: { title: 'Start campaigning', button: 'Start campaigning' },
  RECORD_ACTIVITY: { title: 'Record campaign activity', button: 'Record the activity' },
  CLOSE: { title: 'Close the campaign', button: 'Close the case', warning: true },
  CLOSE_UNRESOLVED: { title: 'Close the case unresolved', button: 'Close the case', warning: true },
  QUOTE_FEE: { title: 'Quote the mediation fee', button: 'Quote the fee' },
  AGREE_FEE: { title: 'Agree the mediation fee', button: 'Agree the fee' },
  DECLINE_FEE: { title: 'Decline the mediation fee', button: 'Decline the fee', warning: true, hint: 'The case goes back to advocacy review.' },
  WAIVE_FEE: { title: 'Waive the mediation fee', button: 'Waive the fee' },
  RECORD_PAYMENT: { title: 'Record a fee payment', button: 'Record the payment' },
  APPOINT_MEDIATOR: { title: 'Appoint a mediator', button: 'Appoint the mediator', hint: 'The mediator must not be tied to either party.' },
  SCHEDULE_SESSION: { title: 'Schedule the mediation session', button: 'Schedule the session' },
  RESCHEDULE: { title: 'Reschedule the session', button: 'Reschedule' },
  RECORD_SESSION_HELD: { title: 'Record that the session was held', button: 'Record the session' },
  RECORD_OUTCOME: { title: 'Record the mediation outcome', button: 'Record the outcome' },
  CONFIRM_IMPLEMENTED: { title: 'Confirm the agreed actions were carried out', button: 'Confirm and close' },
  REPORT_NOT_IMPLEMENTED: { title: 'Report that the agreed actions were not carried out', button: 'Report it', hint: 'The case goes back to advocacy review.' },
  WITHDRAW: { title: 'Withdraw the case', button: 'Withdraw the case', warning: true, hint: `The case will be closed. A caseworker can reopen it within ${days(REOPEN_DAYS)}.` },
  REOPEN: { title: 'Reopen the case', button: 'Reopen the case', hint: `Possible within ${days(REOPEN_DAYS)} of closing; the case goes back to triage.` },
  // Version 2: the public body answers for itself, and a reporter may ask for a rejection to be reviewed.
  REQUEST_EXTENSION: { title: 'Ask for more time', button: 'Ask for more time', hint: 'You can ask once. The caseworker will give you more time or tell you why not.' },
  GRANT_EXTENSION: { title: 'Give more time', button: 'Give more time', hint: 'The date the public body must reply by moves later by the working days you give.' },
  REFUSE_EXTENSION: { title: 'Refuse more time', button: 'Refuse more time', warning: true, hint: 'The public body is told why, and the date to reply by stays the same.' },
  REPORT_FEE_PAID: { title: 'Tell us you have paid your share', button: 'We have paid our share', hint: 'We will check the payment has arrived and tell you when the whole fee is paid.' },
  PROPOSE_SESSION_TIMES: { title: 'Offer times for the session', button: 'Offer these times', hint: 'Give up to 5 times you can attend. The mediator will choose one that suits everyone.' },
  REPORT_ACTIONS_DONE: { title: 'Tell us the agreed actions are done', button: 'Tell us the actions are done', hint: 'Your caseworker will check with the reporting organisation and confirm.' },
  REQUEST_REVIEW: { title: 'Ask for a review of this decision', button: 'Ask for a review', hint: `A caseworker who did not make the decision will look at it again. You can ask within ${workingDays(REVIEW_DAYS)} of the decision.` },
  UPHOLD_REJECTION: { title: 'Keep the decision to reject', button: 'Keep the decision', warning: true, hint: 'The case stays closed and the reporter cannot ask for another review.' },
  REOPEN_AFTER_REVIEW: { title: 'Reopen the case after the review', button: 'Reopen the case', hint: 'The case goes back to triage and the reporter is told.' },
};

/**
 * The same action as another reader says it: the public body replies for itself where staff
 * record its reply, and a party offers times or says it has paid where staff only read about it.
 */
export const ACTION_WORDS_FOR: Partial<Record<string, Record<string, ActionWords>>> = {
  respondent: {
    RECORD_RESPONSE: { title: 'Reply online', button: 'Send your reply', hint: 'Your reply goes to the caseworker. The reporting organisation is told you have replied.' },
    AGREE_FEE: { title: 'Agree to pay your share of the mediation fee', button: 'Agree to pay our share' },
    DECLINE_FEE: { title: 'Decline the mediation fee', button: 'Decline the fee', warning: true, hint: 'There will be no mediation, and the caseworker will decide the next step.' },
  },
  reporter: {
    DECLINE_FEE: { title: 'Decline the mediation fee', button: 'Decline the fee', warning: true, hint: 'There will be no mediation, and your caseworker will talk to you about what to do next.' },
  },
};

/** An action's words for this reader (the role's own, else everyone's). */
export function actionWordsFor(type: string, role: string): ActionWords | undefined {
  return ACTION_WORDS_FOR[role]?.[type] ?? ACTION_WORDS[type];
}

/**
 * Headings for the staff timeline where an event is something another person did and the
 * action's title (an instruction) would read wrongly.
 */
export const EVENT_HEADINGS: Record<string, string> = Object.fromEntries(
  (['REQUEST_EXTENSION', 'GRANT_EXTENSION', 'REFUSE_EXTENSION', 'REPORT_FEE_PAID', 'PROPOSE_SESSION_TIMES', 'REPORT_ACTIONS_DONE', 'REQUEST_REVIEW', 'UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW', 'MOVED_TO_VERSION_2'] as const).map(
    (type) => [type, EVENT_TITLES[type]],
  ),
);

/** What can be wrong with what a person typed in a field; see personMessage in action-forms.ts. */
export type ProblemKind =
  | 'missing'
  | 'incomplete'
  | 'tooLong'
  | 'itemTooLong'
  | 'tooMany'
  | 'notNumber'
  | 'notWhole'
  | 'outOfRange'
  | 'notRealDate'
  | 'notTime'
  | 'badFormat'
  | 'notAnOption'
  | 'inPast';

export interface FieldWords {
  label: string;
  hint?: string;
  /**
   * The thing asked for, as it reads after "Enter" or "Select" ("the fee", "a summary"); also the
   * subject of "... must be a real date". Defaults to the label in lower case.
   */
  noun?: string;
  /** Wording for particular problems where the general sentence would not say what to do. */
  errors?: Partial<Record<ProblemKind, string>>;
}

const AMOUNT_ERRORS = { notNumber: 'Enter the amount in pounds, like 1,200 or 450.50', missing: 'Enter the amount in pounds, like 1,200 or 450.50' };
const MONITOR = {
  label: 'Monitor until',
  hint: 'The date by which the actions should be done, for example 31 3 2027.',
  noun: 'the date to monitor until',
};

/** Field labels, by field name, with per-action overrides as "TYPE.field". */
export const FIELD_WORDS: Record<string, FieldWords> = {
  caseworkerId: { label: 'Caseworker', noun: 'a caseworker', errors: { badFormat: 'Select a caseworker from the list' } },
  mediatorId: { label: 'Mediator', noun: 'a mediator', errors: { badFormat: 'Select a mediator from the list' } },
  questions: { label: 'Questions for the reporter', hint: 'Say exactly what you need and why.', noun: 'your questions for the reporter' },
  answer: { label: 'Your answer', noun: 'your answer' },
  note: { label: 'Note (optional)', noun: 'the note' },
  reason: { label: 'Reason', noun: 'the reason' },
  explanation: { label: 'Explanation for the reporter', noun: 'an explanation for the reporter' },
  duplicateOfReference: {
    label: 'Reference of the case this duplicates',
    hint: 'Only if the reason is duplicate, for example CB-2026-00042.',
    noun: 'the reference of the case this duplicates',
    errors: { missing: 'Enter the reference of the case this duplicates, like CB-2026-00042' },
  },
  summary: { label: 'Summary', noun: 'a summary' },
  contactName: { label: 'Contact name (optional)', noun: "the contact's name" },
  contactEmail: {
    label: 'Contact e-mail address (optional)',
    noun: "the contact's e-mail address",
    errors: { badFormat: 'Enter the e-mail address in the correct format, like name@example.com' },
  },
  agreedActions: {
    label: 'Agreed actions',
    hint: 'One action on each line.',
    noun: 'the agreed actions',
    errors: { missing: 'Enter the agreed actions, one on each line' },
  },
  monitorUntil: MONITOR,
  heldOn: { label: 'Date of the meeting', hint: 'For example 27 3 2027.', noun: 'the date of the meeting' },
  plan: { label: 'Campaign plan', noun: 'the campaign plan' },
  outcome: { label: 'Outcome', noun: 'the outcome' },
  amountPence: { label: 'Amount in pounds', hint: 'For example 450 or 450.50.', noun: 'the amount', errors: AMOUNT_ERRORS },
  'QUOTE_FEE.amountPence': {
    label: 'Amount in pounds',
    hint: 'The whole fee, for example 1,200 or 1,200.50.',
    noun: 'the fee',
    errors: { notNumber: 'Enter the fee in pounds, like 1,200', missing: 'Enter the fee in pounds, like 1,200' },
  },
  'RECORD_PAYMENT.amountPence': {
    label: 'Amount in pounds',
    hint: 'What was received, for example 450 or 450.50.',
    noun: 'the amount paid',
    errors: { notNumber: 'Enter the amount paid in pounds, like 450 or 450.50', missing: 'Enter the amount paid in pounds, like 450 or 450.50' },
  },
  reporterSharePercent: {
    label: "Reporter's share, in per cent",
    hint: 'A whole number from 0 to 100. The public body pays the rest.',
    noun: "the reporting organisation's share",
    errors: {
      missing: "Enter the reporting organisation's share, as a whole number from 0 to 100",
      notNumber: "Enter the reporting organisation's share as a whole number from 0 to 100, like 50",
      notWhole: "Enter the reporting organisation's share as a whole number from 0 to 100, like 50",
      outOfRange: "The reporting organisation's share must be a whole number from 0 to 100",
    },
  },
  party: { label: 'Party', noun: 'which party' },
  startsAt: {
    label: 'Date of the session',
    hint: 'For example 27 3 2027.',
    noun: 'the date of the session',
    errors: { notTime: 'Enter the time of the session, like 2pm, 2.30pm or 14:00' },
  },
  location: { label: 'Location', noun: 'where the session will be held' },
  result: { label: 'Result', noun: 'the result of the mediation' },
  next: { label: 'If not settled, what happens next', noun: 'what happens next' },
  details: { label: 'What has not been done', noun: 'what has not been done' },
  'REJECT.reason': { label: 'Reason', noun: 'the reason for rejecting the case' },
  'DECLINE_FEE.reason': { label: 'Reason (optional)', noun: 'the reason' },
  'WITHDRAW.reason': { label: 'Reason for withdrawing (optional)', noun: 'the reason for withdrawing' },
  'REFER_TO_MEDIATION.reason': { label: 'Reason (optional)', noun: 'the reason' },
  'REOPEN.reason': { label: 'Why the case should be reopened', noun: 'why the case should be reopened' },
  'CLOSE_UNRESOLVED.reason': { label: 'Why the case is closing unresolved', noun: 'why the case is closing unresolved' },
  'WAIVE_FEE.reason': { label: 'Reason', noun: 'the reason for waiving the fee' },
  'RECORD_OUTCOME.agreedActions': {
    label: 'Agreed actions (if settled)',
    hint: 'One action on each line.',
    noun: 'the agreed actions',
    errors: { missing: 'Enter the agreed actions, one on each line, as the mediation settled the dispute' },
  },
  'RECORD_OUTCOME.monitorUntil': {
    ...MONITOR,
    label: 'Monitor until (if settled)',
    hint: 'For example 31 3 2027.',
    errors: { missing: 'Enter the date to monitor until, as the mediation settled the dispute' },
  },
  'RECORD_OUTCOME.next': { label: 'If not settled, what happens next', noun: 'what happens next', errors: { missing: 'Select what happens next, as the mediation did not settle the dispute' } },
  'RESCHEDULE.location': { label: 'New location (optional)', hint: 'Leave empty to keep the same place.', noun: 'the new location' },
  'RESCHEDULE.reason': { label: 'Reason (optional)', noun: 'the reason' },
  // Version 2
  'REQUEST_EXTENSION.reason': { label: 'Why you need more time', hint: 'For example, the officer who knows the case is away until next month.', noun: 'why you need more time' },
  'REQUEST_EXTENSION.workingDays': {
    label: 'How many more working days you need',
    hint: 'A whole number from 1 to 20. Working days are Monday to Friday, not counting bank holidays.',
    noun: 'how many more working days you need',
    errors: {
      missing: 'Enter how many more working days you need, from 1 to 20',
      notNumber: 'Enter how many more working days you need as a number, like 10',
      notWhole: 'Enter how many more working days you need as a whole number, like 10',
      outOfRange: 'The number of working days must be from 1 to 20',
    },
  },
  'GRANT_EXTENSION.workingDays': {
    label: 'Working days to give',
    hint: 'A whole number from 1 to 20. It starts at the number the public body asked for.',
    noun: 'how many working days to give',
    errors: {
      missing: 'Enter how many working days to give, from 1 to 20',
      notNumber: 'Enter how many working days to give as a number, like 10',
      notWhole: 'Enter how many working days to give as a whole number, like 10',
      outOfRange: 'The number of working days must be from 1 to 20',
    },
  },
  'GRANT_EXTENSION.note': { label: 'Note for the public body (optional)', noun: 'the note' },
  'REFUSE_EXTENSION.reason': { label: 'Why more time is refused', hint: 'The public body will see this.', noun: 'why more time is refused' },
  'REPORT_FEE_PAID.party': { label: 'Who paid', noun: 'who paid' },
  'REPORT_FEE_PAID.note': { label: 'Payment details (optional)', hint: 'For example, the date you paid and the payment reference.', noun: 'the payment details' },
  'PROPOSE_SESSION_TIMES.times': {
    label: 'Times you can attend',
    noun: 'at least one time you can attend',
    errors: { missing: 'Enter at least one date and time you can attend' },
  },
  'PROPOSE_SESSION_TIMES.note': { label: 'Anything the mediator should know (optional)', hint: 'For example, rooms you can offer or times you cannot do.', noun: 'the note' },
  'REPORT_ACTIONS_DONE.summary': { label: 'What was done', hint: 'Say what was done for each agreed action, and when. You can add documents under Documents.', noun: 'what was done' },
  'REQUEST_REVIEW.reason': { label: 'Why the decision should be looked at again', hint: 'For example, something we did not know or a part of your report we missed.', noun: 'why the decision should be looked at again' },
  'UPHOLD_REJECTION.explanation': { label: 'Explanation for the reporter', hint: 'Why the decision stands, having looked at it again.', noun: 'an explanation for the reporter' },
  'REOPEN_AFTER_REVIEW.explanation': { label: 'Explanation for the reporter', hint: 'Why the case is being reopened.', noun: 'an explanation for the reporter' },
  contactIds: { label: 'Who to contact at the public body', hint: 'The people you choose can sign in to see this case and reply. Choose at least one to let the public body answer online.', noun: 'who to contact at the public body' },
  'respondent:RECORD_RESPONSE.summary': { label: 'Your reply', hint: 'What your organisation says about the report. Add documents first if you have any.', noun: 'your reply' },
  'respondent:DECLINE_FEE.reason': { label: 'Why you decline (optional)', noun: 'why you decline' },
  'reporter:DECLINE_FEE.reason': { label: 'Why you decline (optional)', noun: 'why you decline' },
};

/** A field's words for this reader: the role's own for this action, the action's, else the field's. */
export function fieldWordsFor(type: string, name: string, role: string): FieldWords | undefined {
  return FIELD_WORDS[`${role}:${type}.${name}`] ?? FIELD_WORDS[`${type}.${name}`] ?? FIELD_WORDS[name];
}

/** Words for enum options: the choices' own words from @cc/wording, shared with the e-mails. */
export const OPTION_WORDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(REJECTION_REASON_WORDS).map(([code, w]) => [code, w.option])),
  ...FEE_PARTY_WORDS,
  ...Object.fromEntries(Object.entries(MEDIATION_RESULT_WORDS).map(([code, w]) => [code, w.option])),
  ...AFTER_MEDIATION_WORDS,
  ...CLOSING_OUTCOME_WORDS,
};
