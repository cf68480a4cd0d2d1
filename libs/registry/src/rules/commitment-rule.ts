/**
 * Checkable rules are data stored with a commitment, not code per commitment: an administrator
 * can give a local Compact's "eight weeks' notice" commitment a rule without a release. A rule
 * reads the facts a report gives (the catalogue below is what the report form can ask) and says
 * whether they show a likely breach.
 */
export const REPORT_FACTS = {
  consultationOpenedOn: { type: 'date', label: 'the date the consultation opened' },
  consultationClosedOn: { type: 'date', label: 'the date the consultation closed' },
  shorterConsultationRationaleGiven: { type: 'boolean', label: 'a reason was given for a consultation shorter than the Compact asks' },
  fundingNoticeGivenOn: { type: 'date', label: 'the date notice of the funding change was given' },
  fundingChangeEffectiveOn: { type: 'date', label: 'the date the funding change takes effect' },
  fundingNoticeInWriting: { type: 'boolean', label: 'the notice of the funding change was given in writing' },
  fundingChangeRationaleGiven: { type: 'boolean', label: 'a reason was given for the funding change' },
  impactAssessed: { type: 'boolean', label: 'the public body assessed the impact before deciding' },
} as const;

export type ReportFactName = keyof typeof REPORT_FACTS;
export type DateFactName = { [K in ReportFactName]: (typeof REPORT_FACTS)[K]['type'] extends 'date' ? K : never }[ReportFactName];
export type BooleanFactName = { [K in ReportFactName]: (typeof REPORT_FACTS)[K]['type'] extends 'boolean' ? K : never }[ReportFactName];

/** The facts of one report: dates as YYYY-MM-DD, yes/no answers as booleans. */
export type ReportFacts = Partial<Record<DateFactName, string> & Record<BooleanFactName, boolean>>;

export interface Period {
  days?: number;
  weeks?: number;
  months?: number;
}

export type CommitmentRule =
  /** `to` must fall at least `atLeast` after `from`, unless the `unless` fact is true. */
  | { kind: 'minimum_period'; from: DateFactName; to: DateFactName; atLeast: Period; unless?: BooleanFactName; summary: string }
  /** The fact must be true (e.g. notice was given in writing). */
  | { kind: 'must_be_true'; fact: BooleanFactName; summary: string };
