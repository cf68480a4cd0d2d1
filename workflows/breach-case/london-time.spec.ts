import { endOfDayInLondon } from './london-time';

describe('endOfDayInLondon', () => {
  it('is midnight UTC in winter (GMT)', () => {
    expect(endOfDayInLondon('2026-12-31')).toBe('2026-12-31T23:59:59.999Z');
    expect(endOfDayInLondon('2027-01-15')).toBe('2027-01-15T23:59:59.999Z');
  });

  it('is an hour earlier in summer (BST)', () => {
    expect(endOfDayInLondon('2026-06-30')).toBe('2026-06-30T22:59:59.999Z');
  });

  it('follows the clock changes: the day clocks go forward ends in BST, the day they go back in GMT', () => {
    // 2026: forward on Sunday 29 March, back on Sunday 25 October.
    expect(endOfDayInLondon('2026-03-28')).toBe('2026-03-28T23:59:59.999Z');
    expect(endOfDayInLondon('2026-03-29')).toBe('2026-03-29T22:59:59.999Z');
    expect(endOfDayInLondon('2026-10-24')).toBe('2026-10-24T22:59:59.999Z');
    expect(endOfDayInLondon('2026-10-25')).toBe('2026-10-25T23:59:59.999Z');
  });

  it('refuses what is not a date', () => {
    expect(() => endOfDayInLondon('')).toThrow(RangeError);
  });
});
