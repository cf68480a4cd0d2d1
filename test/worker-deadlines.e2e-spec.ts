import { INestApplicationContext } from '@nestjs/common';
import { englandAndWales } from '@cc/calendar';
import { TokenService } from '@cc/identity';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * Each clock fires the right event or notice, through the real worker (BullMQ on real Redis) and
 * a real SMTP server. Time is not waited for: a test moves a deadline's due time into the past,
 * as if the working days had gone by.
 */
describe('deadlines and e-mail through the worker (PostgreSQL, Redis, SMTP)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    t = await startTestApp('deadlines');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('deadlines');
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url));
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
  });

  const deadline = async (caseId: string, kind: string) =>
    (await t.db.query(`SELECT * FROM deadlines WHERE case_id = $1 AND kind = $2 ORDER BY started_at DESC LIMIT 1`, [caseId, kind]))[0];
  const expire = (id: string, column = 'due_at') => t.db.query(`UPDATE deadlines SET ${column} = now() - interval '1 second' WHERE id = $1`, [id]);
  const mailFor = (reference: string, subject: RegExp) => smtp.received.filter((m) => m.subject.includes(reference) && subject.test(m.subject));
  const state = async (caseId: string) => (await d.get('caseworker', caseId)).body.state;

  it('acknowledges a report to the reporter and tells the caseworkers, once each', async () => {
    const { id, reference } = await d.file();
    const sent = await waitFor(
      'acknowledgement and new-report e-mails',
      async () => t.db.query(`SELECT status, recipient_email, message_id, smtp_response FROM notifications WHERE case_id = $1`, [id]),
      (rows) => rows.length > 0 && rows.every((r: { status: string }) => r.status === 'sent'),
    );
    const recipients = sent.map((r: { recipient_email: string }) => r.recipient_email).sort();
    expect(recipients).toEqual(['caseworker2@demo.compact.test', 'caseworker@demo.compact.test', 'reporter@demo.compact.test']);
    for (const row of sent) {
      expect(row.smtp_response).toMatch(/250/);
      const arrived = smtp.received.filter((m) => m.messageId === row.message_id);
      expect(arrived).toHaveLength(1);
      expect(arrived[0].subject).toContain(reference);
      // Quoted-printable may fold long lines with soft breaks.
      expect(arrived[0].raw.replace(/=\r?\n/g, "")).toContain(`/cases/${id}`);
    }
  });

  it('triage: overdue after 5 working days tells the caseworkers, without moving the case', async () => {
    const { id, reference } = await d.file();
    const triage = await deadline(id, 'triage');
    expect(triage.status).toBe('pending');
    await expire(triage.id);
    await waitFor('triage deadline to fire', () => deadline(id, 'triage'), (row) => row.status === 'fired');
    await waitFor('overdue e-mail', async () => mailFor(reference, /overdue/i), (m) => m.length >= 1);
    expect(await state(id)).toBe('submitted');
  });

  it('information request: the triage clock pauses while the reporter answers and resumes with the time left', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const before = await deadline(id, 'triage');
    await d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'When did the council write?' });
    const paused = await deadline(id, 'triage');
    expect(paused.status).toBe('paused');
    expect(Number(paused.remaining_ms)).toBeGreaterThan(0);
    expect((await deadline(id, 'informationRequest')).status).toBe('pending');
    await d.send('reporter', id, { type: 'PROVIDE_INFO', answer: 'On 1 October.' });
    const resumed = await deadline(id, 'triage');
    expect(resumed.status).toBe('pending');
    expect(resumed.id).toBe(before.id);
    // No working time passed while paused (same day), so the due time hardly moves.
    expect(Math.abs(new Date(resumed.due_at).getTime() - new Date(before.due_at).getTime())).toBeLessThan(60 * 60 * 1000);
    expect((await deadline(id, 'informationRequest')).status).toBe('met');
  });

  it('information request: expiry lapses the case and tells the reporter', async () => {
    const { id, reference } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'Do you have the letter?' });
    await expire((await deadline(id, 'informationRequest')).id);
    await waitFor('the case to lapse', () => state(id), (s) => s === 'closed');
    expect((await d.get('reporter', id)).body.outcome).toBe('lapsed');
    const timeline = await d.timeline('caseworker', id);
    expect(timeline[timeline.length - 1]).toMatchObject({ type: 'INFORMATION_OVERDUE' });
    expect((await deadline(id, 'informationRequest')).status).toBe('fired');
    expect((await deadline(id, 'triage')).status).toBe('cancelled');
    await waitFor('closure e-mail to the reporter', async () => mailFor(reference, /./).filter((m) => m.to.includes('reporter@')), (m) => m.length >= 2);
  });

  it("the public body's reply: reminder at 15 working days, overdue at 20, CHASE gives 10 more", async () => {
    const { id: caseId, reference } = await d.file();
    await d.send('caseworker', caseId, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', caseId, { type: 'ACCEPT' });
    await d.send('caseworker', caseId, { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.', contactEmail: 'grants@council.example' });
    const reply = await deadline(caseId, 'respondentReply');
    expect(reply.reminder_at).not.toBeNull();
    expect(new Date(reply.reminder_at).getTime()).toBeLessThan(new Date(reply.due_at).getTime());
    await expire(reply.id, 'reminder_at');
    // Waits for the reminder itself: on version 2 the contact e-mail also reaches this address first.
    const [reminderMail] = await waitFor(
      'reminder to the public body',
      () => t.db.query(`SELECT data, message_id FROM notifications WHERE deadline_id = $1 AND recipient_email = 'grants@council.example' AND status = 'sent'`, [reply.id]),
      (rows: Array<{ data: unknown; message_id: string }>) => rows.length >= 1,
    );
    expect(smtp.received.some((m) => m.to.includes('grants@council.example') && m.messageId === reminderMail.message_id && m.subject.includes(reference))).toBe(true);
    expect(reminderMail.data).toMatchObject({ deadlineKind: 'respondentReply', dueAt: new Date(reply.due_at).toISOString() });
    expect(await state(caseId)).toBe('advocacy.awaitingResponse');
    await expire(reply.id);
    await waitFor('response overdue', () => state(caseId), (s) => s === 'advocacy.responseOverdue');
    await d.send('caseworker', caseId, { type: 'CHASE', note: 'Chased by phone.' });
    const chased = await deadline(caseId, 'respondentReply');
    expect(chased.id).not.toBe(reply.id);
    expect(chased.status).toBe('pending');
  });

  it('fee agreement: expiry takes the case back to advocacy review', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 50_000, reporterSharePercent: 50 });
    await expire((await deadline(id, 'feeAgreement')).id);
    await waitFor('back to review', () => state(id), (s) => s === 'advocacy.reviewing');
  });

  it('mediation session: a reminder two days before, to the parties and the mediator', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    const startsAt = new Date(Date.now() + 2 * 24 * 3600 * 1000 + 1500).toISOString();
    await d.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt, location: 'Civic Centre' });
    const reminder = await deadline(id, 'sessionReminder');
    expect(new Date(startsAt).getTime() - new Date(reminder.due_at).getTime()).toBe(2 * 24 * 3600 * 1000);
    // Due in about 1.5 s: the wake-up job alone must fire it, well before the sweeper's next pass.
    await waitFor('session reminder', () => deadline(id, 'sessionReminder'), (row) => row.status === 'fired', 10_000);
    const { reference } = (await d.get('caseworker', id)).body;
    const to = await waitFor('reminder e-mails', async () => mailFor(reference, /reminder|session/i).map((m) => m.to), (m) => m.length >= 2);
    expect(to.join(' ')).toContain('mediator@demo.compact.test');
    expect(to.join(' ')).toContain('reporter@demo.compact.test');
  });

  it('negotiation review and monitoring: overdue notices to the caseworker', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    await expire((await deadline(id, 'negotiationReview')).id);
    await waitFor('negotiation review fired', () => deadline(id, 'negotiationReview'), (row) => row.status === 'fired');
    await d.send('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: MONITOR_UNTIL });
    const monitoring = await deadline(id, 'monitoring');
    // The end of that day in London (30 June is in BST, an hour ahead of UTC).
    expect(MONITOR_UNTIL).toMatch(/^\d{4}-06-30$/);
    expect(new Date(monitoring.due_at).toISOString()).toBe(`${MONITOR_UNTIL}T22:59:59.999Z`);
    await expire(monitoring.id);
    await waitFor('monitoring fired', () => deadline(id, 'monitoring'), (row) => row.status === 'fired');
    const notices = await t.db.query(
      `SELECT n.template, n.recipient_email, n.data, n.deadline_id, d.due_at FROM notifications n JOIN deadlines d ON d.id = n.deadline_id
        WHERE n.case_id = $1 AND n.template = 'deadlineOverdue' ORDER BY n.created_at`,
      [id],
    );
    expect(notices.map((n: { recipient_email: string }) => n.recipient_email)).toEqual(['caseworker@demo.compact.test', 'caseworker@demo.compact.test']);
    // The e-mail says which clock ran out and when it was due.
    expect(notices.map((n: { data: { deadlineKind: string } }) => n.data.deadlineKind)).toEqual(['negotiationReview', 'monitoring']);
    for (const n of notices) expect(n.data.dueAt).toBe(new Date(n.due_at).toISOString());
  });

  it('a deadline the case no longer waits for is never fired', async () => {
    const { id } = await d.file();
    await d.send('reporter', id, { type: 'WITHDRAW' });
    const triage = await deadline(id, 'triage');
    expect(triage.status).toBe('cancelled');
    await expire(triage.id);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await deadline(id, 'triage')).status).toBe('cancelled');
  });

  /** A contact of the case's public body, named on the case when it is contacted, signed in with a bearer token. */
  let contact: { id: string; email: string; auth: Record<string, string> } | undefined;
  async function publicBodyContact() {
    if (contact) return contact;
    const email = 'esme.extension@harborough.gov.uk';
    const res = await t.http.post(`/api/organisations/${t.demo.organisations.harboroughCouncil}/contacts`).set(d.auth('caseworker')).send({ name: 'Esme Extension', email, jobTitle: 'Grants manager' });
    expect(res.status).toBe(201);
    const { token } = await t.app.get(TokenService).issue(res.body.userId, 0);
    contact = { id: res.body.id, email, auth: { Authorization: `Bearer ${token}` } };
    return contact;
  }

  /** The public body asks for more time (version 2) and the caseworker grants these working days. */
  async function grantExtension(caseId: string, workingDays: number): Promise<void> {
    const asked = await t.http.post(`/api/cases/${caseId}/events`).set((await publicBodyContact()).auth).send({ type: 'REQUEST_EXTENSION', reason: 'Our officer is away.', workingDays });
    expect(asked.status).toBe(200);
    await d.send('caseworker', caseId, { type: 'GRANT_EXTENSION', workingDays });
  }

  async function contacted(): Promise<{ id: string; reference: string }> {
    const filed = await d.file();
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    await d.send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.', contactIds: [(await publicBodyContact()).id] });
    return filed;
  }

  it("an extension moves the public body's reply clock and its reminder by working days over the bank holidays", async () => {
    const { id: caseId, reference } = await contacted();
    const reply = await deadline(caseId, 'respondentReply');
    // Wednesday 23 December 2026, 5pm; its reminder a week before.
    await t.db.query(`UPDATE deadlines SET due_at = '2026-12-23T17:00:00Z', reminder_at = '2026-12-16T17:00:00Z' WHERE id = $1`, [reply.id]);
    await grantExtension(caseId, 5);
    const moved = await deadline(caseId, 'respondentReply');
    expect(moved.id).toBe(reply.id);
    expect(moved.status).toBe('pending');
    // Christmas (Fri 25), Boxing Day's substitute (Mon 28) and New Year's Day (Fri 1 Jan) are not working days:
    // Thu 24, Tue 29, Wed 30, Thu 31 December and Mon 4 January.
    expect(new Date(moved.due_at).toISOString()).toBe('2027-01-04T17:00:00.000Z');
    // The reminder moves the same way: Thu 17, Fri 18, Mon 21, Tue 22, Wed 23 December.
    expect(new Date(moved.reminder_at).toISOString()).toBe('2026-12-23T17:00:00.000Z');
    // The e-mails of the same statement give the new date, and the public body's says to reply by it.
    const notices = await t.db.query(`SELECT recipient_email, data FROM notifications WHERE case_id = $1 AND template = 'extensionGranted' ORDER BY recipient_email`, [caseId]);
    // extensionGranted goes to both sides.
    expect(notices.map((n: { recipient_email: string }) => n.recipient_email)).toEqual(['esme.extension@harborough.gov.uk', 'reporter@demo.compact.test']);
    for (const n of notices) expect(n.data).toMatchObject({ deadlineKind: 'respondentReply', dueAt: '2027-01-04T17:00:00.000Z' });
    const [mail] = await waitFor('the extension e-mail to the public body', async () => mailFor(reference, /more time/i).filter((m) => m.to.includes('esme.extension@harborough.gov.uk')), (m) => m.length >= 1);
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain('Please reply by Monday 4 January 2027.');
  });

  it('a moved clock does not fire at its old time: the wake-up already queued finds it not yet due', async () => {
    const { id: caseId } = await contacted();
    const reply = await deadline(caseId, 'respondentReply');
    // Due in a few seconds, and relayed: a wake-up job for that moment is in Redis.
    await t.db.query(`UPDATE deadlines SET due_at = date_trunc('milliseconds', now() + interval '4 seconds'), reminder_at = NULL WHERE id = $1`, [reply.id]);
    const soon: Date = (await deadline(caseId, 'respondentReply')).due_at;
    await waitFor('the wake-up for the old time to be queued', () => deadline(caseId, 'respondentReply'), (row) => row.wakeup_for && new Date(row.wakeup_for).getTime() === new Date(soon).getTime());
    await grantExtension(caseId, 3);
    const moved = await deadline(caseId, 'respondentReply');
    expect(new Date(moved.due_at).getTime()).toBeGreaterThan(new Date(soon).getTime() + 2 * 24 * 3600 * 1000);
    // The relay queues a wake-up for the new time...
    await waitFor('the wake-up for the new time to be queued', () => deadline(caseId, 'respondentReply'), (row) => new Date(row.wakeup_for).getTime() === new Date(moved.due_at).getTime());
    // ...and the old one, when it comes, fires nothing.
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(soon).getTime() - Date.now()) + 2500));
    expect((await deadline(caseId, 'respondentReply')).status).toBe('pending');
    expect(await state(caseId)).toBe('advocacy.awaitingResponse');
    // At its new time (moved into the past here) it fires as before.
    await expire(reply.id);
    await waitFor('response overdue', () => state(caseId), (s) => s === 'advocacy.responseOverdue');
  });

  it('a request still pending when the reply falls overdue may be granted: a fresh clock of the days granted, its date in the e-mails', async () => {
    const { id: caseId } = await contacted();
    const asked = await t.http.post(`/api/cases/${caseId}/events`).set((await publicBodyContact()).auth).send({ type: 'REQUEST_EXTENSION', reason: 'Our officer is away.', workingDays: 4 });
    expect(asked.status).toBe(200);
    const first = await deadline(caseId, 'respondentReply');
    await expire(first.id);
    await waitFor('response overdue', () => state(caseId), (s) => s === 'advocacy.responseOverdue');
    await d.send('caseworker', caseId, { type: 'GRANT_EXTENSION', workingDays: 4 });
    expect(await state(caseId)).toBe('advocacy.awaitingResponse');
    const fresh = await deadline(caseId, 'respondentReply');
    expect(fresh.id).not.toBe(first.id);
    expect(new Date(fresh.due_at).toISOString()).toBe(englandAndWales.addWorkingDays(new Date(fresh.started_at), 4).toISOString());
    const notices = await t.db.query(`SELECT data FROM notifications WHERE case_id = $1 AND template = 'extensionGranted'`, [caseId]);
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) expect(n.data.dueAt).toBe(new Date(fresh.due_at).toISOString());
  });
});
