/**
 * How money, dates and times are written for people, on the pages and in the e-mails alike:
 * pounds rather than pence, dates and times in England (Europe/London) in GOV.UK style, never
 * an ISO time. Each returns undefined for a value it cannot read, so a caller can leave the
 * fact out rather than show something wrong.
 */

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456 -> "£1,234.56". Undefined for anything that is not a whole number of pence. */
export function formatPence(pence: unknown): string | undefined {
  const n = typeof pence === 'string' && /^-?\d+$/.test(pence.trim()) ? Number(pence) : pence;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) return undefined;
  return GBP.format(n / 100);
}

const DAY_PARTS = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
const IN_LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', ...DAY_PARTS });
// A plain calendar date is that day wherever the reader is, so it is read in UTC, where it was made.
const AS_WRITTEN = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...DAY_PARTS });
const LONDON_CLOCK = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function readDate(value: unknown): { date: Date; dateOnly: boolean } | undefined {
  if (value instanceof Date || typeof value === 'number') {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : { date, dateOnly: false };
  }
  if (typeof value !== 'string') return undefined;
  const plain = CALENDAR_DATE.exec(value.trim());
  if (plain) {
    const date = new Date(Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])));
    return Number.isNaN(date.getTime()) ? undefined : { date, dateOnly: true };
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : { date: new Date(ms), dateOnly: false };
}

/**
 * Intl takes microseconds a date, which a list of hundreds (the triage queue) turns into
 * milliseconds a page. Within one UTC hour the day in London cannot change (its offset is a whole
 * number of hours and changes on the hour), so each hour is worked out once.
 */
const dayPartsByHour = new Map<string, { weekday: string; date: string }>();

function dayParts(value: unknown): { weekday: string; date: string } | undefined {
  const read = readDate(value);
  if (!read) return undefined;
  const key = `${read.dateOnly ? 'd' : 't'}${Math.floor(read.date.getTime() / 3_600_000)}`;
  const known = dayPartsByHour.get(key);
  if (known) return known;
  const parts = (read.dateOnly ? AS_WRITTEN : IN_LONDON).formatToParts(read.date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const found = { weekday: part('weekday'), date: `${part('day')} ${part('month')} ${part('year')}` };
  if (dayPartsByHour.size >= 50_000) dayPartsByHour.clear();
  dayPartsByHour.set(key, found);
  return found;
}

/** "7 December 2026" in England: the pages' date. */
export function formatDate(value: unknown): string | undefined {
  return dayParts(value)?.date;
}

/** "Monday 7 December 2026" in England: the e-mails' date, where the weekday helps plan a deadline. */
export function formatDateWithDay(value: unknown): string | undefined {
  const parts = dayParts(value);
  return parts && `${parts.weekday} ${parts.date}`;
}

/** GOV.UK style time in England: "10am", "2:30pm", "midday", "midnight". Undefined for a plain date. */
export function formatTime(value: unknown): string | undefined {
  const read = readDate(value);
  if (!read || read.dateOnly) return undefined;
  const parts = LONDON_CLOCK.formatToParts(read.date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour'));
  const minute = part('minute');
  const period = part('dayPeriod').toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  if (hour === 12 && minute === '00') return period === 'am' ? 'midnight' : 'midday';
  return `${hour}${minute === '00' ? '' : `:${minute}`}${period}`;
}

/** "7 December 2026 at 10am"; a plain date is just the date. */
export function formatDateTime(value: unknown): string | undefined {
  return withTime(formatDate(value), value);
}

/** "Wednesday 1 July 2026 at 10am"; a plain date is just the date. */
export function formatDateTimeWithDay(value: unknown): string | undefined {
  return withTime(formatDateWithDay(value), value);
}

function withTime(date: string | undefined, value: unknown): string | undefined {
  const time = formatTime(value);
  return date && time ? `${date} at ${time}` : date;
}
