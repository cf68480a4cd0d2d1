import { CommitmentForReport, REPORT_FACTS, ReportFacts, describePeriod, evaluateRule } from '@cc/registry';

export type TriageHintCode = 'RESPONDENT_NOT_IN_REGISTRY' | 'RESPONDENT_NOT_SIGNATORY' | 'MATTER_OLDER_THAN_12_MONTHS' | 'LIKELY_BREACH' | 'RULE_MET' | 'FACTS_MISSING' | 'RELATED_CASES';

export interface TriageHint {
  code: TriageHintCode;
  /** warning: the caseworker should weigh it; info: context. */
  severity: 'warning' | 'info';
  message: string;
  commitment?: string;
  relatedCases?: Array<{ id: string; reference: string; submittedAt: string }>;
  /** For RESPONDENT_NOT_IN_REGISTRY: the body as the reporter typed it, and registry bodies it may be. */
  unlistedBody?: UnlistedBodyHint;
}

export interface UnlistedBodyHint {
  organisationId: string;
  name: string;
  area: string | null;
  suggestions: Array<{ id: string; name: string; area: string | null }>;
}

export interface TriageInput {
  compactName: string;
  respondentName: string;
  /** Whether the respondent signed the Compact; null when the registry lists no signatories for it. */
  respondentSigned: boolean | null;
  /** Local Compacts the respondent did sign, to point the caseworker at. */
  respondentsOtherCompacts: string[];
  happenedOn: string;
  submittedAt: Date;
  commitments: CommitmentForReport[];
  facts: ReportFacts;
  relatedCases: Array<{ id: string; reference: string; submittedAt: string; commitments: string[] }>;
  /** Set when the reporter typed a public body that is not in the registry. */
  unlistedBody?: UnlistedBodyHint;
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** "2025-09-01" -> "1 September 2025": hints are read by people. */
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T12:00:00Z`));

/** What the caseworker should know before triage, worked out from the report and the registry. Pure. */
export function triageHints(input: TriageInput): TriageHint[] {
  const hints: TriageHint[] = [];
  if (input.unlistedBody) {
    const b = input.unlistedBody;
    hints.push({
      code: 'RESPONDENT_NOT_IN_REGISTRY',
      severity: 'warning',
      message: `The reporter could not find the public body in the registry and typed “${b.name}”${b.area ? ` (${b.area})` : ''}. Link the case to the registry's organisation before contacting it.`,
      unlistedBody: b,
    });
  }
  if (input.respondentSigned === false) {
    const elsewhere = input.respondentsOtherCompacts.length ? ` It has signed: ${input.respondentsOtherCompacts.join('; ')}.` : '';
    hints.push({
      code: 'RESPONDENT_NOT_SIGNATORY',
      severity: 'warning',
      message: `${input.respondentName} is not recorded as a signatory of ${input.compactName}.${elsewhere}`,
    });
  }
  const yearBefore = new Date(input.submittedAt);
  yearBefore.setUTCFullYear(yearBefore.getUTCFullYear() - 1);
  if (input.happenedOn < yearBefore.toISOString().slice(0, 10)) {
    hints.push({
      code: 'MATTER_OLDER_THAN_12_MONTHS',
      severity: 'warning',
      message: `What is reported happened on ${longDate(input.happenedOn)}, more than 12 months before the report.`,
    });
  }
  for (const c of input.commitments) {
    if (!c.rule) continue;
    const finding = evaluateRule(c.rule, input.facts);
    const name = `${c.reference} (${c.rule.summary})`;
    if (finding.outcome === 'likely_breach') {
      hints.push({ code: 'LIKELY_BREACH', severity: 'warning', commitment: c.reference, message: `Likely breach of ${name}: ${finding.message}.` });
    } else if (finding.outcome === 'met') {
      hints.push({ code: 'RULE_MET', severity: 'info', commitment: c.reference, message: `The facts given meet ${name}: ${finding.message}.` });
    } else {
      const period = c.rule.kind === 'minimum_period' ? ` (${describePeriod(c.rule.atLeast)})` : '';
      hints.push({
        code: 'FACTS_MISSING',
        severity: 'info',
        commitment: c.reference,
        message: `${name}${period} can be checked once the report gives: ${finding.missing.map((f) => REPORT_FACTS[f]?.label ?? f).join('; ')}.`,
      });
    }
  }
  if (input.relatedCases.length) {
    const refs = input.relatedCases.map((r) => r.reference).join(', ');
    hints.push({
      code: 'RELATED_CASES',
      severity: 'warning',
      message: `${input.relatedCases.length === 1 ? 'Another report' : `${input.relatedCases.length} other reports`} against ${input.respondentName} under the same commitment in the last six months: ${refs}. Consider linking them.`,
      relatedCases: input.relatedCases.map(({ id, reference, submittedAt }) => ({ id, reference, submittedAt })),
    });
  }
  return hints;
}
