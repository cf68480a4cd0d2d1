import Holidays from 'date-holidays';

/**
 * Working days in England and Wales: weekdays that are not bank holidays, counted in London
 * calendar days (so a clock keeps its wall-clock time across the changes to and from BST).
 */
export interface WorkingCalendar {
  /** A weekday that is not a bank holiday in England and Wales (London date of the instant). */
  isWorkingDay(instant: Date): boolean;
  /**
   * The instant `days` working days after `from`, at the same London wall-clock time. A start on a
   * non-working day counts from the next working day's start (00:00 London). days >= 0; 0 returns
   * from (or the next working day's start if from is not a working day).
   */
  addWorkingDays(from: Date, days: number): Date;
  /** Working time between two instants in ms, counting only time that falls on working days (0 if b <= a). Used to pause a clock. */
  workingMsBetween(a: Date, b: Date): number;
  /**
   * The instant when `ms` of working time has passed after `from` (skipping non-working days). Used
   * to resume a paused clock with the time that was left. The answer always lies on a working day:
   * time that runs out exactly at midnight after a working day gives the next working day's 00:00,
   * which is what addWorkingDays gives for a clock started at 00:00, so pause/resume round-trips.
   */
  addWorkingMs(from: Date, ms: number): Date;
  /** Bank holidays (YYYY-MM-DD, London dates) in a year, for display and tests. */
  bankHolidays(year: number): string[];
}

const DAY = 86_400_000;
const TIME_ZONE = 'Europe/London';

/**
 * UTC offsets of Europe/London for one UTC year, learnt once from Intl. Intl is the source of truth
 * (no hand-written BST rules, no tz library) but costs microseconds per call, so every later lookup
 * is arithmetic on this table instead.
 */
interface OffsetYear {
  start: number;
  end: number;
  firstOffset: number;
  changes: number[]; // instants at which the offset changes...
  offsets: number[]; // ...and the offset from each of them on
}

/** Working flags for one London calendar year, indexed by day of the year. */
interface DayYear {
  firstDay: number;
  endDay: number;
  working: Uint8Array;
  holidays: string[];
}

function londonOffsetFromIntl(format: Intl.DateTimeFormat, t: number): number {
  // The formatter has one-second resolution, so compare against the whole second.
  const second = Math.floor(t / 1000) * 1000;
  const p: Record<string, string> = {};
  for (const part of format.formatToParts(second)) p[part.type] = part.value;
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - second;
}

function offsetYear(format: Intl.DateTimeFormat, year: number): OffsetYear {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const firstOffset = londonOffsetFromIntl(format, start);
  const changes: number[] = [];
  const offsets: number[] = [];
  let before = firstOffset;
  // Sampling once a day finds every change as long as there is at most one per day, true for London.
  for (let t = start; t < end; t += DAY) {
    const next = Math.min(t + DAY, end);
    const after = londonOffsetFromIntl(format, next);
    if (after === before) continue;
    let lo = t; // offset `before` here
    let hi = next; // offset `after` here
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (londonOffsetFromIntl(format, mid) === before) lo = mid;
      else hi = mid;
    }
    if (hi < end) {
      changes.push(hi);
      offsets.push(after);
    }
    before = after;
  }
  return { start, end, firstOffset, changes, offsets };
}

