import { ValidationFailed } from '@cc/common';
import { londonToday, planRange, resolveRange } from './date-range';

describe('planRange', () => {
  it('reads whole months from the monthly rollup and the part-months at either end by day', () => {
    expect(planRange('2024-01-15', '2024-04-10')).toEqual({
      months: { first: '2024-02-01', last: '2024-03-01' },
      days: [
        { first: '2024-01-15', last: '2024-01-31' },
        { first: '2024-04-01', last: '2024-04-10' },
      ],
    });
  });

  it('needs no days when the range is whole months', () => {
    expect(planRange('2024-01-01', '2024-12-31')).toEqual({ months: { first: '2024-01-01', last: '2024-12-01' }, days: [] });
    expect(planRange('2024-02-01', '2024-02-29')).toEqual({ months: { first: '2024-02-01', last: '2024-02-01' }, days: [] });
  });

  it('reads by day when no whole month is inside', () => {
    expect(planRange('2024-03-05', '2024-03-20')).toEqual({ months: null, days: [{ first: '2024-03-05', last: '2024-03-20' }] });
    expect(planRange('2024-01-20', '2024-02-10')).toEqual({ months: null, days: [{ first: '2024-01-20', last: '2024-02-10' }] });
    expect(planRange('2024-05-07', '2024-05-07')).toEqual({ months: null, days: [{ first: '2024-05-07', last: '2024-05-07' }] });
  });

  it('handles a whole month at one end only, across a year end', () => {
    expect(planRange('2023-12-01', '2024-01-09')).toEqual({
      months: { first: '2023-12-01', last: '2023-12-01' },
      days: [{ first: '2024-01-01', last: '2024-01-09' }],
    });
    expect(planRange('2023-11-30', '2023-12-31')).toEqual({
      months: { first: '2023-12-01', last: '2023-12-01' },
      days: [{ first: '2023-11-30', last: '2023-11-30' }],
    });
  });

  it('covers every day of the range exactly once', () => {
    for (const [from, to] of [['2022-02-27', '2024-03-02'], ['2024-02-28', '2024-03-01'], ['2021-01-31', '2021-03-01']]) {
      const plan = planRange(from, to);
      const days = new Set<string>();
      const add = (first: string, last: string) => {
        for (let d = new Date(first); d <= new Date(last); d.setUTCDate(d.getUTCDate() + 1)) {
          const key = d.toISOString().slice(0, 10);
          expect(days.has(key)).toBe(false);
          days.add(key);
        }
      };
      plan.days.forEach((r) => add(r.first, r.last));
      if (plan.months) {
        const end = new Date(plan.months.last);
        end.setUTCMonth(end.getUTCMonth() + 1);
        end.setUTCDate(0);
        add(plan.months.first, end.toISOString().slice(0, 10));
      }
      expect(days.size).toBe((new Date(to).getTime() - new Date(from).getTime()) / 86_400_000 + 1);
    }
  });
});

describe('resolveRange', () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailed);
      return (err as ValidationFailed).errors.map((e) => e.field);
    }
    throw new Error('expected a ValidationFailed');
  };

  it('defaults to the year up to today', () => {
    expect(resolveRange({}, '2025-06-10')).toEqual({ first: '2024-06-11', last: '2025-06-10' });
    expect(resolveRange({}, '2024-02-29')).toEqual({ first: '2023-03-01', last: '2024-02-29' });
    expect(resolveRange({ to: '2024-01-31' }, '2025-06-10')).toEqual({ first: '2023-02-01', last: '2024-01-31' });
  });

  it('refuses impossible dates, from after to, and huge ranges, naming the field', () => {
    expect(fieldsOf(() => resolveRange({ from: '2025-02-30' }))).toEqual(['from']);
    expect(fieldsOf(() => resolveRange({ from: 'yesterday', to: '2025-13-01' }))).toEqual(['from', 'to']);
    expect(fieldsOf(() => resolveRange({ from: '2025-03-02', to: '2025-03-01' }))).toEqual(['from']);
    expect(fieldsOf(() => resolveRange({ from: '1900-01-01', to: '2025-03-01' }))).toEqual(['from']);
  });

  it('counts days in England', () => {
    expect(londonToday(new Date('2025-06-30T23:30:00Z'))).toBe('2025-07-01');
    expect(londonToday(new Date('2025-01-31T23:30:00Z'))).toBe('2025-01-31');
  });
});
