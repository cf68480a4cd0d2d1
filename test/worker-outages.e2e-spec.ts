import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { CaseDriver } from './support/case-driver';
import { PrivatePostgres, PrivateRedis, freePort } from './support/private-services';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { spawnWorker, startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * Outages that used to break a promise (issue 9): Redis away, a slow mail server, PostgreSQL gone
 * while a message is on the wire, an outbox row that would inject headers, a permanent refusal, a
 * Redis that lost its jobs, and a worker told to stop. Each runs against real servers; the ones that
 * stop a server start their own (never the machine's shared PostgreSQL or Redis).
 */
describe('worker outages', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  const prefixes: string[] = [];
  const workers: INestApplicationContext[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp('outages');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(workers.splice(0).map((w) => w.close()));
    for (const prefix of prefixes.splice(0)) await deleteKeys(prefix);
    smtp.delayMs = 0;
    smtp.refuse = () => undefined;
    smtp.received.length = 0;
    // Each test starts with nothing waiting in the outbox.
    await t.db.query(`UPDATE notifications SET status = 'sent' WHERE status <> 'sent'`);
  });
  afterAll(async () => {
    await smtp?.stop();
    await t?.close();
  });

  const prefix = (label: string) => {
    const p = testQueuePrefix(label);
    prefixes.push(p);
    return p;
  };
  const unsentOf = (db: { query: (q: string, p?: unknown[]) => Promise<Array<{ n: number }>> }, ids: string[]) => async () =>
    (await db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = ANY($1) AND status <> 'sent'`, [ids]))[0].n;
  const messageIdsOf = async (ids: string[]): Promise<string[]> =>
    (await t.db.query(`SELECT message_id FROM notifications WHERE case_id = ANY($1)`, [ids])).map((r: { message_id: string }) => r.message_id);
  const deliveriesOf = (messageIds: string[]) => messageIds.map((id) => smtp.countsByMessageId().get(id) ?? 0);
  const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

  it('Redis stops: transitions go on at normal speed, no worker transaction waits on Redis, and the worker catches up when it returns', async () => {
    const redis = await new PrivateRedis().start();
    try {
      const config = workerConfig(t.database.url, prefix('outage'), smtp.url, { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '300' });
      workers.push(await startWorker(config));
      const timed = async (work: () => Promise<unknown>) => {
        const started = performance.now();
        await work();
        return performance.now() - started;
      };
      /** A case in triage with its clock running, then asked for information (pauses the clock) and answered (resumes it). */
      const round = async (label: string): Promise<{ id: string; ms: number[] }> => {
        const ms: number[] = [];
        let id = '';
        ms.push(await timed(async () => (id = (await d.file('reporter', { title: label })).id)));
        ms.push(await timed(() => d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id })));
        ms.push(await timed(() => d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'Do you have the letter?' })));
        ms.push(await timed(() => d.send('reporter', id, { type: 'PROVIDE_INFO', answer: 'Yes, attached.' })));
        return { id, ms };
      };
      const rounds = async (label: string, count: number) => {
        const results = await Promise.all(Array.from({ length: count }, (_, i) => round(`${label} ${i}`)));
        return { ids: results.map((r) => r.id), ms: results.flatMap((r) => r.ms) };
      };

      const before = await rounds('Before the outage', 8);
      await waitFor('the worker to relay the first cases', unsentOf(t.db, before.ids), (n) => n === 0, 20_000);

      await redis.stop();
      const idleInTransaction: number[] = [];
      const watch = setInterval(() => {
        void t.db
          .query(
            `SELECT coalesce(max(extract(epoch FROM now() - state_change) * 1000), 0)::float8 AS ms FROM pg_stat_activity
              WHERE datname = current_database() AND state = 'idle in transaction'`,
          )
          .then((rows: Array<{ ms: number }>) => idleInTransaction.push(rows[0].ms))
          .catch(() => undefined);
      }, 100);
      // New clocks and e-mails appear while Redis is away: the relays must not hold them locked.
      const during: { ids: string[]; ms: number[] } = { ids: [], ms: [] };
      const outageEnds = Date.now() + 6_000;
      while (Date.now() < outageEnds) {
        const batch = await rounds('During the outage', 4);
        during.ids.push(...batch.ids);
        during.ms.push(...batch.ms);
      }
      clearInterval(watch);
      const figures = {
        beforeP99Ms: Math.round(percentile(before.ms, 99)),
        duringP99Ms: Math.round(percentile(during.ms, 99)),
        duringMaxMs: Math.round(Math.max(...during.ms)),
        duringRequests: during.ms.length,
        longestIdleInTransactionMs: Math.round(Math.max(0, ...idleInTransaction)),
      };
      process.stdout.write(`Redis outage figures: ${JSON.stringify(figures)}\n`);
      expect(during.ms.length).toBeGreaterThan(20);
      // Normal speed: nothing waits on Redis (before the fix, requests hung until Redis returned).
      expect(figures.duringMaxMs).toBeLessThan(2_000);
      expect(figures.duringP99Ms).toBeLessThan(Math.max(500, 3 * figures.beforeP99Ms));
      expect(figures.longestIdleInTransactionMs).toBeLessThan(1_000);
      // Nothing was handed to a queue that was not there.
      expect((await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = ANY($1) AND status = 'sent'`, [during.ids]))[0].n).toBe(0);

      await redis.start();
      await waitFor('every e-mail written during the outage to be sent', unsentOf(t.db, during.ids), (n) => n === 0, 30_000);
      await waitFor(
        'every running clock to have its wake-up queued',
        async () =>
          (
            await t.db.query(`SELECT count(*)::int AS n FROM deadlines WHERE case_id = ANY($1) AND status = 'pending' AND wakeup_for IS DISTINCT FROM due_at`, [
              [...before.ids, ...during.ids],
            ])
          )[0].n,
        (n) => n === 0,
        20_000,
      );
      expect(deliveriesOf(await messageIdsOf(during.ids)).every((n) => n === 1)).toBe(true);
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.close()));
      await redis.stop();
    }
  }, 120_000);

  it('a mail server slower per message than the claim timeout: every e-mail arrives once', async () => {
    // 2.5 s per message against a 2 s lease, with more e-mails at once than connections.
    smtp.delayMs = 2_500;
    const config = workerConfig(t.database.url, prefix('slow'), smtp.url, { SMTP_POOL_SIZE: '2', EMAIL_CONCURRENCY: '4', SWEEP_INTERVAL_MS: '300' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await d.file('reporter', { title: `Slow mail ${i}` })).id);
    workers.push(await startWorker(config));
    await waitFor('every e-mail sent', unsentOf(t.db, ids), (n) => n === 0, 60_000);
    const deliveries = deliveriesOf(await messageIdsOf(ids));
    expect(deliveries).toHaveLength(9);
    expect(deliveries).toEqual(Array(9).fill(1));
  }, 90_000);

  it('PostgreSQL stops while messages are on the wire: once it is back they are recorded as sent, and none goes twice', async () => {
    const pg = await new PrivatePostgres().init();
    const own = await startTestApp('outage-db', {}, pg.serverUrl);
    try {
      const ownDriver = new CaseDriver(own);
      const ids = [(await ownDriver.file('reporter', { title: 'Sent while the database went away' })).id];
      const messageIds: string[] = (await own.db.query(`SELECT message_id FROM notifications WHERE case_id = ANY($1)`, [ids])).map((r: { message_id: string }) => r.message_id);
      expect(messageIds).toHaveLength(3);
      smtp.delayMs = 2_500;
      const config = workerConfig(own.database.url, prefix('dbdown'), smtp.url, { SMTP_POOL_SIZE: '3', SWEEP_INTERVAL_MS: '300' });
      workers.push(await startWorker(config));
      await waitFor('all three messages on the wire', async () => smtp.onTheWire, (n) => n === 3, 20_000);
      await pg.stop();
      // The server answers 250 while the database is down; the worker must keep those outcomes.
      await waitFor('the server to accept them', async () => smtp.received.length, (n) => n >= 3, 20_000);
      await new Promise((r) => setTimeout(r, 4_000)); // longer than the 2 s lease: every claim looks expired when it returns
      await pg.start();
      await waitFor('every e-mail recorded as sent', unsentOf(own.db, ids), (n) => n === 0, 30_000);
      await new Promise((r) => setTimeout(r, 3_000)); // a recovery pass or two, had anything been taken back
      expect(deliveriesOf(messageIds)).toEqual([1, 1, 1]);
      const rows = await own.db.query(`SELECT status, smtp_response FROM notifications WHERE case_id = ANY($1)`, [ids]);
      expect(rows.every((r: { status: string; smtp_response: string }) => r.status === 'sent' && /queued as/.test(r.smtp_response))).toBe(true);
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.close()));
      await own.close().catch(() => undefined);
      await pg.destroy();
    }
  }, 120_000);

  it('an outbox row whose address would inject a Bcc is refused and marked failed with the reason', async () => {
    const { id } = await d.file('reporter', { title: 'Injected header' });
    await t.db.query(`UPDATE notifications SET recipient_email = 'reporter@demo.compact.test' || chr(13) || chr(10) || 'Bcc: attacker@evil.test' WHERE case_id = $1 AND recipient_role = 'reporter'`, [id]);
    await t.db.query(`UPDATE notifications SET recipient_email = 'caseworker@demo.compact.test, attacker@evil.test' WHERE case_id = $1 AND recipient_role = 'caseworker'`, [id]);
    workers.push(await startWorker(workerConfig(t.database.url, prefix('inject'), smtp.url)));
    type Row = { recipient_role: string; status: string; last_error: string | null };
    const rows: Row[] = await waitFor(
      'the case’s e-mails to be settled',
      async (): Promise<Row[]> => t.db.query(`SELECT recipient_role, status, last_error FROM notifications WHERE case_id = $1 ORDER BY recipient_role`, [id]),
      (list) => list.every((r) => r.status === 'sent' || r.status === 'failed'),
    );
    const injected = rows.filter((r) => r.recipient_role === 'reporter' || r.recipient_role === 'caseworker');
    expect(injected.length).toBeGreaterThanOrEqual(2);
    for (const row of injected) {
      expect(row.status).toBe('failed');
      expect(row.last_error).toMatch(/^Not sent: /);
    }
    expect(smtp.received.flatMap((m) => m.rcpt).filter((to) => to.includes('evil.test'))).toEqual([]);
    expect(smtp.received.filter((m) => /Bcc:/i.test(m.raw))).toEqual([]);
  });

  it('a permanent refusal (5xx) fails the e-mail at once; a temporary one (4xx) is retried until accepted', async () => {
    let busyAnswers = 3;
    smtp.refuse = (to) => {
      if (to.startsWith('reporter@')) return 550;
      if (to.startsWith('caseworker@') && busyAnswers > 0) {
        busyAnswers--;
        return 451;
      }
      return undefined;
    };
    const { id } = await d.file('reporter', { title: 'Refused by the mail server' });
    workers.push(await startWorker(workerConfig(t.database.url, prefix('refuse'), smtp.url, { EMAIL_BACKOFF_MS: '50' })));
    type Row = { recipient_role: string; status: string; attempts: number; last_error: string | null };
    const rows: Row[] = await waitFor(
      'the refused and the busy e-mails to be settled',
      async (): Promise<Row[]> => t.db.query(`SELECT recipient_role, status, attempts, last_error FROM notifications WHERE case_id = $1`, [id]),
      (list) => list.every((r) => r.status === 'sent' || r.status === 'failed'),
      30_000,
    );
    const reporter = rows.find((r) => r.recipient_role === 'reporter')!;
    expect(reporter).toMatchObject({ status: 'failed', attempts: 1 });
    expect(reporter.last_error).toMatch(/refused this message permanently/);
    const caseworkerRows = rows.filter((r) => r.recipient_role === 'caseworker');
    expect(caseworkerRows.length).toBeGreaterThan(0);
    expect(caseworkerRows.every((r) => r.status === 'sent')).toBe(true);
    expect(caseworkerRows.reduce((sum, r) => sum + r.attempts, 0)).toBe(caseworkerRows.length + 3);
  });

  it('Redis loses its jobs (a flush): wake-ups are rebuilt from the database at once, not at the next sweep', async () => {
    // The sweeper runs once a minute here, so only the rebuild can fire these in time.
    const config = workerConfig(t.database.url, prefix('rebuild'), smtp.url, { SWEEP_INTERVAL_MS: '60000' });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await d.file('reporter', { title: `Rebuild ${i}` })).id);
    await t.db.query(`UPDATE deadlines SET due_at = now() + interval '4 seconds' WHERE case_id = ANY($1) AND kind = 'triage'`, [ids]);
    workers.push(await startWorker(config));
    await waitFor(
      'wake-ups queued',
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM deadlines WHERE case_id = ANY($1) AND kind = 'triage' AND wakeup_for = due_at`, [ids]))[0].n,
      (n) => n === 4,
    );
    expect(await deleteKeys(config.QUEUE_PREFIX)).toBeGreaterThan(0);
    const flushedAt = Date.now();
    await waitFor(
      'every triage deadline to fire',
      async () => t.db.query(`SELECT status FROM deadlines WHERE case_id = ANY($1) AND kind = 'triage'`, [ids]),
      (rows) => rows.every((r: { status: string }) => r.status === 'fired'),
      20_000,
    );
    expect(Date.now() - flushedAt).toBeLessThan(10_000);
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      expect(await redis.exists(`${config.QUEUE_PREFIX}:relay-marker`)).toBe(1);
    } finally {
      redis.disconnect();
    }
  }, 60_000);

  it('SIGTERM: the worker finishes the send in hand, gives back the e-mails it had not begun, and exits; another takes them at once', async () => {
    smtp.delayMs = 3_000;
    // A lease far longer than the test: only the handing back can explain a quick takeover.
    const config = workerConfig(t.database.url, prefix('sigterm'), smtp.url, { SMTP_POOL_SIZE: '1', EMAIL_CONCURRENCY: '4', EMAIL_CLAIM_TIMEOUT_MS: '120000' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await d.file('reporter', { title: `Stopping worker ${i}` })).id);
    const child = spawnWorker(config);
    children.push(child);
    await waitFor('a message on the wire', async () => smtp.onTheWire, (n) => n === 1, 30_000);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // The one send in hand, not the three e-mails queued behind it for the one connection.
    expect(Date.now() - stoppedAt).toBeLessThan(6_000);
    const after = await t.db.query(`SELECT status, count(*)::int AS n FROM notifications WHERE case_id = ANY($1) GROUP BY status`, [ids]);
    const byStatus = Object.fromEntries(after.map((r: { status: string; n: number }) => [r.status, r.n]));
    expect(byStatus.sending).toBeUndefined();
    expect(byStatus.sent).toBe(1);
    // Given back untouched (never tried, so nothing to retry or wonder about), not cut off and failed.
    const givenBack = await t.db.query(`SELECT status, attempts, last_error FROM notifications WHERE case_id = ANY($1) AND status <> 'sent'`, [ids]);
    expect(givenBack).toHaveLength(5);
    expect(givenBack.every((r: { attempts: number; last_error: string | null }) => r.attempts === 0 && r.last_error === null)).toBe(true);
    workers.push(await startWorker(config));
    await waitFor('every e-mail sent by the next worker', unsentOf(t.db, ids), (n) => n === 0, 30_000);
    expect(deliveriesOf(await messageIdsOf(ids))).toEqual(Array(6).fill(1));
  }, 90_000);

  it('every line the worker prints is one JSON object, with Redis unreachable from the start and going away later', async () => {
    const redis = await new PrivateRedis().start();
    const deadPort = await freePort();
    const output: string[] = [];
    const run = async (redisUrl: string, whileRunning: () => Promise<void>) => {
      const child = spawnWorker({ ...workerConfig(t.database.url, prefix('logs'), smtp.url, { REDIS_URL: redisUrl }), LOG_LEVEL: 'info' }, { captureOutput: true });
      children.push(child);
      child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      await whileRunning();
      child.kill('SIGTERM');
      await once(child, 'exit');
    };
    try {
      await run(`redis://127.0.0.1:${deadPort}`, () => new Promise((r) => setTimeout(r, 3_000)));
      await run(redis.url, async () => {
        await waitFor('the worker to start', async () => output.join('').includes('Worker running'), (ok) => ok, 20_000);
        await redis.stop();
        await new Promise((r) => setTimeout(r, 3_000));
      });
    } finally {
      await redis.stop();
    }
    const lines = output.join('').split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    // The outage itself is said, once, in words.
    expect(lines.some((line) => /Redis/.test(JSON.parse(line).msg ?? ''))).toBe(true);
  }, 60_000);
});
