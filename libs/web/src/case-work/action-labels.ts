import { AFTER_MEDIATION_WORDS, CHASE_DAYS, CLOSING_OUTCOME_WORDS, FEE_PARTY_WORDS, MEDIATION_RESULT_WORDS, REJECTION_REASON_WORDS, REOPEN_DAYS, days, workingDays, workingDaysFor } from '@cc/wording';

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
};

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
  | 'notAnOption';

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
};

/** Words for enum options: the choices' own words from @cc/wording, shared with the e-mails. */
export const OPTION_WORDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(REJECTION_REASON_WORDS).map(([code, w]) => [code, w.option])),
  ...FEE_PARTY_WORDS,
  ...Object.fromEntries(Object.entries(MEDIATION_RESULT_WORDS).map(([code, w]) => [code, w.option])),
  ...AFTER_MEDIATION_WORDS,
  ...CLOSING_OUTCOME_WORDS,
};
