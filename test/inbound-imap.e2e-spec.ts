import { INestApplicationContext, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { ImapPoller, InboundMailbox, MAX_INBOUND_BYTES, NOT_TAKEN_KEYWORD } from '@cc/inbound-mail';
import { TestDatabase, createTestDatabase } from './support/test-database';
import { TestDovecot } from './support/test-dovecot';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';

let serial = 0;
/** A reply as a mail server files it in the mailbox. */
function reply(label: string, extra = ''): { messageId: string; raw: string } {
  const messageId = `${label}-${Date.now()}-${++serial}@reporter.example`;
  const raw =
    `Delivered-To: replies+${label}@replies.compact.test\r\nFrom: reporter@demo.compact.test\r\nTo: replies+${label}@replies.compact.test\r\n` +
    `Subject: Re: ${label}\r\nMessage-ID: <${messageId}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAnswer to ${label}.\r\n${extra}`;
  return { messageId, raw };
}

/**
 * Replies by IMAP, for real: Debian's Dovecot, started by this file with its own configuration, port
 * and maildir, and the worker's poller taking from it into this file's own database.
 */
describe('replies by IMAP: the poller against a real Dovecot', () => {
  let database: TestDatabase;
  let db: Client;
  let dovecot: TestDovecot;
  let smtp: TestSmtp;
  const workers: INestApplicationContext[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('inbound-imap');
    db = new Client({ connectionString: database.url });
    await db.connect();
    dovecot = await new TestDovecot().start();
    smtp = await new TestSmtp().start();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    for (const p of prefixes.splice(0)) await deleteKeys(p);
  });
  afterAll(async () => {
    await db?.end();
    await smtp?.stop();
    await dovecot?.destroy();
    await database?.drop();
  });

  /** A worker polling that mailbox (or, with undefined, not polling at all). */
  const start = async (imapUrl: string | undefined, overrides: Record<string, string> = {}) => {
    const prefix = testQueuePrefix('inbound-imap');
    prefixes.push(prefix);
    const worker = await startWorker(workerConfig(database.url, prefix, smtp.url, { ...(imapUrl ? { INBOUND_IMAP_URL: imapUrl } : {}), INBOUND_IMAP_INTERVAL_MS: '200', ...overrides }));
    workers.push(worker);
    return worker;
  };
  const stop = async (worker: INestApplicationContext) => {
    workers.splice(workers.indexOf(worker), 1);
    await worker.close();
  };
  const storedCount = async (ids: string[]) => (await db.query(`SELECT count(*)::int AS n FROM inbound_mail WHERE message_id = ANY($1)`, [ids])).rows[0].n as number;
  const storedIds = async (ids: string[]) => new Set((await db.query(`SELECT message_id FROM inbound_mail WHERE message_id = ANY($1)`, [ids])).rows.map((r) => r.message_id as string));

  it('stores each message appended once, and only then marks it seen and moves it to Filed', async () => {
    const messages = [reply('first'), reply('second'), reply('third')];
    // The same message delivered twice (a mail server retrying) is one reply.
    await dovecot.append([...messages.map((m) => m.raw), messages[0].raw]);
    expect(await dovecot.messages()).toHaveLength(4);
    const worker = await start(dovecot.url());
    const ids = messages.map((m) => m.messageId);
    await waitFor('the mailbox emptied', () => dovecot.messages(), (inbox) => inbox.length === 0);
    expect(await storedCount(ids)).toBe(3);
    const filed = await dovecot.messages('Filed');
    expect(filed.map((m) => m.messageId).sort()).toEqual([...ids, ids[0]].sort());
    expect(filed.every((m) => m.flags.includes('\\Seen'))).toBe(true);
    const rows = (await db.query(`SELECT via, envelope, raw FROM inbound_mail WHERE message_id = $1`, [ids[1]])).rows;
    expect(rows[0].via).toBe('imap');
    expect(rows[0].envelope.to).toEqual(['replies+second@replies.compact.test']);
    expect(rows[0].raw.toString('utf8')).toContain('Answer to second.');
    expect(worker.get(ImapPoller).status.consecutiveFailures).toBe(0);
  });

  it('leaves a message in the mailbox, unseen, until it is stored: while the database waits, and when it refuses', async () => {
    const worker = await start(dovecot.url());
    const poller = worker.get(ImapPoller);
    // The table locked: the poller's insert waits, and the message must stay as it is meanwhile.
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    const waiting = reply('waiting');
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE inbound_mail IN ACCESS EXCLUSIVE MODE');
      await dovecot.append([waiting.raw]);
      await waitFor(
        "the poller's insert waiting on the lock",
        async () => (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO inbound_mail%'`)).rows[0].n,
        (n: number) => n >= 1,
      );
      const meanwhile = await dovecot.messages();
      expect(meanwhile.map((m) => m.messageId)).toEqual([waiting.messageId]);
      expect(meanwhile[0].flags).not.toContain('\\Seen');
      expect((await dovecot.messages('Filed')).map((m) => m.messageId)).not.toContain(waiting.messageId);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await waitFor('the waiting message filed', () => dovecot.messages('Filed'), (filed) => filed.some((m) => m.messageId === waiting.messageId));
    expect(await storedCount([waiting.messageId])).toBe(1);

    // The database refusing every insert (as if it could not take them): the pass fails, is retried, nothing moves.
    await db.query(`CREATE FUNCTION refuse_inbound() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await db.query(`CREATE TRIGGER refuse_inbound BEFORE INSERT ON inbound_mail FOR EACH ROW EXECUTE FUNCTION refuse_inbound()`);
    const refused = reply('refused');
    try {
      const failuresBefore = poller.status.consecutiveFailures;
      await dovecot.append([refused.raw]);
      await waitFor('two failed passes', async () => poller.status.consecutiveFailures, (n) => n >= failuresBefore + 2);
      expect(poller.status.lastError).toContain('refused for the test');
      const inbox = await dovecot.messages();
      expect(inbox.map((m) => m.messageId)).toEqual([refused.messageId]);
      expect(inbox[0].flags).not.toContain('\\Seen');
    } finally {
      await db.query(`DROP TRIGGER refuse_inbound ON inbound_mail`);
      await db.query(`DROP FUNCTION refuse_inbound()`);
    }
    await waitFor('the refused message filed once the database takes it', () => dovecot.messages(), (inbox) => inbox.length === 0);
    expect(await storedCount([refused.messageId])).toBe(1);
    expect(poller.status.consecutiveFailures).toBe(0);
  });

  it('loses nothing when the poller is stopped half way, and stores a message stored before (a worker killed before moving it) once', async () => {
    const batch = Array.from({ length: 150 }, (_, i) => reply(`batch${i}`));
    const ids = batch.map((m) => m.messageId);
    await dovecot.append(batch.map((m) => m.raw));
    const first = await start(dovecot.url());
    await waitFor('some of the batch stored', () => storedCount(ids), (n) => n >= 3, 30_000);
    await stop(first);
    const storedAtStop = await storedIds(ids);
    const inboxAtStop = await dovecot.messages();
    const filedAtStop = (await dovecot.messages('Filed')).filter((m) => ids.includes(m.messageId));
    // Half way: some taken, some not.
    expect(storedAtStop.size).toBeGreaterThan(0);
    expect(storedAtStop.size).toBeLessThan(ids.length);
    // Everything that left the mailbox was stored first; everything else is still there.
    expect(filedAtStop.every((m) => storedAtStop.has(m.messageId))).toBe(true);
    expect(inboxAtStop.length + filedAtStop.length).toBe(ids.length);

    // A worker killed between storing a message and moving it leaves it stored and still in the mailbox.
    const killed = reply('killed');
    await dovecot.append([killed.raw]);
    const noPolling = await start(undefined);
    expect((await noPolling.get(InboundMailbox).accept(Buffer.from(killed.raw), { transport: 'imap' })).duplicate).toBe(false);
    await stop(noPolling);

    await start(dovecot.url());
    const all = [...ids, killed.messageId];
    await waitFor('every message filed', async () => (await dovecot.messages()).length, (n) => n === 0, 60_000);
    expect(await storedCount(all)).toBe(all.length);
    const filed = (await dovecot.messages('Filed')).filter((m) => all.includes(m.messageId));
    expect(new Set(filed.map((m) => m.messageId)).size).toBe(all.length);
    expect(filed).toHaveLength(all.length);
  });

  it('logs an IMAP server it cannot reach and tries again, without stopping; takes the mail once the server answers', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const later = new TestDovecot();
    try {
      // A port nothing listens on yet.
      await later.start();
      await later.stop();
      const worker = await start(later.url());
      const poller = worker.get(ImapPoller);
      await waitFor('three failed polls', async () => poller.status.consecutiveFailures, (n) => n >= 3, 20_000);
      expect(poller.status.lastError).toMatch(/ECONNREFUSED|connect/i);
      const logged = warn.mock.calls.filter(([entry, message]) => typeof message === 'string' && /IMAP poll failed/.test(message) && typeof entry === 'object');
      expect(logged.length).toBeGreaterThanOrEqual(3);
      expect(logged[0][0]).toMatchObject({ failuresInARow: 1, retryInMs: 200 });

      await later.start();
      const message = reply('after-outage');
      await later.append([message.raw]);
      await waitFor('the message stored once the server answers', () => storedCount([message.messageId]), (n) => n === 1, 20_000);
      await waitFor('and filed', () => later.messages('Filed'), (filed) => filed.some((m) => m.messageId === message.messageId));
      expect(poller.status.consecutiveFailures).toBe(0);
    } finally {
      warn.mockRestore();
      await later.destroy();
    }
  });

  it('deletes instead of moving with ?filed=delete', async () => {
    const gone = reply('deleted');
    await dovecot.append([gone.raw]);
    const worker = await start(dovecot.url('?filed=delete'));
    await waitFor('the message stored', () => storedCount([gone.messageId]), (n) => n === 1);
    await waitFor('and deleted from the mailbox', () => dovecot.messages(), (inbox) => inbox.length === 0);
    expect((await dovecot.messages('Filed')).map((m) => m.messageId)).not.toContain(gone.messageId);
    expect(worker.get(ImapPoller).status.stored).toBe(1);
  });

  it('leaves a message too big to take in the mailbox, flagged for a person, and goes on with the others', async () => {
    const big = reply('too-big', 'x'.repeat(MAX_INBOUND_BYTES + 1024));
    const small = reply('small-after-big');
    await dovecot.append([big.raw, small.raw]);
    const worker = await start(dovecot.url());
    const poller = worker.get(ImapPoller);
    await waitFor('the small one filed', () => storedCount([small.messageId]), (n) => n === 1);
    const passes = poller.status.passes;
    await waitFor('two more passes', async () => poller.status.passes, (n) => n >= passes + 2);
    const inbox = await dovecot.messages();
    expect(inbox.map((m) => m.messageId)).toEqual([big.messageId]);
    expect(inbox[0].flags).toEqual(expect.arrayContaining(['\\Flagged', NOT_TAKEN_KEYWORD]));
    expect(await storedCount([big.messageId])).toBe(0);
    expect(poller.status.consecutiveFailures).toBe(0);
  });
});
