import { planRange, type DayRange } from './date-range';

/**
 * The rows of a rollup family (`counts` or `durations`) for a range: monthly rows for whole
 * months, daily rows for the part-months. Parameters $1..$6 are the plan's bounds (null when
 * absent, which matches nothing); `period` is the row's day or month.
 */
export function rangeUnion(family: 'counts' | 'durations', columns: string, where = 'true'): string {
  return `
    SELECT month AS period, ${columns} FROM stats_monthly_${family} WHERE ${where} AND month BETWEEN $1::date AND $2::date
    UNION ALL
    SELECT day, ${columns} FROM stats_daily_${family} WHERE ${where} AND day BETWEEN $3::date AND $4::date
    UNION ALL
    SELECT day, ${columns} FROM stats_daily_${family} WHERE ${where} AND day BETWEEN $5::date AND $6::date`;
}

export function rangeParams(range: DayRange): Array<string | null> {
  const plan = planRange(range.first, range.last);
  const [a, b] = plan.days;
  return [plan.months?.first ?? null, plan.months?.last ?? null, a?.first ?? null, a?.last ?? null, b?.first ?? null, b?.last ?? null];
}
