import type { FastifyReply } from 'fastify';
import type { BreachGroup, BreachGrouping } from '../breaches/breach-stats.dto';
import type { DurationFigure } from '../durations/duration-stats.dto';
import { toCsv } from './csv';

/** Whether the caller asked for CSV, by `format=csv` or by `Accept: text/csv`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return !!accept && /\btext\/csv\b/i.test(accept);
}

/** What the name column holds, and what the key at the end of each row is, for each grouping. */
const COLUMNS: Record<BreachGrouping, { name: string; key: string | null }> = {
  commitment: { name: 'Commitment', key: 'Commitment id' },
  code: { name: 'Section', key: 'Section id' },
  respondent: { name: 'Public body', key: 'Public body id' },
  bodyType: { name: 'Type of public body', key: 'Code' },
  compact: { name: 'Compact', key: 'Compact id' },
  area: { name: 'Area', key: null },
  outcome: { name: 'Outcome', key: 'Code' },
  month: { name: 'Month', key: 'Year and month' },
};

/**
 * Names first, as a person reads a spreadsheet, and the ids last, for anyone joining the file to
 * other data. A commitment has its Compact, reference and words in columns of their own.
 */
export function breachesCsv(by: BreachGrouping, groups: readonly BreachGroup[]): string {
  const { name, key } = COLUMNS[by];
  const id = (g: BreachGroup) => (g.key === 'none' ? '' : g.key);
  const idColumn = (g: BreachGroup) => (key ? [id(g)] : []);
  if (by === 'commitment') {
    return toCsv(
      ['Compact', 'Reference', 'Commitment', 'Cases', 'Open', 'Closed', key!],
      groups.map((g) => [g.commitment?.compact ?? '', g.commitment?.reference ?? '', g.commitment?.text ?? g.label, g.cases, g.open, g.closed, id(g)]),
    );
  }
  return toCsv([name, 'Cases', 'Open', 'Closed', ...(key ? [key] : [])], groups.map((g) => [g.label, g.cases, g.open, g.closed, ...idColumn(g)]));
}

export function durationsCsv(series: readonly DurationFigure[]): string {
  return toCsv(['Stage', 'Cases measured', 'Median days', 'Code'], series.map((s) => [s.label, s.cases, s.medianDays, s.key]));
}

/** Sends a CSV body as a download named after what it holds. */
export function sendCsv(reply: FastifyReply, name: string, body: string): string {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name.replace(/[^a-zA-Z0-9._-]/g, '-')}.csv"`);
  return body;
}
