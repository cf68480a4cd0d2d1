/** Words for the choices a case records: why a report was rejected, how mediation ended, how a case closed. */
import type { CaseOutcome, FeeParty, MediationResult, RejectionReason } from '@cc/workflows';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const own = <T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** Why a report was not taken up (the REJECT event's reason): as a form's option, and as it reads after "because". */
export const REJECTION_REASON_WORDS: Readonly<Record<RejectionReason, { option: string; because: string }>> = {
  notCompactMatter: { option: 'Not a Compact matter', because: 'it is not a matter the Compact covers' },
  respondentNotSignatory: { option: 'The public body has not signed this Compact', because: 'the public body has not signed this Compact' },
  outOfTime: { option: 'Out of time', because: 'it was reported too long after it happened' },
  insufficientEvidence: { option: 'Not enough evidence', because: 'there was not enough evidence of a breach' },
  duplicate: { option: 'Duplicate of another case', because: 'another case is already about the same thing' },
};

/** The reason as a sentence of its own: "It is not a matter the Compact covers." */
export function rejectionSentence(reason: unknown): string | undefined {
  const words = own(REJECTION_REASON_WORDS, reason);
  return words && `${capitalised(words.because)}.`;
}

/** How a mediation ended (RECORD_OUTCOME's result): as an option, explained, and as it reads after "the mediation". */
export const MEDIATION_RESULT_WORDS: Readonly<Record<MediationResult, { option: string; explained: string; clause: string }>> = {
  settled: { option: 'Settled', explained: 'Settled: the parties reached an agreement', clause: 'settled the dispute' },
  partiallySettled: { option: 'Partly settled', explained: 'Partly settled: the parties agreed some things', clause: 'settled part of the dispute' },
  notSettled: { option: 'Not settled', explained: 'Not settled: the parties did not reach an agreement', clause: 'did not settle the dispute' },
};

export const mediationResultExplained = (result: unknown): string | undefined => own(MEDIATION_RESULT_WORDS, result)?.explained;

/** What happens after a mediation that did not settle (RECORD_OUTCOME's next). */
export const AFTER_MEDIATION_WORDS: Readonly<Record<'close' | 'returnToAdvocacy', string>> = {
  close: 'Close the case',
  returnToAdvocacy: 'Take it back to advocacy review',
};

/** How a campaign closed (CLOSE's outcome), as a label. "Unresolved" as in "Close the case unresolved". */
export const CLOSING_OUTCOME_WORDS: Readonly<Record<'resolved' | 'unresolved', string>> = {
  resolved: 'Resolved',
  unresolved: 'Unresolved',
};

export const closingOutcome = (outcome: unknown): string | undefined => own(CLOSING_OUTCOME_WORDS, outcome);

/** Why a closed case closed, as the reporter's list of stages ends it ("Case closed: ..."). */
export const CLOSED_BECAUSE: Readonly<Record<CaseOutcome, string>> = {
  resolved: 'the agreed actions were carried out',
  unresolved: 'no agreement was reached',
  rejected: 'we could not take it up',
  withdrawn: 'you withdrew it',
  lapsed: 'our questions were not answered in time',
};

/** The two sides of a mediation fee. */
export const FEE_PARTY_WORDS: Readonly<Record<FeeParty, string>> = {
  reporter: 'The reporting organisation',
  respondent: 'The public body',
};
