/**
 * npm run bench:transitions
 *
 * Seeds cases in negotiation, then for the same length of time:
 *  1. the app: the real API in its own process, 32 concurrent HTTP clients (autocannon) each
 *     sending a valid event (RECORD_MEETING) to a rotating case;
 *  2. the floor: the same SQL work done directly with `pg` by 32 concurrent clients (read the
 *     case; then the one statement the app sends: the version-checked update, the event, and the
 *     clock effects, built by the same functions).
 * Prints transitions per second, p50 and p99 latency of each, and the ratio app/floor.
 * Bars on a 2-core machine: ratio >= 0.4, app p99 < 100 ms.
 *
 * Env: BENCH_DATABASE_URL (server to create a scratch database on), BENCH_SECONDS (default 20),
 * BENCH_CASES (default 2000), BENCH_CONNECTIONS (default 32), BENCH_MACHINE_VERSION (the process
 * version the cases run on; default the latest, which new cases start on).
 * READ_AUDIT=off runs the API without recording staff reads (@cc/audit), only to measure what
 * recording costs: compare a run with and without it under the same load.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { transitionStatement } from '@cc/cases';
import { startClockWrites } from '@cc/deadlines';
import { DEMO_PASSWORD, seedDemoData } from '@cc/demo-data';
import { createScratchDatabase } from '@cc/persistence';
import { BreachCaseContext, BreachCaseEvent, CaseEffect, LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MACHINE_VERSION = Number(process.env.BENCH_MACHINE_VERSION ?? LATEST_BREACH_CASE_VERSION);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CASES = Number(process.env.BENCH_CASES ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

function step(message: string) {
  process.stdout.write(`[bench] ${message}\n`);
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A negotiation-stage snapshot produced by the real workflow, to seed rows without HTTP. */
function negotiationSnapshot(reportingOrganisationId: string, respondentOrganisationId: string, caseworkerId: string) {
  const workflow = workflowFor(MACHINE_VERSION);
  const at = new Date().toISOString();
  let current = workflow.start({ reportingOrganisationId, respondentOrganisationId, submittedAt: at });
  const events = [
    { type: 'ASSIGN', caseworkerId },
    { type: 'ACCEPT' },
    { type: 'CONTACT_RESPONDENT', summary: 'Letter sent' },
    { type: 'RECORD_RESPONSE', summary: 'Refused' },
    { type: 'OPEN_NEGOTIATION' },
  ];
  for (const e of events) {
    const decision = workflow.decide(current.snapshot, { ...e, at } as BreachCaseEvent);
    if (!decision.ok) throw new Error(`seeding: ${e.type} refused: ${JSON.stringify(decision)}`);
    current = decision;
  }
  return { snapshot: current.snapshot, state: current.state, stage: current.stage, context: current.context };
}

async function seed(url: string) {
  const dataSource = new DataSource({ type: 'postgres', url });
  await dataSource.initialize();
  const demo = await seedDemoData(dataSource);
  const seeded = negotiationSnapshot(demo.organisations.riversideFoodbank, demo.organisations.harboroughCouncil, demo.users.caseworker.id);
  await dataSource.query(
    `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
       compact_id, commitments, reported_by, assignee_id, title, what_happened, happened_on, impact, desired_outcome, submitted_at, updated_at)
     SELECT 'CB-BENCH-' || lpad(n::text, 6, '0'), $1, $2, $3, $4, 6, $5, $6, $7, ARRAY['6.1'], $8, $9,
            'Bench case ' || n, 'What happened', '2026-10-01', 'Impact', 'Outcome', now() - n * interval '1 second', now()
       FROM generate_series(1, $10) AS n`,
    [
      MACHINE_VERSION,
      JSON.stringify(seeded.snapshot),
      seeded.state,
      seeded.stage,
      demo.organisations.riversideFoodbank,
      demo.organisations.harboroughCouncil,
      demo.compacts.national2010,
      demo.users.reporter.id,
      demo.users.caseworker.id,
      CASES,
    ],
  );
  const ids: string[] = (await dataSource.query(`SELECT id FROM cases ORDER BY reference`)).map((r: { id: string }) => r.id);
  await dataSource.destroy();
  return { demo, ids, seeded };
}

