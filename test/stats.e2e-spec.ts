import { StatsRollups } from '@cc/stats';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/**
 * Statistics over HTTP against real PostgreSQL, checked against a small set of cases whose
 * submission times, stage histories and outcomes are written directly, so every figure below can
 * be worked out by hand.
 */
describe('breach statistics (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  const ids = {} as Record<'councilA' | 'nhsB' | 'policeC' | 'localCompact' | 'sectionF' | 'sectionC' | 'c1' | 'c2' | 'c3', string>;
  let seq = 0;

  const DAY = 86_400_000;
  /** A case submitted at `at` (UTC) whose events move it through `steps` ([type, to_state, days after submission]). */
  async function insertCase(at: string, respondent: string, compact: string, commitmentIds: string[], steps: Array<[string, string, number]>, outcome?: string) {
    const submitted = new Date(at);
    const [, lastState, lastDays] = steps[steps.length - 1];
    const closed = lastState === 'closed';
    const lastAt = new Date(submitted.getTime() + lastDays * DAY);
    const [{ id }] = await t.db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, commitment_ids, reported_by, outcome, title, what_happened, happened_on, impact, desired_outcome,
         submitted_at, updated_at, closed_at)
       VALUES ($1, 1, '{}', $2, split_part($2, '.', 1), $3, $4, $5, $6, '{}', $7, $8, $9, 'Stats case', 'What happened', '2023-12-01',
               'Impact', 'Outcome', $10, $11, $12)
       RETURNING id`,
      [
        `CB-STATS-${++seq}`,
        lastState,
        steps.length,
        t.demo.organisations.riversideFoodbank,
        respondent,
        compact,
        commitmentIds,
        t.demo.users.reporter.id,
        closed ? outcome : null,
        submitted,
        lastAt,
        closed ? lastAt : null,
      ],
    );
    for (const [i, [type, toState, days]] of steps.entries()) {
      await t.db.query(
        `INSERT INTO case_events (case_id, seq, type, payload, actor_role, from_state, to_state, occurred_at)
         VALUES ($1, $2, $3, '{}', 'system', $4, $5, $6)`,
        [id, i + 1, type, i === 0 ? null : steps[i - 1][1], toState, new Date(submitted.getTime() + days * DAY)],
      );
    }
    return id as string;
  }

  const get = (path: string, who: keyof TestApp['tokens'] = 'caseworker') => t.http.get(path).set(d.auth(who));
  const byKey = (groups: Array<{ key: string; cases: number; open: number; closed: number }>) =>
    Object.fromEntries(groups.map((g) => [g.key, g.cases]));
  const YEAR = 'from=2024-01-01&to=2024-12-31';

  beforeAll(async () => {
    t = await startTestApp('stats');
    d = new CaseDriver(t);
    const one = async (sql: string, params: unknown[]) => (await t.db.query(sql, params))[0].id as string;
    ids.councilA = await one(`INSERT INTO organisations (name, sector, body_type, area) VALUES ('Northshire County Council', 'public', 'council', 'Northshire') RETURNING id`, []);
    ids.nhsB = await one(`INSERT INTO organisations (name, sector, body_type, area) VALUES ('Northshire NHS Trust', 'public', 'nhs', NULL) RETURNING id`, []);
    // A name a spreadsheet would run as a formula, to check the CSV defuses it.
    ids.policeC = await one(`INSERT INTO organisations (name, sector, body_type, area) VALUES ('=Southshire Police', 'public', 'police', 'Southshire') RETURNING id`, []);
    ids.localCompact = await one(`INSERT INTO compacts (name, scope, area) VALUES ('Northshire Compact (2012)', 'local', 'Northshire') RETURNING id`, []);
    ids.sectionF = await one(`INSERT INTO compact_sections (compact_id, code, title, kind) VALUES ($1, 'F', 'Funding', 'code_of_practice') RETURNING id`, [ids.localCompact]);
    ids.sectionC = await one(`INSERT INTO compact_sections (compact_id, code, title, kind) VALUES ($1, 'C', 'Consultation', 'code_of_practice') RETURNING id`, [ids.localCompact]);
    const commitment = (reference: string, section: string | null, text: string) =>
      one(`INSERT INTO commitments (compact_id, section_id, reference, text, binds, wording) VALUES ($1, $2, $3, $4, 'public', 'summary') RETURNING id`, [ids.localCompact, section, reference, text]);
    ids.c1 = await commitment('2.4', ids.sectionF, 'Consultations last 12 weeks.');
    ids.c2 = await commitment('3.1', ids.sectionC, 'Fund in the way that best achieves the outcomes.');
    ids.c3 = await commitment('4.0', null, 'Give notice of funding changes.');
    const national = t.demo.compacts.national2010;

    // A: six cases against the council, 10-15 January 2024; k days waiting for triage, triage until
    // day 10; the first three leave advocacy on day 20, closed unresolved; the rest stay in advocacy.
    for (let k = 1; k <= 6; k++) {
      const steps: Array<[string, string, number]> = [
        ['SUBMITTED', 'submitted', 0],
        ['ASSIGN', 'triage.reviewing', k],
        ['ACCEPT', 'advocacy.preparing', 10],
        ['CONTACT_RESPONDENT', 'advocacy.awaitingResponse', 12],
      ];
      if (k <= 3) steps.push(['CLOSE_UNRESOLVED', 'closed', 20]);
      await insertCase(`2024-01-${String(9 + k).padStart(2, '0')}T10:00:00Z`, ids.councilA, ids.localCompact, [ids.c1], steps, 'unresolved');
    }
    // B: three against the NHS trust (no area of its own) naming two commitments, 5 February; one
    // withdrawn after 3 days. Two under the local Compact (area Northshire), one under the national (no area).
    await insertCase('2024-02-05T09:00:00Z', ids.nhsB, ids.localCompact, [ids.c2, ids.c3], [['SUBMITTED', 'submitted', 0], ['WITHDRAW', 'closed', 3]], 'withdrawn');
    await insertCase('2024-02-05T11:00:00Z', ids.nhsB, ids.localCompact, [ids.c2, ids.c3], [['SUBMITTED', 'submitted', 0]]);
    await insertCase('2024-02-05T12:00:00Z', ids.nhsB, national, [ids.c2, ids.c3], [['SUBMITTED', 'submitted', 0]]);
    // C: two against the police naming no commitment, at 00:30 on 1 April in England (31 March UTC).
    await insertCase('2024-03-31T23:30:00Z', ids.policeC, ids.localCompact, [], [['SUBMITTED', 'submitted', 0]]);
    await insertCase('2024-03-31T23:30:01Z', ids.policeC, ids.localCompact, [], [['SUBMITTED', 'submitted', 0]]);
    // D: one against the council at 23:30 on 30 April in England.
    await insertCase('2024-04-30T22:30:00Z', ids.councilA, ids.localCompact, [ids.c1], [['SUBMITTED', 'submitted', 0]]);
    // The worker keeps the rollups caught up; a query only catches up for 150 ms, which a busy
    // machine can spend on one day, so the figures are made complete here as the worker would.
    await t.app.get(StatsRollups, { strict: false }).refreshAll();
  });
  afterAll(() => t?.close());

  it('counts cases by each grouping, with open and closed', async () => {
    const expected: Record<string, Record<string, number>> = {
      respondent: { [ids.councilA]: 7, [ids.nhsB]: 3, [ids.policeC]: 2 },
      bodyType: { council: 7, nhs: 3, police: 2 },
      compact: { [ids.localCompact]: 11, [t.demo.compacts.national2010]: 1 },
      area: { Northshire: 9, Southshire: 2, Unknown: 1 },
      commitment: { [ids.c1]: 7, [ids.c2]: 3, [ids.c3]: 3, none: 2 },
      code: { [ids.sectionF]: 7, [ids.sectionC]: 3, none: 5 },
      outcome: { open: 8, unresolved: 3, withdrawn: 1 },
      month: { '2024-01': 6, '2024-02': 3, '2024-04': 3 },
    };
    for (const [by, counts] of Object.entries(expected)) {
      const res = await get(`/api/stats/breaches?by=${by}&${YEAR}`);
      expect(res.status).toBe(200);
      expect({ by, counts: byKey(res.body.groups) }).toEqual({ by, counts });
      expect(res.body).toMatchObject({ by, from: '2024-01-01', to: '2024-12-31', total: 12 });
      expect(Date.parse(res.body.asOf)).not.toBeNaN();
    }
    const respondents = (await get(`/api/stats/breaches?by=respondent&${YEAR}`)).body.groups;
    expect(respondents[0]).toEqual({ key: ids.councilA, label: 'Northshire County Council', cases: 7, open: 4, closed: 3 });
    expect(respondents.find((g: { key: string }) => g.key === ids.nhsB)).toMatchObject({ open: 2, closed: 1 });
    const labels = Object.fromEntries((await get(`/api/stats/breaches?by=commitment&${YEAR}`)).body.groups.map((g: { key: string; label: string }) => [g.key, g.label]));
    expect(labels[ids.c1]).toBe('Northshire Compact (2012) 2.4: Consultations last 12 weeks.');
    const withWords = (await get(`/api/stats/breaches?by=commitment&${YEAR}`)).body.groups.find((g: { key: string }) => g.key === ids.c1);
    expect(withWords.commitment).toEqual({ reference: '2.4', text: 'Consultations last 12 weeks.', compact: 'Northshire Compact (2012)' });
    expect(labels.none).toBe('No commitment recorded');
    const months = (await get(`/api/stats/breaches?by=month&${YEAR}`)).body.groups;
    expect(months.map((g: { label: string }) => g.label)).toEqual(['January 2024', 'February 2024', 'April 2024']);
  });

  it('counts by submission day in England, at the edges of a range spanning part-months', async () => {
    const part = await get('/api/stats/breaches?by=month&from=2024-01-12&to=2024-04-01');
    expect(byKey(part.body.groups)).toEqual({ '2024-01': 4, '2024-02': 3, '2024-04': 2 });
    expect(part.body.total).toBe(9);
    // 23:30 UTC on 31 March is 00:30 on 1 April in England.
    const march31 = await get('/api/stats/breaches?by=outcome&from=2024-03-31&to=2024-03-31');
    expect(march31.body).toMatchObject({ total: 0, groups: [] });
    expect((await get('/api/stats/breaches?by=outcome&from=2024-04-01&to=2024-04-01')).body.total).toBe(2);
    expect((await get('/api/stats/breaches?by=outcome&from=2024-04-30&to=2024-04-30')).body.total).toBe(1);
    const wholeMonths = await get('/api/stats/breaches?by=bodyType&from=2024-02-01&to=2024-04-30');
    expect(byKey(wholeMonths.body.groups)).toEqual({ nhs: 3, police: 2, council: 1 });
  });

  it('gives median days in each stage and to closure, over completed stays only', async () => {
    const res = await get(`/api/stats/durations?${YEAR}`);
    expect(res.status).toBe(200);
    const series = Object.fromEntries(res.body.series.map((s: { key: string }) => [s.key, s]));
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected) / expected).toBeLessThan(0.03);
    // Waiting for triage: 1..6 days (A) and 3 (B's withdrawn case) -> 1,2,3,3,4,5,6.
    expect(series.submitted.cases).toBe(7);
    near(series.submitted.medianDays, 3);
    // Triage: 9,8,7,6,5,4 -> (6 + 7) / 2.
    expect(series.triage.cases).toBe(6);
    near(series.triage.medianDays, 6.5);
    // Advocacy: only the three cases that left it, 10 days each.
    expect(series.advocacy.cases).toBe(3);
    near(series.advocacy.medianDays, 10);
    // To closure: 20, 20, 20 and 3 -> 20.
    expect(series.closure.cases).toBe(4);
    near(series.closure.medianDays, 20);
    expect(series.negotiation).toMatchObject({ cases: 0, medianDays: null });
  });

  it('exports CSV with a header row, names before ids, as a download, with formula cells defused', async () => {
    const res = await get(`/api/stats/breaches?by=respondent&${YEAR}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="breaches-by-respondent-2024-01-01-to-2024-12-31.csv"');
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Public body,Cases,Open,Closed,Public body id');
    expect(lines).toContain(`Northshire County Council,7,4,3,${ids.councilA}`);
    expect(lines).toContain(`'=Southshire Police,2,2,0,${ids.policeC}`);
    // A commitment's Compact, reference and words each have a column.
    const commitments = (await get(`/api/stats/breaches?by=commitment&${YEAR}&format=csv`)).text.trimEnd().split('\r\n');
    expect(commitments[0]).toBe('Compact,Reference,Commitment,Cases,Open,Closed,Commitment id');
    expect(commitments).toContain(`Northshire Compact (2012),2.4,Consultations last 12 weeks.,7,4,3,${ids.c1}`);
    expect(commitments).toContain(',,No commitment recorded,2,2,0,');
    const months = (await get(`/api/stats/breaches?by=month&${YEAR}&format=csv`)).text.trimEnd().split('\r\n');
    expect(months.slice(0, 2)).toEqual(['Month,Cases,Open,Closed,Year and month', 'January 2024,6,3,3,2024-01']);
    const areas = (await get(`/api/stats/breaches?by=area&${YEAR}&format=csv`)).text.trimEnd().split('\r\n');
    expect(areas[0]).toBe('Area,Cases,Open,Closed');
    const byAccept = await t.http.get(`/api/stats/durations?${YEAR}`).set({ ...d.auth('admin'), Accept: 'text/csv' });
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.text.split('\r\n')[0]).toBe('Stage,Cases measured,Median days,Code');
    expect(byAccept.text).toMatch(/\r\nTriage,6,[0-9.]+,triage\r\n/);
  });

  it('refuses bad parameters naming the field, and anyone but caseworkers and administrators', async () => {
    const fieldsOf = async (query: string) => {
      const res = await get(`/api/stats/breaches?${query}`);
      expect(res.status).toBe(400);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await fieldsOf('from=2024-01-01')).toEqual(['by']);
    expect(await fieldsOf('by=reporter')).toEqual(['by']);
    expect(await fieldsOf('by=area&from=2024-02-30')).toEqual(['from']);
    expect(await fieldsOf('by=area&from=2024-05-01&to=2024-04-01')).toEqual(['from']);
    expect(await fieldsOf('by=area&format=xml')).toEqual(['format']);
    expect(await fieldsOf('by=area&reportingOrganisation=x')).toEqual(['reportingOrganisation']);
    expect((await get('/api/stats/durations?to=soon')).status).toBe(400);
    expect((await get(`/api/stats/breaches?by=area&${YEAR}`, 'reporter')).status).toBe(403);
    expect((await get(`/api/stats/durations?${YEAR}`, 'mediator')).status).toBe(403);
    expect((await t.http.get(`/api/stats/breaches?by=area&${YEAR}`)).status).toBe(401);
    expect((await get(`/api/stats/breaches?by=area&${YEAR}`, 'admin')).status).toBe(200);
  });

  it('publishes anonymised figures: small groups left out (and the next smallest where needed), the total that of every case, no reporting organisation', async () => {
    const res = await t.http.get(`/api/public/stats/breaches?by=respondent&${YEAR}`);
    expect(res.status).toBe(200);
    // The headline total agrees with the staff figures; the hidden groups hold 3 + 2 = 5 cases.
    expect(res.body).toMatchObject({ total: 12, shownCases: 7, suppressedGroups: 2, minimumGroupSize: 5 });
    expect(res.body.groups.map((g: { key: string }) => g.key)).toEqual([ids.councilA]);
    // Withdrawn (1) and unresolved (3) hold 4 between them, which 12 - 8 would give away: open is left out too.
    const outcomes = await t.http.get(`/api/public/stats/breaches?by=outcome&${YEAR}`);
    expect(outcomes.body).toMatchObject({ total: 12, shownCases: 0, suppressedGroups: 3, groups: [] });
    const area = await t.http.get(`/api/public/stats/breaches?by=area&${YEAR}`);
    expect(area.body).toMatchObject({ total: 12, shownCases: 0, suppressedGroups: 3, groups: [] });
    const commitments = await t.http.get(`/api/public/stats/breaches?by=commitment&${YEAR}`);
    expect(commitments.body).toMatchObject({ total: 12, shownCases: 7, suppressedGroups: 3, groups: [{ key: ids.c1, cases: 7 }] });
    for (const by of ['commitment', 'code', 'respondent', 'bodyType', 'compact', 'area', 'outcome', 'month']) {
      const body = (await t.http.get(`/api/public/stats/breaches?by=${by}&${YEAR}`).expect(200)).body;
      expect({ by, biggest: Math.max(0, ...body.groups.map((g: { cases: number }) => g.cases)) <= body.total }).toEqual({ by, biggest: true });
    }

    const durations = await t.http.get(`/api/public/stats/durations?${YEAR}`);
    expect(durations.body.series.map((s: { key: string }) => s.key)).toEqual(['submitted', 'triage']);
    expect(durations.body.suppressedSeries).toBe(6);

    const csv = await t.http.get(`/api/public/stats/breaches?by=respondent&${YEAR}&format=csv`);
    expect(csv.text.trimEnd().split('\r\n')).toEqual(['Public body,Cases,Open,Closed,Public body id', `Northshire County Council,7,4,3,${ids.councilA}`]);

    const reporting = t.demo.organisations.riversideFoodbank;
    for (const by of ['commitment', 'code', 'respondent', 'bodyType', 'compact', 'area', 'outcome', 'month']) {
      const body = JSON.stringify((await t.http.get(`/api/public/stats/breaches?by=${by}&${YEAR}`).expect(200)).body);
      expect(body).not.toContain(reporting);
      expect(body).not.toMatch(/Riverside|reporting/i);
    }
    expect(JSON.stringify(durations.body)).not.toContain(reporting);
    expect((await t.http.get('/api/public/stats/breaches?by=respondent&from=2024-05-01&to=2024-04-01')).status).toBe(400);
  });

  it('reflects a new case and its transitions at the next query', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const range = `from=${today}&to=${today}`;
    expect((await get(`/api/stats/breaches?by=outcome&${range}`)).body.total).toBe(0);
    const { id } = await d.file();
    expect(byKey((await get(`/api/stats/breaches?by=outcome&${range}`)).body.groups)).toEqual({ open: 1 });
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Not about the Compact.' });
    const after = await get(`/api/stats/breaches?by=outcome&${range}`);
    expect(byKey(after.body.groups)).toEqual({ rejected: 1 });
    const durations = (await get(`/api/stats/durations?${range}`)).body.series;
    expect(durations.find((s: { key: string }) => s.key === 'closure').cases).toBe(1);
    expect(durations.find((s: { key: string }) => s.key === 'triage').cases).toBe(1);
  });

  it('rebuilds from scratch to exactly what the refreshes kept', async () => {
    const rollups = t.app.get(StatsRollups);
    await rollups.refreshAll();
    const snapshot = async () =>
      t.db.query(`
        SELECT 'd' AS grain, day::text AS period, dimension, key, cases, open, closed FROM stats_daily_counts
        UNION ALL SELECT 'm', month::text, dimension, key, cases, open, closed FROM stats_monthly_counts
        UNION ALL SELECT 'dd', day::text, series, bucket::text, n, 0, 0 FROM stats_daily_durations
        UNION ALL SELECT 'md', month::text, series, bucket::text, n, 0, 0 FROM stats_monthly_durations
        ORDER BY 1, 2, 3, 4`);
    const kept = await snapshot();
    expect(kept.length).toBeGreaterThan(50);
    await t.db.query(`TRUNCATE stats_daily_counts, stats_monthly_counts, stats_daily_durations, stats_monthly_durations`);
    await rollups.rebuildAll();
    expect(await snapshot()).toEqual(kept);
    // A registry change that moves cases to another area marks their days, and the next query sees it.
    await t.db.query(`UPDATE organisations SET area = 'Westshire' WHERE id = $1`, [ids.policeC]);
    expect(byKey((await get(`/api/stats/breaches?by=area&${YEAR}`)).body.groups)).toEqual({ Northshire: 9, Westshire: 2, Unknown: 1 });
  });
});
