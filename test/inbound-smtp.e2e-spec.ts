import { once } from 'node:events';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MAX_INBOUND_BYTES, SmtpReceiver } from '@cc/inbound-mail';
import { ReplyAddresses } from '@cc/notifications';
import { CaseDriver } from './support/case-driver';
import { PrivatePostgres } from './support/private-services';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';

const REPLY_DOMAIN = 'replies.compact.test';

/** A plain SMTP conversation over a socket: each command's answer (the first entry is the greeting). */
async function smtpDialogue(port: number, commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  const answers: string[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // An answer is complete at a line "NNN text" (a space after the code, not a dash).
    const end = /^\d{3} .*\r\n/m.exec(buffer);
    if (end) {
      answers.push(buffer.slice(0, end.index + end[0].length).replace(/\r\n$/, '').replace(/\r\n/g, '\n'));
      buffer = buffer.slice(end.index + end[0].length);
      waiting?.();
    }
  });
  const next = () => new Promise<void>((resolve) => (waiting = resolve));
  await once(socket, 'connect');
  if (!answers.length) await next();
  for (const command of commands) {
    const answered = next();
    socket.write(`${command}\r\n`);
    await answered;
  }
  socket.end();
  return answers;
}

/**
 * Replies by SMTP, for real: the worker sends case e-mails (to the test's SMTP server) with Reply-To
 * their own reply address, and its SMTP receiver takes what a real client (nodemailer) sends to such an
 * address. The database is a PostgreSQL cluster of this file's own, because one test stops it while a
 * message is on the wire (the machine's shared one is never stopped).
 */
