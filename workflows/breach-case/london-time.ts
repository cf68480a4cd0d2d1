/**
 * Dates in the case process are dates in England: "monitor until 30 June" ends at midnight in
 * London, which in summer (BST) is an hour before midnight UTC. Pure: it reads only the time-zone
 * rules that ship with Node (Intl).
 */
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function londonDateAndHour(instant: Date): string {
  const parts = Object.fromEntries(LONDON.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The last millisecond of `date` (YYYY-MM-DD) in London, as an ISO instant. */
export function endOfDayInLondon(date: string): string {
  const utcEnd = Date.parse(`${date}T23:59:59.999Z`);
  if (Number.isNaN(utcEnd)) throw new RangeError(`Not a date: ${date}`);
  // London is UTC or UTC+1; the end of its day is whichever of the two reads 23:59 there.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(utcEnd - offsetHours * 3_600_000);
    if (londonDateAndHour(candidate) === `${date} 23:59`) return candidate.toISOString();
  }
  return new Date(utcEnd).toISOString();
}
