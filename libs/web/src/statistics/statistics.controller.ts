import { Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError, ValidationFailed } from '@cc/common';
import { BREACH_GROUPINGS, BreachGrouping, BreachStatistics, BreachStats, PublicBreachStats, DurationStatistics, breachesCsv, durationsCsv, sendCsv } from '@cc/stats';
import { Renderer } from '../renderer';
import { CurrentSession, OpenPage } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { barChartSvg, escapeXml } from './bar-chart';

/** The groupings the pages chart, in the order shown. */
export const PAGE_GROUPINGS: Array<{ by: BreachGrouping; heading: string; column: string }> = [
  { by: 'commitment', heading: 'Breaches by commitment', column: 'Commitment' },
  { by: 'respondent', heading: 'Breaches by public body', column: 'Public body' },
  { by: 'bodyType', heading: 'Breaches by type of public body', column: 'Type of public body' },
  { by: 'area', heading: 'Breaches by area', column: 'Area' },
  { by: 'outcome', heading: 'Breaches by outcome', column: 'Outcome' },
];

/** Rows a section's table shows at most (the largest groups); the CSV has every group. */
const TABLE_ROWS = 50;
/** Groupings in which each case is in exactly one group, so the groups shown add up to the cases in them. */
const ONE_GROUP_PER_CASE = new Set<BreachGrouping>(['respondent', 'bodyType', 'compact', 'area', 'outcome', 'month']);

type DateParts = { day: string; month: string; year: string };
type RangeForm = { from: DateParts; to: DateParts };

const STAFF = new Set(['caseworker', 'administrator']);

/** Reads a GOV.UK date input (day, month, year) into YYYY-MM-DD; undefined when left empty. */
export function readDateParts(parts: DateParts, field: 'from' | 'to', name: string): { value?: string; error?: FieldError } {
  const [day, month, year] = [parts.day, parts.month, parts.year].map((p) => p.trim());
  if (!day && !month && !year) return {};
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean) as string[];
  if (missing.length) return { error: { field, reason: `${name} must include a ${missing.join(' and ')}` } };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { error: { field, reason: `${name} must be a real date, like 31 3 2025 (the year in 4 figures)` } };
  }
  const value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    return { error: { field, reason: `${name} must be a real date, like 31 3 2025` } };
  }
  return { value };
}

function partsFrom(query: Record<string, string | undefined>, field: 'from' | 'to'): DateParts {
  const pick = (k: string) => String(query[`${field}-${k}`] ?? '').slice(0, 10);
  // ?from=YYYY-MM-DD (as the CSV links and the API use) fills the three boxes too.
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(query[field] ?? ''));
  if (iso && !query[`${field}-day`] && !query[`${field}-month`] && !query[`${field}-year`]) {
    return { day: String(Number(iso[3])), month: String(Number(iso[2])), year: iso[1] };
  }
  return { day: pick('day'), month: pick('month'), year: pick('year') };
}

/**
 * Breach statistics as pages: the same services as /api/stats. Caseworkers and administrators see
 * every figure; anyone else (and anyone not signed in) sees the public, anonymised figures.
 */
