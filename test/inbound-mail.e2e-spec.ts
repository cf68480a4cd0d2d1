import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { INestApplicationContext } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { Client } from 'pg';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import MimeNode from 'nodemailer/lib/mime-node';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { InboundMailbox } from '@cc/inbound-mail';
import { ReplyAddresses } from '@cc/notifications';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { spawnWorker, startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * Replies by e-mail, end to end on real parts: real raw messages (built by nodemailer's
 * MailComposer, as a mail program would send them) handed to InboundMailbox.accept as the SMTP
 * receiver and the IMAP poller do, then settled by the real worker's loop against PostgreSQL, its
 * notices sent through the real SMTP test server.
 */
describe('replies by e-mail (InboundMailbox, the worker, PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let mailbox: InboundMailbox;
  let addresses: ReplyAddresses;
  let config: AppConfig;
  const prefix = testQueuePrefix('inbound');
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

  beforeAll(async () => {
    t = await startTestApp('inbound');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    // The worker keeps attachments where the API serves documents from: one DATA_DIR, as deployed.
    config = workerConfig(t.database.url, prefix, smtp.url, { DATA_DIR: t.app.get<AppConfig>(APP_CONFIG).DATA_DIR });
    worker = await startWorker(config);
    mailbox = t.app.get(InboundMailbox);
    addresses = worker.get(ReplyAddresses, { strict: false });
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await deleteKeys(prefix);
    await t?.close();
  });

  /** The latest e-mail of ours to this person about the case: what a reply answers. */
  async function emailTo(caseId: string, userId: string): Promise<{ id: string; address: string; email: string }> {
    const [n] = await t.db.query(`SELECT id, recipient_email FROM notifications WHERE case_id = $1 AND recipient_user_id = $2 ORDER BY created_at DESC LIMIT 1`, [caseId, userId]);
    if (!n) throw new Error(`no e-mail to ${userId} about ${caseId}`);
    return { id: n.id, address: await addresses.mint(n.id), email: n.recipient_email };
  }

  const compose = (mail: Mail.Options): Promise<Buffer> => new MailComposer({ messageId: `<${randomUUID()}@mail.example.org>`, date: new Date(), ...mail }).compile().build();

  /** Stores a message as the SMTP receiver would, and waits for the worker to settle it. */
  async function deliver(raw: Buffer, to: string, from?: string) {
    const stored = await mailbox.accept(raw, { transport: 'smtp', envelopeFrom: from, envelopeTo: [to] });
    return { ...stored, row: await settled(stored.id) };
  }

  interface InboundRow {
    id: string;
    status: string;
    why_to_sort: string | null;
    case_id: string | null;
    note_id: string | null;
    notification_id: string | null;
    raw: Buffer;
    attempts: number;
  }

  async function settled(id: string): Promise<InboundRow> {
    const [row] = await waitFor(
      'the e-mail to be settled',
      (): Promise<InboundRow[]> => t.db.query(`SELECT id, status, why_to_sort, case_id, note_id, notification_id, raw, attempts FROM inbound_mail WHERE id = $1`, [id]),
      (rows) => rows[0]?.status !== 'received',
    );
    return row;
  }

  const note = async (id: string | null) => (await t.db.query(`SELECT id, case_id, author_id, visibility, body, created_at FROM case_notes WHERE id = $1`, [id]))[0];
  const notesOf = async (caseId: string) => t.db.query(`SELECT id, body, visibility FROM case_notes WHERE case_id = $1 ORDER BY created_at`, [caseId]);
  const quoteOf = (ours: string) => `\n\nOn Tue, 1 Dec 2026 at 10:02, Compact Cases <${ours}> wrote:\n> Thank you for your report.\n> Your case reference is in the subject.\n`;

  async function acceptedCase(): Promise<{ id: string; reference: string }> {
    const filed = await d.file('reporter');
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    return filed;
  }

  /** A case whose public body's contact (the demo council's) was written to: their e-mail to answer. */
  async function contactedCase(): Promise<{ id: string; reference: string }> {
    const c = await acceptedCase();
    await t.db.query(`INSERT INTO case_contacts (case_id, contact_id) VALUES ($1, $2)`, [c.id, t.demo.respondents.council.contactId]);
    await d.send('caseworker', c.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the head of commissioning.' });
    return c;
  }

  it("a reporter's plain reply lands on the case as their message, quote and signature taken off, the original kept, the caseworker told", async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const text = `We found the council's letter of 1 October and can send it.\n\nIt says the grant ends on 15 October.\n\nBest regards,\nRita${quoteOf(ours.address)}`;
    const raw = await compose({ from: `Rita Reporter <${ours.email}>`, to: ours.address, subject: `Re: [${c.reference}] Your case was accepted`, text });
    const { row } = await deliver(raw, ours.address, ours.email);

    expect(row).toMatchObject({ status: 'filed', case_id: c.id, notification_id: ours.id, why_to_sort: null });
    expect(Buffer.compare(row.raw, raw)).toBe(0);
    const n = await note(row.note_id);
    expect(n).toMatchObject({ case_id: c.id, author_id: t.demo.users.reporter.id, visibility: 'shared' });
    expect(n.body).toBe("We found the council's letter of 1 October and can send it.\n\nIt says the grant ends on 15 October.");
    expect(n.body).not.toMatch(/Best regards|wrote:|Thank you for your report/);

    // The reporter and the caseworker read it on the case; the public body does not.
    const asReporter = await t.http.get(`/api/cases/${c.id}/notes`).set(d.auth('reporter')).expect(200);
    expect(asReporter.body.map((x: { body: string }) => x.body)).toContain(n.body);
    const asCaseworker = await t.http.get(`/api/cases/${c.id}/notes`).set(d.auth('caseworker')).expect(200);
    expect(asCaseworker.body.find((x: { id: string }) => x.id === n.id)).toMatchObject({ authorName: 'Rita Reporter', visibility: 'shared' });

    // "There is a message": to the assigned caseworker, in words, and nothing to anyone else.
    const notices = await t.db.query(`SELECT recipient_user_id, data FROM notifications WHERE case_id = $1 AND template = 'messageReceived'`, [c.id]);
    expect(notices.map((x: { recipient_user_id: string }) => x.recipient_user_id)).toEqual([t.demo.users.caseworker.id]);
    const [mail] = await waitFor('the notice to reach the caseworker', async () => smtp.received.filter((m) => m.rcpt.includes(t.demo.users.caseworker.email) && m.subject.includes('has sent a message')), (ms) => ms.length > 0);
    expect(mail.subject).toContain(c.reference);
    const words = (await simpleParser(mail.raw)).text ?? '';
    expect(words.replace(/\s+/g, ' ')).toContain('Riverside Community Foodbank has written a message on the case about the report from Riverside Community Foodbank.');
    expect(words).not.toContain('grant ends on 15 October');
  });

  it("an HTML-only reply from the public body's contact is a message to everyone on the case, on the timeline, the reporter told", async () => {
    const c = await contactedCase();
    const ours = await emailTo(c.id, t.demo.respondents.council.id);
    const html = `<div>We have looked at this again.</div><div>The grant will continue until <b>31 January</b>.</div><div><br></div><div>Kind regards,<br>Priya</div>
      <blockquote type="cite">On 1 Dec 2026, Compact Cases &lt;${ours.address}&gt; wrote:<br>Please reply to us by 29 December.</blockquote>`;
    const raw = await compose({ from: `Priya Shah <${ours.email}>`, to: ours.address, subject: `Re: [${c.reference}] Report of a Compact breach`, html });
    const { row } = await deliver(raw, ours.address);

    expect(row.status).toBe('filed');
    const n = await note(row.note_id);
    expect(n).toMatchObject({ author_id: t.demo.respondents.council.id, visibility: 'parties' });
    expect(n.body).toContain('We have looked at this again.');
    expect(n.body).toContain('The grant will continue until 31 January.');
    expect(n.body).not.toMatch(/<|Please reply to us|Kind regards/);
    const timeline = await d.timeline('reporter', c.id);
    expect(timeline.filter((e) => e.type === 'MESSAGE').map((e) => e.details.body)).toEqual([n.body]);
    const notices = await t.db.query(`SELECT recipient_user_id FROM notifications WHERE case_id = $1 AND template = 'messageReceived' ORDER BY recipient_email`, [c.id]);
    expect(notices.map((x: { recipient_user_id: string }) => x.recipient_user_id).sort()).toEqual([t.demo.users.caseworker.id, t.demo.users.reporter.id].sort());
  });

  it("attachments go through the evidence checks: the PDF is kept as the sender's document, the program refused and named in the message", async () => {
    const c = await contactedCase();
    const ours = await emailTo(c.id, t.demo.respondents.council.id);
    const raw = await compose({
      from: ours.email,
      to: ours.address,
      subject: 'Re: our response',
      text: 'Our formal response is attached.',
      attachments: [
        { filename: 'response.pdf', content: PDF, contentType: 'application/pdf' },
        { filename: 'invoice.pdf.exe', content: PROGRAM, contentType: 'application/octet-stream' },
      ],
    });
    const { row } = await deliver(raw, ours.address);
    expect(row.status).toBe('filed');
    const evidence = await t.db.query(`SELECT file_name, media_type, size_bytes, uploaded_by, uploader_role, shared_with_respondent FROM evidence WHERE case_id = $1`, [c.id]);
    expect(evidence).toEqual([
      { file_name: 'response.pdf', media_type: 'application/pdf', size_bytes: String(PDF.length), uploaded_by: t.demo.respondents.council.id, uploader_role: 'respondent', shared_with_respondent: true },
    ]);
    const n = await note(row.note_id);
    expect(n.body).toContain('Our formal response is attached.');
    expect(n.body).toContain("added to the case's documents: response.pdf");
    expect(n.body).toMatch(/Not added to the case's documents: invoice\.pdf\.exe .*Windows program/);
    // The kept file is the one sent, and the case's documents list shows it to the reporter.
    const list = await t.http.get(`/api/cases/${c.id}/evidence`).set(d.auth('caseworker')).expect(200);
    const doc = list.body.find((e: { fileName: string }) => e.fileName === 'response.pdf');
    const file = await t.http.get(`/api/cases/${c.id}/evidence/${doc.id}`).set(d.auth('caseworker')).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(file.status).toBe(200);
    expect((file.body as Buffer).toString('latin1')).toBe(PDF.toString('latin1'));
  });

  it('a forged token, an unknown address, an expired e-mail, a closed case and the wrong sender each wait to be sorted, with the reason', async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const [local, domain] = ours.address.split('@');
    const tampered = `${local.slice(0, -3)}${local.slice(-3) === 'aaa' ? 'bbb' : 'aaa'}@${domain}`;
    const forged = await deliver(await compose({ from: ours.email, to: tampered, subject: 'Re: forged', text: 'Hello' }), tampered);
    expect(forged.row).toMatchObject({ status: 'to_sort', why_to_sort: 'forged', note_id: null });

    const elsewhere = await deliver(await compose({ from: ours.email, to: 'caseworker@demo.compact.test', subject: 'A question', text: 'Hello' }), 'caseworker@demo.compact.test');
    expect(elsewhere.row).toMatchObject({ status: 'to_sort', why_to_sort: 'no-reply-address' });

    const wrong = await deliver(await compose({ from: 'someone.else@example.org', to: ours.address, subject: 'Re: your case', text: 'I am not Rita.' }), ours.address);
    expect(wrong.row).toMatchObject({ status: 'to_sort', why_to_sort: 'wrong-sender', case_id: c.id, note_id: null });

    await t.db.query(`UPDATE notifications SET created_at = now() - interval '91 days' WHERE id = $1`, [ours.id]);
    const expired = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Re: old', text: 'Late answer.' }), ours.address);
    expect(expired.row).toMatchObject({ status: 'to_sort', why_to_sort: 'expired', case_id: c.id });

    const closed = await d.file('reporter');
    const theirs = await emailTo(closed.id, t.demo.users.reporter.id);
    await d.send('reporter', closed.id, { type: 'WITHDRAW', reason: 'We settled it ourselves.' });
    const late = await deliver(await compose({ from: theirs.email, to: theirs.address, subject: 'Re: withdrawn', text: 'One more thing.' }), theirs.address);
    expect(late.row).toMatchObject({ status: 'to_sort', why_to_sort: 'case-closed', case_id: closed.id });

    expect(await notesOf(c.id)).toEqual([]);
    expect(await notesOf(closed.id)).toEqual([]);
    // Each waits in the list, with its reason in words.
    const list = await t.http.get('/api/inbound-mail').set(d.auth('caseworker')).expect(200);
    const byId = new Map(list.body.map((m: { id: string }) => [m.id, m]));
    expect(byId.get(forged.id)).toMatchObject({ status: 'to_sort', whyToSort: 'forged', whyText: expect.stringMatching(/^This e-mail was sent to a reply address we did not make/) });
    expect(byId.get(late.id)).toMatchObject({ whyToSort: 'case-closed', caseReference: closed.reference, replyText: 'One more thing.' });
    for (const id of [elsewhere.id, wrong.id, expired.id]) expect(byId.has(id)).toBe(true);
  });

  it('out-of-office replies are recognised by their headers or subject and do not become messages', async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const byHeader = await deliver(
      await compose({ from: ours.email, to: ours.address, subject: `Re: [${c.reference}] Your case was accepted`, text: 'I am away until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } }),
      ours.address,
    );
    const bySubject = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Automatic reply: Your case was accepted', text: 'I am out of the office.' }), ours.address);
    const byPrecedence = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Away', text: 'Back soon.', headers: { Precedence: 'auto_reply' } }), ours.address);
    for (const r of [byHeader, bySubject, byPrecedence]) expect(r.row).toMatchObject({ status: 'auto_reply', note_id: null });
    expect(await notesOf(c.id)).toEqual([]);
  });

  it("a bounce is recognised and marks the recipient's address as failing; a later reply from it clears the mark", async () => {
    const c = await contactedCase();
    const ours = await emailTo(c.id, t.demo.respondents.council.id);
    // A delivery status notification as Postfix writes one (RFC 3464), with the bounced message's header.
    const report = new MimeNode('multipart/report; report-type=delivery-status');
    report.setHeader({ From: 'Mail Delivery System <MAILER-DAEMON@mx.harborough.gov.example>', To: ours.address, Subject: 'Undelivered Mail Returned to Sender', 'Message-ID': `<${randomUUID()}@mx.harborough.gov.example>`, 'Auto-Submitted': 'auto-replied' });
    report.createChild('text/plain').setContent(`This is the mail system at host mx.harborough.gov.example.\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n<${ours.email}>: host said: 550 5.1.1 User unknown\n`);
    report.createChild('message/delivery-status').setContent(`Reporting-MTA: dns; mx.harborough.gov.example\n\nFinal-Recipient: rfc822; ${ours.email}\nOriginal-Recipient: rfc822;${ours.email}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n`);
    report.createChild('text/rfc822-headers').setContent(`From: Compact Cases <no-reply@compact-cases.example>\nTo: ${ours.email}\nMessage-ID: <${ours.id}@compact-cases>\nSubject: [${c.reference}] Report of a Compact breach\n`);
    const bounce = await deliver(await report.build(), ours.address, '');
    expect(bounce.row).toMatchObject({ status: 'bounce', note_id: null });
    const [user] = await t.db.query(`SELECT email_failing_since, email_failing_reason FROM users WHERE id = $1`, [t.demo.respondents.council.id]);
    expect(user.email_failing_since).toBeInstanceOf(Date);
    expect(user.email_failing_reason).toContain('5.1.1');
    expect(await notesOf(c.id)).toEqual([]);

    // A report that delivery is only delayed marks nothing (the address is not failing yet).
    await t.db.query(`UPDATE users SET email_failing_since = NULL WHERE id = $1`, [t.demo.users.reporter.id]);
    const reporterMail = await emailTo(c.id, t.demo.users.reporter.id);
    const delayed = new MimeNode('multipart/report; report-type=delivery-status');
    delayed.setHeader({ From: 'MAILER-DAEMON@mx.example.org', To: reporterMail.address, Subject: 'Delayed Mail (still being retried)', 'Message-ID': `<${randomUUID()}@mx.example.org>` });
    delayed.createChild('text/plain').setContent('Your message has not been delivered yet. It will be retried.');
    delayed.createChild('message/delivery-status').setContent(`Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; ${reporterMail.email}\nAction: delayed\nStatus: 4.4.1\n`);
    expect((await deliver(await delayed.build(), reporterMail.address)).row.status).toBe('bounce');
    expect((await t.db.query(`SELECT email_failing_since FROM users WHERE id = $1`, [t.demo.users.reporter.id]))[0].email_failing_since).toBeNull();

    const reply = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Re: report', text: 'Our mailbox is fixed now.' }), ours.address);
    expect(reply.row.status).toBe('filed');
    expect((await t.db.query(`SELECT email_failing_since FROM users WHERE id = $1`, [t.demo.respondents.council.id]))[0].email_failing_since).toBeNull();
  });

  it('the same message received twice (an SMTP retry, an IMAP message seen again) is stored once and becomes one message', async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const raw = await compose({ from: ours.email, to: ours.address, subject: 'Re: twice', text: 'Sent once, received twice.' });
    const first = await mailbox.accept(raw, { transport: 'smtp', envelopeTo: [ours.address] });
    const second = await mailbox.accept(raw, { transport: 'imap' });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ id: first.id, duplicate: true });
    await settled(first.id);
    const third = await mailbox.accept(raw, { transport: 'smtp', envelopeTo: [ours.address] });
    expect(third).toEqual({ id: first.id, duplicate: true });
    // The same bytes without a Message-ID are recognised by their hash.
    const bare = Buffer.from(`From: ${ours.email}\r\nTo: ${ours.address}\r\nSubject: no id\r\n\r\nNo Message-ID here.\r\n`);
    const a = await mailbox.accept(bare, { transport: 'imap' });
    const b = await mailbox.accept(bare, { transport: 'imap' });
    expect(b).toEqual({ id: a.id, duplicate: true });
    await settled(a.id);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM inbound_mail WHERE id = ANY($1)`, [[first.id, a.id]]))[0].n).toBe(2);
    expect((await notesOf(c.id)).map((n: { body: string }) => n.body)).toEqual(['Sent once, received twice.', 'No Message-ID here.']);
  });

  it('a message that has had all its tries waits to be sorted, its sender and subject read from its header', async () => {
    const raw = await compose({ from: 'Priya Shah <Respondent@demo.compact.test>', to: 'replies+x@compact-cases.example', subject: 'Tried too often', text: 'Kept whole.' });
    // As if five tries had failed (each counted before the work, so even one that kills the worker counts).
    const [{ id }] = await t.db.query(`INSERT INTO inbound_mail (message_id, raw, via, attempts) VALUES ($1, $2, 'smtp', 5) RETURNING id`, [`tries-${randomUUID()}`, raw]);
    const row = await settled(id);
    expect(row).toMatchObject({ status: 'to_sort', why_to_sort: 'could-not-process', attempts: 6, note_id: null });
    const shown = await t.http.get(`/api/inbound-mail/${id}`).set(d.auth('caseworker')).expect(200);
    expect(shown.body).toMatchObject({ fromAddress: 'respondent@demo.compact.test', subject: 'Tried too often', whyText: 'This e-mail could not be put on the case after several tries.' });
    expect(shown.body.senderAccount).toEqual({ name: 'Priya Shah', role: 'a contact at a public body' });
  });

  it('a staff reply is internal unless its first line shares it', async () => {
    const c = await contactedCase();
    // The caseworker was e-mailed when the case was assigned to them: their reply answers that.
    const ours = await emailTo(c.id, t.demo.users.caseworker.id);
    const internal = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Re: case', text: 'Note to self: call them Monday.' }), ours.address);
    expect(await note(internal.row.note_id)).toMatchObject({ visibility: 'internal', author_id: t.demo.users.caseworker.id, body: 'Note to self: call them Monday.' });
    const shared = await deliver(await compose({ from: ours.email, to: ours.address, subject: 'Re: case', text: 'Share with everyone\n\nWe will meet the council on 12 January.' }), ours.address);
    expect(await note(shared.row.note_id)).toMatchObject({ visibility: 'parties', body: 'We will meet the council on 12 January.' });
  });

  it('the mail to sort API: staff only, ids checked, bad input named, file and discard once', async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const waiting = await deliver(await compose({ from: 'Rita at home <rita.home@example.org>', to: ours.address, subject: 'From my other address', text: 'Please add this to the case.' }), ours.address);
    expect(waiting.row.why_to_sort).toBe('wrong-sender');
    const other = await deliver(await compose({ from: 'spam@example.net', to: 'nobody@compact-cases.example', subject: 'Win a prize', text: 'Click here.' }), 'nobody@compact-cases.example');

    for (const who of ['reporter', 'mediator'] as const) {
      await t.http.get('/api/inbound-mail').set(d.auth(who)).expect(403);
      await t.http.get(`/api/inbound-mail/${waiting.id}`).set(d.auth(who)).expect(403);
      await t.http.post(`/api/inbound-mail/${waiting.id}/discard`).set(d.auth(who)).send({}).expect(403);
    }
    await t.http.get('/api/inbound-mail').expect(401);
    await t.http.get('/api/inbound-mail/not-an-id').set(d.auth('caseworker')).expect(404);
    await t.http.get(`/api/inbound-mail/${randomUUID()}`).set(d.auth('caseworker')).expect(404);
    const badStatus = await t.http.get('/api/inbound-mail?status=lost').set(d.auth('caseworker')).expect(400);
    expect(badStatus.body.errors[0].field).toBe('status');
    await t.http.get('/api/inbound-mail?limit=0').set(d.auth('caseworker')).expect(400);

    const shown = await t.http.get(`/api/inbound-mail/${waiting.id}`).set(d.auth('admin')).expect(200);
    expect(shown.body).toMatchObject({ fromAddress: 'rita.home@example.org', fromName: 'Rita at home', subject: 'From my other address', senderAccount: null, fullText: expect.stringContaining('Please add this') });
    const original = await t.http.get(`/api/inbound-mail/${waiting.id}/original`).set(d.auth('caseworker')).expect(200);
    expect(original.headers['content-type']).toContain('message/rfc822');
    expect(original.headers['content-disposition']).toMatch(/^attachment; filename="e-mail-.*\.eml"$/);

    const file = (body: unknown) => t.http.post(`/api/inbound-mail/${waiting.id}/file`).set(d.auth('caseworker')).send(body as object);
    const fields = (res: { body: { errors: Array<{ field: string }> } }) => [...new Set(res.body.errors.map((e) => e.field))];
    expect(fields(await file({ as: 'note' }).expect(400))).toEqual(['caseReference']);
    expect((await file({ caseReference: c.reference, as: 'letter' }).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['as']);
    expect((await file({ caseReference: c.reference, as: 'note', extra: 1 }).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['extra']);
    expect((await file({ caseReference: 'CB-1999-99999', as: 'note' }).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['caseReference']);
    // The sender has no account: it cannot be a message from them.
    const refused = await file({ caseReference: c.reference, as: 'message' }).expect(409);
    expect(refused.body.code).toBe('SENDER_CANNOT_SEE_CASE');
    expect(await notesOf(c.id)).toEqual([]);

    const filed = await file({ caseReference: c.reference.toLowerCase(), as: 'note' }).expect(200);
    expect(filed.body).toMatchObject({ caseId: c.id, caseReference: c.reference, filedAs: 'note' });
    const n = await note(filed.body.noteId);
    expect(n).toMatchObject({ visibility: 'internal', author_id: t.demo.users.caseworker.id });
    expect(n.body).toMatch(/^E-mail from Rita at home \(rita\.home@example\.org\), received .*, subject "From my other address":\n\nPlease add this to the case\.$/);
    await file({ caseReference: c.reference, as: 'note' }).expect(409);
    await t.http.post(`/api/inbound-mail/${waiting.id}/discard`).set(d.auth('caseworker')).send({}).expect(409);

    const discarded = await t.http.post(`/api/inbound-mail/${other.id}/discard`).set(d.auth('admin')).send({}).expect(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', handledByName: 'Ada Administrator' });
    await t.http.post(`/api/inbound-mail/${other.id}/discard`).set(d.auth('admin')).send({}).expect(409);
    const list = await t.http.get('/api/inbound-mail').set(d.auth('caseworker')).expect(200);
    expect(list.body.map((m: { id: string }) => m.id)).not.toEqual(expect.arrayContaining([waiting.id]));
    expect(list.body.map((m: { id: string }) => m.id)).not.toEqual(expect.arrayContaining([other.id]));
    const gone = await t.http.get('/api/inbound-mail?status=discarded').set(d.auth('caseworker')).expect(200);
    expect(gone.body.map((m: { id: string }) => m.id)).toContain(other.id);
  });

  it('filing a waiting e-mail as a message from its sender puts it on the case as theirs, with its attachments and notices', async () => {
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    // Sent to the right case's address, but too late: a caseworker decides it belongs there.
    await t.db.query(`UPDATE notifications SET created_at = now() - interval '200 days' WHERE id = $1`, [ours.id]);
    const raw = await compose({ from: ours.email, to: ours.address, subject: 'Re: late', text: 'Here is the letter after all.', attachments: [{ filename: 'letter.pdf', content: PDF }] });
    const late = await deliver(raw, ours.address);
    expect(late.row.why_to_sort).toBe('expired');
    const filed = await t.http.post(`/api/inbound-mail/${late.id}/file`).set(d.auth('caseworker')).send({ caseReference: c.reference, as: 'message' }).expect(200);
    expect(filed.body).toMatchObject({ filedAs: 'message', attachmentsKept: 1, attachmentsRefused: 0 });
    expect(await note(filed.body.noteId)).toMatchObject({ author_id: t.demo.users.reporter.id, visibility: 'shared', body: expect.stringContaining('Here is the letter after all.') });
    expect((await t.db.query(`SELECT file_name, uploaded_by FROM evidence WHERE case_id = $1`, [c.id]))).toEqual([{ file_name: 'letter.pdf', uploaded_by: t.demo.users.reporter.id }]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND template = 'messageReceived'`, [c.id]))[0].n).toBe(1);
    const [row] = await t.db.query(`SELECT status, handled_by, note_id FROM inbound_mail WHERE id = $1`, [late.id]);
    expect(row).toEqual({ status: 'filed', handled_by: t.demo.users.caseworker.id, note_id: filed.body.noteId });
  });

  it('a worker killed half way through an e-mail leaves it received with nothing written; the next worker files it once', async () => {
    // The worker of this file stops; a worker process of its own, which can be killed outright, takes over.
    await worker.close();
    const c = await acceptedCase();
    const ours = await emailTo(c.id, t.demo.users.reporter.id);
    const raw = await compose({ from: ours.email, to: ours.address, subject: 'Re: interrupted', text: 'This must land exactly once.', attachments: [{ filename: 'proof.pdf', content: PDF }] });
    // Holding the case row stops the worker's transaction half way: it has locked the e-mail's row
    // and waits for the case (the statement that reads the answered e-mail and its case).
    const holder = new Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [c.id]);
      const { id } = await mailbox.accept(raw, { transport: 'smtp', envelopeTo: [ours.address] });
      const child = spawnWorker(config);
      try {
        await waitFor(
          'the worker to be half way through the e-mail',
          async () => (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT n.id AS "notificationId"%'`))[0].n,
          (n) => n > 0,
          60_000,
        );
        child.kill('SIGKILL');
        await once(child, 'exit');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await holder.query('ROLLBACK');
      // The dead worker's session goes once PostgreSQL notices; until then its row lock stays, and nothing commits.
      await waitFor('the killed worker\'s session to end', async () => (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT n.id AS "notificationId"%' AND state <> 'idle'`))[0].n, (n) => n === 0);
      const [left] = await t.db.query(`SELECT status, attempts, note_id FROM inbound_mail WHERE id = $1`, [id]);
      expect(left).toEqual({ status: 'received', attempts: 1, note_id: null });
      expect(await notesOf(c.id)).toEqual([]);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM evidence WHERE case_id = $1`, [c.id]))[0].n).toBe(0);

      worker = await startWorker(config);
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'filed', attempts: 2 });
      expect((await notesOf(c.id)).map((n: { body: string }) => n.body)).toEqual([expect.stringMatching(/^This must land exactly once\./)]);
      expect((await t.db.query(`SELECT file_name FROM evidence WHERE case_id = $1`, [c.id])).map((e: { file_name: string }) => e.file_name)).toEqual(['proof.pdf']);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND template = 'messageReceived'`, [c.id]))[0].n).toBe(1);
    } finally {
      await holder.end().catch(() => undefined);
    }
  }, 120_000);
});
