import { Injectable } from '@nestjs/common';
import { isUuid } from '@cc/common';
import { DataSource } from 'typeorm';
import { Sql, runSql, sql } from '@cc/persistence';
import { suppressSmallGroups, MIN_PUBLIC_CASES } from '../shared/anonymise';
import { resolveRange } from '../shared/date-range';
import { StatsFreshness } from '../shared/freshness';
import { rangeUnion } from '../shared/rollup-reads';
import { BreachGroup, BreachGrouping, BreachStats, BreachStatsQuery, CommitmentWords, PublicBreachStats } from './breach-stats.dto';
import { staticLabel } from './group-labels';


/**
 * Names of registry keys, one query per grouping. A commitment is named by its words, not only its
 * number ("2.4" means nothing to most readers), with its Compact first, as references repeat across Compacts.
 */
const LABEL_SQL: Partial<Record<BreachGrouping, (ids: string[]) => Sql>> = {
  commitment: (ids) => sql`SELECT cm.id::text AS key, k.name || ' ' || cm.reference || ': ' || cm.text AS label,
                      cm.reference, cm.text, k.name AS compact
                 FROM commitments cm JOIN compacts k ON k.id = cm.compact_id WHERE cm.id = ANY(${ids}::uuid[])`,
  code: (ids) => sql`SELECT s.id::text AS key, s.title || ' (' || s.code || ') — ' || k.name AS label
           FROM compact_sections s JOIN compacts k ON k.id = s.compact_id WHERE s.id = ANY(${ids}::uuid[])`,
  respondent: (ids) => sql`SELECT id::text AS key, name AS label FROM organisations WHERE id = ANY(${ids}::uuid[])`,
  compact: (ids) => sql`SELECT id::text AS key, name AS label FROM compacts WHERE id = ANY(${ids}::uuid[])`,
};

/** Breaches submitted in a date range, counted by one grouping, from the rollups. */
@Injectable()
export class BreachStatistics {
  constructor(
    private readonly dataSource: DataSource,
    private readonly freshness: StatsFreshness,
  ) {}

  async execute(query: BreachStatsQuery): Promise<BreachStats> {
    const range = resolveRange(query);
    const asOf = await this.freshness.ensureFresh();
    const dimension = query.by === 'month' ? 'total' : query.by;
    const groupKey = query.by === 'month' ? sql`to_char(period, 'YYYY-MM')` : sql`key`;
    const [rows, [totals]] = await Promise.all([
      runSql<{ key: string; cases: number; open: number; closed: number }>(
        this.dataSource,
        sql`SELECT ${groupKey} AS key, sum(cases)::int AS cases, sum(open)::int AS open, sum(closed)::int AS closed
           FROM (${rangeUnion('counts', 'key, cases, open, closed', range, sql`dimension = ${dimension}`)}) r
          GROUP BY 1`,
      ),
      runSql<{ total: number }>(
        this.dataSource,
        sql`SELECT coalesce(sum(cases), 0)::int AS total FROM (${rangeUnion('counts', 'cases', range, sql`dimension = 'total'`)}) r`,
      ),
    ]);
    const labels = await this.labels(query.by, rows.map((r) => r.key));
    const groups: BreachGroup[] = rows.map((r) => {
      const named = labels.get(r.key);
      return {
        key: r.key,
        label: named?.label ?? 'Not in the registry any more',
        ...(named?.commitment ? { commitment: named.commitment } : {}),
        cases: r.cases,
        open: r.open,
        closed: r.closed,
      };
    });
    groups.sort(query.by === 'month' ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.cases - a.cases || a.label.localeCompare(b.label));
    return { by: query.by, from: range.first, to: range.last, asOf: asOf?.toISOString() ?? null, total: totals.total, groups };
  }

  /**
   * The same figures for anyone: small groups left out (and, where needed, the next smallest, so
   * the hidden ones cannot be worked out from the total), and no reporting organisation.
   */
  async executePublic(query: BreachStatsQuery): Promise<PublicBreachStats> {
    const full = await this.execute(query);
    const shown = suppressSmallGroups(full.groups);
    return {
      by: full.by,
      from: full.from,
      to: full.to,
      asOf: full.asOf,
      total: full.total,
      shownCases: shown.shownCases,
      suppressedGroups: shown.suppressedGroups,
      minimumGroupSize: MIN_PUBLIC_CASES,
      groups: shown.groups,
    };
  }

  private async labels(by: BreachGrouping, keys: string[]): Promise<Map<string, { label: string; commitment?: CommitmentWords }>> {
    const labels = new Map<string, { label: string; commitment?: CommitmentWords }>();
    const lookup: string[] = [];
    for (const key of keys) {
      const label = staticLabel(by, key);
      if (label !== null) labels.set(key, { label });
      else if (isUuid(key)) lookup.push(key);
    }
    const labelQuery = LABEL_SQL[by];
    if (labelQuery && lookup.length) {
      const rows = await runSql<{ key: string; label: string; reference?: string; text?: string; compact?: string }>(this.dataSource, labelQuery(lookup));
      for (const row of rows) {
        labels.set(row.key, {
          label: row.label,
          commitment: row.reference !== undefined ? { reference: row.reference, text: row.text ?? '', compact: row.compact ?? '' } : undefined,
        });
      }
    }
    return labels;
  }
}