export function createEnglandAndWalesCalendar(): WorkingCalendar {
  const holidaySource = new Holidays('GB', 'ENG');
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

  // Both caches keep the last year used in a variable: deadlines cluster, so the Map is rarely hit.
  const offsetYears = new Map<number, OffsetYear>();
  let lastOffsetYear: OffsetYear | undefined;
  const offsetAt = (t: number): number => {
    let table = lastOffsetYear;
    if (!table || t < table.start || t >= table.end) {
      const year = new Date(t).getUTCFullYear();
      table = offsetYears.get(year);
      if (!table) offsetYears.set(year, (table = offsetYear(format, year)));
      lastOffsetYear = table;
    }
    let offset = table.firstOffset;
    for (let i = 0; i < table.changes.length && t >= table.changes[i]; i++) offset = table.offsets[i];
    return offset;
  };

  const dayYears = new Map<number, DayYear>();
  let lastDayYear: DayYear | undefined;
  const dayYear = (year: number): DayYear => {
    let table = dayYears.get(year);
    if (!table) {
      const firstDay = Date.UTC(year, 0, 1) / DAY;
      const endDay = Date.UTC(year + 1, 0, 1) / DAY;
      const working = new Uint8Array(endDay - firstDay);
      for (let d = firstDay; d < endDay; d++) {
        const weekday = (d + 4) % 7; // 1 Jan 1970 was a Thursday; 0 = Sunday
        working[d - firstDay] = weekday === 0 || weekday === 6 ? 0 : 1;
      }
      // Only 'public' days close the courts and offices; 'observance' (Mother's Day...) does not.
      // date-holidays gives GB dates as London wall-clock strings, so the first ten characters are the London date.
      const holidays = [
        ...new Set(
          holidaySource
            .getHolidays(year)
            .filter((h) => h.type === 'public')
            .map((h) => h.date.slice(0, 10)),
        ),
      ].sort();
      for (const iso of holidays) working[Date.parse(`${iso}T00:00:00Z`) / DAY - firstDay] = 0;
      dayYears.set(year, (table = { firstDay, endDay, working, holidays }));
    }
    return table;
  };
  const isWorking = (dayNumber: number): boolean => {
    let table = lastDayYear;
    if (!table || dayNumber < table.firstDay || dayNumber >= table.endDay) {
      lastDayYear = table = dayYear(new Date(dayNumber * DAY).getUTCFullYear());
    }
    return table.working[dayNumber - table.firstDay] === 1;
  };

  /** London wall-clock time of an instant, as if it were UTC (so days are plain multiples of DAY). */
  const wallOf = (t: number): number => t + offsetAt(t);
  /**
   * The instant of a London wall-clock time. Clocks change on Sundays, never on a working day, so
   * the times this is asked for are never skipped or repeated; if one were, this picks one side.
   */
  const instantOf = (wall: number): number => {
    const guess = wall - offsetAt(wall);
    return wall - offsetAt(guess);
  };
  const startOf = (dayNumber: number): number => instantOf(dayNumber * DAY);

  const timeOf = (d: Date, name: string): number => {
    const t = d instanceof Date ? d.getTime() : NaN;
    if (!Number.isFinite(t)) throw new RangeError(`${name} must be a valid Date`);
    return t;
  };

  return {
    isWorkingDay(instant) {
      return isWorking(Math.floor(wallOf(timeOf(instant, 'instant')) / DAY));
    },

    addWorkingDays(from, days) {
      const t = timeOf(from, 'from');
      if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0, not ${days}`);
      const wall = wallOf(t);
      let day = Math.floor(wall / DAY);
      let timeOfDay = wall - day * DAY;
      if (!isWorking(day)) {
        do day++;
        while (!isWorking(day));
        timeOfDay = 0;
      } else if (days === 0) {
        return new Date(t);
      }
      for (let left = days; left > 0; ) if (isWorking(++day)) left--;
      return new Date(instantOf(day * DAY + timeOfDay));
    },

    workingMsBetween(a, b) {
      const ta = timeOf(a, 'a');
      const tb = timeOf(b, 'b');
      if (tb <= ta) return 0;
      const first = Math.floor(wallOf(ta) / DAY);
      const last = Math.floor(wallOf(tb) / DAY);
      if (first === last) return isWorking(first) ? tb - ta : 0;
      let total = isWorking(first) ? startOf(first + 1) - ta : 0;
      for (let d = first + 1; d < last; d++) if (isWorking(d)) total += startOf(d + 1) - startOf(d);
      if (isWorking(last)) total += tb - startOf(last);
      return total;
    },

    addWorkingMs(from, ms) {
      let cursor = timeOf(from, 'from');
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a finite number >= 0, not ${ms}`);
      let left = ms;
      let day = Math.floor(wallOf(cursor) / DAY);
      for (;;) {
        const end = startOf(day + 1);
        if (isWorking(day)) {
          // Strictly less: running out exactly at midnight rolls on to the next working day's start.
          if (left < end - cursor) return new Date(cursor + left);
          left -= end - cursor;
        }
        day++;
        cursor = end;
      }
    },

    bankHolidays(year) {
      if (!Number.isSafeInteger(year)) throw new RangeError(`year must be a whole number, not ${year}`);
      return [...dayYear(year).holidays];
    },
  };
}

/** The shared calendar; offsets and holidays are cached per year, so share it rather than create more. */
export const englandAndWales: WorkingCalendar = createEnglandAndWalesCalendar();