@WebPages('statistics')
export class StatisticsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly breaches: BreachStatistics,
    private readonly durations: DurationStatistics,
  ) {}

  @Get()
  async staff(@CurrentSession() session: WebSession, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    if (!STAFF.has(session.user.role)) {
      const search = new URLSearchParams(Object.entries(query).filter(([, v]) => typeof v === 'string') as Array<[string, string]>).toString();
      return redirect(reply, `/statistics/public${search ? `?${search}` : ''}`);
    }
    await this.page(reply, session, query, false);
  }

  @Get('public')
  @OpenPage()
  async public(@CurrentSession() session: WebSession | undefined, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    await this.page(reply, session, query, true);
  }

  @Get('download')
  async download(@CurrentSession() session: WebSession, @Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    // Only staff download the full figures; anyone else gets the public file.
    await this.csv(reply, query, !STAFF.has(session.user.role));
  }

  @Get('public/download')
  @OpenPage()
  async publicDownload(@Query() query: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    await this.csv(reply, query, true);
  }

  private async csv(reply: FastifyReply, query: Record<string, string | undefined>, publicOnly: boolean): Promise<void> {
    const range = { from: query.from || undefined, to: query.to || undefined };
    const prefix = publicOnly ? 'public-' : '';
    if (query.by === 'durations') {
      const stats = publicOnly ? await this.durations.executePublic(range) : await this.durations.execute(range);
      reply.send(sendCsv(reply, `${prefix}stage-durations-${stats.from}-to-${stats.to}`, durationsCsv(stats.series)));
      return;
    }
    const by = query.by as BreachGrouping;
    if (!BREACH_GROUPINGS.includes(by)) {
      throw new ValidationFailed([{ field: 'by', reason: `must be one of ${[...BREACH_GROUPINGS, 'durations'].join(', ')}` }]);
    }
    const stats = publicOnly ? await this.breaches.executePublic({ by, ...range }) : await this.breaches.execute({ by, ...range });
    reply.send(sendCsv(reply, `${prefix}breaches-by-${stats.by}-${stats.from}-to-${stats.to}`, breachesCsv(stats.by, stats.groups)));
  }

  private async page(reply: FastifyReply, session: WebSession | undefined, query: Record<string, string | undefined>, publicView: boolean): Promise<void> {
    const form: RangeForm = { from: partsFrom(query, 'from'), to: partsFrom(query, 'to') };
    const from = readDateParts(form.from, 'from', 'The start date');
    const to = readDateParts(form.to, 'to', 'The end date');
    const base = publicView ? '/statistics/public' : '/statistics';
    const context = { title: publicView ? 'Public statistics on breaches of the Compact' : 'Statistics on breaches of the Compact', currentPath: base, publicView, form, base };
    const fieldIds = { from: 'from-day', to: 'to-day' };
    const problems = [from.error, to.error].filter((e): e is FieldError => !!e);
    if (problems.length) return sendPage(reply, this.renderer.render('statistics/index.njk', pageContext(session, { ...context, ...errorView(problems, fieldIds, false) })), 400);

    const range = { from: from.value, to: to.value };
    let groups: Array<BreachStats | PublicBreachStats>, durations;
    try {
      // One after another: the first brings the rollups up to date, and concurrent catch-ups would
      // find the lock held and answer from what was there before.
      groups = [];
      for (const g of PAGE_GROUPINGS) groups.push(publicView ? await this.breaches.executePublic({ by: g.by, ...range }) : await this.breaches.execute({ by: g.by, ...range }));
      durations = publicView ? await this.durations.executePublic(range) : await this.durations.execute(range);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const problems = err.errors.map((e) => ({ field: e.field, reason: rangeReason(e) }));
      return sendPage(reply, this.renderer.render('statistics/index.njk', pageContext(session, { ...context, ...errorView(problems, fieldIds, false) })), 400);
    }
    const first = groups[0];
    const csvHref = (by: string) => `${base}/download?${new URLSearchParams({ by, from: first.from, to: first.to }).toString()}`;
    const sections = PAGE_GROUPINGS.map((g, i) => {
      const stats = groups[i];
      const id = `by-${g.by.toLowerCase()}`;
      return {
        id,
        heading: g.heading,
        column: g.column,
        svg: barChartSvg({ id: `chart-${g.by.toLowerCase()}`, title: g.heading, bars: stats.groups.map((x) => ({ label: x.label, value: x.cases })), maxBars: 20 }),
        rows: stats.groups.slice(0, TABLE_ROWS).map((x) => [
          x.commitment ? { html: commitmentCell(x.commitment), classes: 'govuk-!-font-weight-regular' } : { text: x.label },
          { text: count(x.cases), format: 'numeric' },
          { text: count(x.open), format: 'numeric' },
          { text: count(x.closed), format: 'numeric' },
        ]),
        groupCount: stats.groups.length,
        cut: stats.groups.length > TABLE_ROWS ? TABLE_ROWS : 0,
        suppressedGroups: 'suppressedGroups' in stats ? stats.suppressedGroups : 0,
        shownCases: 'shownCases' in stats ? stats.shownCases : undefined,
        oneGroupPerCase: ONE_GROUP_PER_CASE.has(g.by),
        csvHref: csvHref(g.by),
        empty: stats.groups.length === 0,
      };
    });
    const measured = durations.series.filter((s) => s.medianDays !== null);
    const durationView = {
      svg: barChartSvg({ id: 'chart-durations', title: 'Median days in each stage and to closure', unit: ['day', 'days'], bars: measured.map((s) => ({ label: s.label, value: s.medianDays! })) }),
      rows: durations.series.map((s) => [
        { text: s.label },
        { text: s.medianDays === null ? 'No case measured' : count(s.medianDays), format: 'numeric' },
        { text: count(s.cases), format: 'numeric' },
      ]),
      suppressedSeries: 'suppressedSeries' in durations ? durations.suppressedSeries : 0,
      csvHref: csvHref('durations'),
    };
    sendPage(
      reply,
      this.renderer.render(
        'statistics/index.njk',
        pageContext(session, {
          ...context,
          shownRange: { from: first.from, to: first.to },
          asOf: first.asOf,
          total: first.total,
          minimumGroupSize: 'minimumGroupSize' in first ? first.minimumGroupSize : undefined,
          sections,
          durations: durationView,
          count,
        }),
      ),
    );
  }
}

const NUMBER = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** 1,234 and 12.5: thousands separators, at most one decimal place. */
function count(n: number): string {
  return NUMBER.format(n);
}

/** A commitment as a reader needs it: its number and words, and the Compact it is in. */
function commitmentCell(c: { reference: string; text: string; compact: string }): string {
  return `<span class="govuk-!-font-weight-bold">${escapeXml(c.reference)}</span> ${escapeXml(c.text)}<span class="govuk-body-s app-stats-compact">${escapeXml(c.compact)}</span>`;
}

function rangeReason(e: FieldError): string {
  if (e.field === 'from' && /on or before/.test(e.reason)) return 'The start date must be the same as or before the end date';
  if (e.field === 'from' && /years/.test(e.reason)) return 'The start date must be no more than 50 years before the end date';
  return `${e.field === 'from' ? 'The start date' : 'The end date'} ${e.reason}`;
}
