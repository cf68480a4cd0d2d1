import { StatsRollups } from '@cc/stats';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * Statistics pages over real PostgreSQL, against cases written directly so that every figure can
 * be worked out by hand: 6 against a council (3 closed unresolved), 2 against the police, 3 against the NHS.
 */
describe('pages: statistics', () => {
  let t: TestApp;
  let councilId: string;
  let commitment: { id: string; reference: string; text: string };
  const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  let seq = 0;
  const RANGE = 'from-day=1&from-month=1&from-year=2024&to-day=31&to-month=12&to-year=2024';
  const DAY = 86_400_000;

  async function insertCase(at: string, respondent: string, commitmentIds: string[], closeAfterDays?: number) {
    const submitted = new Date(at);
    const closedAt = closeAfterDays === undefined ? null : new Date(submitted.getTime() + closeAfterDays * DAY);
    const [{ id }] = await t.db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, commitment_ids, reported_by, outcome, title, what_happened, happened_on, impact, desired_outcome,
         submitted_at, updated_at, closed_at)
       VALUES ($1, 1, '{}', $2, split_part($2, '.', 1), 2, $3, $4, $5, '{}', $6, $7, $8, 'Stats case', 'What happened', '2023-12-01',
               'Impact', 'Outcome', $9, $10, $11)
       RETURNING id`,
      [`CB-WSTATS-${++seq}`, closedAt ? 'closed' : 'submitted', t.demo.organisations.riversideFoodbank, respondent, t.demo.compacts.national2010, commitmentIds,
        t.demo.users.reporter.id, closedAt ? 'unresolved' : null, submitted, closedAt ?? submitted, closedAt],
    );
    await t.db.query(`INSERT INTO case_events (case_id, seq, type, payload, actor_role, from_state, to_state, occurred_at) VALUES ($1, 1, 'SUBMITTED', '{}', 'system', NULL, 'submitted', $2)`, [id, submitted]);
    if (closedAt) {
      await t.db.query(`INSERT INTO case_events (case_id, seq, type, payload, actor_role, from_state, to_state, occurred_at) VALUES ($1, 2, 'CLOSE_UNRESOLVED', '{}', 'system', 'submitted', 'closed', $2)`, [id, closedAt]);
    }
  }

  /** The rows of the table with this id, as [label, cases, open, closed] text. */
  function tableRows(html: string, id: string): string[][] {
    const start = html.indexOf(`id="${id}"`);
    expect(start).toBeGreaterThan(-1);
    const table = html.slice(start, html.indexOf('</table>', start));
    const body = table.slice(table.indexOf('<tbody'));
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].trim()));
  }

  beforeAll(async () => {
    t = await startTestApp('web-statistics');
    councilId = t.demo.organisations.harboroughCouncil;
    [commitment] = await t.db.query(`SELECT id, reference, text FROM commitments WHERE compact_id = $1 AND binds = 'public' ORDER BY position LIMIT 1`, [t.demo.compacts.national2010]);
    for (let k = 1; k <= 6; k++) await insertCase(`2024-03-${String(k + 10).padStart(2, '0')}T10:00:00Z`, councilId, [commitment.id], k <= 3 ? 10 : undefined);
    await insertCase('2024-05-02T10:00:00Z', t.demo.organisations.leicestershirePolice, []);
    await insertCase('2024-05-03T10:00:00Z', t.demo.organisations.leicestershirePolice, []);
    for (let k = 1; k <= 3; k++) await insertCase(`2024-06-0${k}T10:00:00Z`, t.demo.organisations.leicestershireNhs, []);
    // The worker keeps the rollups caught up; a page only catches up for 150 ms, which a busy
    // machine can spend on one day, so the figures are made complete here as the worker would.
    await t.app.get(StatsRollups, { strict: false }).refreshAll();
  });
  afterAll(() => t?.close());

  it('shows staff every grouping as a chart with its table, matching the cases', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const res = await web.get(`/statistics?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('11 cases in all');
    for (const id of ['chart-commitment', 'chart-respondent', 'chart-bodytype', 'chart-area', 'chart-outcome', 'chart-durations']) {
      expect(res.text).toMatch(new RegExp(`<svg [^>]*id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc"`));
    }
    expect(tableRows(res.text, 'by-bodytype-table')).toEqual([
      ['Council', '6', '3', '3'],
      ['NHS body', '3', '3', '0'],
      ['Police', '2', '2', '0'],
    ]);
    expect(tableRows(res.text, 'by-outcome-table')).toEqual([
      ['Open', '8', '8', '0'],
      ['Closed unresolved', '3', '0', '3'],
    ]);
    // By named public body.
    expect(tableRows(res.text, 'by-respondent-table')).toEqual([
      ['Harborough District Council', '6', '3', '3'],
      ['NHS Leicester, Leicestershire and Rutland ICB', '3', '3', '0'],
      ['Leicestershire Police', '2', '2', '0'],
    ]);
    // A commitment with its words and its Compact, not only its number.
    const [first] = tableRows(res.text, 'by-commitment-table');
    expect(first[0]).toBe(`<span class="govuk-!-font-weight-bold">${commitment.reference}</span> ${escapeHtml(commitment.text)}<span class="govuk-body-s app-stats-compact">The Compact (2010)</span>`);
    expect(tableRows(res.text, 'by-commitment-table').map((r) => r[1])).toEqual(['6', '5']);
    // Each chart scrolls inside a region of its own on a phone, which keyboard users can reach.
    expect(res.text).toContain('<div class="app-chart-wrapper" data-scrolls-inside tabindex="0" role="region" aria-label="Breaches by public body: chart">');
    // Median days from submission to closure: three cases closed after 10 days.
    const closure = tableRows(res.text, 'time-in-stage-table').find((r) => r[0] === 'Submission to closure')!;
    expect(Number(closure[1])).toBeCloseTo(10, 0);
    expect(closure[2]).toBe('3');
  });

  it('keeps the dates typed and says what to do when they are wrong', async () => {
    const web = new WebClient(t);
    await web.signIn('admin@demo.compact.test');
    const bad = await web.get('/statistics?from-day=31&from-month=2&from-year=2024&to-day=&to-month=&to-year=');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('There is a problem');
    expect(bad.text).toContain('The start date must be a real date');
    expect(bad.text).toContain('href="#from-day"');
    expect(bad.text).toMatch(/id="from-day" name="from-day" type="text" value="31"/);
    // No half-made summary of figures above the error.
    expect(bad.text).not.toContain('id="range-summary"');
    const backwards = await web.get('/statistics?from-day=1&from-month=6&from-year=2024&to-day=1&to-month=1&to-year=2024');
    expect(backwards.status).toBe(400);
    expect(backwards.text).toContain('The start date must be the same as or before the end date');
    const partial = await web.get('/statistics?from-day=1&from-month=&from-year=2024');
    expect(partial.text).toContain('The start date must include a month');
  });

  it('downloads the same CSV as the API, as an attachment', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const page = await web.get(`/statistics?${RANGE}`);
    const href = /href="(\/statistics\/download\?by=bodyType[^"]*)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const csv = await web.get(href);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="breaches-by-bodyType-2024-01-01-to-2024-12-31.csv"');
    const api = await t.http.get('/api/stats/breaches?by=bodyType&from=2024-01-01&to=2024-12-31&format=csv').set('Authorization', `Bearer ${t.tokens.caseworker}`);
    expect(csv.text).toBe(api.text);
    expect(csv.text.split('\r\n')[0]).toBe('Type of public body,Cases,Open,Closed,Code');
    expect(csv.text).toContain('Council,6,3,3,council');
    const durations = await web.get('/statistics/download?by=durations&from=2024-01-01&to=2024-12-31');
    expect(durations.text.split(/\r?\n/)[0]).toBe('Stage,Cases measured,Median days,Code');
  });

  it('shows anyone the public figures: small groups hidden, a headline that agrees with them, no reporting organisation named', async () => {
    const anyone = new WebClient(t);
    const res = await anyone.get(`/statistics/public?${RANGE}`);
    expect(res.status).toBe(200);
    expect(tableRows(res.text, 'by-bodytype-table')).toEqual([['Council', '6', '3', '3']]);
    expect(tableRows(res.text, 'by-respondent-table')).toEqual([['Harborough District Council', '6', '3', '3']]);
    expect(res.text).not.toMatch(/<t[hd][^>]*>Police</);
    // The headline counts every case once, as the staff page does, so no group shown is bigger than it.
    expect(res.text).toContain('11 cases in all');
    const hidden = res.text.slice(res.text.indexOf('id="by-bodytype-hidden"'));
    expect(hidden.slice(0, hidden.indexOf('</div>'))).toContain('2 groups are not shown');
    expect(hidden.slice(0, hidden.indexOf('</div>'))).toContain('The groups shown hold 6 of the 11 cases.');
    expect(res.text).not.toContain('Riverside');
    const csv = await anyone.get('/statistics/public/download?by=bodyType&from=2024-01-01&to=2024-12-31');
    expect(csv.headers['content-disposition']).toContain('attachment; filename="public-breaches-by-bodyType');
    expect(csv.text).not.toContain('police');
    // The staff page and its download need signing in; a reporter is sent to the public figures.
    expect((await anyone.get('/statistics')).status).toBe(303);
    expect((await anyone.get('/statistics/download?by=bodyType')).status).toBe(303);
    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    const sent = await reporter.get(`/statistics?${RANGE}`);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/statistics/public?${RANGE}`);
    const reporterCsv = await reporter.get('/statistics/download?by=bodyType&from=2024-01-01&to=2024-12-31');
    expect(reporterCsv.text).not.toContain('police');
  });
});
