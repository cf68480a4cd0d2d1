import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { MIN_PUBLIC_CASES } from '../shared/anonymise';
import { resolveRange } from '../shared/date-range';
import { StatsFreshness } from '../shared/freshness';
import { rangeUnion } from '../shared/rollup-reads';
import { StatsRangeQuery } from '../shared/stats-range.dto';
import { BucketCount, medianFromHistogram } from '../rollups/duration-buckets';
import { DURATION_SERIES, DurationFigure, DurationSeries, DurationStats, PublicDurationStats } from './duration-stats.dto';

const SERIES_LABELS: Record<DurationSeries, string> = {
  submitted: 'Waiting for triage',
  triage: 'Triage',
  advocacy: 'Advocacy',
  negotiation: 'Negotiation',
  mediation: 'Mediation',
  campaigning: 'Campaigning',
  resolved: 'Monitoring agreed actions',
  closure: 'Submission to closure',
};

/** Median time in each stage, and to closure, of the cases submitted in a date range. */
@Injectable()
export class DurationStatistics {
  constructor(
    private readonly dataSource: DataSource,
    private readonly freshness: StatsFreshness,
  ) {}

  async execute(query: StatsRangeQuery): Promise<DurationStats> {
    const range = resolveRange(query);
    const asOf = await this.freshness.ensureFresh();
    const rows = await runSql<{ series: string; bucket: number; n: number }>(
      this.dataSource,
      sql`SELECT series, bucket, sum(n)::int AS n FROM (${rangeUnion('durations', 'series, bucket, n', range)}) r GROUP BY 1, 2`,
    );
    const histograms = new Map<string, BucketCount[]>();
    for (const row of rows) histograms.set(row.series, [...(histograms.get(row.series) ?? []), { bucket: row.bucket, n: row.n }]);
    const series: DurationFigure[] = DURATION_SERIES.map((key) => {
      const histogram = histograms.get(key) ?? [];
      const median = medianFromHistogram(histogram);
      return {
        key,
        label: SERIES_LABELS[key],
        cases: histogram.reduce((sum, b) => sum + b.n, 0),
        medianDays: median === null ? null : Math.round((median / 86_400) * 100) / 100,
      };
    });
    return { from: range.first, to: range.last, asOf: asOf?.toISOString() ?? null, series };
  }

  /** Only figures measured over enough cases that none can be traced to one complaint. */
  async executePublic(query: StatsRangeQuery): Promise<PublicDurationStats> {
    const full = await this.execute(query);
    const shown = full.series.filter((s) => s.cases >= MIN_PUBLIC_CASES);
    return { ...full, series: shown, suppressedSeries: full.series.length - shown.length, minimumGroupSize: MIN_PUBLIC_CASES };
  }
}
