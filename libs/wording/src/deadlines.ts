/** Words for the clocks a case runs: as a label in a list, in a sentence, and what to do about each. */
import { DEADLINE_KINDS } from '@cc/workflows';
import type { DeadlineKind } from '@cc/workflows';
import { CHASE_DAYS } from './periods';
import type { Reader } from './readers';

/** Each clock as a label, e.g. in the pages' list of deadlines. */
export const DEADLINE_LABELS: Readonly<Record<DeadlineKind, string>> = {
  triage: 'Triage decision',
  informationRequest: 'Reporter to answer questions',
  respondentReply: 'Public body to reply',
  negotiationReview: 'Negotiation review',
  feeAgreement: 'Both parties to agree the fee',
  feePayment: 'Fee to be paid',
  sessionReminder: 'Reminder before the mediation session',
  monitoring: 'Agreed actions to be done',
};

/** Each clock as it reads in a sentence ("the deadline for ..."), as the party it waits on says it. */
export const DEADLINE_NAMES: Readonly<Record<DeadlineKind, string>> = {
  triage: 'triage of the report',
  informationRequest: 'your answer to our questions',
  respondentReply: "the public body's reply",
  negotiationReview: 'the negotiation review',
  feeAgreement: 'agreeing the mediation fee',
  feePayment: 'paying the mediation fee',
  sessionReminder: 'the mediation session',
  monitoring: 'checking the agreed actions',
};

export const isDeadlineKind = (value: unknown): value is DeadlineKind => typeof value === 'string' && Object.prototype.hasOwnProperty.call(DEADLINE_KINDS, value);

/** The clock's name in a sentence, as this reader would say it. */
export function deadlineName(kind: DeadlineKind | undefined, reader: Reader): string {
  if (!kind) return 'a deadline on this case';
  if (kind === 'informationRequest' && reader !== 'reporter') return "the reporter's answer to our questions";
  if (kind === 'respondentReply' && reader === 'respondent') return 'your reply';
  return DEADLINE_NAMES[kind] ?? 'a deadline on this case';
}

/** What the person a clock waits on has to do, as an instruction. */
const TO_DO: Partial<Record<DeadlineKind, Partial<Record<Reader, string>>>> = {
  triage: { staff: 'Triage the report: accept it, reject it, or ask the reporter for more information.' },
  informationRequest: { reporter: 'Answer our questions on the case page.' },
  respondentReply: {
    respondent: 'Please reply to our letter about this case.',
    staff: `Chase the public body (this gives them ${CHASE_DAYS} more working days), or choose another step.`,
  },
  negotiationReview: { staff: 'Review the negotiation: record a meeting or an agreement, refer the case to mediation, or close it.' },
  feeAgreement: { reporter: 'Agree or decline the mediation fee on the case page.', respondent: 'Tell us whether you agree the mediation fee.' },
  feePayment: { reporter: 'Pay your share of the mediation fee.', respondent: 'Pay your share of the mediation fee.' },
  monitoring: { staff: 'Check whether the agreed actions have been carried out, and record it on the case.' },
};

export const deadlineToDo = (kind: DeadlineKind | undefined, reader: Reader): string | undefined => (kind ? TO_DO[kind]?.[reader] : undefined);

/** True when the clock waits on the person reading. */
export function deadlineWaitsOn(kind: DeadlineKind | undefined, reader: Reader): boolean {
  if (!kind) return false;
  const waitsOn: string = DEADLINE_KINDS[kind].waitsOn;
  if (waitsOn === 'caseworker') return reader === 'staff';
  if (waitsOn === 'parties') return reader === 'reporter' || reader === 'respondent';
  return waitsOn === reader;
}
