/**
 * npm run bench:faults -- <scenario>     (redis-outage | slow-smtp | db-down | smtp-outage | all)
 *
 * Faults against the built processes as production runs them: the worker as its own process
 * (`node dist/apps/worker/src/main.js`), the API as its own process, real PostgreSQL, Redis and
 * SMTP (smtp-server). Each scenario works on a scratch database, dropped at the end; servers it
 * stops are servers of its own (a PrivateRedis, a PrivatePostgres cluster, its SMTP server), never
 * the machine's shared PostgreSQL and Redis.
 *
 *  redis-outage  API + worker on the local PostgreSQL and a private redis-server. FAULT_CLIENTS
 *                (16) clients send REQUEST_INFO / PROVIDE_INFO (pause and resume the triage clock)
 *                to cases in triage for OUTAGE_SECONDS (60) with Redis up, then as long with it
 *                killed, then Redis is started again. Prints transitions/s, p50, p99, max, errors
 *                of both phases; the longest transaction seen idle in transaction on the worker's
 *                connections; how long until the worker caught up (every e-mail sent, every
 *                pending deadline's wake-up relayed). Bars: outage p99 <= 2x baseline p99 (or
 *                < 250 ms), no request over 5 s, caught up within CATCHUP_TIMEOUT_SECONDS (600).
 *  slow-smtp     SMTP answering each message after SLOW_SMTP_MS (28000); worker with
 *                SMTP_POOL_SIZE=5, EMAIL_CONCURRENCY=10, the default claim timeout; about
 *                SLOW_SMTP_EMAILS (95) e-mails written by filing reports. Bar: 0 delivered twice.
 *  db-down       A private PostgreSQL cluster; SMTP answering after DB_DOWN_SMTP_MS (3000). Once
 *                the SMTP server holds the DATA of some messages unanswered, PostgreSQL is stopped
 *                for DB_DOWN_SECONDS (10) and the server answers 250 meanwhile. Of DB_DOWN_EMAILS
 *                (20): bar 0 delivered twice, all sent.
 *  smtp-outage   The SMTP server is down for SMTP_OUTAGE_SECONDS (600) while SMTP_OUTAGE_EMAILS
 *                (100) e-mails are written; worker with its default retry settings; nobody
 *                retries by hand. Then SMTP starts on the same port; waits up to
 *                SMTP_DRAIN_TIMEOUT_SECONDS (1200). Bar: all delivered, none failed.
 *
 * Env: BENCH_DATABASE_URL (server for scratch databases, default the local test server),
 * BENCH_REDIS_URL (the shared Redis the last three scenarios use, with a unique QUEUE_PREFIX whose
 * keys are removed at the end). Exits 1 when any bar fails.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { DEMO_PASSWORD, DemoData, seedDemoData } from '@cc/demo-data';
import { ScratchDatabase, createScratchDatabase } from '@cc/persistence';
import { BenchProcess, JsonClient, sleep, spawnApi, spawnWorker } from './support/bench-processes';
import { PrivatePostgres, PrivateRedis, freePort } from './support/private-services';
import { RecordingSmtp } from './support/recording-smtp';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SHARED_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number`);
  return value;
};

const started = Date.now();
const step = (message: string) => process.stdout.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(ms < 100 ? 1 : 0) : '-');
const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '-');

interface Bar {
  name: string;
  value: string;
  pass: boolean;
}

interface ScenarioResult {
  scenario: string;
  settings: string;
  table: string[][];
  lines: string[];
  bars: Bar[];
}

/* ------------------------------------------------------------------------------------------- */
/* Clean-up: every resource a scenario makes is registered at once and released in reverse,     */
/* whatever happens (a failed scenario, an exception, Ctrl-C).                                  */
/* ------------------------------------------------------------------------------------------- */

