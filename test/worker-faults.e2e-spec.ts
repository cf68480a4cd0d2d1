import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { INestApplicationContext } from '@nestjs/common';
import { CaseStore } from '@cc/cases';
import { workflowFor } from '@cc/workflows';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { spawnWorker, startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * The promises a caseworker relies on, under faults: an e-mail that should go goes once, and a
 * deadline that was set fires once, whatever happens to the worker, Redis or the mail server.
 */
describe('worker faults (PostgreSQL, Redis, SMTP, worker processes)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  const prefixes: string[] = [];
  const workers: INestApplicationContext[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp('faults');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(workers.splice(0).map((w) => w.close()));
    for (const prefix of prefixes.splice(0)) await deleteKeys(prefix);
    smtp.delayMs = 0;
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
  const unsent = async (): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE status <> 'sent'`))[0].n;
  const allNotifications = async (): Promise<Array<{ id: string; message_id: string; status: string }>> =>
    t.db.query(`SELECT id, message_id, status FROM notifications`);

  /** Each notification's Message-ID reached the mail server; returns raw deliveries beyond one each. */
  async function expectEachDeliveredOnce(): Promise<number> {
    const rows = await allNotifications();
    const counts = smtp.countsByMessageId();
    for (const row of rows) expect({ id: row.id, delivered: counts.get(row.message_id) ?? 0 }).toEqual({ id: row.id, delivered: expect.any(Number) });
    const missing = rows.filter((r) => !counts.has(r.message_id));
    expect(missing).toEqual([]);
    return rows.reduce((extra, r) => extra + (counts.get(r.message_id)! - 1), 0);
  }

  it('kill -9 the worker in the middle of a batch of e-mails: every one arrives, once', async () => {
    smtp.received.length = 0;
    smtp.delayMs = 15;
    for (let i = 0; i < 20; i++) await d.file('reporter', { title: `Batch report ${i}` });
    const total = (await allNotifications()).length;
    expect(total).toBe(60);
    const config = workerConfig(t.database.url, prefix('kill'), smtp.url, { SMTP_POOL_SIZE: '2' });
    const first = spawnWorker(config);
    children.push(first);
    await waitFor('some e-mails to arrive', async () => smtp.received.length, (n) => n >= 10, 30_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    const deliveredBeforeKill = smtp.received.length;
    expect(deliveredBeforeKill).toBeLessThan(total);
    children.push(spawnWorker(config));
    await waitFor('every e-mail sent', unsent, (n) => n === 0, 60_000);
    const duplicates = await expectEachDeliveredOnce();
    // SMTP cannot tell a client that died after the server's "250 OK" from one that never sent:
    // only a message in flight at the kill could be sent twice, and then with the same Message-ID.
    expect(duplicates).toBeLessThanOrEqual(2);
    expect(smtp.received.length).toBe(total + duplicates);
   }, 120_000);

  it('flush Redis while deadlines are pending: they all still fire', async () => {
    const config = workerConfig(t.database.url, prefix('flush'), smtp.url);
    workers.push(await startWorker(config));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await d.file('reporter', { title: `Flush ${i}` })).id);
    // Wait until the wake-ups are queued, then lose everything in Redis.
    await waitFor('wake-ups queued', async () => (await t.db.query(`SELECT count(*)::int AS n FROM deadlines WHERE case_id = ANY($1) AND wakeup_for IS NOT NULL`, [ids]))[0].n, (n) => n === 5);
    expect(await deleteKeys(config.QUEUE_PREFIX)).toBeGreaterThan(0);
    await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 second' WHERE case_id = ANY($1) AND kind = 'triage'`, [ids]);
    await waitFor(
      'every triage deadline to fire',
      async () => t.db.query(`SELECT status FROM deadlines WHERE case_id = ANY($1) AND kind = 'triage'`, [ids]),
      (rows) => rows.every((r: { status: string }) => r.status === 'fired'),
      30_000,
    );
  });

  it('SMTP down, then back: every message is delivered once', async () => {
    const config = workerConfig(t.database.url, prefix('smtpdown'), smtp.url);
    await smtp.stop();
    smtp.received.length = 0;
    workers.push(await startWorker(config));
    await t.db.query(`UPDATE notifications SET status = 'sent' WHERE status <> 'sent'`);
    const before = (await allNotifications()).length;
    for (let i = 0; i < 5; i++) await d.file('reporter', { title: `While the mail server is down ${i}` });
    await waitFor(
      'delivery attempts to fail',
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE attempts > 0 AND last_error IS NOT NULL`))[0].n,
      (n) => n > 0,
    );
    expect(smtp.received.length).toBe(0);
    await smtp.start(smtp.port);
    await waitFor('every e-mail sent', unsent, (n) => n === 0, 60_000);
    const rows = await t.db.query(`SELECT message_id FROM notifications ORDER BY created_at OFFSET $1`, [before]);
    expect(rows).toHaveLength(15);
    const counts = smtp.countsByMessageId();
    expect(rows.map((r: { message_id: string }) => counts.get(r.message_id))).toEqual(Array(15).fill(1));
  });

  it('two workers at once: no deadline fires twice, no e-mail goes twice', async () => {
    smtp.received.length = 0;
    await t.db.query(`UPDATE notifications SET status = 'sent' WHERE status <> 'sent'`);
    const config = workerConfig(t.database.url, prefix('two'), smtp.url);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { id } = await d.file('reporter', { title: `Two workers ${i}` });
      await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
      await d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'Any letter?' });
      ids.push(id);
    }
    await t.db.query(`UPDATE deadlines SET due_at = now() + interval '1500 milliseconds' WHERE case_id = ANY($1) AND kind = 'informationRequest'`, [ids]);
    workers.push(await startWorker(config), await startWorker(config));
    await waitFor(
      'every case to lapse',
      async () => t.db.query(`SELECT state FROM cases WHERE id = ANY($1)`, [ids]),
      (rows) => rows.every((r: { state: string }) => r.state === 'closed'),
      30_000,
    );
    await waitFor('every e-mail sent', unsent, (n) => n === 0, 30_000);
    const lapses = await t.db.query(`SELECT case_id, count(*)::int AS n FROM case_events WHERE type = 'INFORMATION_OVERDUE' AND case_id = ANY($1) GROUP BY case_id`, [ids]);
    expect(lapses.map((r: { n: number }) => r.n)).toEqual(Array(10).fill(1));
    const counts = [...smtp.countsByMessageId().values()];
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it('a transition whose transaction rolls back leaves no deadline and no e-mail behind', async () => {
    const { id } = await d.file();
    const [row] = await t.db.query(`SELECT snapshot, version, state, reference, compact_id FROM cases WHERE id = $1`, [id]);
    const count = async () =>
      (await t.db.query(`SELECT (SELECT count(*) FROM deadlines WHERE case_id = $1)::int AS deadlines, (SELECT count(*) FROM notifications WHERE case_id = $1)::int AS mails`, [id]))[0];
    const before = await count();
    const decision = workflowFor(1).decide(row.snapshot, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id, at: new Date().toISOString() });
    if (!decision.ok) throw new Error('ASSIGN should be allowed');
    expect(decision.effects.some((e) => e.type === 'notify')).toBe(true);
    await expect(
      t.db.transaction(async (manager) => {
        await t.app.get(CaseStore).writeTransition(
          manager,
          { id, reference: row.reference, compactId: row.compact_id, fromState: row.state, expectedVersion: row.version },
          decision,
          { type: 'ASSIGN', payload: { caseworkerId: t.demo.users.caseworker.id }, actorId: t.demo.users.caseworker.id, actorRole: 'caseworker', at: new Date().toISOString() },
        );
        const inside = await manager.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1`, [id]);
        expect(inside[0].n).toBeGreaterThan(before.mails);
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect(await count()).toEqual(before);
    expect((await t.db.query(`SELECT version FROM cases WHERE id = $1`, [id]))[0].version).toBe(row.version);
  });

  it('a message that keeps failing is marked failed, shown to administrators, and can be retried', async () => {
    await t.db.query(`UPDATE notifications SET status = 'sent' WHERE status <> 'sent'`);
    await smtp.stop();
    const config = workerConfig(t.database.url, prefix('failed'), smtp.url, { EMAIL_RETRY_HOURS: '0.0005', EMAIL_BACKOFF_MS: '50' });
    workers.push(await startWorker(config));
    const { reference } = await d.file('reporter', { title: 'Mail server gone' });
    const failed = await waitFor(
      'failed e-mails',
      async () => (await t.http.get('/api/admin/notifications?status=failed').set(d.auth('admin'))).body,
      (list: Array<{ id: string; caseReference: string }>) => list.filter((n) => n.caseReference === reference).length === 3,
      30_000,
    );
    expect((await t.http.get('/api/admin/notifications').set(d.auth('caseworker'))).status).toBe(403);
    await smtp.start(smtp.port);
    const mine = failed.filter((n) => n.caseReference === reference);
    for (const n of mine) {
      const res = await t.http.post(`/api/admin/notifications/${n.id}/retry`).set(d.auth('admin'));
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('pending');
    }
    const again = await t.http.post(`/api/admin/notifications/${mine[0].id}/retry`).set(d.auth('admin'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('NOT_FAILED');
    await waitFor('retried e-mails sent', unsent, (n) => n === 0, 30_000);
  });
});
