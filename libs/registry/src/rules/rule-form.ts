import type { FieldError } from '@cc/common';
import { BooleanFactName, CommitmentRule, DateFactName, Period, REPORT_FACTS, ReportFactName, describePeriod, ruleProblems } from './commitment-rule';

/**
 * A commitment's rule as form fields (what kind, which facts, how long, the exception), so an
 * administrator never types JSON: the form's fields become the same rule data the API takes, and
 * are checked by the same ruleProblems.
 */
export interface RuleFormFields {
  ruleKind?: string;
  ruleFrom?: string;
  ruleTo?: string;
  ruleMonths?: string;
  ruleWeeks?: string;
  ruleDays?: string;
  ruleUnless?: string;
  ruleFact?: string;
  ruleSummary?: string;
}

export const RULE_KINDS = [
  { value: 'none', text: 'No rule' },
  { value: 'minimum_period', text: 'A minimum time between two dates', hint: 'For example, formal consultations of at least 12 weeks, or three months’ notice of a change to funding' },
  { value: 'must_be_true', text: 'Something that must be true', hint: 'For example, the public body assessed the impact before deciding' },
] as const;

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const factsOf = (type: 'date' | 'boolean') =>
  (Object.entries(REPORT_FACTS) as Array<[ReportFactName, { type: string; label: string }]>).filter(([, f]) => f.type === type).map(([value, f]) => ({ value, text: sentence(f.label) }));

/** The facts a report can give, as choices: dates for a period's ends, yes/no answers for the rest. */
export const DATE_FACT_CHOICES = factsOf('date');
export const BOOLEAN_FACT_CHOICES = factsOf('boolean');

export function ruleToForm(rule: unknown): RuleFormFields {
  const r = (rule ?? null) as CommitmentRule | null;
  if (!r) return { ruleKind: 'none' };
  if (r.kind === 'minimum_period') {
    const n = (v: number | undefined) => (v ? String(v) : '');
    return { ruleKind: r.kind, ruleFrom: r.from, ruleTo: r.to, ruleMonths: n(r.atLeast?.months), ruleWeeks: n(r.atLeast?.weeks), ruleDays: n(r.atLeast?.days), ruleUnless: r.unless ?? '', ruleSummary: r.summary };
  }
  return { ruleKind: r.kind, ruleFact: r.fact, ruleSummary: r.summary };
}

/** The rule in a sentence, for the list of commitments and the summary a form left empty. */
export function describeRule(rule: unknown): string {
  const r = (rule ?? null) as CommitmentRule | null;
  if (!r) return 'No rule';
  if (r.kind === 'minimum_period') {
    const unless = r.unless ? `, unless ${REPORT_FACTS[r.unless]?.label ?? r.unless}` : '';
    return `At least ${describePeriod(r.atLeast ?? {})} from ${REPORT_FACTS[r.from]?.label ?? r.from} to ${REPORT_FACTS[r.to]?.label ?? r.to}${unless}`;
  }
  return sentence(`${REPORT_FACTS[r.fact]?.label ?? r.fact}`);
}

/** The rule the fields describe (null for none), or what to correct, each against its field. */
export function ruleFromForm(form: RuleFormFields): { rule: CommitmentRule | null; errors: FieldError[] } {
  const kind = (form.ruleKind ?? '').trim() || 'none';
  const summary = (form.ruleSummary ?? '').trim();
  const errors: FieldError[] = [];
  if (summary.length > 200) errors.push({ field: 'ruleSummary', reason: 'The summary must be 200 characters or fewer' });
  const isDate = (v: string | undefined): v is DateFactName => !!v && DATE_FACT_CHOICES.some((c) => c.value === v);
  const isYesNo = (v: string | undefined): v is BooleanFactName => !!v && BOOLEAN_FACT_CHOICES.some((c) => c.value === v);
  let rule: CommitmentRule | null = null;
  if (kind === 'none') {
    return { rule: null, errors: [] };
  } else if (kind === 'minimum_period') {
    if (!isDate(form.ruleFrom)) errors.push({ field: 'ruleFrom', reason: 'Select the date the time is counted from' });
    if (!isDate(form.ruleTo)) errors.push({ field: 'ruleTo', reason: 'Select the date the time is counted to' });
    if (isDate(form.ruleFrom) && form.ruleFrom === form.ruleTo) errors.push({ field: 'ruleTo', reason: 'The time must be counted to a different date from the one it is counted from' });
    const unless = (form.ruleUnless ?? '').trim();
    if (unless && !isYesNo(unless)) errors.push({ field: 'ruleUnless', reason: 'Select an exception from the list, or no exception' });
    const atLeast: Period = {};
    let periodError = false;
    for (const [key, unit] of [['months', 'ruleMonths'], ['weeks', 'ruleWeeks'], ['days', 'ruleDays']] as const) {
      const raw = (form[unit] ?? '').trim();
      if (raw === '') continue;
      if (!/^\d{1,3}$/.test(raw) || Number(raw) > 520) periodError = true;
      else if (Number(raw) > 0) atLeast[key] = Number(raw);
    }
    if (periodError) errors.push({ field: 'rulePeriod', reason: 'The minimum time must be whole numbers of months, weeks or days, like 12 weeks' });
    else if (!atLeast.months && !atLeast.weeks && !atLeast.days) errors.push({ field: 'rulePeriod', reason: 'Enter the minimum time, like 12 in weeks' });
    if (errors.length) return { rule: null, errors };
    rule = { kind: 'minimum_period', from: form.ruleFrom as DateFactName, to: form.ruleTo as DateFactName, atLeast, ...(unless ? { unless: unless as BooleanFactName } : {}), summary: '' };
  } else if (kind === 'must_be_true') {
    if (!isYesNo(form.ruleFact)) errors.push({ field: 'ruleFact', reason: 'Select what must be true' });
    if (errors.length) return { rule: null, errors };
    rule = { kind: 'must_be_true', fact: form.ruleFact as BooleanFactName, summary: '' };
  } else {
    return { rule: null, errors: [{ field: 'ruleKind', reason: 'Select what the rule checks, or no rule' }] };
  }
  if (errors.length) return { rule: null, errors };
  // An empty summary is written from the choices, so a rule never goes without one.
  rule.summary = summary || describeRule(rule).replace(/^./, (c) => c.toLowerCase()).slice(0, 200);
  // The same check as the API's; the form cannot build a rule it refuses, but if it ever did, say so here.
  const problems = ruleProblems(rule);
  if (problems.length) return { rule: null, errors: [{ field: 'ruleKind', reason: `The rule cannot be saved: ${problems.join('; ')}` }] };
  return { rule, errors: [] };
}
