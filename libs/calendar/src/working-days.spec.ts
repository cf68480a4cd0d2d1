import { createEnglandAndWalesCalendar, englandAndWales } from './working-days';

const cal = createEnglandAndWalesCalendar();
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('bank holidays (date-holidays, GB/ENG, type public)', () => {
  it('lists 2026, with Boxing Day (a Saturday) substituted on Monday 28 December', () => {
    // The Saturday itself stays in the list because date-holidays reports it; it is a weekend anyway.
    expect(cal.bankHolidays(2026)).toEqual([
      '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31',
      '2026-12-25', '2026-12-26', '2026-12-28',
    ]);
  });

  it('lists 2027, with Christmas and Boxing Day (a weekend) substituted on 27 and 28 December', () => {
    expect(cal.bankHolidays(2027)).toEqual([
      '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30',
      '2027-12-25', '2027-12-26', '2027-12-27', '2027-12-28',
    ]);
  });

  it('substitutes New Year 2028 (a Saturday) on Monday 3 January', () => {
    expect(cal.bankHolidays(2028)).toEqual(expect.arrayContaining(['2028-01-01', '2028-01-03']));
    expect(cal.isWorkingDay(at('2028-01-03T12:00:00Z'))).toBe(false);
    expect(cal.isWorkingDay(at('2028-01-04T12:00:00Z'))).toBe(true);
  });

  it('leaves out observances such as Mother’s Day and Easter Sunday', () => {
    expect(cal.bankHolidays(2026)).not.toContain('2026-03-15');
    expect(cal.bankHolidays(2026)).not.toContain('2026-04-05');
  });

  it('hands out a copy, so a caller cannot change the cached year', () => {
    cal.bankHolidays(2026).push('2026-11-23');
    expect(cal.isWorkingDay(at('2026-11-23T12:00:00Z'))).toBe(true);
    expect(cal.bankHolidays(2026)).not.toContain('2026-11-23');
  });
});

describe('isWorkingDay', () => {
  it('is false at weekends, on bank holidays and substitute days, true otherwise', () => {
    expect(cal.isWorkingDay(at('2026-11-20T12:00:00Z'))).toBe(true); // Friday
    expect(cal.isWorkingDay(at('2026-11-21T12:00:00Z'))).toBe(false); // Saturday
    expect(cal.isWorkingDay(at('2026-11-22T12:00:00Z'))).toBe(false); // Sunday
    expect(cal.isWorkingDay(at('2026-12-25T12:00:00Z'))).toBe(false);
    expect(cal.isWorkingDay(at('2026-12-28T12:00:00Z'))).toBe(false); // Boxing Day substitute
    expect(cal.isWorkingDay(at('2026-12-29T12:00:00Z'))).toBe(true);
  });

  it('goes by the London date, not the UTC date', () => {
    // 23:30 UTC on Friday 5 June 2026 is 00:30 BST on Saturday.
    expect(cal.isWorkingDay(at('2026-06-05T23:30:00Z'))).toBe(false);
    // 23:30 UTC on Sunday 7 June 2026 is 00:30 BST on Monday.
    expect(cal.isWorkingDay(at('2026-06-07T23:30:00Z'))).toBe(true);
    // In winter London is on UTC, so the same UTC times stay on Friday and Sunday.
    expect(cal.isWorkingDay(at('2026-11-20T23:30:00Z'))).toBe(true);
    expect(cal.isWorkingDay(at('2026-11-22T23:30:00Z'))).toBe(false);
  });
});