class Cleanup {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> | unknown }> = [];
  private done = false;

  add(what: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, run });
  }

  async run(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const s of this.steps.reverse()) {
      try {
        await Promise.race([s.run(), sleep(30_000).then(() => Promise.reject(new Error('took over 30 s')))]);
      } catch (err) {
        step(`clean-up: ${s.what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

const activeCleanups = new Set<Cleanup>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    step(`${signal}: cleaning up (again to quit at once)`);
    void Promise.all([...activeCleanups].map((c) => c.run())).finally(() => process.exit(130));
  });
}

async function withCleanup<T>(work: (cleanup: Cleanup) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  activeCleanups.add(cleanup);
  try {
    return await work(cleanup);
  } finally {
    step('cleaning up');
    await cleanup.run();
    activeCleanups.delete(cleanup);
  }
}

/* ------------------------------------------------------------------------------------------- */
/* An installation: scratch database with the demo accounts, the API in its own process.        */
/* ------------------------------------------------------------------------------------------- */

interface Installation {
  scratch: ScratchDatabase;
  demo: DemoData;
  /** A pool of the benchmark's own for watching the database (application_name cc-bench). */
  monitor: Pool;
}

async function install(cleanup: Cleanup, serverUrl: string, label: string): Promise<Installation> {
  step(`creating a scratch database with the migrations on ${new URL(serverUrl).host}`);
  const scratch = await createScratchDatabase(serverUrl, label);
  cleanup.add(`dropping ${scratch.name}`, () => scratch.drop());
  const db = new DataSource({ type: 'postgres', url: scratch.url, extra: { max: 2 } });
  await db.initialize();
  let demo: DemoData;
  try {
    demo = await seedDemoData(db);
  } finally {
    await db.destroy();
  }
  const monitor = new Pool({ connectionString: scratch.url, max: 3, application_name: 'cc-bench' });
  // Stopping PostgreSQL ends these connections too; the queries that need them fail and are retried.
  monitor.on('error', () => undefined);
  cleanup.add('closing the monitor pool', () => monitor.end());
  // The API and the worker take up to DATABASE_POOL_SIZE (20) connections each; a server shared
  // with other work may not have them to give, and the errors would be the server's, not theirs.
  const { rows } = await monitor.query(
    `SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - count(*)::int AS free FROM pg_stat_activity`,
  );
  const free = rows[0].free as number;
  if (free < 60) step(`warning: only ${free} connections free on ${new URL(serverUrl).host} (the API and the worker may each take 20); figures may show the server's limit`);
  return { scratch, demo, monitor };
}

interface Api {
  process: BenchProcess;
  http: JsonClient;
  tokens: { reporter: string; caseworker: string };
}

async function startApi(cleanup: Cleanup, inst: Installation, env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  step('starting the API in its own process');
  const proc = await spawnApi(port, { DATABASE_URL: inst.scratch.url, ...env });
  cleanup.add('stopping the API', () => proc.stop());
  const http = new JsonClient(port, 64);
  cleanup.add('closing HTTP connections', () => http.close());
  const login = async (email: string) => {
    const res = await http.send('POST', '/api/auth/login', undefined, { email, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  return { process: proc, http, tokens: { reporter: await login(inst.demo.users.reporter.email), caseworker: await login(inst.demo.users.caseworker.email) } };
}

function startWorker(cleanup: Cleanup, env: Record<string, string>): BenchProcess {
  step(`starting the worker process (${Object.entries(env).filter(([k]) => !['DATABASE_URL'].includes(k)).map(([k, v]) => `${k}=${v}`).join(' ')})`);
  const worker = spawnWorker(env);
  cleanup.add('stopping the worker', () => worker.stop());
  return worker;
}

/** A valid breach report against the demo council under the national Compact (as the tests file). */
function sampleReport(demo: DemoData, n: number) {
  return {
    respondentId: demo.organisations.harboroughCouncil,
    compactId: demo.compacts.national2010,
    commitments: ['4.5'],
    title: `Grant ended with two weeks notice (${n})`,
    whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
    happenedOn: '2026-10-01',
    impact: 'We had to close the Tuesday food bank session.',
    desiredOutcome: 'Three months notice as the Compact requires, and the grant restored until then.',
    evidence: 'Letter from the council dated 1 October 2026.',
  };
}

let reportsFiled = 0;
async function fileReport(api: Api, demo: DemoData): Promise<string> {
  const res = await api.http.send('POST', '/api/cases', api.tokens.reporter, sampleReport(demo, ++reportsFiled));
  if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${res.error ?? JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function countNotifications(monitor: Pool): Promise<number> {
  const { rows } = await monitor.query(`SELECT count(*)::int AS n FROM notifications`);
  return rows[0].n;
}

/** Files reports (each writes e-mails to the reporter and the caseworkers) until `target` e-mails are in the outbox. */
async function fileUntilEmails(api: Api, inst: Installation, target: number): Promise<{ reports: number; emails: number }> {
  let reports = 0;
  let emails = await countNotifications(inst.monitor);
  while (emails < target) {
    await fileReport(api, inst.demo);
    reports++;
    emails = await countNotifications(inst.monitor);
  }
  return { reports, emails };
}

interface OutboxState {
  total: number;
  pending: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  maxAttempts: number;
  retried: number;
}

async function outbox(monitor: Pool): Promise<OutboxState> {
  const { rows } = await monitor.query(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'queued')::int AS queued,
            count(*) FILTER (WHERE status = 'sending')::int AS sending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'failed')::int AS failed,
            coalesce(max(attempts), 0)::int AS "maxAttempts",
            count(*) FILTER (WHERE attempts > 1 OR relay_count > 0)::int AS retried
       FROM notifications`,
  );
  return rows[0];
}

const outboxLine = (o: OutboxState) => `outbox ${o.total}: pending ${o.pending}, queued ${o.queued}, sending ${o.sending}, sent ${o.sent}, failed ${o.failed} (max attempts ${o.maxAttempts})`;

/**
 * Waits until no e-mail is left to do (every row sent or failed) and the SMTP server has had
 * nothing on the wire for `quietMs`, so copies still in flight when the last row was marked sent
 * are counted too. Returns the last state and whether it finished in time.
 */
async function drain(inst: Installation, smtp: RecordingSmtp, worker: BenchProcess, timeoutMs: number, quietMs: number, everyMs = 10_000): Promise<{ state: OutboxState; done: boolean; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let lastPrint = 0;
  let quietSince = 0;
  let lastSeen = -1;
  let state: OutboxState | undefined;
  for (;;) {
    try {
      state = await outbox(inst.monitor);
    } catch (err) {
      if (Date.now() - lastPrint > everyMs) step(`outbox not readable: ${err instanceof Error ? err.message : err}`);
    }
    const finished = !!state && state.total > 0 && state.pending + state.queued + state.sending === 0;
    const wireIdle = smtp.transactionsOpen === 0 && smtp.awaitingAnswer === 0 && smtp.acceptedTotal === lastSeen;
    lastSeen = smtp.acceptedTotal;
    if (finished && wireIdle) {
      if (!quietSince) quietSince = Date.now();
      if (Date.now() - quietSince >= quietMs) return { state: state!, done: true, at: quietSince };
    } else quietSince = 0;
    if (Date.now() - lastPrint > everyMs) {
      lastPrint = Date.now();
      const d = smtp.duplicates();
      if (state) step(`${outboxLine(state)}; SMTP accepted ${smtp.acceptedTotal} (${smtp.distinct} distinct, ${d.extraCopies} extra copies), ${smtp.awaitingAnswer} awaiting an answer`);
    }
    if (!worker.alive) {
      step('the worker is gone; not waiting any longer');
      return { state: state ?? (await outbox(inst.monitor)), done: false, at: Date.now() };
    }
    if (Date.now() > deadline) return { state: state ?? (await outbox(inst.monitor)), done: false, at: Date.now() };
    await sleep(250);
  }
}

async function removeQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function sharedRedisPrefix(cleanup: Cleanup, label: string): string {
  const prefix = `cc-bench-faults-${label}-${randomBytes(3).toString('hex')}`;
  cleanup.add(`removing ${prefix}:* from the shared Redis`, () => removeQueueKeys(SHARED_REDIS_URL, prefix));
  return prefix;
}

function logSummary(proc: BenchProcess): string[] {
  const lines = proc.log.summary();
  return lines.length ? [`${proc.name} log messages (count x level message):`, ...lines.map((l) => `  ${l}`)] : [`${proc.name}: no log messages at LOG_LEVEL=warn`];
}

function workerExit(worker: BenchProcess): string[] {
  return worker.alive || worker.stopping ? [] : [`the worker process exited by itself during the scenario (code ${worker.exited?.code}, signal ${worker.exited?.signal})`];
}

/* ------------------------------------------------------------------------------------------- */
/* 1. redis-outage                                                                               */
/* ------------------------------------------------------------------------------------------- */

interface Sample {
  ms: number;
  ok: boolean;
  endedAt: number;
}

/** Clients, each taking its own cases round and round REQUEST_INFO -> PROVIDE_INFO -> ... */
class TransitionDriver {
  phase = 'warm-up';
  readonly samples = new Map<string, Sample[]>();
  readonly inFlight = new Map<number, { startedAt: number; phase: string }>();
  readonly errorExamples: string[] = [];
  /** phase -> "status code-or-error" -> count. */
  readonly errorKinds = new Map<string, Map<string, number>>();
  private running = true;
  private nextId = 0;
  private clients: Promise<void>[] = [];
  lastCompletionAt = 0;

  constructor(
    private readonly api: Api,
    private readonly casesPerClient: string[][],
    private readonly requestTimeoutMs: number,
  ) {}

  start(): void {
    this.clients = this.casesPerClient.map((cases) => this.client(cases.map((id) => ({ id, awaiting: false }))));
  }

  /** Stops sending new events; resolves when every request in flight has ended. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.clients);
  }

  completed(phase: string): Sample[] {
    return this.samples.get(phase) ?? [];
  }

  oldestInFlightMs(): number {
    const now = performance.now();
    let oldest = 0;
    for (const f of this.inFlight.values()) oldest = Math.max(oldest, now - f.startedAt);
    return oldest;
  }

  private async client(cases: Array<{ id: string; awaiting: boolean }>): Promise<void> {
    let k = 0;
    while (this.running) {
      const c = cases[k++ % cases.length];
      const phase = this.phase;
      const id = this.nextId++;
      this.inFlight.set(id, { startedAt: performance.now(), phase });
      const event = c.awaiting ? { type: 'PROVIDE_INFO', answer: 'The letter is attached.' } : { type: 'REQUEST_INFO', questions: 'Please send the council letter.' };
      const res = await this.api.http.send('POST', `/api/cases/${c.id}/events`, c.awaiting ? this.api.tokens.reporter : this.api.tokens.caseworker, event, this.requestTimeoutMs);
      this.inFlight.delete(id);
      this.lastCompletionAt = Date.now();
      const ok = res.status === 200;
      if (!this.samples.has(phase)) this.samples.set(phase, []);
      this.samples.get(phase)!.push({ ms: res.ms, ok, endedAt: Date.now() });
      if (ok) {
        c.awaiting = !c.awaiting;
        continue;
      }
      const kind = `${res.status || 'no answer'} ${res.error ?? res.body?.code ?? ''}`.trim();
      if (!this.errorKinds.has(phase)) this.errorKinds.set(phase, new Map());
      this.errorKinds.get(phase)!.set(kind, (this.errorKinds.get(phase)!.get(kind) ?? 0) + 1);
      if (this.errorExamples.length < 3) this.errorExamples.push(`${phase}: ${event.type} -> ${res.status} ${res.error ?? JSON.stringify(res.body)?.slice(0, 200)} after ${fmt(res.ms)} ms`);
      // Where does the case stand now? Then carry on from there.
      const now = await this.api.http.send('GET', `/api/cases/${c.id}`, this.api.tokens.caseworker, undefined, this.requestTimeoutMs);
      if (now.status === 200 && typeof now.body?.state === 'string') c.awaiting = now.body.state.includes('awaitingInformation');
      await sleep(100);
    }
  }
}

interface PhaseFigures {
  phase: string;
  seconds: number;
  total: number;
  ok: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  over5s: number;
}

function phaseFigures(driver: TransitionDriver, phase: string, seconds: number): PhaseFigures {
  const samples = driver.completed(phase);
  const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
  const ok = samples.filter((s) => s.ok).length;
  return {
    phase,
    seconds,
    total: samples.length,
    ok,
    perSecond: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors: samples.length - ok,
    over5s: latencies.filter((ms) => ms > 5000).length,
  };
}

/** Watches the scratch database's sessions: the longest open transaction seen idle, per process. */
class ActivitySampler {
  /** phase -> role -> longest transaction age (ms) seen while idle in transaction, and its last query. */
  readonly idleInTx = new Map<string, Map<string, { ms: number; query: string }>>();
  /** phase -> most API sessions seen waiting on a lock at once. */
  readonly apiLockWaits = new Map<string, number>();
  phase = 'warm-up';
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly monitor: Pool,
    private readonly database: string,
  ) {}

  start(everyMs = 250): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  longest(phase: string, role: string): { ms: number; query: string } {
    return this.idleInTx.get(phase)?.get(role) ?? { ms: 0, query: '' };
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const phase = this.phase;
    try {
      const { rows } = await this.monitor.query(
        `SELECT coalesce(application_name, '') AS app, state, wait_event_type AS "waitType",
                extract(epoch FROM now() - xact_start) * 1000 AS "xactMs", left(query, 200) AS query
           FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
        [this.database],
      );
      let apiWaiting = 0;
      for (const r of rows as Array<{ app: string; state: string; waitType: string | null; xactMs: number; query: string }>) {
        // PGAPPNAME names the benchmark's processes; a name the code sets itself is the worker's
        // unless it is the API's or the benchmark's own.
        const role = r.app === 'cc-bench-api' ? 'api' : r.app.startsWith('cc-bench') && r.app !== 'cc-bench-worker' ? 'bench' : 'worker';
        if (role === 'api' && r.waitType === 'Lock') apiWaiting++;
        if (r.state !== 'idle in transaction' && r.state !== 'idle in transaction (aborted)') continue;
        if (!this.idleInTx.has(phase)) this.idleInTx.set(phase, new Map());
        const seen = this.idleInTx.get(phase)!;
        if ((seen.get(role)?.ms ?? 0) < Number(r.xactMs)) seen.set(role, { ms: Number(r.xactMs), query: r.query.replace(/\s+/g, ' ') });
      }
      this.apiLockWaits.set(phase, Math.max(this.apiLockWaits.get(phase) ?? 0, apiWaiting));
    } catch {
      // the next sample will do
    } finally {
      this.busy = false;
    }
  }
}

async function catchUpState(monitor: Pool) {
  const { rows } = await monitor.query(
    `SELECT (SELECT count(*) FROM notifications WHERE status NOT IN ('sent', 'failed'))::int AS unsent,
            (SELECT count(*) FROM notifications WHERE status = 'failed')::int AS failed,
            (SELECT count(*) FROM notifications)::int AS total,
            (SELECT count(*) FROM deadlines WHERE status = 'pending' AND wakeup_for IS DISTINCT FROM due_at)::int AS unrelayed,
            (SELECT count(*) FROM deadlines WHERE status = 'pending')::int AS pending`,
  );
  return rows[0] as { unsent: number; failed: number; total: number; unrelayed: number; pending: number };
}

async function redisOutage(): Promise<ScenarioResult> {
  const OUTAGE_S = num('OUTAGE_SECONDS', 60);
  const CLIENTS = num('FAULT_CLIENTS', 16);
  const CASES_PER_CLIENT = num('FAULT_CASES_PER_CLIENT', 4);
  const CATCHUP_TIMEOUT_S = num('CATCHUP_TIMEOUT_SECONDS', 600);
  const REQUEST_TIMEOUT_MS = num('REQUEST_TIMEOUT_SECONDS', OUTAGE_S + 300) * 1000;
  const settings = `OUTAGE_SECONDS=${OUTAGE_S} FAULT_CLIENTS=${CLIENTS} FAULT_CASES_PER_CLIENT=${CASES_PER_CLIENT}, worker defaults`;
  step(`redis-outage: ${settings}`);
  return withCleanup(async (cleanup) => {
    const redis = await new PrivateRedis().start();
    cleanup.add('stopping the private redis-server', () => redis.stop());
    step(`private redis-server on port ${redis.port}`);
    const smtp = await new RecordingSmtp(0).start();
    cleanup.add('stopping the SMTP server', () => smtp.stop());
    const inst = await install(cleanup, SERVER_URL, 'faults_redis');
    const prefix = `cc-bench-faults-${randomBytes(3).toString('hex')}`;
    const api = await startApi(cleanup, inst, { REDIS_URL: redis.url, QUEUE_PREFIX: prefix });
    const worker = startWorker(cleanup, { DATABASE_URL: inst.scratch.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url });

    step(`filing ${CLIENTS * CASES_PER_CLIENT} reports and assigning them (cases in triage, triage clock running)`);
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (ids.length < CLIENTS * CASES_PER_CLIENT) {
          const placeholder = ids.push('') - 1;
          const id = await fileReport(api, inst.demo);
          const res = await api.http.send('POST', `/api/cases/${id}/events`, api.tokens.caseworker, { type: 'ASSIGN', caseworkerId: inst.demo.users.caseworker.id });
          if (res.status !== 200) throw new Error(`ASSIGN failed: ${res.status} ${JSON.stringify(res.body)}`);
          ids[placeholder] = id;
        }
      }),
    );
    step('waiting for the worker to send the set-up e-mails and relay the clocks');
    const setupDeadline = Date.now() + 120_000;
    for (;;) {
      const s = await catchUpState(inst.monitor);
      if (s.unsent === 0 && s.unrelayed === 0) break;
      if (Date.now() > setupDeadline || !worker.alive) throw new Error(`the worker did not catch up with the set-up: ${JSON.stringify(s)}`);
      await sleep(250);
    }

    const driver = new TransitionDriver(
      api,
      Array.from({ length: CLIENTS }, (_, i) => ids.slice(i * CASES_PER_CLIENT, (i + 1) * CASES_PER_CLIENT)),
      REQUEST_TIMEOUT_MS,
    );
    const sampler = new ActivitySampler(inst.monitor, inst.scratch.name);
    const runPhase = async (phase: string) => {
      driver.phase = phase;
      sampler.phase = phase;
      const phaseStart = Date.now();
      let lastCount = driver.completed(phase).length;
      while (OUTAGE_S * 1000 - (Date.now() - phaseStart) > 50) {
        await sleep(Math.min(5000, OUTAGE_S * 1000 - (Date.now() - phaseStart)));
        const done = driver.completed(phase);
        const errors = done.filter((s) => !s.ok).length;
        step(
          `${phase} +${Math.round((Date.now() - phaseStart) / 1000)}s: ${done.length} answered (+${done.length - lastCount}), errors ${errors}, ` +
            `in flight ${driver.inFlight.size} (oldest ${secs(driver.oldestInFlightMs())}), worker longest idle-in-transaction ${secs(sampler.longest(phase, 'worker').ms)}, ` +
            `API sessions waiting on a lock ${sampler.apiLockWaits.get(phase) ?? 0} (most at once)`,
        );
        lastCount = done.length;
      }
    };

    sampler.start();
    cleanup.add('stopping the activity sampler', () => sampler.stop());
    driver.start();
    cleanup.add('stopping the clients', () => driver.stop());
    step(`baseline: ${CLIENTS} clients, REQUEST_INFO / PROVIDE_INFO, Redis up, ${OUTAGE_S} s`);
    await runPhase('baseline');
    step('killing the private redis-server (SIGKILL)');
    await redis.stop();
    step(`outage: the same clients, Redis down, ${OUTAGE_S} s`);
    await runPhase('outage');
    const inFlightAtReturn = driver.inFlight.size;
    const oldestAtReturn = driver.oldestInFlightMs();
    step(`starting redis-server again on port ${redis.port} (empty: its jobs are lost, as after a crash without persistence)`);
    await redis.start();
    const redisBackAt = Date.now();
    driver.phase = 'after';
    sampler.phase = 'after';
    step(`stopping the clients; ${inFlightAtReturn} requests in flight (oldest ${secs(oldestAtReturn)})`);
    await driver.stop();
    const hungUntil = driver.lastCompletionAt - redisBackAt;
    step(`every request has ended; the last ${secs(Math.max(0, hungUntil))} after Redis returned`);

    step('waiting for the worker to catch up: every e-mail sent, every pending deadline relayed');
    const catchUpDeadline = redisBackAt + CATCHUP_TIMEOUT_S * 1000;
    let caughtUpAfter = NaN;
    let last = await catchUpState(inst.monitor);
    let lastPrint = 0;
    for (;;) {
      last = await catchUpState(inst.monitor);
      if (last.unsent === 0 && last.unrelayed === 0) {
        caughtUpAfter = Date.now() - redisBackAt;
        break;
      }
      if (Date.now() - lastPrint > 10_000) {
        lastPrint = Date.now();
        step(`+${secs(Date.now() - redisBackAt)} after Redis returned: e-mails not yet sent ${last.unsent} of ${last.total} (failed ${last.failed}), pending deadlines not relayed ${last.unrelayed} of ${last.pending}`);
      }
      if (Date.now() > catchUpDeadline || !worker.alive) break;
      await sleep(250);
    }
    sampler.stop();

    const base = phaseFigures(driver, 'baseline', OUTAGE_S);
    const out = phaseFigures(driver, 'outage', OUTAGE_S);
    const row = (f: PhaseFigures) => [f.phase, String(f.ok), f.perSecond.toFixed(1), fmt(f.p50), fmt(f.p99), fmt(f.max), String(f.errors), String(f.over5s), String(sampler.apiLockWaits.get(f.phase) ?? 0), secs(sampler.longest(f.phase, 'worker').ms)];
    const table = [['phase', 'transitions', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'over 5 s', 'API lock waits', 'worker idle-in-tx'], row(base), row(out)];
    const longestWorker = sampler.longest('outage', 'worker');
    const lines = [
      `requests in flight when Redis returned: ${inFlightAtReturn} (oldest ${secs(oldestAtReturn)}); the last ended ${secs(Math.max(0, hungUntil))} after Redis returned`,
      `longest transaction seen idle in transaction on the worker's connections during the outage: ${secs(longestWorker.ms)}${longestWorker.query ? ` (last statement: ${longestWorker.query.slice(0, 160)})` : ''}`,
      `longest idle in transaction on the API's connections during the outage: ${secs(sampler.longest('outage', 'api').ms)}`,
      Number.isFinite(caughtUpAfter)
        ? `worker caught up ${secs(caughtUpAfter)} after Redis returned (${last.total} e-mails, all sent; ${last.pending} pending deadlines, all relayed)`
        : `worker had NOT caught up ${secs(Date.now() - redisBackAt)} after Redis returned: ${last.unsent} e-mails not sent, ${last.failed} failed, ${last.unrelayed} deadlines not relayed`,
      ...[...driver.errorKinds.entries()].map(([phase, kinds]) => `errors in ${phase}: ${[...kinds.entries()].map(([k, n]) => `${n} x ${k}`).join(', ')}`),
      ...(driver.errorExamples.length ? ['error examples:', ...driver.errorExamples.map((e) => `  ${e}`)] : []),
      ...(driver.errorExamples.length ? ["(the API's own log below says why; 'too many clients' means the PostgreSQL server's max_connections was reached)"] : []),
      ...workerExit(worker),
      ...logSummary(worker),
      ...logSummary(api.process),
    ];
    const p99Bar = Math.max(2 * base.p99, 250);
    const bars: Bar[] = [
      { name: 'outage p99 within 2x baseline or under 250 ms', value: `${fmt(out.p99)} ms (limit ${fmt(p99Bar)} ms)`, pass: out.total > 0 && (out.p99 <= 2 * base.p99 || out.p99 < 250) },
      { name: 'no request over 5 s', value: `${base.over5s + out.over5s} over 5 s, max ${fmt(Math.max(base.max, out.max))} ms`, pass: base.over5s + out.over5s === 0 },
      { name: `caught up after Redis returned (within ${CATCHUP_TIMEOUT_S} s)`, value: Number.isFinite(caughtUpAfter) ? secs(caughtUpAfter) : 'not caught up', pass: Number.isFinite(caughtUpAfter) && last.failed === 0 },
    ];
    return { scenario: 'redis-outage', settings, table, lines, bars };
  });
}

