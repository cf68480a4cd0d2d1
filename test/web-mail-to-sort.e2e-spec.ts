import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { InboundMailbox } from '@cc/inbound-mail';
import { ReplyAddresses } from '@cc/notifications';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';
import { WebClient } from './support/web-client';

/** The mail to sort pages over HTTP, as a browser without JavaScript uses them, on the real worker's results. */
describe('mail to sort pages (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let mailbox: InboundMailbox;
  let caseworker: WebClient;
  const prefix = testQueuePrefix('webmail');

  beforeAll(async () => {
    t = await startTestApp('webmail');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url, { DATA_DIR: t.app.get<AppConfig>(APP_CONFIG).DATA_DIR }));
    mailbox = t.app.get(InboundMailbox);
    caseworker = new WebClient(t);
    await caseworker.signIn(t.demo.users.caseworker.email);
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await deleteKeys(prefix);
    await t?.close();
  });

  const compose = (mail: Mail.Options): Promise<Buffer> => new MailComposer({ messageId: `<${randomUUID()}@mail.example.org>`, ...mail }).compile().build();

  /** An e-mail to a real reply address of a new case, from someone other than its recipient: it waits to be sorted. */
  async function waitingMail(subject: string, text: string): Promise<{ id: string; caseId: string; reference: string }> {
    const c = await d.file('reporter');
    const [n] = await t.db.query(`SELECT id FROM notifications WHERE case_id = $1 AND recipient_user_id = $2`, [c.id, t.demo.users.reporter.id]);
    const to = await worker.get(ReplyAddresses, { strict: false }).mint(n.id);
    const { id } = await mailbox.accept(await compose({ from: 'Rita at home <rita.home@example.org>', to, subject, text }), { transport: 'imap' });
    await waitFor('it to wait to be sorted', async () => (await t.db.query(`SELECT status FROM inbound_mail WHERE id = $1`, [id]))[0].status, (s) => s === 'to_sort');
    return { id, caseId: c.id, reference: c.reference };
  }

  /** The page's words, tags taken off (what a person reads). */
  const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

  it('lists what waits, in words, linked from the navigation of caseworkers and administrators', async () => {
    const m = await waitingMail('Letter from the council', 'Please add the attached letter to our case.');
    const list = await caseworker.get('/mail-to-sort');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/mail-to-sort"');
    const text = words(list.text);
    expect(text).toContain('Letter from the council');
    expect(text).toContain('Rita at home (rita.home@example.org)');
    expect(text).toContain('This e-mail came from an address other than the one our e-mail went to, so it may not be from that person.');
    expect(text).toContain('Please add the attached letter to our case.');
    expect(list.text).toContain(`href="/mail-to-sort/${m.id}"`);
    // No codes on the page.
    expect(text).not.toMatch(/to_sort|wrong-sender|inbound/);

    const page = await caseworker.get(`/mail-to-sort/${m.id}`);
    expect(page.status).toBe(200);
    expect(words(page.text)).toContain('No one with an account here has this address');
    expect(page.text).toContain(`href="/mail-to-sort/${m.id}/original"`);
    const original = await caseworker.get(`/mail-to-sort/${m.id}/original`);
    expect(original.status).toBe(200);
    expect(original.headers['content-type']).toContain('message/rfc822');
    expect(original.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('pages a long list fifty at a time, newest first, by the e-mail itself (page and API)', async () => {
    // Sixty automatic replies, a minute apart: a list nothing else in this file puts mail in.
    await t.db.query(
      `INSERT INTO inbound_mail (message_id, raw, via, status, from_address, subject, received_at)
       SELECT '<auto-' || n || '@example.org>', convert_to('Subject: Out of office', 'UTF8'), 'imap', 'auto_reply', 'away@example.org', 'Out of office ' || n, now() - make_interval(mins => n)
         FROM generate_series(1, 60) AS n`,
    );
    const subjects = (html: string) => [...html.matchAll(/>Out of office (\d+)</g)].map((m) => Number(m[1]));
    const first = await caseworker.get('/mail-to-sort?status=auto_reply');
    expect(subjects(first.text)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const older = /href="([^"]+)" rel="next"/.exec(first.text)?.[1].replace(/&amp;/g, '&');
    expect(older).toMatch(/^\/mail-to-sort\?status=auto_reply&before=[0-9a-f-]{36}$/);
    expect(words(first.text)).toContain('Older e-mails');
    expect(first.text).not.toContain('rel="prev"');
    const second = await caseworker.get(older!);
    expect(subjects(second.text)).toEqual(Array.from({ length: 10 }, (_, i) => i + 51));
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('href="/mail-to-sort?status=auto_reply" rel="prev"');
    // An old link whose e-mail is no longer in the list starts again from the newest.
    const stale = await caseworker.get(`/mail-to-sort?status=auto_reply&before=${randomUUID()}`);
    expect(stale.status).toBe(200);
    expect(subjects(stale.text)).toHaveLength(50);

    const api = (query: string) => t.http.get(`/api/inbound-mail?${query}`).set({ Authorization: `Bearer ${t.tokens.caseworker}` });
    const five = await api('status=auto_reply&limit=5').expect(200);
    const next = await api(`status=auto_reply&limit=5&before=${five.body[4].id}`).expect(200);
    expect(next.body.map((m: { subject: string }) => m.subject)).toEqual([6, 7, 8, 9, 10].map((n) => `Out of office ${n}`));
    const bad = await api('status=auto_reply&before=not-an-id').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'before' })]);
    const unknown = await api(`status=auto_reply&before=${randomUUID()}`).expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'before', reason: 'must be the id of an e-mail in the list' }]);
  });

  it('only caseworkers and administrators open the pages; others are refused, strangers sent to sign in', async () => {
    const m = await waitingMail('Private', 'Not for reporters.');
    const reporter = new WebClient(t);
    await reporter.signIn(t.demo.users.reporter.email);
    expect((await reporter.get('/mail-to-sort')).status).toBe(403);
    expect((await reporter.get(`/mail-to-sort/${m.id}`)).status).toBe(403);
    expect(words((await reporter.get('/cases')).text)).not.toContain('Mail to sort');
    const mediator = new WebClient(t);
    await mediator.signIn(t.demo.users.mediator.email);
    expect((await mediator.get('/mail-to-sort')).status).toBe(403);
    const stranger = new WebClient(t);
    const res = await stranger.get('/mail-to-sort');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
    const admin = new WebClient(t);
    await admin.signIn(t.demo.users.admin.email);
    const seen = await admin.get(`/mail-to-sort/${m.id}`);
    expect(seen.status).toBe(200);
    expect((await caseworker.get('/mail-to-sort/not-an-id')).status).toBe(404);
    expect((await caseworker.get(`/mail-to-sort/${randomUUID()}`)).status).toBe(404);
  });

  it('files an e-mail on a case as an internal note, with the form checked first', async () => {
    const m = await waitingMail('About our case', 'We have more evidence.');
    await caseworker.get(`/mail-to-sort/${m.id}`);
    const empty = await caseworker.post(`/mail-to-sort/${m.id}/file`, { caseReference: '' });
    expect(empty.status).toBe(400);
    expect(words(empty.text)).toContain('There is a problem');
    expect(words(empty.text)).toContain('Enter the reference of the case to put the e-mail on');
    expect(words(empty.text)).toContain('Choose whether it goes on the case as a message from the sender or as an internal note');
    const unknown = await caseworker.post(`/mail-to-sort/${m.id}/file`, { caseReference: 'CB-1999-00001', as: 'note' });
    expect(unknown.status).toBe(400);
    expect(words(unknown.text)).toContain('There is no case with the reference CB-1999-00001');
    const asMessage = await caseworker.post(`/mail-to-sort/${m.id}/file`, { caseReference: m.reference, as: 'message' });
    expect(asMessage.status).toBe(409);
    expect(words(asMessage.text)).toContain('has no account that can see');

    const filed = await caseworker.post(`/mail-to-sort/${m.id}/file`, { caseReference: m.reference, as: 'note' });
    expect(filed.status).toBe(303);
    expect(filed.headers.location).toBe('/mail-to-sort');
    expect(words((await caseworker.get('/mail-to-sort')).text)).toContain(`The e-mail was put on ${m.reference} as an internal note.`);
    const [note] = await t.db.query(`SELECT visibility, author_id, body FROM case_notes WHERE case_id = $1`, [m.caseId]);
    expect(note).toMatchObject({ visibility: 'internal', author_id: t.demo.users.caseworker.id });
    expect(note.body).toContain('We have more evidence.');
    // It is no longer waiting: the list says so, and sorting it again is refused kindly.
    expect((await caseworker.get('/mail-to-sort')).text).not.toContain(`href="/mail-to-sort/${m.id}"`);
    const again = await caseworker.post(`/mail-to-sort/${m.id}/file`, { caseReference: m.reference, as: 'note' });
    expect(again.status).toBe(303);
    expect(words((await caseworker.get('/mail-to-sort')).text)).toContain('That e-mail is not waiting to be sorted any more');
    expect(words((await caseworker.get('/mail-to-sort?status=filed')).text)).toContain(`Put on a case on ${m.reference}, by Cara Caseworker`);
  });

  it('discards an e-mail after a confirmation; it is kept under "Discarded"', async () => {
    const m = await waitingMail('Win a prize', 'Click here.');
    const page = await caseworker.get(`/mail-to-sort/${m.id}`);
    expect(page.text).toContain(`href="/mail-to-sort/${m.id}/discard"`);
    const confirm = await caseworker.get(`/mail-to-sort/${m.id}/discard`);
    expect(confirm.status).toBe(200);
    expect(words(confirm.text)).toContain('Discard this e-mail?');
    const withoutToken = await caseworker.post(`/mail-to-sort/${m.id}/discard`, {}, { withCsrf: false });
    expect(withoutToken.status).toBe(403);
    expect((await t.db.query(`SELECT status FROM inbound_mail WHERE id = $1`, [m.id]))[0].status).toBe('to_sort');
    const done = await caseworker.post(`/mail-to-sort/${m.id}/discard`, {});
    expect(done.status).toBe(303);
    expect(words((await caseworker.get('/mail-to-sort')).text)).toContain('The e-mail was discarded.');
    expect((await t.db.query(`SELECT status, handled_by FROM inbound_mail WHERE id = $1`, [m.id]))[0]).toEqual({ status: 'discarded', handled_by: t.demo.users.caseworker.id });
    expect((await caseworker.get('/mail-to-sort?status=discarded')).text).toContain(`href="/mail-to-sort/${m.id}"`);
    // A discarded e-mail's page offers nothing more to do.
    const after = await caseworker.get(`/mail-to-sort/${m.id}`);
    expect(after.text).not.toContain('id="file-form"');
  });

  it('shows "E-mails to this address are failing" on the admin user page and the public body contacts', async () => {
    await t.db.query(`UPDATE users SET email_failing_since = now(), email_failing_reason = '5.1.1' WHERE id = $1`, [t.demo.respondents.council.id]);
    const admin = new WebClient(t);
    await admin.signIn(t.demo.users.admin.email);
    const user = await admin.get(`/admin/users/${t.demo.respondents.council.id}`);
    expect(user.status).toBe(200);
    expect(words(user.text)).toContain('E-mails to this address are failing');
    expect(words(user.text)).not.toContain('5.1.1');
    const other = await admin.get(`/admin/users/${t.demo.users.reporter.id}`);
    expect(words(other.text)).not.toContain('E-mails to this address are failing');
    const contacts = await caseworker.get(`/public-bodies/${t.demo.organisations.harboroughCouncil}/contacts`);
    expect(contacts.status).toBe(200);
    expect(contacts.text).toContain(`id="email-failing-${t.demo.respondents.council.contactId}"`);
    expect(words(contacts.text).match(/E-mails to this address are failing/g)).toHaveLength(1);
  });
});