describe('addWorkingDays', () => {
  it('skips weekends', () => {
    expect(iso(cal.addWorkingDays(at('2026-11-20T10:00:00Z'), 1))).toBe('2026-11-23T10:00:00.000Z'); // Fri -> Mon
    expect(iso(cal.addWorkingDays(at('2026-11-16T10:00:00Z'), 5))).toBe('2026-11-23T10:00:00.000Z'); // Mon -> Mon
    expect(iso(cal.addWorkingDays(at('2026-11-16T10:00:00Z'), 10))).toBe('2026-11-30T10:00:00.000Z');
  });

  it('returns the start itself for 0 days on a working day', () => {
    const from = at('2026-11-18T10:11:12.345Z');
    expect(cal.addWorkingDays(from, 0).getTime()).toBe(from.getTime());
  });

  it('counts a start on a Saturday from Monday 00:00 London', () => {
    expect(iso(cal.addWorkingDays(at('2026-11-21T15:00:00Z'), 0))).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(cal.addWorkingDays(at('2026-11-21T15:00:00Z'), 1))).toBe('2026-11-24T00:00:00.000Z');
    // In summer 00:00 London is 23:00 UTC the day before.
    expect(iso(cal.addWorkingDays(at('2026-06-06T15:00:00Z'), 0))).toBe('2026-06-07T23:00:00.000Z');
  });

  it('counts a start on a bank holiday from the next working day 00:00', () => {
    // Good Friday 2027 -> Tuesday 30 March 00:00 BST (Easter Monday is off too).
    expect(iso(cal.addWorkingDays(at('2027-03-26T10:00:00Z'), 0))).toBe('2027-03-29T23:00:00.000Z');
    expect(iso(cal.addWorkingDays(at('2027-03-26T10:00:00Z'), 2))).toBe('2027-03-31T23:00:00.000Z');
  });

  it('skips Christmas, Boxing Day and the substitute day, and New Year', () => {
    // Wed 23 Dec 2026 + 5: 24, [25 hol, 26-27 weekend, 28 substitute], 29, 30, 31, [1 Jan hol, 2-3 weekend], 4 Jan.
    expect(iso(cal.addWorkingDays(at('2026-12-23T09:30:00Z'), 5))).toBe('2027-01-04T09:30:00.000Z');
    // Fri 24 Dec 2027 + 1: 25-26 weekend, 27 and 28 substitutes -> Wed 29 Dec.
    expect(iso(cal.addWorkingDays(at('2027-12-24T09:30:00Z'), 1))).toBe('2027-12-29T09:30:00.000Z');
  });

  it('crosses a year end', () => {
    // Wed 30 Dec 2026 + 3: 31 Dec, [1 Jan hol, weekend], 4 Jan, 5 Jan.
    expect(iso(cal.addWorkingDays(at('2026-12-30T09:30:00Z'), 3))).toBe('2027-01-05T09:30:00.000Z');
  });

  it('skips Good Friday and Easter Monday 2027 (26 and 29 March)', () => {
    // Thu 25 Mar 10:00 GMT + 1 = Tue 30 Mar 10:00 BST (the clocks went forward on 28 March).
    expect(iso(cal.addWorkingDays(at('2027-03-25T10:00:00Z'), 1))).toBe('2027-03-30T09:00:00.000Z');
    expect(iso(cal.addWorkingDays(at('2027-03-25T10:00:00Z'), 2))).toBe('2027-03-31T09:00:00.000Z');
  });

  it('keeps the London wall-clock time when the clocks go forward (last Sunday of March)', () => {
    // Fri 27 Mar 2026 09:00 GMT + 1 = Mon 30 Mar 09:00 BST = 08:00 UTC.
    expect(iso(cal.addWorkingDays(at('2026-03-27T09:00:00Z'), 1))).toBe('2026-03-30T08:00:00.000Z');
    // 23:30 GMT Friday + 1 = 23:30 BST Monday, still Monday in London.
    expect(iso(cal.addWorkingDays(at('2026-03-27T23:30:00Z'), 1))).toBe('2026-03-30T22:30:00.000Z');
  });

  it('keeps the London wall-clock time when the clocks go back (last Sunday of October)', () => {
    // Fri 23 Oct 2026 14:00 BST (13:00 UTC) + 1 = Mon 26 Oct 14:00 GMT.
    expect(iso(cal.addWorkingDays(at('2026-10-23T13:00:00Z'), 1))).toBe('2026-10-26T14:00:00.000Z');
    // 00:30 BST Friday (23:30 UTC Thursday) + 1 = 00:30 GMT Monday.
    expect(iso(cal.addWorkingDays(at('2026-10-22T23:30:00Z'), 1))).toBe('2026-10-26T00:30:00.000Z');
  });

  it('refuses negative, fractional and non-numeric day counts and invalid dates', () => {
    const from = at('2026-11-16T10:00:00Z');
    expect(() => cal.addWorkingDays(from, -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(from, 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(from, NaN)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date('nonsense'), 1)).toThrow(RangeError);
  });
});