/* ------------------------------------------------------------------------------------------- */
/* 2. slow-smtp                                                                                  */
/* ------------------------------------------------------------------------------------------- */

function deliveryTable(state: OutboxState, smtp: RecordingSmtp, drainMs: number): string[][] {
  const d = smtp.duplicates();
  return [
    ['e-mails', 'sent', 'failed', 'not done', 'delivered', 'copies', 'delivered twice', 'extra copies', 'retried rows', 'time to drain'],
    [
      String(state.total),
      String(state.sent),
      String(state.failed),
      String(state.pending + state.queued + state.sending),
      String(smtp.distinct),
      String(smtp.acceptedTotal),
      String(d.ids),
      String(d.extraCopies),
      String(state.retried),
      secs(drainMs),
    ],
  ];
}

async function slowSmtp(): Promise<ScenarioResult> {
  const DELAY_MS = num('SLOW_SMTP_MS', 28_000);
  const EMAILS = num('SLOW_SMTP_EMAILS', 95);
  const POOL = 5;
  const CONCURRENCY = 10;
  const expectedMs = Math.ceil(EMAILS / POOL) * DELAY_MS;
  const TIMEOUT_MS = num('SLOW_SMTP_TIMEOUT_SECONDS', Math.round((expectedMs * 3) / 1000 + 300)) * 1000;
  const settings = `SLOW_SMTP_MS=${DELAY_MS} SLOW_SMTP_EMAILS=${EMAILS}; worker SMTP_POOL_SIZE=${POOL} EMAIL_CONCURRENCY=${CONCURRENCY}, EMAIL_CLAIM_TIMEOUT_MS default`;
  step(`slow-smtp: ${settings}`);
  return withCleanup(async (cleanup) => {
    const inst = await install(cleanup, SERVER_URL, 'faults_smtp');
    const prefix = sharedRedisPrefix(cleanup, 'slow');
    const api = await startApi(cleanup, inst, { REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix });
    step(`filing reports until about ${EMAILS} e-mails are in the outbox`);
    const filed = await fileUntilEmails(api, inst, EMAILS);
    step(`${filed.reports} reports filed: ${filed.emails} e-mails in the outbox`);
    await api.process.stop();
    const smtp = await new RecordingSmtp(DELAY_MS).start();
    cleanup.add('stopping the SMTP server', () => smtp.stop());
    step(`SMTP server on port ${smtp.port} answering each message after ${DELAY_MS} ms`);
    const worker = startWorker(cleanup, {
      DATABASE_URL: inst.scratch.url,
      REDIS_URL: SHARED_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtp.url,
      SMTP_POOL_SIZE: String(POOL),
      EMAIL_CONCURRENCY: String(CONCURRENCY),
    });
    const t0 = Date.now();
    step(`waiting until every e-mail is sent (about ${secs(expectedMs)} at ${POOL} connections; giving up after ${secs(TIMEOUT_MS)})`);
    const result = await drain(inst, smtp, worker, TIMEOUT_MS, 5000);
    const d = smtp.duplicates();
    const lines = [
      result.done ? `all done ${secs(result.at - t0)} after the worker started` : `NOT done after ${secs(Date.now() - t0)}: ${outboxLine(result.state)}`,
      ...(d.examples.length ? [`delivered more than once, e.g. ${d.examples.join(', ')}`] : []),
      ...workerExit(worker),
      ...logSummary(worker),
    ];
    const bars: Bar[] = [
      { name: 'e-mails delivered twice', value: `${d.ids} (${d.extraCopies} extra copies)`, pass: d.ids === 0 },
      { name: 'every e-mail sent', value: `${result.state.sent}/${result.state.total}, failed ${result.state.failed}`, pass: result.done && result.state.sent === result.state.total },
    ];
    return { scenario: 'slow-smtp', settings, table: deliveryTable(result.state, smtp, result.at - t0), lines, bars };
  });
}

