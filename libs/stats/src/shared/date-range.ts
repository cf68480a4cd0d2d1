import { FieldError, ValidationFailed } from '@cc/common';

/** Inclusive range of calendar days, YYYY-MM-DD. */
export interface DayRange {
  first: string;
  last: string;
}

/**
 * How to read a date range from the rollups: monthly rows for the whole months inside it, daily
 * rows for the part-months at either end. A year costs twelve monthly reads and at most about
 * sixty daily ones, however many cases there are.
 */
export interface RangePlan {
  /** Whole months, as the first day of the first and of the last month; null when there are none. */
  months: DayRange | null;
  /** Up to two runs of days outside the whole months. */
  days: DayRange[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_YEARS = 50;

/** Parses YYYY-MM-DD as a real calendar day (2025-02-30 is refused), as a UTC midnight. */
export function parseDay(value: string): Date | null {
  const m = DATE.exec(value);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return formatDay(date) === value ? date : null;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = parseDay(day)!;
  d.setUTCDate(d.getUTCDate() + n);
  return formatDay(d);
}

function firstOfMonth(day: string, monthsLater = 0): string {
  const d = parseDay(day)!;
  return formatDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsLater, 1)));
}

export function planRange(from: string, to: string): RangePlan {
  // The first whole month starts on or after `from`; the last whole month ends on or before `to`.
  const firstWhole = from.endsWith('-01') ? from : firstOfMonth(from, 1);
  // The month before the one holding the day after `to`.
  const lastWhole = firstOfMonth(addDays(to, 1), -1);
  if (firstWhole > lastWhole) return { months: null, days: [{ first: from, last: to }] };
  const days: DayRange[] = [];
  if (from < firstWhole) days.push({ first: from, last: addDays(firstWhole, -1) });
  const afterWhole = firstOfMonth(lastWhole, 1);
  if (afterWhole <= to) days.push({ first: afterWhole, last: to });
  return { months: { first: firstWhole, last: lastWhole }, days };
}

/** Today in England, where the statistics' days are counted. */
export function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The range a request asks for: `to` defaults to today (in England), `from` to a year before
 * `to`. Refuses impossible dates, a `from` after `to`, and ranges longer than fifty years.
 */
export function resolveRange(query: { from?: string; to?: string }, today = londonToday()): DayRange {
  const errors: FieldError[] = [];
  const check = (field: 'from' | 'to') => {
    const value = query[field];
    if (value !== undefined && !parseDay(value)) errors.push({ field, reason: 'must be a real date in the form YYYY-MM-DD' });
  };
  check('from');
  check('to');
  if (errors.length) throw new ValidationFailed(errors);
  const last = query.to ?? today;
  const first = query.from ?? addDays(last.replace(/^(\d{4})/, (y) => String(Number(y) - 1).padStart(4, '0')).replace(/-02-29$/, '-02-28'), 1);
  if (first > last) throw new ValidationFailed([{ field: 'from', reason: `must be on or before to (${last})` }]);
  if (parseDay(last)!.getTime() - parseDay(first)!.getTime() > MAX_YEARS * 366 * 86_400_000) {
    throw new ValidationFailed([{ field: 'from', reason: `must be at most ${MAX_YEARS} years before to` }]);
  }
  return { first, last };
}