describe('workingMsBetween', () => {
  it('counts Friday afternoon and Monday morning but not the weekend', () => {
    expect(cal.workingMsBetween(at('2026-11-20T12:00:00Z'), at('2026-11-23T12:00:00Z'))).toBe(DAY);
    expect(cal.workingMsBetween(at('2026-11-21T00:00:00Z'), at('2026-11-23T00:00:00Z'))).toBe(0);
  });

  it('counts within one day, and is 0 when b is not after a', () => {
    expect(cal.workingMsBetween(at('2026-11-18T09:00:00Z'), at('2026-11-18T17:30:00Z'))).toBe(8.5 * HOUR);
    expect(cal.workingMsBetween(at('2026-11-23T12:00:00Z'), at('2026-11-20T12:00:00Z'))).toBe(0);
    expect(cal.workingMsBetween(at('2026-11-23T12:00:00Z'), at('2026-11-23T12:00:00Z'))).toBe(0);
  });

  it('leaves out the short Sunday when the clocks go forward', () => {
    // Fri 27 Mar 2026 12:00 GMT to Mon 30 Mar 12:00 BST: 12 h + 12 h, whatever Sunday's length.
    expect(cal.workingMsBetween(at('2026-03-27T12:00:00Z'), at('2026-03-30T11:00:00Z'))).toBe(DAY);
  });

  it('leaves out Christmas, the substitute day and New Year', () => {
    // Thu 24 Dec 2026 00:00 to Tue 5 Jan 2027 00:00: 24, 29, 30, 31 Dec and 4 Jan.
    expect(cal.workingMsBetween(at('2026-12-24T00:00:00Z'), at('2027-01-05T00:00:00Z'))).toBe(5 * DAY);
  });
});