/* ------------------------------------------------------------------------------------------- */
/* 3. db-down                                                                                    */
/* ------------------------------------------------------------------------------------------- */

async function dbDown(): Promise<ScenarioResult> {
  const DOWN_S = num('DB_DOWN_SECONDS', 10);
  const EMAILS = num('DB_DOWN_EMAILS', 20);
  const DELAY_MS = num('DB_DOWN_SMTP_MS', 3000);
  const TIMEOUT_MS = num('DB_DOWN_TIMEOUT_SECONDS', 600) * 1000;
  const settings = `DB_DOWN_SECONDS=${DOWN_S} DB_DOWN_EMAILS=${EMAILS} DB_DOWN_SMTP_MS=${DELAY_MS}; worker defaults`;
  step(`db-down: ${settings}`);
  return withCleanup(async (cleanup) => {
    step('initdb and start a PostgreSQL cluster of the benchmark own');
    const pg = await new PrivatePostgres().init();
    cleanup.add('removing the private PostgreSQL cluster', () => pg.destroy());
    const inst = await install(cleanup, pg.serverUrl, 'faults_db');
    // Clean-up runs in reverse: this runs before the scratch database is dropped.
    cleanup.add('starting the private PostgreSQL again if it is down', () => pg.start().catch(() => undefined));
    const prefix = sharedRedisPrefix(cleanup, 'db');
    const api = await startApi(cleanup, inst, { REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix });
    step(`filing reports until about ${EMAILS} e-mails are in the outbox`);
    const filed = await fileUntilEmails(api, inst, EMAILS);
    step(`${filed.reports} reports filed: ${filed.emails} e-mails in the outbox`);
    await api.process.stop();
    const smtp = await new RecordingSmtp(DELAY_MS).start();
    cleanup.add('stopping the SMTP server', () => smtp.stop());
    step(`SMTP server on port ${smtp.port} answering each message after ${DELAY_MS} ms`);
    const worker = startWorker(cleanup, { DATABASE_URL: inst.scratch.url, REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url });

    const onWire = Math.min(3, filed.emails);
    step(`waiting until the SMTP server holds the DATA of ${onWire} messages unanswered`);
    const wireDeadline = Date.now() + 120_000;
    while (smtp.awaitingAnswer < onWire) {
      if (Date.now() > wireDeadline || !worker.alive) throw new Error(`no messages on the wire (awaiting an answer: ${smtp.awaitingAnswer})`);
      await sleep(20);
    }
    // From here the server keeps its answers until PostgreSQL is down: the messages on the wire
    // now are the ones whose 250 arrives while the worker cannot record it.
    smtp.hold();
    const onWireAtStop = smtp.awaitingAnswer;
    const acceptedBefore = smtp.acceptedTotal;
    const before = await outbox(inst.monitor);
    const downAt = Date.now();
    step(`${onWireAtStop} messages on the wire (DATA received, no answer yet); ${outboxLine(before)}; stopping PostgreSQL`);
    await pg.stop();
    const stoppedIn = Date.now() - downAt;
    // Each of them gets its answer once its own delay has passed too.
    const holdDeadline = Date.now() + DELAY_MS + 2000;
    while (smtp.heldCount < onWireAtStop && Date.now() < holdDeadline) await sleep(20);
    const answered = smtp.release();
    step(`PostgreSQL stopped (in ${secs(stoppedIn)}); the SMTP server answered 250 to the ${answered} messages it held, ${secs(Date.now() - downAt)} into the outage`);
    await sleep(Math.max(0, DOWN_S * 1000 - (Date.now() - downAt)));
    const acceptedWhileDown = smtp.acceptedTotal - acceptedBefore;
    step(`starting PostgreSQL again after ${secs(Date.now() - downAt)}; the SMTP server accepted ${acceptedWhileDown} messages while it was down`);
    await pg.start();
    const upAt = Date.now();
    const result = await drain(inst, smtp, worker, TIMEOUT_MS, Math.max(5000, DELAY_MS * 2));
    const d = smtp.duplicates();
    const lines = [
      `on the wire when PostgreSQL stopped: ${onWireAtStop} messages (${answered} answered 250 while it was down); accepted while it was down in all: ${acceptedWhileDown}`,
      result.done ? `all done ${secs(result.at - upAt)} after PostgreSQL returned` : `NOT done ${secs(Date.now() - upAt)} after PostgreSQL returned: ${outboxLine(result.state)}`,
      ...(d.examples.length ? [`delivered more than once, e.g. ${d.examples.join(', ')}`] : []),
      ...workerExit(worker),
      ...logSummary(worker),
    ];
    const bars: Bar[] = [
      { name: 'e-mails delivered twice', value: `${d.ids} (${d.extraCopies} extra copies)`, pass: d.ids === 0 },
      { name: 'every e-mail sent', value: `${result.state.sent}/${result.state.total}, failed ${result.state.failed}`, pass: result.done && result.state.sent === result.state.total },
    ];
    return { scenario: 'db-down', settings, table: deliveryTable(result.state, smtp, result.at - upAt), lines, bars };
  });
}

