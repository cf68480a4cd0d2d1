import type { FastifyReply } from 'fastify';
import type { BreachGroup } from '../breaches/breach-stats.dto';
import type { DurationFigure } from '../durations/duration-stats.dto';
import { toCsv } from './csv';

/** Whether the caller asked for CSV, by `format=csv` or by `Accept: text/csv`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  return !!accept && /\btext\/csv\b/i.test(accept);
}

export function breachesCsv(groups: readonly BreachGroup[]): string {
  return toCsv(['key', 'label', 'cases', 'open', 'closed'], groups.map((g) => [g.key, g.label, g.cases, g.open, g.closed]));
}

export function durationsCsv(series: readonly DurationFigure[]): string {
  return toCsv(['key', 'label', 'cases', 'median_days'], series.map((s) => [s.key, s.label, s.cases, s.medianDays]));
}

/** Sends a CSV body as a download named after what it holds. */
export function sendCsv(reply: FastifyReply, name: string, body: string): string {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${name.replace(/[^a-zA-Z0-9._-]/g, '-')}.csv"`);
  return body;
}
