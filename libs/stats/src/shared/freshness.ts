import { Injectable } from '@nestjs/common';
import { StatsRollups } from '../rollups/stats-rollups';

/**
 * Days rewritten per step of a query's catch-up. One: with a million cases a day and its month
 * take about 160-270 ms to rewrite, so a query never spends much more than its budget.
 */
const CATCH_UP_DAYS_PER_STEP = 1;
/** Time a query spends catching up before it answers from what is there; the worker does the rest. */
const CATCH_UP_BUDGET_MS = 150;

/**
 * Brings the rollups up to date before a query reads them, when that is cheap (a few changed
 * days, the usual case), and says how fresh the answer is.
 */
@Injectable()
export class StatsFreshness {
  constructor(private readonly rollups: StatsRollups) {}

  /** The time up to which the figures include every change; null if they never caught up. */
  async ensureFresh(): Promise<Date | null> {
    // An unconsumed mark stays visible until the refresh that took it commits, so none means current.
    if (!(await this.rollups.hasPending())) return new Date();
    const started = Date.now();
    do {
      const result = await this.rollups.refresh(CATCH_UP_DAYS_PER_STEP);
      // null: another refresh holds the lock; its figures will be there for the next query.
      if (!result) break;
      if (result.caughtUp && result.asOf) return result.asOf;
    } while (Date.now() - started < CATCH_UP_BUDGET_MS);
    return this.rollups.caughtUpAt();
  }
}
