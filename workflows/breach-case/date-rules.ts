/**
 * Which dates make sense in a case, as pure functions of the date given and the time the event
 * happened (`at`, stamped by the service): the machine's guards, the API's report validation and
 * the pages all ask these, so a date refused on a page is refused the same way by the API.
 * Nothing here reads the clock; callers pass "now".
 *
 * Calendar dates (YYYY-MM-DD) are dates in England, so "today" is today in London.
 */

/** The first Compact (the national Compact) was agreed in 1998; a breach before it cannot be one. */
export const EARLIEST_BREACH_DATE = '1998-01-01';
/** Agreed actions are monitored for months, not decades: a date further off is a typing slip (2207 for 2027). */
export const MONITOR_MAX_YEARS = 5;

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in London at an instant, as YYYY-MM-DD. */
export function londonDate(at: string): string {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`Not a time: ${at}`);
  const parts = Object.fromEntries(LONDON_DAY.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * What a refused calendar date is told, wherever a date is accepted (the API's schemas and DTOs
 * all use isRealDate below, so 2027-02-30 is refused the same way everywhere, never rolled over).
 */
export const REAL_DATE_REASON = 'must be a real date, like 2027-03-14';
/** The same for a date and time. */
export const REAL_DATE_TIME_REASON = 'must be a real date and time with its offset, like 2027-03-14T10:00:00Z';

/**
 * Whether a value is a real calendar date in the form YYYY-MM-DD: 30 February, month 13, day 0
 * and 29 February outside a leap year are not. Year 0000 is not either: PostgreSQL has no year 0.
 */
export function isRealDate(date: unknown): boolean {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || date.startsWith('0000')) return false;
  // Date.UTC rolls over (2027-02-30 becomes 2 March), so a real date is one that reads back unchanged.
  const [y, m, d] = date.split('-').map(Number);
  const instant = new Date(Date.UTC(2000, m - 1, d));
  instant.setUTCFullYear(y);
  return instant.getUTCFullYear() === y && instant.getUTCMonth() === m - 1 && instant.getUTCDate() === d;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Whether a value is an ISO 8601 date and time with an offset, on a real day at a real time of day. */
export function isRealDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_TIME.exec(value);
  if (!m || !isRealDate(m[1])) return false;
  const [hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = [m[2], m[3], m[4], m[6], m[7]];
  return Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59 && Number(offsetHours) <= 14 && Number(offsetMinutes) <= 59;
}

/** The same day and month, `years` later (29 February falls back to 28 February). */
export function yearsAfter(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isRealDate(target) ? target : `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-28`;
}

/** A breach happened on a real day, not in the future and not before the first Compact. */
export function breachDateSensible(happenedOn: string, at: string): boolean {
  return isRealDate(happenedOn) && happenedOn >= EARLIEST_BREACH_DATE && happenedOn <= londonDate(at);
}

/** A meeting is recorded once it has been held: today or earlier. */
export function meetingNotInFuture(heldOn: string, at: string): boolean {
  return isRealDate(heldOn) && heldOn <= londonDate(at);
}

/** A session is scheduled (or moved) to a time still to come. */
export function sessionNotInPast(startsAt: string, at: string): boolean {
  return isRealDateTime(startsAt) && Date.parse(startsAt) >= Date.parse(at);
}

/**
 * A session can be recorded as held from its day on (not only after its start time: a mediator
 * records it when it ends, on the same day). With no session known there is nothing to compare.
 */
export function sessionDayReached(startsAt: string | null | undefined, at: string): boolean {
  return !startsAt || londonDate(startsAt) <= londonDate(at);
}

/** Monitoring runs to today or a later day, within MONITOR_MAX_YEARS; no date given is not this rule's concern. */
export function monitoringDateSensible(monitorUntil: string | undefined, at: string): boolean {
  if (monitorUntil === undefined) return true;
  const today = londonDate(at);
  return isRealDate(monitorUntil) && monitorUntil >= today && monitorUntil <= yearsAfter(today, MONITOR_MAX_YEARS);
}

/**
 * Why a report's breach date is refused, in words for the person who typed it; null when it
 * makes sense. Shared by the API's report validation and the report pages.
 */
export function breachDateProblem(happenedOn: string, at: string): string | null {
  if (!isRealDate(happenedOn)) return 'The date it happened must be a real date, like 27 3 2026';
  if (happenedOn > londonDate(at)) return 'The date it happened must be today or in the past';
  if (happenedOn < EARLIEST_BREACH_DATE) return 'The date it happened must be in 1998 or later, when the first Compact was agreed';
  return null;
}

/** A time of day as people write it: "14:00", "9.30", "2pm", "2.30pm", "2:30 p.m.", "noon", "midnight". */
export function parseClockTime(text: string): { hour: number; minute: number } | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'noon' || t === 'midday' || t === '12 noon') return { hour: 12, minute: 0 };
  if (t === 'midnight') return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?:[:.](\d{2}))? ?(am|pm|a\.m\.|p\.m\.)?$/.exec(t);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  if (minute > 59) return null;
  const half = m[3]?.replace(/\./g, '');
  if (!half) {
    // A bare "2" could be 2am or 2pm, so without am or pm the minutes must be given ("14:00").
    if (m[2] === undefined || hour > 23) return null;
    return { hour, minute };
  }
  if (hour < 1 || hour > 12) return null;
  return { hour: (hour % 12) + (half === 'pm' ? 12 : 0), minute };
}
