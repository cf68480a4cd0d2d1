import { type CommitmentRule, REPORT_FACTS, type ReportFacts, type ReportFactName, addPeriod, describePeriod } from '@cc/registry';
import { formatDate } from '@cc/wording';

/**
 * What the rule check found, as a sentence a letter can quote: "The Compact (2010), 2.4, asks for
 * formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October
 * 2026". Undefined when the facts given do not let the rule be checked. `toThePublicBody` writes
 * "yours"/"you"; otherwise "the public body's".
 */
export function findingSentence(compactName: string, reference: string, rule: CommitmentRule, facts: ReportFacts, toThePublicBody: boolean, bodyName: string): string | undefined {
  // A must-be-true rule's summary is a clause ("the impact is assessed …"); a period's is a thing asked for.
  const asks = `${compactName}, ${reference}, asks ${rule.kind === 'must_be_true' ? 'that' : 'for'} ${rule.summary}`;
  if (rule.kind === 'must_be_true') {
    const value = facts[rule.fact];
    if (value === undefined) return undefined;
    return value ? `${asks}; we are told that ${REPORT_FACTS[rule.fact].label}` : `${asks}; we are told that this was not done`;
  }
  const from = facts[rule.from];
  const to = facts[rule.to];
  if (!from || !to) return undefined;
  const span = `${lengthBetween(from, to)}, ${dateRange(from, to)}`;
  const met = to >= addPeriod(from, rule.atLeast);
  const whose = toThePublicBody ? 'yours' : `${bodyName}'s`;
  const actual =
    rule.from === 'consultationOpenedOn'
      ? `${whose} ran for ${span}`
      : rule.from === 'fundingNoticeGivenOn'
        ? `${toThePublicBody ? 'you' : bodyName} gave ${span.replace(/^(\d+ \w+)/, '$1 of notice')}`
        : `the report gives ${span}`;
  if (met) return `${asks}; ${actual}, which meets it`;
  if (rule.unless && facts[rule.unless] === true) return `${asks}; ${actual}, shorter than ${describePeriod(rule.atLeast)}, but ${REPORT_FACTS[rule.unless].label}`;
  return `${asks}; ${actual}`;
}

/** "5 weeks", "38 days", "1 day". */
function lengthBetween(from: string, to: string): string {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  if (days >= 14 && days % 7 === 0) return `${days / 7} weeks`;
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** "from 1 September to 6 October 2026"; the first year is written only when the two differ. */
function dateRange(from: string, to: string): string {
  const first = formatDate(from) ?? from;
  const last = formatDate(to) ?? to;
  return `from ${from.slice(0, 4) === to.slice(0, 4) ? first.replace(/ \d{4}$/, '') : first} to ${last}`;
}

/** The facts a report gave, each as a sentence: "The consultation opened on 1 September 2026" */
export function factSentences(facts: ReportFacts): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(facts) as Array<[ReportFactName, unknown]>) {
    const known = REPORT_FACTS[name];
    if (!known) continue;
    if (known.type === 'date' && typeof value === 'string') out.push(`${capital(known.label.replace(/^the date /, ''))} on ${formatDate(value) ?? value}`);
    else if (known.type === 'boolean' && typeof value === 'boolean') out.push(value ? capital(known.label) : `We are told it is not the case that ${known.label}`);
  }
  return out;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
