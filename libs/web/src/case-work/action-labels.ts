import { CHASE_WORKING_DAYS, DEADLINE_KINDS as D, REOPEN_WINDOW_DAYS } from '@cc/workflows';

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
  REQUEST_INFO: { title: 'Ask the reporter for more information', button: 'Send the questions', hint: `The reporter has ${D.informationRequest.workingDays} working days to answer; the triage clock pauses meanwhile.` },
  PROVIDE_INFO: { title: 'Answer the questions', button: 'Send your answer' },
  ACCEPT: { title: 'Accept the case', button: 'Accept the case', hint: 'The case moves to advocacy and the reporter is told.' },
  REJECT: { title: 'Reject the case', button: 'Reject the case', warning: true },
  CONTACT_RESPONDENT: { title: 'Contact the public body', button: 'Record the contact', hint: `The public body has ${D.respondentReply.workingDays} working days to reply.` },
  CHASE: { title: 'Chase the public body', button: 'Record the chase', hint: `Gives the public body ${CHASE_WORKING_DAYS} more working days.` },
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
  WITHDRAW: { title: 'Withdraw the case', button: 'Withdraw the case', warning: true, hint: `The case will be closed. A caseworker can reopen it within ${REOPEN_WINDOW_DAYS} days.` },
  REOPEN: { title: 'Reopen the case', button: 'Reopen the case', hint: `Possible within ${REOPEN_WINDOW_DAYS} days of closing; the case goes back to triage.` },
};

export interface FieldWords {
  label: string;
  hint?: string;
}

/** Field labels, by field name, with per-action overrides as "TYPE.field". */
export const FIELD_WORDS: Record<string, FieldWords> = {
  caseworkerId: { label: 'Caseworker' },
  mediatorId: { label: 'Mediator' },
  questions: { label: 'Questions for the reporter', hint: 'Say exactly what you need and why.' },
  answer: { label: 'Your answer' },
  note: { label: 'Note (optional)' },
  reason: { label: 'Reason' },
  explanation: { label: 'Explanation for the reporter' },
  duplicateOfReference: { label: 'Reference of the case this duplicates', hint: 'Only if the reason is duplicate, for example CB-2026-00042.' },
  summary: { label: 'Summary' },
  contactName: { label: 'Contact name (optional)' },
  contactEmail: { label: 'Contact e-mail address (optional)' },
  agreedActions: { label: 'Agreed actions', hint: 'One action on each line.' },
  monitorUntil: { label: 'Monitor until', hint: 'The date by which the actions should be done, for example 31 3 2027.' },
  heldOn: { label: 'Date of the meeting', hint: 'For example 27 3 2027.' },
  plan: { label: 'Campaign plan' },
  outcome: { label: 'Outcome' },
  amountPence: { label: 'Amount in pounds', hint: 'For example 450 or 450.50.' },
  reporterSharePercent: { label: "Reporter's share, in per cent", hint: 'A whole number from 0 to 100. The public body pays the rest.' },
  party: { label: 'Party' },
  startsAt: { label: 'Date of the session', hint: 'For example 27 3 2027.' },
  location: { label: 'Location' },
  result: { label: 'Result' },
  next: { label: 'If not settled, what happens next' },
  details: { label: 'What has not been done' },
  'DECLINE_FEE.reason': { label: 'Reason (optional)' },
  'WITHDRAW.reason': { label: 'Reason for withdrawing (optional)' },
  'REFER_TO_MEDIATION.reason': { label: 'Reason (optional)' },
  'REOPEN.reason': { label: 'Why the case should be reopened' },
  'CLOSE_UNRESOLVED.reason': { label: 'Why the case is closing unresolved' },
  'RECORD_OUTCOME.agreedActions': { label: 'Agreed actions (if settled)', hint: 'One action on each line.' },
  'RECORD_OUTCOME.monitorUntil': { label: 'Monitor until (if settled)', hint: 'For example 31 3 2027.' },
  'RESCHEDULE.location': { label: 'New location (optional)', hint: 'Leave empty to keep the same place.' },
  'RESCHEDULE.reason': { label: 'Reason (optional)' },
};

/** Words for enum options. */
export const OPTION_WORDS: Record<string, string> = {
  notCompactMatter: 'Not a Compact matter',
  respondentNotSignatory: 'The public body has not signed the Compact',
  outOfTime: 'Out of time',
  insufficientEvidence: 'Not enough evidence',
  duplicate: 'Duplicate of another case',
  reporter: 'The reporting organisation',
  respondent: 'The public body',
  settled: 'Settled',
  partiallySettled: 'Partly settled',
  notSettled: 'Not settled',
  close: 'Close the case',
  returnToAdvocacy: 'Take it back to advocacy review',
  resolved: 'Resolved',
  unresolved: 'Unresolved',
};