describe('addWorkingMs', () => {
  it('adds time within a working day and skips non-working days', () => {
    expect(iso(cal.addWorkingMs(at('2026-11-20T10:00:00Z'), 2 * HOUR))).toBe('2026-11-20T12:00:00.000Z');
    // 14 h left of Friday, then Monday: 10 h into it.
    expect(iso(cal.addWorkingMs(at('2026-11-20T10:00:00Z'), DAY))).toBe('2026-11-23T10:00:00.000Z');
    // 14 h left on 22 Dec, 23 and 24 Dec in full, then 25-28 Dec off: 10 h into 29 Dec.
    expect(iso(cal.addWorkingMs(at('2026-12-22T10:00:00Z'), 3 * DAY))).toBe('2026-12-29T10:00:00.000Z');
  });

  it('rolls time that runs out at midnight on to the next working day 00:00', () => {
    expect(iso(cal.addWorkingMs(at('2026-11-20T00:00:00Z'), DAY))).toBe('2026-11-23T00:00:00.000Z');
  });

  it('returns the start for 0 ms on a working day, the next working day 00:00 otherwise', () => {
    expect(iso(cal.addWorkingMs(at('2026-11-18T10:00:00Z'), 0))).toBe('2026-11-18T10:00:00.000Z');
    expect(iso(cal.addWorkingMs(at('2026-11-21T10:00:00Z'), 0))).toBe('2026-11-23T00:00:00.000Z');
  });

  it('refuses negative or non-finite time', () => {
    expect(() => cal.addWorkingMs(at('2026-11-16T10:00:00Z'), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingMs(at('2026-11-16T10:00:00Z'), Infinity)).toThrow(RangeError);
  });
});

describe('pausing and resuming a clock', () => {
  it('gives the same due time when paused and resumed at once, for any start on a working day', () => {
    // Every day of 2026-2027, at times that include midnight, the small hours around the clock changes and the last ms.
    const offsets = [0, 30 * 60 * 1000, 1.5 * HOUR, 9 * HOUR, 23 * HOUR, DAY - 1];
    let checked = 0;
    for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2028, 0, 1); day += DAY) {
      for (const offset of offsets) {
        const from = new Date(day + offset);
        if (!cal.isWorkingDay(from)) continue;
        for (const n of [0, 1, 2, 5, 20]) {
          const due = cal.addWorkingDays(from, n);
          const resumed = cal.addWorkingMs(from, cal.workingMsBetween(from, due));
          if (resumed.getTime() !== due.getTime()) {
            throw new Error(`${iso(from)} + ${n}: due ${iso(due)}, resumed ${iso(resumed)}`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('moves the due time by the working time that passed while paused', () => {
    const start = at('2026-12-14T10:00:00Z');
    const due = cal.addWorkingDays(start, 20);
    const pausedAt = cal.addWorkingDays(start, 3); // Thu 17 Dec
    const resumedAt = at('2026-12-29T15:45:00Z'); // over Christmas, at another time of day
    const newDue = cal.addWorkingMs(resumedAt, cal.workingMsBetween(pausedAt, due));
    const pausedFor = cal.workingMsBetween(pausedAt, resumedAt);
    // 14 h of 17 Dec, 18 and 21-24 Dec in full, 25-28 Dec off, 15 h 45 of 29 Dec.
    expect(pausedFor).toBe(6 * DAY + 5.75 * HOUR);
    expect(cal.workingMsBetween(due, newDue)).toBe(pausedFor);
    expect(cal.addWorkingMs(due, pausedFor).getTime()).toBe(newDue.getTime());
  });

  it('moves the due time by whole working days when paused and resumed at the same time of day', () => {
    const start = at('2026-11-16T10:00:00Z');
    const due = cal.addWorkingDays(start, 20);
    const pausedAt = cal.addWorkingDays(start, 3);
    const resumedAt = cal.addWorkingDays(pausedAt, 4);
    const newDue = cal.addWorkingMs(resumedAt, cal.workingMsBetween(pausedAt, due));
    expect(iso(newDue)).toBe(iso(cal.addWorkingDays(due, 4)));
  });

  it('resumes a clock paused over the weekend the clocks go back', () => {
    // Paused Fri 23 Oct 2026 13:00 UTC (14:00 BST) with 2 working days left, resumed Mon 26 Oct 14:00 GMT.
    const pausedAt = at('2026-10-23T13:00:00Z');
    const due = cal.addWorkingDays(pausedAt, 2); // Tue 27 Oct 14:00 GMT
    const newDue = cal.addWorkingMs(at('2026-10-26T14:00:00Z'), cal.workingMsBetween(pausedAt, due));
    expect(iso(newDue)).toBe('2026-10-28T14:00:00.000Z');
  });
});

describe('the shared instance', () => {
  it('agrees with a fresh calendar and is quick enough for many deadlines', () => {
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + i * 3_217_000);
      const due = englandAndWales.addWorkingDays(from, 20);
      englandAndWales.addWorkingMs(from, englandAndWales.workingMsBetween(from, due));
    }
    // About 40 ms on a laptop; the bound only catches a return to Intl on every call (seconds).
    expect(performance.now() - started).toBeLessThan(1500);
    expect(iso(englandAndWales.addWorkingDays(at('2026-12-23T09:30:00Z'), 5))).toBe('2027-01-04T09:30:00.000Z');
  });
});
