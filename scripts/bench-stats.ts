/**
 * npm run bench:stats
 *
 * On a scratch database: seeds a registry (tens of Compacts with sections and commitments,
 * hundreds of public bodies of every type across areas, thousands of voluntary groups) and
 * 1,000,000 cases over three years with stage histories and event logs that follow the real
 * workflow; builds the statistics rollups; then starts the real API in this process and times
 * every statistics query (each grouping, stage durations, public variants, CSV), filtered case
 * lists and case searches (numbers, names, people, words; staff and a reporter) over HTTP: warm-up,
 * then RUNS timed runs each, p50/p95/max, PASS under 500 ms.
 *
 * Env: BENCH_DATABASE_URL or DATABASE_URL (server to create the scratch database on; default
 * postgres://postgres@127.0.0.1:5432/test), CASES (default 1000000), RUNS (default 20),
 * KEEP_DB=1 keeps the database and prints its URL.
 */
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApiApp } from '@cc/api';
import { loadConfig } from '@cc/config';
import { DEMO_PASSWORD, seedDemoData } from '@cc/demo-data';
import { hashPassword } from '@cc/identity';
import { createScratchDatabase } from '@cc/persistence';
import { StatsRollups } from '@cc/stats';
import { BreachCaseEvent, LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CASES = Number(process.env.CASES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 20);
const BAR_MS = 500;
const CHUNK = 50_000;
const COMPACTS = 40;
const SECTIONS_PER_COMPACT = 5;
const COMMITMENTS_PER_COMPACT = 20;
const PUBLIC_BODIES = 600;
const VOLUNTARY_GROUPS = 5_000;
const CASEWORKERS = 20;
const AREAS = COMPACTS - 1;
const BODY_TYPES = ['council', 'nhs', 'police', 'fire_rescue', 'pcc', 'lep', 'government_department', 'other'];

const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
function step(message: string) {
  process.stdout.write(`[bench ${elapsed().padStart(8)}] ${message}\n`);
}

/** A path a case takes: events with the mean days after the previous one; weight is its share of cases. */
interface Path {
  weight: number;
  events: Array<[Record<string, unknown>, number]>;
}

const reviewing: Array<[Record<string, unknown>, number]> = [
  [{ type: 'ACCEPT' }, 4],
  [{ type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.' }, 5],
  [{ type: 'RECORD_RESPONSE', summary: 'They replied.' }, 20],
];
// Every step is decided at the one time pathSteps uses (1 January 2025 09:00), so the dates the
// workflow judges against it (meetings held, sessions booked and held, monitoring) fit that day.
const monitor = { agreedActions: ['Restore the grant'], monitorUntil: '2027-01-01' };

function paths(caseworkerId: string, mediatorId: string): Path[] {
  const assign: [Record<string, unknown>, number] = [{ type: 'ASSIGN', caseworkerId }, 2];
  return [
    { weight: 15, events: [assign, [{ type: 'REJECT', reason: 'notCompactMatter', explanation: 'Not a Compact matter.' }, 5]] },
    { weight: 5, events: [assign, [{ type: 'REQUEST_INFO', questions: 'Which grant?' }, 3], [{ type: 'INFORMATION_OVERDUE' }, 14]] },
    { weight: 5, events: [assign, [{ type: 'ACCEPT' }, 4], [{ type: 'WITHDRAW' }, 20]] },
    { weight: 20, events: [assign, ...reviewing, [{ type: 'RESOLVE', ...monitor }, 7], [{ type: 'CONFIRM_IMPLEMENTED' }, 60]] },
    {
      weight: 15,
      events: [
        assign,
        ...reviewing,
        [{ type: 'OPEN_NEGOTIATION' }, 7],
        [{ type: 'RECORD_MEETING', heldOn: '2024-12-10', summary: 'Met.' }, 20],
        [{ type: 'RECORD_MEETING', heldOn: '2024-12-20', summary: 'Met again.' }, 25],
        [{ type: 'AGREE', ...monitor }, 15],
        [{ type: 'CONFIRM_IMPLEMENTED' }, 60],
      ],
    },
    { weight: 15, events: [assign, ...reviewing, [{ type: 'CLOSE_UNRESOLVED', reason: 'No movement.' }, 10]] },
    {
      weight: 10,
      events: [
        assign,
        ...reviewing,
        [{ type: 'CAMPAIGN', plan: 'Letters to councillors.' }, 7],
        [{ type: 'RECORD_ACTIVITY', summary: 'Petition delivered.' }, 30],
        [{ type: 'CLOSE', outcome: 'unresolved', summary: 'Campaign ended.' }, 60],
      ],
    },
    {
      weight: 15,
      events: [
        assign,
        ...reviewing,
        [{ type: 'REFER_TO_MEDIATION' }, 10],
        [{ type: 'QUOTE_FEE', amountPence: 100_000, reporterSharePercent: 50 }, 5],
        [{ type: 'AGREE_FEE', party: 'reporter' }, 4],
        [{ type: 'AGREE_FEE', party: 'respondent' }, 3],
        [{ type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 50_000 }, 7],
        [{ type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 50_000 }, 5],
        [{ type: 'APPOINT_MEDIATOR', mediatorId, mediatorTies: [] }, 5],
        [{ type: 'SCHEDULE_SESSION', startsAt: '2025-01-01T10:00:00Z', location: 'Town hall' }, 3],
        [{ type: 'RECORD_SESSION_HELD' }, 21],
        [{ type: 'RECORD_OUTCOME', result: 'settled', summary: 'Agreed.', ...monitor }, 2],
        [{ type: 'CONFIRM_IMPLEMENTED' }, 60],
      ],
    },
  ];
}

/** Each path's steps as rows, states and snapshots made by the real workflow. */
function pathSteps(all: Path[]) {
  const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);
  const at = '2025-01-01T09:00:00.000Z';
  const rows: unknown[][] = [];
  let low = 0;
  const total = all.reduce((s, p) => s + p.weight, 0);
  for (const [pathId, path] of all.entries()) {
    let current = workflow.start({ reportingOrganisationId: '00000000-0000-4000-8000-000000000001', respondentOrganisationId: '00000000-0000-4000-8000-000000000002', submittedAt: at });
    let cum = 0;
    const high = low + path.weight / total;
    rows.push([pathId, 1, 'SUBMITTED', null, current.state, current.stage, null, JSON.stringify(current.snapshot), 0, low, high, 'reporter']);
    for (const [i, [event, days]] of path.events.entries()) {
      const from = current.state;
      const decision = workflow.decide(current.snapshot, { ...event, at } as unknown as BreachCaseEvent);
      if (!decision.ok) throw new Error(`path ${pathId}: ${String(event.type)} refused in ${from}: ${JSON.stringify(decision)}`);
      current = decision;
      cum += days;
      rows.push([pathId, i + 2, event.type, from, current.state, current.stage, current.context.outcome, JSON.stringify(current.snapshot), cum, low, high, 'caseworker']);
    }
    low = high;
  }
  return rows;
}

async function seedRegistry(db: DataSource) {
  await db.query(`
    INSERT INTO compacts (name, scope, area)
    SELECT CASE WHEN i = 0 THEN 'Bench National Compact' ELSE 'Bench Compact of Area ' || i END,
           CASE WHEN i = 0 THEN 'national' ELSE 'local' END,
           CASE WHEN i = 0 THEN NULL ELSE 'Area ' || i END
      FROM generate_series(0, $1 - 1) AS i`, [COMPACTS]);
  await db.query(`
    INSERT INTO compact_sections (compact_id, code, title, kind, position)
    SELECT k.id, 'S' || s, (ARRAY['Funding and procurement', 'Consultation and policy appraisal', 'Volunteering', 'BME groups', 'Community groups'])[s], 'code_of_practice', s
      FROM compacts k CROSS JOIN generate_series(1, $1) AS s WHERE k.name LIKE 'Bench %'`, [SECTIONS_PER_COMPACT]);
  // The last commitment of each Compact sits in no section.
  await db.query(`
    INSERT INTO commitments (compact_id, section_id, reference, text, binds, wording, position)
    SELECT k.id, CASE WHEN c < $1 THEN (SELECT id FROM compact_sections s WHERE s.compact_id = k.id AND s.position = 1 + (c - 1) % $2) END,
           ((c - 1) / 4 + 1) || '.' || ((c - 1) % 4 + 1), 'Bench commitment ' || c, 'public', 'summary', c
      FROM compacts k CROSS JOIN generate_series(1, $1) AS c WHERE k.name LIKE 'Bench %'`, [COMMITMENTS_PER_COMPACT, SECTIONS_PER_COMPACT]);
  // Every tenth public body has no area of its own (its Compact's area is used).
  await db.query(`
    INSERT INTO organisations (name, sector, body_type, area)
    SELECT 'Bench public body ' || i, 'public', ($2::text[])[1 + i % array_length($2::text[], 1)],
           CASE WHEN i % 10 = 9 THEN NULL ELSE 'Area ' || (1 + i % $3) END
      FROM generate_series(0, $1 - 1) AS i`, [PUBLIC_BODIES, BODY_TYPES, AREAS]);
  await db.query(`INSERT INTO organisations (name, sector) SELECT 'Bench voluntary group ' || i, 'voluntary' FROM generate_series(1, $1) AS i`, [VOLUNTARY_GROUPS]);
  // One reporter per group, who files its cases, so searching by a reporter's name or e-mail finds
  // a group's cases rather than every case. The first can sign in (for the reporter's searches).
  await db.query(`
    INSERT INTO users (email, display_name, role, organisation_id, password_hash)
    SELECT 'bench-reporter-' || substring(o.name from '[0-9]+$') || '@bench.test', 'Bench Reporter ' || substring(o.name from '[0-9]+$'), 'reporter', o.id,
           CASE WHEN o.name = 'Bench voluntary group 1' THEN $1 ELSE 'x' END
      FROM organisations o WHERE o.name LIKE 'Bench voluntary group %'`, [await hashPassword(DEMO_PASSWORD)]);
  await db.query(`
    INSERT INTO users (email, display_name, role, password_hash)
    SELECT 'bench-caseworker-' || i || '@bench.test', 'Bench Caseworker ' || i, 'caseworker', 'x' FROM generate_series(1, $1) AS i`, [CASEWORKERS]);

  // Lookup tables for the case generator, indexed from 0.
  await db.query(`CREATE UNLOGGED TABLE bench_bodies AS
    SELECT (row_number() OVER (ORDER BY o.name) - 1)::int AS idx, o.id, coalesce(k.id, (SELECT id FROM compacts WHERE name = 'Bench National Compact')) AS local_compact
      FROM organisations o LEFT JOIN compacts k ON k.area = o.area AND k.name LIKE 'Bench %' WHERE o.name LIKE 'Bench public body %'`);
  await db.query(`CREATE UNLOGGED TABLE bench_groups AS
    SELECT (row_number() OVER (ORDER BY o.id) - 1)::int AS idx, o.id, u.id AS reporter
      FROM organisations o JOIN users u ON u.organisation_id = o.id WHERE o.name LIKE 'Bench voluntary group %'`);
  await db.query(`CREATE UNLOGGED TABLE bench_caseworkers AS SELECT (row_number() OVER (ORDER BY email) - 1)::int AS idx, id FROM users WHERE email LIKE 'bench-caseworker-%'`);
  await db.query(`CREATE UNLOGGED TABLE bench_compacts AS
    SELECT k.id, array_agg(c.id ORDER BY c.position) AS commitment_ids FROM compacts k JOIN commitments c ON c.compact_id = k.id WHERE k.name LIKE 'Bench %' GROUP BY k.id`);
  for (const t of ['bench_bodies', 'bench_groups', 'bench_caseworkers', 'bench_compacts']) await db.query(`ANALYZE ${t}`);
}

/**
 * One chunk of cases, n in [first, last]: submission times spread evenly over three years up to
 * yesterday, a path drawn by weight, a per-case pace (0.4 to 1.6 times the mean gaps), and as
 * many of the path's events as have happened by now. The case row matches its last event.
 */
const SEED_CHUNK_SQL = `
  WITH s AS MATERIALIZED (
    SELECT n, gen_random_uuid() AS id, p.path_id, pace, submitted_at, b.id AS respondent,
           CASE WHEN random() < 0.7 THEN b.local_compact ELSE $4::uuid END AS compact_id,
           random() AS pick1, random() AS pick2, random() AS two,
           ($5::uuid[])[1 + (hashint4(n) & 2147483647) % cardinality($5::uuid[])] AS reporting,
           ($10::uuid[])[1 + (hashint4(n) & 2147483647) % cardinality($10::uuid[])] AS reporter,
           ($6::uuid[])[1 + n % cardinality($6::uuid[])] AS assignee,
           -- References as the service writes them (CB-<year>-<number, 5 figures at least>); numbered across years here, so each is unique.
           'CB-' || to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY') || '-' || CASE WHEN n < 100000 THEN lpad(n::text, 5, '0') ELSE n::text END AS reference,
           (ARRAY['Grant ended without notice', 'Consultation ran for two weeks', 'Volunteers refused access', 'Contract terms changed', 'Funding cut mid-year'])[1 + n % 5] || ' ' || n AS title,
           'The public body acted without the notice the Compact requires.'::text AS what_happened,
           (SELECT max(st.seq) FROM bench_steps st WHERE st.path_id = p.path_id AND submitted_at + pace * st.cum_days * interval '1 day' <= now()) AS last_seq
      FROM (SELECT n, random() AS draw, 0.4 + 1.2 * random() AS pace,
                   now() - interval '1 day' - ($3 - n) * ((3 * 365.25 * 86400) / $3) * interval '1 second' AS submitted_at
              FROM generate_series($1::int, $2::int) AS n) g
      JOIN bench_paths p ON g.draw >= p.low AND g.draw < p.high
      JOIN bench_bodies b ON b.idx = (hashint4(n + 7) & 2147483647) % $7
  ), docs AS MATERIALIZED (
    -- The search triggers do not fire in a bulk load (replica role), so the document and its words are made here.
    SELECT s.id, case_search_document(s.reference, s.title, s.what_happened, s.reporting, s.respondent, s.reporter) AS search FROM s
  ), words AS (
    INSERT INTO case_search_words (word) SELECT DISTINCT unnest(tsvector_to_array(search)) FROM docs ON CONFLICT DO NOTHING
  ), inserted AS (
    INSERT INTO cases (id, reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
      compact_id, commitments, commitment_ids, reported_by, assignee_id, outcome, title, what_happened, happened_on, impact, desired_outcome,
      submitted_at, updated_at, closed_at, search)
    SELECT s.id, s.reference, $8, st.snapshot, st.to_state, st.stage, st.seq, s.reporting, s.respondent,
           s.compact_id, '{}',
           CASE WHEN s.two < 0.3 THEN ARRAY[bc.commitment_ids[1 + floor(s.pick1 * $9)::int], bc.commitment_ids[1 + floor(s.pick2 * $9)::int]]
                ELSE ARRAY[bc.commitment_ids[1 + floor(s.pick1 * $9)::int]] END,
           s.reporter, CASE WHEN st.seq > 1 THEN s.assignee END,
           CASE WHEN st.stage = 'closed' THEN st.outcome END,
           s.title, s.what_happened, (s.submitted_at - interval '20 days')::date,
           'Services reduced.', 'Notice as the Compact requires.',
           s.submitted_at, s.submitted_at + s.pace * st.cum_days * interval '1 day',
           CASE WHEN st.stage = 'closed' THEN s.submitted_at + s.pace * st.cum_days * interval '1 day' END,
           docs.search
      FROM s JOIN docs ON docs.id = s.id JOIN bench_steps st ON st.path_id = s.path_id AND st.seq = s.last_seq
      JOIN bench_compacts bc ON bc.id = s.compact_id
    RETURNING 1
  ), events AS (
    INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
    SELECT s.id, st.seq, st.type, '{}', NULL, st.role, st.from_state, st.to_state, '[]', s.submitted_at + s.pace * st.cum_days * interval '1 day'
      FROM s JOIN bench_steps st ON st.path_id = s.path_id AND st.seq <= s.last_seq
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM inserted)::int AS cases, (SELECT count(*) FROM events)::int AS events`;

async function seedCases(db: DataSource, demo: Awaited<ReturnType<typeof seedDemoData>>) {
  const steps = pathSteps(paths(demo.users.caseworker.id, demo.users.mediator.id));
  await db.query(`CREATE UNLOGGED TABLE bench_steps (path_id int, seq int, type text, from_state text, to_state text, stage text, outcome text, snapshot jsonb, cum_days float8, low float8, high float8, role text)`);
  for (const row of steps) await db.query(`INSERT INTO bench_steps VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, row);
  await db.query(`CREATE UNLOGGED TABLE bench_paths AS SELECT DISTINCT path_id, low, high FROM bench_steps`);
  await db.query(`ANALYZE bench_steps; ANALYZE bench_paths`);
  const [{ id: national }] = await db.query(`SELECT id FROM compacts WHERE name = 'Bench National Compact'`);
  const groupRows = (await db.query(`SELECT id, reporter FROM bench_groups ORDER BY idx`)) as Array<{ id: string; reporter: string }>;
  const groups = groupRows.map((r) => r.id);
  const reporters = groupRows.map((r) => r.reporter);
  const caseworkers = (await db.query(`SELECT id FROM bench_caseworkers ORDER BY idx`)).map((r: { id: string }) => r.id);

  const runner = db.createQueryRunner();
  await runner.connect();
  // A bulk load: no per-row foreign-key checks or dirty-day marks (the rollups are rebuilt whole after).
  await runner.query(`SET session_replication_role = replica`);
  let cases = 0;
  let events = 0;
  const started = Date.now();
  for (let first = 1; first <= CASES; first += CHUNK) {
    const last = Math.min(CASES, first + CHUNK - 1);
    const [row] = await runner.query(SEED_CHUNK_SQL, [
      first, last, CASES, national, groups, caseworkers, PUBLIC_BODIES, LATEST_BREACH_CASE_VERSION, COMMITMENTS_PER_COMPACT, reporters,
    ]);
    cases += row.cases;
    events += row.events;
    const rate = cases / ((Date.now() - started) / 1000);
    step(`cases ${cases.toLocaleString('en-GB')} / ${CASES.toLocaleString('en-GB')} (${((100 * cases) / CASES).toFixed(0)}%), events ${events.toLocaleString('en-GB')}, ${rate.toFixed(0)} cases/s`);
  }
  await runner.query(`SET session_replication_role = DEFAULT`);
  await runner.release();
  return { cases, events, seconds: (Date.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Timed {
  name: string;
  p50: number;
  p95: number;
  max: number;
  detail: string;
  pass: boolean;
}

async function time(base: string, token: string | null, name: string, path: string, accept?: string): Promise<Timed> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (accept) headers.accept = accept;
  let detail = '';
  const once = async () => {
    const started = performance.now();
    const res = await fetch(base + path, { headers });
    const body = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 300)}`);
    if (!detail) detail = describe(res.headers.get('content-type') ?? '', body);
    return ms;
  };
  for (let i = 0; i < 2; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const max = times[times.length - 1];
  return { name, p50: percentile(times, 50), p95: percentile(times, 95), max, detail, pass: max < BAR_MS };
}

function describe(contentType: string, body: string): string {
  if (contentType.startsWith('text/csv')) return `${body.split('\r\n').length - 2} CSV rows`;
  const json = JSON.parse(body);
  if (Array.isArray(json.items)) return `${json.items.length} cases`;
  if (Array.isArray(json.groups)) return `${json.groups.length} groups, total ${json.total}${json.suppressedGroups !== undefined ? `, ${json.suppressedGroups} hidden` : ''}`;
  if (Array.isArray(json.series)) return json.series.map((s: { key: string; medianDays: number | null }) => `${s.key} ${s.medianDays}`).join(', ');
  return '';
}

async function main() {
  step(`creating a scratch database on ${new URL(SERVER_URL).host} with the migrations`);
  const scratch = await createScratchDatabase(SERVER_URL, 'benchstats');
  let app: INestApplication | undefined;
  let failed = false;
  try {
    const db = new DataSource({ type: 'postgres', url: scratch.url });
    await db.initialize();
    const demo = await seedDemoData(db);
    step('seeding the registry');
    await seedRegistry(db);
    step(`seeding ${CASES.toLocaleString('en-GB')} cases in chunks of ${CHUNK.toLocaleString('en-GB')}`);
    const seeded = await seedCases(db, demo);
    step(`seeded ${seeded.cases.toLocaleString('en-GB')} cases and ${seeded.events.toLocaleString('en-GB')} events in ${seeded.seconds.toFixed(0)} s; VACUUM ANALYZE`);
    await db.query(`VACUUM ANALYZE cases`);
    await db.query(`VACUUM ANALYZE case_events`);
    step('building the statistics rollups');
    const rollupStarted = Date.now();
    await new StatsRollups(db).rebuildAll((done, of, month) => {
      if (done % 6 === 0 || done === of) step(`rollups: ${done} / ${of} months (${((100 * done) / of).toFixed(0)}%, up to ${month.slice(0, 7)})`);
    });
    const rollupSeconds = (Date.now() - rollupStarted) / 1000;
    await db.query(`VACUUM ANALYZE`);
    const [sizes] = await db.query(`
      SELECT (SELECT count(*) FROM stats_daily_counts)::int AS daily, (SELECT count(*) FROM stats_monthly_counts)::int AS monthly,
             (SELECT count(*) FROM stats_daily_durations)::int AS daily_durations, (SELECT count(*) FROM stats_monthly_durations)::int AS monthly_durations`);
    step(`rollups built in ${rollupSeconds.toFixed(0)} s: ${JSON.stringify(sizes)}`);
    const [probe] = await db.query(`
      SELECT (SELECT respondent_organisation_id FROM cases ORDER BY submitted_at DESC LIMIT 1) AS respondent,
             (SELECT id FROM compacts WHERE name = 'Bench Compact of Area 7') AS compact,
             (SELECT id FROM bench_caseworkers WHERE idx = 3) AS caseworker,
             (SELECT to_char(min(submitted_at) AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') FROM cases) AS first_day,
             (SELECT reference FROM cases WHERE ltrim(substring(reference from '([0-9]+)$'), '0') = $1) AS reference,
             (SELECT name FROM organisations WHERE name = 'Bench public body 417') AS body,
             (SELECT u.display_name FROM users u WHERE u.email = 'bench-reporter-2345@bench.test') AS reporter_name`, [String(Math.ceil(CASES / 2))]);
    await db.destroy();

    step('starting the API in this process');
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: scratch.url, AUTH_SECRET: 'bench-'.repeat(8), SEED_DEMO_DATA: 'false', STATS_REFRESH_INTERVAL_MS: '10000' });
    app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demo.users.caseworker.email, password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const reporterLogin = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench-reporter-1@bench.test', password: DEMO_PASSWORD }),
    });
    const { token: reporterToken } = (await reporterLogin.json()) as { token: string };

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const all = `from=${probe.first_day}&to=${today}`;
    const queries: Array<[string, string, string | null, string?]> = [];
    for (const by of ['commitment', 'code', 'respondent', 'bodyType', 'compact', 'area', 'outcome', 'month']) {
      queries.push([`breaches by ${by}, last year`, `/api/stats/breaches?by=${by}`, token]);
    }
    for (const by of ['commitment', 'respondent', 'month']) queries.push([`breaches by ${by}, all 3 years`, `/api/stats/breaches?by=${by}&${all}`, token]);
    queries.push(['breaches by area, part-months', `/api/stats/breaches?by=area&from=${probe.first_day.slice(0, 8)}17&to=${today}`, token]);
    queries.push(['durations, last year', '/api/stats/durations', token]);
    queries.push(['durations, all 3 years', `/api/stats/durations?${all}`, token]);
    queries.push(['CSV breaches by commitment, 3 years', `/api/stats/breaches?by=commitment&${all}&format=csv`, token]);
    queries.push(['CSV durations (Accept: text/csv)', '/api/stats/durations', token, 'text/csv']);
    queries.push(['public breaches by respondent', `/api/public/stats/breaches?by=respondent&${all}`, null]);
    queries.push(['public breaches by area', '/api/public/stats/breaches?by=area', null]);
    queries.push(['public breaches by commitment', '/api/public/stats/breaches?by=commitment', null]);
    queries.push(['public durations', '/api/public/stats/durations', null]);
    queries.push(['public CSV by bodyType', `/api/public/stats/breaches?by=bodyType&${all}&format=csv`, null]);
    queries.push(['cases: caseworker default list', '/api/cases', token]);
    queries.push(['cases: stage=mediation', '/api/cases?stage=mediation', token]);
    queries.push(['cases: stage=closed', '/api/cases?stage=closed', token]);
    queries.push(['cases: state=advocacy.reviewing', '/api/cases?state=advocacy.reviewing', token]);
    queries.push(['cases: state=triage.awaitingInformation', '/api/cases?state=triage.awaitingInformation', token]);
    queries.push(['cases: respondentId', `/api/cases?respondentId=${probe.respondent}`, token]);
    queries.push(['cases: compactId', `/api/cases?compactId=${probe.compact}`, token]);
    queries.push(['cases: assigneeId', `/api/cases?assigneeId=${probe.caseworker}`, token]);
    queries.push(['cases: assigneeId=none', '/api/cases?assigneeId=none', token]);
    queries.push(['cases: stage=negotiation&assigneeId', `/api/cases?stage=negotiation&assigneeId=${probe.caseworker}`, token]);
    queries.push(['cases: compactId&stage=campaigning, 100', `/api/cases?compactId=${probe.compact}&stage=campaigning&limit=100`, token]);

    // Case search (the /cases search box): numbers in the ways people write them, names whole and
    // in part, the reporter's name and e-mail (staff), words common and rare, and a reporter's own.
    const [, refYear, refNumber] = /^CB-(\d{4})-0*(\d+)$/.exec(probe.reference)!;
    const search = (text: string, extra = '') => `/api/cases?text=${encodeURIComponent(text)}${extra}`;
    queries.push([`search: reference ${probe.reference}`, search(probe.reference), token]);
    queries.push([`search: reference cb-${refYear}-${refNumber}`, search(`cb-${refYear}-${refNumber}`), token]);
    queries.push([`search: number alone ${refNumber.padStart(5, '0')}`, search(refNumber.padStart(5, '0')), token]);
    queries.push(['search: reference year CB-' + refYear, search(`CB-${refYear}`), token]);
    queries.push([`search: public body "${probe.body}"`, search(probe.body), token]);
    queries.push(['search: part of a name "bench publ"', search('bench publ'), token]);
    queries.push(['search: voluntary group "Bench voluntary group 4321"', search('Bench voluntary group 4321'), token]);
    queries.push([`search: reporter's name "${probe.reporter_name}"`, search(probe.reporter_name), token]);
    queries.push(['search: reporter e-mail', search('bench-reporter-2345@bench.test'), token]);
    queries.push(['search: common word "funding"', search('funding'), token]);
    queries.push(['search: rare words "consultation 123456"', search('consultation 123456'), token]);
    queries.push(['search: no match "zebra"', search('zebra'), token]);
    queries.push(['search: a group and a body together (rare)', search('Bench voluntary group 4321 Bench public body 599'), token]);
    queries.push(['search: name and stage=closed', search('Bench public body 42', '&stage=closed'), token]);
    queries.push(['search: name, 100 per page', search('bench public body', '&limit=100'), token]);
    queries.push(['search (reporter): own cases by word', search('grant'), reporterToken]);
    queries.push(['search (reporter): a name never matched', search(probe.reporter_name), reporterToken]);

    step(`timing ${queries.length} queries over HTTP: 2 warm-up and ${RUNS} timed runs each`);
    const results: Timed[] = [];
    for (const [name, path, auth, accept] of queries) results.push(await time(base, auth, name, path, accept));

    // A second page of a filtered list, from the first page's cursor.
    const first = (await (await fetch(`${base}/api/cases?stage=advocacy`, { headers: { authorization: `Bearer ${token}` } })).json()) as { nextCursor: string };
    results.push(await time(base, token, 'cases: stage=advocacy, page 2', `/api/cases?stage=advocacy&cursor=${first.nextCursor}`));

    const width = Math.max(...results.map((r) => r.name.length));
    console.log(`\n${'query'.padEnd(width)}   p50 ms   p95 ms   max ms  result  answer`);
    for (const r of results) {
      console.log(`${r.name.padEnd(width)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}  ${r.pass ? 'PASS' : 'FAIL'}    ${r.detail.slice(0, 90)}`);
    }
    failed = results.some((r) => !r.pass);
    console.log(
      `\n${CASES.toLocaleString('en-GB')} cases, ${seeded.events.toLocaleString('en-GB')} events: seeded in ${seeded.seconds.toFixed(0)} s, rollups built in ${rollupSeconds.toFixed(0)} s; ` +
        `every query's max under ${BAR_MS} ms: ${failed ? 'FAIL' : 'PASS'}; total time ${elapsed()}`,
    );
  } finally {
    await app?.close();
    if (process.env.KEEP_DB === '1') step(`kept the database: ${scratch.url}`);
    else await scratch.drop();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