async function startApi(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...(process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', NODE_ENV: 'production', AUTH_SECRET: randomBytes(32).toString('hex'), API_PROCESSES: process.env.BENCH_API_PROCESSES ?? '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('The API did not become healthy within 20 s');
}

async function benchApp(port: number, token: string, ids: string[]) {
  let next = 0;
  const body = JSON.stringify({ type: 'RECORD_MEETING', heldOn: '2026-11-02', summary: 'Bench meeting' });
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          path: `/api/cases/${ids[next++ % ids.length]}/events`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        }),
      },
    ],
  });
  const ok = result['2xx'];
  return {
    transitions: ok,
    perSecond: ok / SECONDS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

/** The same database work per transition, with nothing but `pg` in between. */
async function benchFloor(url: string, ids: string[], snapshot: unknown, state: string, seededContext: BreachCaseContext, caseworkerId: string) {
  const pool = new Pool({ connectionString: url, max: CONNECTIONS });
  const latencies: number[] = [];
  let next = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const payload = { heldOn: '2026-11-02', summary: 'Floor meeting' };
  const effects = [
    { type: 'endDeadline', kind: 'negotiationReview', status: 'met' },
    { type: 'startDeadline', kind: 'negotiationReview', workingDays: 30 },
  ] as CaseEffect[];
  const worker = async () => {
    while (Date.now() < deadline) {
      const id = ids[next++ % ids.length];
      const started = performance.now();
      // The app's statements: read the case; then, in one transaction, the version-checked update
      // with the event append, and the clock effect of RECORD_MEETING (restart the negotiation
      // review: end the running clock and start a new one in one statement; the app caches the
      // policy lookup).
      // Named statements, as the app sends them (parsed and planned once per connection).
      const { rows } = await pool.query({
        name: 'floor_read',
        text: `SELECT id, reference, compact_id, state, version, machine_version, snapshot, reporting_organisation_id, mediator_id FROM cases WHERE id = $1`,
        values: [id],
      });
      // One statement, as the app sends it: the version-checked update, the event, and the clock
      // effect of RECORD_MEETING (end the running negotiation review and start a new one).
      const now = new Date();
      const row = rows[0];
      const statement = transitionStatement(
        { id, reference: row.reference, compactId: row.compact_id, fromState: state, expectedVersion: row.version },
        { snapshot, state, stage: 'negotiation', context: seededContext, effects },
        { type: 'RECORD_MEETING', payload, actorId: caseworkerId, actorRole: 'caseworker', at: now.toISOString() },
        startClockWrites({ caseId: id, kind: 'negotiationReview', at: now, dueAt: new Date(now.getTime() + 42 * 86_400_000), reminderAt: null, eventSeq: row.version + 1, endRunningAs: 'met' }),
      ).render();
      const written = await pool.query({ name: 'floor_write', text: statement.text, values: statement.values });
      if (written.rows.length !== 1) throw new Error('floor: lost a race it should not have');
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { transitions: latencies.length, perSecond: latencies.length / SECONDS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main() {
  step(`read audit ${process.env.READ_AUDIT === 'off' ? 'OFF (READ_AUDIT=off)' : 'on'}`);
  step('creating a scratch database with the migrations');
  const scratch = await createScratchDatabase(SERVER_URL, 'bench');
  const dbUrl = scratch.url;
  let api: ChildProcess | undefined;
  try {
    step(`seeding ${CASES} cases in negotiation on process version ${MACHINE_VERSION}`);
    const { demo, ids, seeded } = await seed(dbUrl);
    const port = await freePort();
    step('starting the API in its own process');
    api = await startApi(dbUrl, port);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demo.users.caseworker.email, password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };

    step(`app: ${CONNECTIONS} HTTP clients for ${SECONDS} s`);
    const app = await benchApp(port, token, ids);
    api.kill('SIGTERM');
    api = undefined;
    step(`floor: ${CONNECTIONS} pg clients for ${SECONDS} s`);
    const floor = await benchFloor(dbUrl, ids, seeded.snapshot, seeded.state, seeded.context, demo.users.caseworker.id);

    const ratio = app.perSecond / floor.perSecond;
    const rows = [
      ['', 'transitions/s', 'p50 ms', 'p99 ms', 'total'],
      ['app (HTTP)', app.perSecond.toFixed(0), app.p50.toFixed(1), app.p99.toFixed(1), String(app.transitions)],
      ['floor (pg)', floor.perSecond.toFixed(0), floor.p50.toFixed(1), floor.p99.toFixed(1), String(floor.transitions)],
    ];
    console.log('\n' + rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(14))).join('')).join('\n'));
    console.log(`\nratio app/floor: ${ratio.toFixed(2)} (bar >= 0.40)   app p99: ${app.p99.toFixed(1)} ms (bar < 100 ms)   app errors: ${app.errors}`);
    const pass = ratio >= 0.4 && app.p99 < 100 && app.errors === 0;
    console.log(pass ? 'PASS' : 'FAIL');
    process.exitCode = pass ? 0 : 1;
  } finally {
    api?.kill('SIGTERM');
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
