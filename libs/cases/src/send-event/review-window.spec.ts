import { englandAndWales } from '@cc/calendar';
import { reviewableUntil } from './review-window';

describe('reviewableUntil', () => {
  it('ends the 20th working day in winter at 23:59:59.999 London (GMT)', () => {
    // Monday 5 January 2026: 20 working days on is Monday 2 February.
    expect(reviewableUntil(englandAndWales, new Date('2026-01-05T10:00:00Z'))).toBe('2026-02-02T23:59:59.999Z');
  });

  it('ends the day in British Summer Time an hour earlier in UTC, skipping bank holidays', () => {
    // Tuesday 28 April 2026; the early May (4 May) and spring (25 May) bank holidays are skipped: Thursday 28 May.
    expect(reviewableUntil(englandAndWales, new Date('2026-04-28T09:00:00Z'))).toBe('2026-05-28T22:59:59.999Z');
  });
});
