import type { WorkingCalendar } from '@cc/calendar';

/** How long a reporter has to ask for a review of a rejection (decision 7). */
export const REVIEW_WORKING_DAYS = 20;

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });

/** London's offset from UTC at an instant, in ms (0 in winter, an hour in summer). */
function londonOffset(instant: number): number {
  const p = Object.fromEntries(londonParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - Math.floor(instant / 60_000) * 60_000;
}

/**
 * The last moment a review may be asked for: the end (23:59:59.999 London) of the 20th working day
 * after `from`, bank holidays in England excluded. A day ends at the next London midnight, whose
 * UTC time depends on British Summer Time.
 */
export function reviewableUntil(calendar: WorkingCalendar, from: Date): string {
  const last = calendar.addWorkingDays(from, REVIEW_WORKING_DAYS);
  const [y, m, d] = londonDate.format(last).split('-').map(Number);
  const nextMidnightUtc = Date.UTC(y, m - 1, d + 1);
  // Clocks change at 01:00 UTC, so the offset at UTC midnight is London's at its own midnight.
  return new Date(nextMidnightUtc - londonOffset(nextMidnightUtc) - 1).toISOString();
}
