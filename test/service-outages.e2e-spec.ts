import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseDriver } from './support/case-driver';
import { PrivatePostgres, PrivateRedis, freePort } from './support/private-services';
import { TestApp, startTestApp } from './support/test-app';
import { TestDatabase, createTestDatabase } from './support/test-database';
import { testQueuePrefix } from './support/test-redis';
import { waitFor } from './support/test-worker';
import { WebClient } from './support/web-client';

/**
 * What the API does while PostgreSQL or Redis is away: a database outage is a 503 that says to try
 * again (never a 500, never a hang), Redis being away does not stop transitions, every line the
 * process prints stays one JSON object, and SIGTERM lets the request in flight finish.
 */

jest.setTimeout(60_000);

function expectServiceUnavailable(res: { status: number; headers: Record<string, string>; body: { code?: string; message?: string } }) {
  expect(res.status).toBe(503);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
  expect(res.body.message).toMatch(/^The service is briefly unavailable/);
  expect(res.body.message).toMatch(/try again in a few seconds/);
}

describe('PostgreSQL down', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    pg = await new PrivatePostgres().init();
    t = await startTestApp('outage', {}, pg.serverUrl);
    d = new CaseDriver(t);
  });

  afterAll(async () => {
    await pg.start().catch(() => undefined);
    await t?.close();
    await pg?.destroy();
  });

  it('answers 503 with Retry-After (API, pages, health) while it is stopped, and works again once it is back', async () => {
    const { id } = await d.file();
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    await web.get('/cases').then((res) => expect(res.status).toBe(200));

    await pg.stop();
    try {
      const started = Date.now();
      expectServiceUnavailable(await t.http.get('/api/cases').set(d.auth('caseworker')));
      const assign = await d.raw('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
      expectServiceUnavailable(assign);
      // Nothing reached the database, so the answer may say so.
      expect(assign.body.message).toMatch(/nothing was changed/);

      const page = await web.get('/cases');
      expect(page.status).toBe(503);
      expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('Sorry, the service is briefly unavailable');
      expect(page.text).toMatch(/try again in a minute/i);
      expect(page.text).not.toMatch(/SERVICE_UNAVAILABLE|ECONNREFUSED|503/);

      const health = await t.http.get('/api/health');
      expect(health.status).toBe(503);
      expect(Number(health.headers['retry-after'])).toBeGreaterThan(0);
      expect(health.body).toEqual({ status: 'down', database: { status: 'down' }, redis: { status: 'not configured' } });
      // Refused connections are answered at once: an outage must not hold requests open.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await pg.start();
    }

    // The pool makes new connections as soon as the server takes them again.
    await t.http.get('/api/cases').set(d.auth('caseworker')).expect(200);
    expect((await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id })).state).toBeDefined();
    expect((await web.get('/cases')).status).toBe(200);
    const health = await t.http.get('/api/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: { status: 'up' }, redis: { status: 'not configured' } });
  });
});

describe('Redis down', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    redis = await new PrivateRedis().start();
    t = await startTestApp('outage-redis', { REDIS_URL: redis.url, QUEUE_PREFIX: testQueuePrefix('outage') });
    d = new CaseDriver(t);
  });

  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('reports degraded health, takes transitions at once, and the queue dashboard says it is unavailable', async () => {
    const admin = { Authorization: `Bearer ${t.tokens.admin}` };
    expect((await t.http.get('/api/health').expect(200)).body).toEqual({ status: 'ok', database: { status: 'up' }, redis: { status: 'up' } });
    await t.http.get('/admin/queues/api/queues').set(admin).expect(200);
    const { id } = await d.file();

    await redis.stop();
    try {
      const health = await waitFor('health to see Redis gone', () => t.http.get('/api/health'), (res) => res.body.redis?.status === 'down', 5_000);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'degraded', database: { status: 'up' }, redis: { status: 'down' } });

      const started = Date.now();
      const assigned = await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(assigned.state).toBeDefined();

      const dashboardStarted = Date.now();
      const dashboard = await t.http.get('/admin/queues/api/queues').set(admin);
      expect(Date.now() - dashboardStarted).toBeLessThan(1_000);
      expect(dashboard.status).toBe(503);
      expect(Number(dashboard.headers['retry-after'])).toBeGreaterThan(0);
      expect(dashboard.body.message).toMatch(/needs Redis/);
      const page = await t.http.get('/admin/queues').set(admin).set('Accept', 'text/html');
      expect(page.status).toBe(503);
      expect(page.text).toContain('The queue dashboard is unavailable for now');
    } finally {
      await redis.start();
    }
    await waitFor('health to see Redis back', () => t.http.get('/api/health'), (res) => res.body.status === 'ok', 10_000);
    await waitFor('the dashboard to work again', () => t.http.get('/admin/queues/api/queues').set(admin), (res) => res.status === 200, 15_000);
  });
});