/* ------------------------------------------------------------------------------------------- */
/* 4. smtp-outage                                                                                */
/* ------------------------------------------------------------------------------------------- */

async function smtpOutage(): Promise<ScenarioResult> {
  const OUTAGE_S = num('SMTP_OUTAGE_SECONDS', 600);
  const EMAILS = num('SMTP_OUTAGE_EMAILS', 100);
  const DRAIN_TIMEOUT_MS = num('SMTP_DRAIN_TIMEOUT_SECONDS', 1200) * 1000;
  const settings = `SMTP_OUTAGE_SECONDS=${OUTAGE_S} SMTP_OUTAGE_EMAILS=${EMAILS} SMTP_DRAIN_TIMEOUT_SECONDS=${DRAIN_TIMEOUT_MS / 1000}; worker default retry settings`;
  step(`smtp-outage: ${settings}`);
  return withCleanup(async (cleanup) => {
    const inst = await install(cleanup, SERVER_URL, 'faults_smtpout');
    const prefix = sharedRedisPrefix(cleanup, 'smtpout');
    const smtp = new RecordingSmtp(0);
    smtp.port = await freePort();
    cleanup.add('stopping the SMTP server', () => smtp.stop());
    const api = await startApi(cleanup, inst, { REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix });
    step(`SMTP server down: nothing listens on port ${smtp.port}`);
    const outageAt = Date.now();
    const worker = startWorker(cleanup, { DATABASE_URL: inst.scratch.url, REDIS_URL: SHARED_REDIS_URL, QUEUE_PREFIX: prefix, SMTP_URL: smtp.url });
    step(`filing reports until about ${EMAILS} e-mails are in the outbox`);
    const filed = await fileUntilEmails(api, inst, EMAILS);
    step(`${filed.reports} reports filed: ${filed.emails} e-mails in the outbox (${secs(Date.now() - outageAt)} into the outage)`);
    while (Date.now() - outageAt < OUTAGE_S * 1000) {
      await sleep(Math.min(30_000, OUTAGE_S * 1000 - (Date.now() - outageAt)));
      step(`outage +${secs(Date.now() - outageAt)}: ${outboxLine(await outbox(inst.monitor))}`);
      if (!worker.alive) break;
    }
    const atReturn = await outbox(inst.monitor);
    await smtp.start(smtp.port);
    const upAt = Date.now();
    step(`SMTP server started again on port ${smtp.port}; waiting up to ${secs(DRAIN_TIMEOUT_MS)} for the outbox to drain`);
    const result = await drain(inst, smtp, worker, DRAIN_TIMEOUT_MS, 5000, 30_000);
    const drainMs = smtp.lastAcceptedAt ? smtp.lastAcceptedAt - upAt : NaN;
    const d = smtp.duplicates();
    const lines = [
      `when SMTP returned: ${outboxLine(atReturn)}`,
      result.state.failed > 0 && result.state.pending + result.state.queued + result.state.sending === 0
        ? `every e-mail left was marked failed and nothing retries it (they wait for an administrator's retry)`
        : '',
      result.done ? `outbox finished; last message accepted ${Number.isFinite(drainMs) ? secs(drainMs) : '-'} after SMTP returned` : `NOT finished ${secs(Date.now() - upAt)} after SMTP returned: ${outboxLine(result.state)}`,
      ...workerExit(worker),
      ...logSummary(worker),
    ].filter(Boolean);
    const bars: Bar[] = [
      { name: 'all delivered', value: `${smtp.distinct}/${result.state.total}`, pass: smtp.distinct === result.state.total && result.state.sent === result.state.total },
      { name: 'none marked failed', value: String(result.state.failed), pass: result.state.failed === 0 },
      { name: 'e-mails delivered twice', value: `${d.ids}`, pass: d.ids === 0 },
    ];
    return { scenario: 'smtp-outage', settings, table: deliveryTable(result.state, smtp, Number.isFinite(drainMs) ? drainMs : NaN), lines, bars };
  });
}

