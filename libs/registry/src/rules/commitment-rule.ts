/**
 * Checkable rules are data stored with a commitment, not code per commitment: an administrator
 * can give a local Compact's "eight weeks' notice" commitment a rule without a release. A rule
 * reads the facts a report gives (the catalogue below is what the report form can ask) and says
 * whether they show a likely breach.
 */
import { isRealDate } from '@cc/common';

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

export type RuleFinding =
  | { outcome: 'likely_breach'; message: string }
  | { outcome: 'met'; message: string }
  | { outcome: 'not_enough_facts'; missing: ReportFactName[] };

/** What a rule makes of a report's facts. Pure, so the same answer at filing and in tests. */
export function evaluateRule(rule: CommitmentRule, facts: ReportFacts): RuleFinding {
  switch (rule.kind) {
    case 'minimum_period': {
      const from = facts[rule.from];
      const to = facts[rule.to];
      const missing = [!from && rule.from, !to && rule.to].filter(Boolean) as ReportFactName[];
      if (missing.length > 0) return { outcome: 'not_enough_facts', missing };
      const required = describePeriod(rule.atLeast);
      const actual = describeGap(from!, to!);
      if (to! >= addPeriod(from!, rule.atLeast)) return { outcome: 'met', message: `${actual} between ${REPORT_FACTS[rule.from].label} and ${REPORT_FACTS[rule.to].label}, at least ${required}` };
      if (rule.unless && facts[rule.unless] === true) {
        return { outcome: 'met', message: `${actual}, shorter than ${required}, but ${REPORT_FACTS[rule.unless].label}` };
      }
      const unlessNote = rule.unless ? `, and the report does not say ${REPORT_FACTS[rule.unless].label}` : '';
      return { outcome: 'likely_breach', message: `only ${actual} from ${REPORT_FACTS[rule.from].label} to ${REPORT_FACTS[rule.to].label}, less than ${required}${unlessNote}` };
    }
    case 'must_be_true': {
      const value = facts[rule.fact];
      if (value === undefined) return { outcome: 'not_enough_facts', missing: [rule.fact] };
      return value
        ? { outcome: 'met', message: `the report says ${REPORT_FACTS[rule.fact].label}` }
        : { outcome: 'likely_breach', message: `the report says it is not so that ${REPORT_FACTS[rule.fact].label}` };
    }
  }
}

/** Calendar arithmetic on YYYY-MM-DD: a month from 31 January is the last day of February. */
export function addPeriod(date: string, period: Period): string {
  const [y, m, d] = date.split('-').map(Number);
  const months = period.months ?? 0;
  const targetMonth = m - 1 + months;
  const lastDay = new Date(Date.UTC(y, targetMonth + 1, 0)).getUTCDate();
  const result = new Date(Date.UTC(y, targetMonth, Math.min(d, lastDay)));
  result.setUTCDate(result.getUTCDate() + (period.weeks ?? 0) * 7 + (period.days ?? 0));
  return result.toISOString().slice(0, 10);
}

export function describePeriod(period: Period): string {
  const parts: string[] = [];
  const unit = (n: number | undefined, one: string) => n && parts.push(`${n} ${one}${n === 1 ? '' : 's'}`);
  unit(period.months, 'month');
  unit(period.weeks, 'week');
  unit(period.days, 'day');
  return parts.join(' and ') || '0 days';
}

function describeGap(from: string, to: string): string {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  if (days >= 14 && days % 7 === 0) return `${days / 7} weeks`;
  if (days >= 14) return `${days} days (${Math.floor(days / 7)} weeks and ${days % 7} day${days % 7 === 1 ? '' : 's'})`;
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** Checks a rule given as data (an administrator's edit or an import) against the fact catalogue. */
export function ruleProblems(rule: unknown): string[] {
  if (rule === null || typeof rule !== 'object') return ['must be an object'];
  const r = rule as Record<string, unknown>;
  const isFact = (name: unknown, type: 'date' | 'boolean') =>
    typeof name === 'string' && name in REPORT_FACTS && REPORT_FACTS[name as ReportFactName].type === type;
  const facts = (type: 'date' | 'boolean') =>
    Object.entries(REPORT_FACTS).filter(([, f]) => f.type === type).map(([n]) => n).join(', ');
  const problems: string[] = [];
  if (typeof r.summary !== 'string' || r.summary.trim().length === 0 || r.summary.length > 200) problems.push('summary must be text of 1 to 200 characters');
  if (r.kind === 'minimum_period') {
    if (!isFact(r.from, 'date')) problems.push(`from must be one of the date facts: ${facts('date')}`);
    if (!isFact(r.to, 'date')) problems.push(`to must be one of the date facts: ${facts('date')}`);
    if (r.unless !== undefined && !isFact(r.unless, 'boolean')) problems.push(`unless must be one of the yes/no facts: ${facts('boolean')}`);
    const p = r.atLeast as Record<string, unknown> | undefined;
    const okNumber = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 520);
    if (!p || typeof p !== 'object' || !okNumber(p.days) || !okNumber(p.weeks) || !okNumber(p.months) || !(Number(p.days ?? 0) + Number(p.weeks ?? 0) + Number(p.months ?? 0) > 0)) {
      problems.push('atLeast must give whole days, weeks and/or months, more than zero in all');
    }
    const known = new Set(['kind', 'from', 'to', 'atLeast', 'unless', 'summary']);
    for (const key of Object.keys(r)) if (!known.has(key)) problems.push(`${key} is not part of a minimum_period rule`);
  } else if (r.kind === 'must_be_true') {
    if (!isFact(r.fact, 'boolean')) problems.push(`fact must be one of the yes/no facts: ${facts('boolean')}`);
    const known = new Set(['kind', 'fact', 'summary']);
    for (const key of Object.keys(r)) if (!known.has(key)) problems.push(`${key} is not part of a must_be_true rule`);
  } else {
    problems.push('kind must be minimum_period or must_be_true');
  }
  return problems;
}

/** Checks the facts a report gives; each problem names the field as `facts.<name>`. */
export function factProblems(facts: unknown): Array<{ field: string; reason: string }> {
  if (facts === undefined || facts === null) return [];
  if (typeof facts !== 'object' || Array.isArray(facts)) return [{ field: 'facts', reason: 'must be an object of named facts' }];
  const problems: Array<{ field: string; reason: string }> = [];
  for (const [name, value] of Object.entries(facts)) {
    const known = REPORT_FACTS[name as ReportFactName];
    if (!known) {
      problems.push({ field: `facts.${name}`, reason: `is not a fact the report form asks for; known facts are ${Object.keys(REPORT_FACTS).join(', ')}` });
    } else if (known.type === 'date' && !isRealDate(value)) {
      problems.push({ field: `facts.${name}`, reason: 'must be a date in the form YYYY-MM-DD' });
    } else if (known.type === 'boolean' && typeof value !== 'boolean') {
      problems.push({ field: `facts.${name}`, reason: 'must be true or false' });
    }
  }
  const f = facts as ReportFacts;
  const order: Array<[DateFactName, DateFactName]> = [
    ['consultationOpenedOn', 'consultationClosedOn'],
    ['fundingNoticeGivenOn', 'fundingChangeEffectiveOn'],
  ];
  for (const [first, second] of order) {
    if (problems.length === 0 && f[first] && f[second] && f[second]! < f[first]!) {
      problems.push({ field: `facts.${second}`, reason: `is before ${REPORT_FACTS[first].label}; check the two dates` });
    }
  }
  return problems;
}
