import { Sql, rawSql, sql } from '@cc/persistence';
import { planRange, type DayRange } from './date-range';

/**
 * The rows of a rollup family (`counts` or `durations`) for a range: monthly rows for whole
 * months, daily rows for the part-months (a bound absent from the plan is null, which matches
 * nothing); `period` is the row's day or month. `columns` is trusted text chosen by the code.
 */
export function rangeUnion(family: 'counts' | 'durations', columns: string, range: DayRange, where: Sql = sql`true`): Sql {
  const plan = planRange(range.first, range.last);
  const [a, b] = plan.days;
  const picked = rawSql(columns);
  const monthly = rawSql(`stats_monthly_${family}`);
  const daily = rawSql(`stats_daily_${family}`);
  return sql`
    SELECT month AS period, ${picked} FROM ${monthly} WHERE ${where} AND month BETWEEN ${plan.months?.first ?? null}::date AND ${plan.months?.last ?? null}::date
    UNION ALL
    SELECT day, ${picked} FROM ${daily} WHERE ${where} AND day BETWEEN ${a?.first ?? null}::date AND ${a?.last ?? null}::date
    UNION ALL
    SELECT day, ${picked} FROM ${daily} WHERE ${where} AND day BETWEEN ${b?.first ?? null}::date AND ${b?.last ?? null}::date`;
}
