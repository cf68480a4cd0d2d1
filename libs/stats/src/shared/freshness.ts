import { Injectable } from '@nestjs/common';
import { StatsRollups } from '../rollups/stats-rollups';

/** Days a query rewrites itself before answering; more is left to the worker's refresh. */
const QUERY_CATCH_UP_DAYS = 3;

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
    const result = await this.rollups.refresh(QUERY_CATCH_UP_DAYS);
    if (result?.caughtUp && result.asOf) return result.asOf;
    return this.rollups.caughtUpAt();
  }
}