/* ------------------------------------------------------------------------------------------- */

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  'redis-outage': redisOutage,
  'slow-smtp': slowSmtp,
  'db-down': dbDown,
  'smtp-outage': smtpOutage,
};

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log('  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

function printResult(r: ScenarioResult): boolean {
  console.log(`\n== ${r.scenario} (${r.settings})`);
  printTable(r.table);
  for (const line of r.lines) console.log(`  ${line}`);
  for (const b of r.bars) console.log(`  ${b.pass ? 'PASS' : 'FAIL'}  ${b.name}: ${b.value}`);
  const pass = r.bars.every((b) => b.pass);
  console.log(`  ${r.scenario}: ${pass ? 'PASS' : 'FAIL'}`);
  return pass;
}

async function main() {
  const arg = process.argv[2] ?? 'all';
  const names = arg === 'all' ? Object.keys(SCENARIOS) : arg.split(',');
  for (const name of names) {
    if (!SCENARIOS[name]) {
      console.error(`Unknown scenario "${name}". Choose one of: ${Object.keys(SCENARIOS).join(', ')}, all`);
      process.exit(2);
    }
  }
  const results: Array<ScenarioResult | { scenario: string; error: string }> = [];
  for (const name of names) {
    try {
      results.push(await SCENARIOS[name]());
    } catch (err) {
      step(`${name} could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.push({ scenario: name, error: err instanceof Error ? err.message : String(err) });
    }
    if (interrupted) return;
  }
  console.log(`\n================ summary (${secs(Date.now() - started)}) ================`);
  let allPass = true;
  for (const r of results) {
    if ('error' in r) {
      console.log(`\n== ${r.scenario}: FAIL (could not run: ${r.error})`);
      allPass = false;
    } else allPass = printResult(r) && allPass;
  }
  console.log(`\n${allPass ? 'PASS' : 'FAIL'}`);
  process.exitCode = allPass ? 0 : 1;
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  // Nothing of ours is left running (clean-up has run); do not wait on a stray handle.
  .finally(() => process.exit(process.exitCode ?? 0));