/** Whether a new TCP connection to the port is refused (nothing listens there any more). */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe('the built API process', () => {
  const main = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-test-outage-logs-'));
  let database: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    database = await createTestDatabase('outage-logs');
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /**
   * Runs the API with Redis unreachable, makes a few requests, then sends SIGTERM while a request
   * is in flight (headers and half its body sent, the rest after the signal). Returns every
   * non-empty line the process printed, and what happened to the request and the process.
   */
  async function runAndStop(processes: number) {
    const port = await freePort();
    const nowhere = await freePort();
    child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        REDIS_URL: `redis://127.0.0.1:${nowhere}`,
        PORT: String(port),
        API_PROCESSES: String(processes),
        LOG_LEVEL: 'info',
        SEED_DEMO_DATA: 'false',
        DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

    const base = `http://127.0.0.1:${port}`;
    await waitFor('the API to listen', () => fetch(`${base}/api/health`).then((r) => r.status, () => 0), (status) => status === 200, 30_000);
    const health = await fetch(`${base}/api/health`).then((r) => r.json());
    const unauthenticated = (await fetch(`${base}/api/cases`)).status;
    // Long enough for the queues' connections to fail and retry (each failure is an 'error' event).
    await new Promise((r) => setTimeout(r, 2_500));

    const body = JSON.stringify({ email: 'nobody@example.org', password: 'not-the-password' });
    // On a keep-alive connection, as browsers and proxies send them: it must not hold the process open.
    const agent = new http.Agent({ keepAlive: true });
    const request = http.request(`${base}/api/auth/login`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    const response = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // No new connections once it is stopping, though the one above is still being served.
    const refusedWhileStopping = await connectionRefused(port);
    request.end(body.slice(20));

    const answer = await response;
    agent.destroy();
    let timer: NodeJS.Timeout | undefined;
    const [code, signal] = await Promise.race([
      exited,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the API did not exit within 5 s of SIGTERM')), 5_000))),
    ]).finally(() => clearTimeout(timer));
    const lines = [stdout, stderr].flatMap((chunks) => chunks.join('').split('\n')).filter((line) => line.trim() !== '');
    return { health, unauthenticated, refusedWhileStopping, answer, exit: { code, signal }, refusedAfter: await connectionRefused(port), lines };
  }

  function notJson(lines: string[]): string[] {
    return lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
  }

  it.each([1, 2])(
    'with API_PROCESSES=%i: prints only JSON lines, even with Redis unreachable; on SIGTERM refuses new connections, finishes the request in flight and exits 0',
    async (processes) => {
      const run = await runAndStop(processes);
      expect(run.health).toEqual({ status: 'degraded', database: { status: 'up' }, redis: { status: 'down' } });
      expect(run.unauthenticated).toBe(401);
      expect(run.refusedWhileStopping).toBe(true);
      expect(run.answer.status).toBe(401);
      expect(JSON.parse(run.answer.body).code).toBe('UNAUTHENTICATED');
      expect(run.answer.connection).toBe('close');
      expect(run.exit).toEqual({ code: 0, signal: null });
      expect(run.refusedAfter).toBe(true);

      expect(notJson(run.lines)).toEqual([]);
      const logged = run.lines.map((line) => JSON.parse(line) as { msg?: string; pid?: number });
      // The process did meet Redis errors (so the check above meant something), and each HTTP process said it stopped.
      expect(logged.some((l) => /Redis/.test(l.msg ?? ''))).toBe(true);
      expect(logged.filter((l) => l.msg === 'Stopped')).toHaveLength(processes);
    },
  );
});