describe('replies by SMTP: reply addresses out, the receiver in', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;
  let port: number;

  beforeAll(async () => {
    pg = await new PrivatePostgres().init();
    t = await startTestApp('inbound-smtp', {}, pg.serverUrl);
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('inbound-smtp');
    // Port 0: the system picks a free port, so this file runs beside any other.
    worker = await startWorker(
      workerConfig(t.database.url, prefix, smtp.url, { INBOUND_SMTP_URL: 'smtp://127.0.0.1:0', REPLY_TO_ADDRESS: `replies@${REPLY_DOMAIN}` }),
    );
    port = worker.get(SmtpReceiver).port!;
    expect(port).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
    await pg?.destroy();
  });

  const client = () => createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000, socketTimeout: 30_000 });
  const storedWith = async (messageId: string): Promise<Array<{ id: string; via: string; envelope: { from?: string; to: string[] }; raw: Buffer }>> =>
    t.db.query(`SELECT id, via, envelope, raw FROM inbound_mail WHERE message_id = $1`, [messageId]);
  const header = (raw: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(raw)?.[1]?.trim();

  it('gives every case e-mail Reply-To its own reply address (per recipient), and an account e-mail none', async () => {
    const { id } = await d.file('reporter', { title: 'Replies come back to the case' });
    type Sent = { id: string; message_id: string; status: string };
    const rows = await waitFor(
      "the report's e-mails sent",
      (): Promise<Sent[]> => t.db.query(`SELECT id, message_id, status FROM notifications WHERE case_id = $1`, [id]),
      (r) => r.length === 3 && r.every((n) => n.status === 'sent'),
    );
    const replyAddresses = worker.get(ReplyAddresses);
    const seen = new Set<string>();
    for (const row of rows) {
      const mail = smtp.received.find((m) => m.messageId === `<${row.message_id}>` || m.messageId === row.message_id);
      expect(mail).toBeDefined();
      const replyTo = header(mail!.raw, 'Reply-To');
      expect(replyTo).toMatch(new RegExp(`^replies\\+[a-z2-7]{42}@${REPLY_DOMAIN.replace(/\./g, '\\.')}$`));
      expect(replyTo).toBe(await replyAddresses.mint(row.id));
      expect(await replyAddresses.read(replyTo!)).toEqual({ ok: true, notificationId: row.id });
      seen.add(replyTo!);
      // The sender stays MAIL_FROM: only replies go to the reply address.
      expect(header(mail!.raw, 'From')).toContain('no-reply@compact-cases.example');
    }
    expect(seen.size).toBe(3);

    await t.http.post('/api/auth/password-reset').send({ email: 'reporter@demo.compact.test' }).expect(202);
    const [reset] = await waitFor(
      'the password e-mail sent',
      (): Promise<Array<{ message_id: string; status: string }>> =>
        t.db.query(`SELECT message_id, status FROM notifications WHERE password_reset_id IS NOT NULL ORDER BY created_at DESC LIMIT 1`),
      (r) => r.length === 1 && r[0].status === 'sent',
    );
    const accountMail = smtp.received.find((m) => m.messageId.includes(reset.message_id));
    expect(accountMail).toBeDefined();
    expect(header(accountMail!.raw, 'Reply-To')).toBeUndefined();
  });

  it('stores a reply a real SMTP client sends to a reply address, once, even when it is sent twice', async () => {
    const [notification] = await t.db.query(`SELECT id FROM notifications WHERE case_id IS NOT NULL ORDER BY created_at LIMIT 1`);
    const to = await worker.get(ReplyAddresses).mint(notification.id);
    const messageId = `<reply-${Date.now()}@reporter.example>`;
    const message = { from: 'reporter@demo.compact.test', to, subject: 'Re: your case', text: 'Thank you, the letter is attached.\n\nOn Monday you wrote:\n> quoted', messageId };
    const info = await client().sendMail(message);
    expect(info.response).toMatch(/^250 /);
    expect(info.accepted).toEqual([to]);
    const [stored] = await storedWith(messageId.slice(1, -1));
    expect(stored.via).toBe('smtp');
    expect(stored.envelope.to).toEqual([to]);
    expect(stored.envelope.from).toBe('reporter@demo.compact.test');
    expect(stored.raw.toString('utf8')).toContain('Thank you, the letter is attached.');
    expect(info.response).toContain(stored.id);

    // A sending server that lost our 250 sends it again: it is answered 250 and still stored once.
    const again = await client().sendMail(message);
    expect(again.response).toMatch(/^250 .*Already have it/);
    expect(await storedWith(messageId.slice(1, -1))).toHaveLength(1);

    // Upper case on the way back (some mail systems do it) is still one of ours.
    const shouted = await client().sendMail({ ...message, to: to.toUpperCase(), messageId: `<shouted-${Date.now()}@reporter.example>` });
    expect(shouted.response).toMatch(/^250 /);
  });

  it('refuses a recipient not at the reply domain (550), so it is never a relay, and stores nothing', async () => {
    const messageId = `<elsewhere-${Date.now()}@reporter.example>`;
    const err = await client()
      .sendMail({ from: 'someone@example.org', to: 'someone@elsewhere.example', subject: 'Relay?', text: 'Hello', messageId })
      .then(() => null, (e: { responseCode?: number; rejected?: string[] }) => e);
    expect(err?.responseCode).toBe(550);
    expect(await storedWith(messageId.slice(1, -1))).toHaveLength(0);

    // One good and one bad recipient: the good one is taken, the bad one named as refused.
    const [notification] = await t.db.query(`SELECT id FROM notifications WHERE case_id IS NOT NULL ORDER BY created_at LIMIT 1`);
    const ours = await worker.get(ReplyAddresses).mint(notification.id);
    const mixedId = `<mixed-${Date.now()}@reporter.example>`;
    const info = await client().sendMail({ from: 'reporter@demo.compact.test', to: [ours, 'other@elsewhere.example'], subject: 'Both', text: 'Hi', messageId: mixedId });
    expect(info.accepted).toEqual([ours]);
    expect(info.rejected).toEqual(['other@elsewhere.example']);
    const [stored] = await storedWith(mixedId.slice(1, -1));
    expect(stored.envelope.to).toEqual([ours]);
  });

  it('refuses a message that is too big (552): declared too big at MAIL FROM, or turning out too big at the end of DATA', async () => {
    const to = `replies+anything@${REPLY_DOMAIN}`;
    // Announced: nodemailer reads SIZE from our EHLO and does not even start a message over it.
    const connection = new SMTPConnection({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    const declared = await new Promise<Error | null>((resolve) =>
      connection.send({ from: 'big@example.org', to: [to], size: MAX_INBOUND_BYTES + 1 } as SMTPConnection.Envelope, 'Subject: big\r\n\r\nsmall\r\n', (e) => resolve(e ?? null)),
    );
    connection.quit();
    expect(declared?.message).toContain(`larger than allowed ${MAX_INBOUND_BYTES}`);
    // Declared to the server itself (a client that does not look): MAIL FROM ... SIZE= over the limit is 552 at once.
    const dialogue = await smtpDialogue(port, ['EHLO client.example', `MAIL FROM:<big@example.org> SIZE=${MAX_INBOUND_BYTES + 1}`, 'QUIT']);
    expect(dialogue[1]).toMatch(new RegExp(`^250[- ]SIZE ${MAX_INBOUND_BYTES}$`, 'm'));
    expect(dialogue[2]).toMatch(/^552 /);

    // Not declared: the whole message is sent, then refused; the receiver kept no more than the limit.
    const messageId = `<too-big-${Date.now()}@example.org>`;
    const big = Buffer.alloc(MAX_INBOUND_BYTES + 1024, 'a');
    const err = await client()
      .sendMail({ from: 'big@example.org', to, subject: 'Too big', text: 'See attached', messageId, attachments: [{ filename: 'big.txt', content: big, contentType: 'text/plain' }] })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(err?.responseCode).toBe(552);
    expect(await storedWith(messageId.slice(1, -1))).toHaveLength(0);
  });

  it('answers 451 when PostgreSQL stops while a message is on the wire, and stores it once when the sender tries again', async () => {
    const to = `replies+whatever@${REPLY_DOMAIN}`;
    const messageId = `on-the-wire-${Date.now()}@reporter.example`;
    const head = `From: reporter@demo.compact.test\r\nTo: ${to}\r\nSubject: Sent while the database went away\r\nMessage-ID: <${messageId}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`;
    const body = 'The first half of the reply,\r\n'.repeat(2000);
    const tail = 'and the rest of it.\r\n';
    const raw = new PassThrough();
    raw.write(head + body);
    const sending = client()
      .sendMail({ envelope: { from: 'reporter@demo.compact.test', to: [to] }, raw })
      .then((info) => ({ ok: true as const, info }), (e: { responseCode?: number; message: string }) => ({ ok: false as const, e }));
    // The message is on the wire (DATA begun) when the database goes away.
    await new Promise((r) => setTimeout(r, 500));
    await pg.stop();
    try {
      raw.end(tail);
      const first = await sending;
      expect(first.ok).toBe(false);
      if (!first.ok) expect(first.e.responseCode).toBe(451);
    } finally {
      await pg.start();
    }
    // The sending server keeps the message and tries again, as mail servers do, until it is taken.
    const full = Buffer.from(head + body + tail);
    const attempts = await waitFor(
      'the message taken after PostgreSQL is back',
      async () => client().sendMail({ envelope: { from: 'reporter@demo.compact.test', to: [to] }, raw: full }).then((i) => i.response, (e: Error) => e.message),
      (response: string) => /^250 /.test(response),
      30_000,
    );
    expect(attempts).toMatch(/^250 /);
    const stored = await storedWith(messageId);
    expect(stored).toHaveLength(1);
    expect(stored[0].raw.toString('utf8')).toContain('and the rest of it.');
    // Sent once more (a sender that never saw our 250): still one.
    await client().sendMail({ envelope: { from: 'reporter@demo.compact.test', to: [to] }, raw: full });
    expect(await storedWith(messageId)).toHaveLength(1);
  });
});
