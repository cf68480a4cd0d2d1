import { INestApplicationContext } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { englandAndWales } from '@cc/calendar';
import { TokenService } from '@cc/identity';
import { NotificationWriter } from '@cc/notifications';
import { formatDateTimeWithDay, formatDateWithDay } from '@cc/wording';
import { DEADLINE_KINDS, REJECTION_REASONS, type NotificationTemplate } from '@cc/workflows';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * The public body's e-mails, end to end: written by the transition (or the writer), sent by the
 * real worker through a real SMTP server, and read as the contact reads them. Respondent contacts
 * are written with SQL here (an account of the respondent role, its registry contact, and the row
 * naming it on the case), as the registry keeps them.
 */
describe("the public body's e-mails (PostgreSQL, Redis, SMTP)", () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    t = await startTestApp('respondent-notices');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('respondent-notices');
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url));
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
  });

  let n = 0;
  async function respondentContact(name: string) {
    const email = `contact${++n}.${Date.now()}@harborough.gov.uk`;
    const [user] = await t.db.query(
      `INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES ($1, $2, 'respondent', $3, '!') RETURNING id`,
      [email, name, t.demo.organisations.harboroughCouncil],
    );
    const [contact] = await t.db.query(
      `INSERT INTO respondent_contacts (organisation_id, user_id, name, email, job_title) VALUES ($1, $2, $3, $4, 'Head of Commissioning') RETURNING id`,
      [t.demo.organisations.harboroughCouncil, user.id, name, email],
    );
    return { email, userId: user.id as string, contactId: contact.id as string };
  }
  const nameOnCase = (caseId: string, contactId: string) => t.db.query(`INSERT INTO case_contacts (case_id, contact_id) VALUES ($1, $2)`, [caseId, contactId]);

  /** A filed, accepted case waiting for the caseworker to contact the public body. */
  async function acceptedCase(report: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const filed = await d.file('reporter', report);
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    return filed;
  }

  /** The messages that reached an address about a case (only those of `templates` when given), decoded. */
  async function mailsTo(address: string, reference: string, atLeast = 1, templates?: string[]) {
    const ids = templates
      ? new Set<string>(
          (await t.db.query(`SELECT message_id FROM notifications WHERE recipient_email = $1 AND template = ANY($2)`, [address, templates])).map((r: { message_id: string }) => r.message_id),
        )
      : undefined;
    const arrived = await waitFor(
      `e-mail to ${address} about ${reference}`,
      async () => smtp.received.filter((m) => m.rcpt.includes(address) && m.subject.includes(reference) && (!ids || ids.has(m.messageId))),
      (m) => m.length >= atLeast,
    );
    return Promise.all(
      arrived.map(async (m) => {
        const parsed = await simpleParser(m.raw);
        return { rcpt: m.rcpt, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', raw: m.raw };
      }),
    );
  }

  it('writes to the contacts named on the case, as their accounts, with the date to reply by', async () => {
    const { id, reference } = await acceptedCase();
    const head = await respondentContact('Helen Head');
    const deputy = await respondentContact('Dev Deputy');
    const notNamed = await respondentContact('Nora Notnamed');
    await nameOnCase(id, head.contactId);
    await nameOnCase(id, deputy.contactId);
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the head of commissioning.' });
    const [due] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [id]);
    for (const contact of [head, deputy]) {
      const [mail] = await mailsTo(contact.email, reference);
      expect(mail.rcpt).toEqual([contact.email]);
      expect(mail.subject).toBe(`[${reference}] Report of a Compact breach: Grant ended with two weeks notice`);
      expect(mail.text).toContain('Riverside Community Foodbank has reported that Harborough District Council has not kept a commitment in the Compact.');
      expect(mail.text).toContain(`Please reply to us by ${formatDateWithDay(due.due_at.toISOString())}.`);
      // Nobody else's address is in it.
      expect(mail.raw).not.toMatch(/demo\.compact\.test/);
      // Their account's single-use sign-in link, minted as it went.
      expect(mail.text).toMatch(/Sign in to see the case and reply: http\S+\/sign-in\/link\/[\w-]{20,}/);
    }
    const rows = await t.db.query(`SELECT recipient_email, recipient_user_id, recipient_role FROM notifications WHERE case_id = $1 AND template = 'respondentContacted' AND recipient_role = 'respondent'`, [id]);
    expect(rows.map((r: { recipient_user_id: string }) => r.recipient_user_id).sort()).toEqual([head.userId, deputy.userId].sort());
    // Wait for the reporter's copy too: by then every e-mail of the change has gone, and none to the contact not named.
    await mailsTo('reporter@demo.compact.test', reference, 2);
    expect(smtp.received.filter((m) => m.rcpt.includes(notNamed.email))).toEqual([]);
  });

  it('writes to a contact the contacting event itself names, in the same change that names it', async () => {
    const { id, reference } = await acceptedCase();
    const named = await respondentContact('Ivy Inline');
    const res = await d.raw('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to Ivy.', contactIds: [named.contactId] });
    expect(res.status).toBe(200);
    const [mail] = await mailsTo(named.email, reference);
    expect(mail.subject).toContain('Report of a Compact breach');
    expect(mail.text).toContain('Dear Ivy Inline,');
  });

  it('never names to the public body a reporter who asked not to be named', async () => {
    // The reporter says so when filing.
    const { id, reference } = await acceptedCase({ reporterMayBeNamed: false });
    const head = await respondentContact('Hugo Head');
    await nameOnCase(id, head.contactId);
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.' });
    await d.send('caseworker', id, { type: 'RECORD_RESPONSE', summary: 'The council says notice was given by phone.' });
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 60_000, reporterSharePercent: 50 });
    // Contacted, referred to mediation, the fee quoted.
    const mails = await mailsTo(head.email, reference, 3);
    for (const mail of mails) {
      for (const out of [mail.subject, mail.text, mail.html, mail.raw]) {
        expect(out).not.toMatch(/Riverside|Rita Reporter|reporter@|caseworker@/);
      }
    }
    const contacted = mails.find((m) => m.subject.includes('Report of a Compact breach'))!;
    expect(contacted.text).toContain('A voluntary organisation in Harborough has reported that Harborough District Council has not kept a commitment');
    const fee = mails.find((m) => /fee/i.test(m.subject))!;
    expect(fee.text).toContain('You pay:\n£300.00 (50%)');
    // What to do, and by the date the fee clock set in the same change.
    const [agree] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'feeAgreement' AND status = 'pending'`, [id]);
    expect(fee.text).toContain(`Tell us whether you agree the fee by ${formatDateWithDay(agree.due_at.toISOString())}.`);
    // The reporter is still told in their own words, and staff still see who reported.
    const [toStaff] = await t.db.query(`SELECT data FROM notifications WHERE case_id = $1 AND recipient_role = 'caseworker' LIMIT 1`, [id]);
    expect(toStaff.data.reportingOrganisationName).toBe('Riverside Community Foodbank');
  });

  it("renders every version 2 notice for each reader in plain words, with no codes, ISO times or pence", async () => {
    const { id, reference } = await acceptedCase();
    const head = await respondentContact('Rhea Reader');
    await nameOnCase(id, head.contactId);
    await t.db.query(`UPDATE cases SET mediator_id = $2 WHERE id = $1`, [id, t.demo.users.mediator.id]);
    const templates: NotificationTemplate[] = [
      'extensionRequested',
      'extensionGranted',
      'extensionRefused',
      'feePaymentReported',
      'sessionTimesProposed',
      'actionsReportedDone',
      'reviewRequested',
      'rejectionUpheld',
      'reopenedAfterReview',
    ];
    const details = {
      reason: 'Our grants officer is on leave until January.',
      workingDays: 10,
      note: 'Paid by BACS.',
      party: 'respondent',
      times: ['2027-01-12T10:00:00.000Z', '2027-01-14T14:30:00.000Z'],
      summary: 'The grant was restored on 1 December.',
      explanation: 'The report is within the Compact after all.',
    };
    const writer = t.app.get(NotificationWriter);
    for (const template of templates) {
      const written = await writer.write(t.db.manager, { caseId: id, template, audience: ['reporter', 'assignee', 'mediator', 'respondent'], details, clock: { kind: 'respondentReply', dueAt: '2027-01-29T17:00:00.000Z' } });
      expect(written).toBe(4);
    }
    // Only the codes that are not English words too ("triage" is both): camelCase or dotted.
    const codes = [...templates, ...Object.keys(DEADLINE_KINDS), ...REJECTION_REASONS, 'advocacy.awaitingResponse'].filter((c) => /[A-Z.]/.test(c));
    for (const address of ['reporter@demo.compact.test', 'caseworker@demo.compact.test', 'mediator@demo.compact.test', head.email]) {
      const mails = await mailsTo(address, reference, templates.length, templates);
      expect(mails).toHaveLength(templates.length);
      for (const mail of mails) {
        const words = `${mail.subject}\n${mail.text}`.replace(/https?:\/\/\S+/g, '');
        expect(words).not.toMatch(/undefined|NaN|\[object|\bnull\b|\bpence\b|\d{4}-\d{2}-\d{2}|\{\{|\}\}/);
        for (const code of codes) expect(words).not.toContain(code);
      }
    }
    const toContact = await mailsTo(head.email, reference, templates.length, templates);
    expect(toContact.find((m) => m.subject.includes('You have more time to reply'))!.text).toContain('Please reply by Friday 29 January 2027.');
    for (const mail of toContact) expect(mail.raw).not.toMatch(/demo\.compact\.test/);
  });

  it('version 2 over HTTP: a party reporting its share paid tells the caseworker, and times offered for a session tell the mediator', async () => {
    const id = await d.toAdvocacyReview();
    const { reference } = (await d.get('caseworker', id)).body;
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 60_000, reporterSharePercent: 50 });
    await d.send('reporter', id, { type: 'AGREE_FEE', party: 'reporter' });
    await d.send('caseworker', id, { type: 'AGREE_FEE', party: 'respondent' });
    await d.send('reporter', id, { type: 'REPORT_FEE_PAID', party: 'reporter' });
    const [payment] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'feePayment' AND status = 'pending'`, [id]);
    const [paid] = await mailsTo('caseworker@demo.compact.test', reference, 1, ['feePaymentReported']);
    expect(paid.subject).toBe(`[${reference}] Share of the mediation fee reported paid: Grant ended with two weeks notice`);
    expect(paid.text).toContain(`The fee is due in full:\n${formatDateWithDay(payment.due_at.toISOString())}`);
    expect(paid.text).toContain('Check that the payment has arrived, then record it on the case page.');
    expect(paid.text).toContain('Riverside Community Foodbank says it has paid its share of the mediation fee.');

    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    const times = [new Date(Date.now() + 14 * 86_400_000).toISOString(), new Date(Date.now() + 15 * 86_400_000).toISOString()];
    await d.send('reporter', id, { type: 'PROPOSE_SESSION_TIMES', times });
    const [offered] = await mailsTo('mediator@demo.compact.test', reference, 1, ['sessionTimesProposed']);
    expect(offered.subject).toBe(`[${reference}] Times offered for a mediation session: Grant ended with two weeks notice`);
    expect(offered.text).toContain('Pick a time that suits both sides and arrange the session on the case page.');
    expect(offered.text).toContain(`Times offered:\n- ${formatDateTimeWithDay(times[0])}\n- ${formatDateTimeWithDay(times[1])}\n`);
    expect(`${offered.subject}\n${offered.text}`).not.toMatch(/\d{4}-\d{2}-\d{2}|undefined|null/);
  });

  it('a message tells the other side (and the reporter unless it is only between the caseworker and the public body), in one statement with the message', async () => {
    const { id, reference } = await acceptedCase();
    const contact = await respondentContact('Mo Message');
    const { token } = await t.app.get(TokenService).issue(contact.userId, 0);
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to Mo.', contactIds: [contact.contactId] });

    const fromBody = await t.http.post(`/api/cases/${id}/messages`).set({ Authorization: `Bearer ${token}` }).send({ body: 'We need the grant letter, please.' });
    expect(fromBody.status).toBe(201);
    const [toCaseworker] = await mailsTo('caseworker@demo.compact.test', reference, 1, ['messageReceived']);
    expect(toCaseworker.subject).toBe(`[${reference}] Harborough District Council has sent a message: Grant ended with two weeks notice`);
    // The message is read on the case page, never copied into an e-mail.
    expect(toCaseworker.raw).not.toContain('grant letter');
    const [toReporter] = await mailsTo('reporter@demo.compact.test', reference, 1, ['messageReceived']);
    expect(toReporter.text).toContain('Harborough District Council has written a message on the case about your report.');

    // A message with nothing in it is refused, and tells nobody anything.
    const empty = await t.http.post(`/api/cases/${id}/messages`).set(d.auth('caseworker')).send({ body: '  ' });
    expect(empty.status).toBe(400);
    const onlyThem = await t.http.post(`/api/cases/${id}/messages`).set(d.auth('caseworker')).send({ body: 'Attached, as asked.', onlyBetweenUs: true });
    expect(onlyThem.status).toBe(201);
    const [toContact] = await mailsTo(contact.email, reference, 1, ['messageReceived']);
    expect(toContact.subject).toBe(`[${reference}] A message from the caseworker: Grant ended with two weeks notice`);
    expect(toContact.text).toMatch(/Sign in to see the case and reply: http\S+\/sign-in\/link\//);
    // Each message and its e-mails were written by one statement (one transaction time).
    const written = await t.db.query(`SELECT n.visibility, count(m.id)::int AS emails, array_agg(m.recipient_role ORDER BY m.recipient_role) AS roles
        FROM case_notes n JOIN notifications m ON m.case_id = n.case_id AND m.template = 'messageReceived' AND m.created_at = n.created_at
       WHERE n.case_id = $1 GROUP BY n.id, n.visibility ORDER BY n.created_at`, [id]);
    expect(written).toEqual([
      { visibility: 'parties', emails: 2, roles: ['caseworker', 'reporter'] },
      { visibility: 'respondent', emails: 1, roles: ['respondent'] },
    ]);
  });

  it('version 2 over HTTP: the public body asks for more time, the caseworker grants it, the clock moves and everyone is told the new date', async () => {
    const filed = await d.file('reporter', { reporterMayBeNamed: false });
    const { id, reference } = filed;
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'ACCEPT' });
    const contact = await respondentContact('Esme Extension');
    const { token } = await t.app.get(TokenService).issue(contact.userId, 0);
    const asContact = { Authorization: `Bearer ${token}` };
    // Named by the event itself: the cases library writes the case_contacts row in the same statement.
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to Esme.', contactIds: [contact.contactId] });
    const reply = (await t.db.query(`SELECT id, due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [id]))[0];
    const [contacted] = await mailsTo(contact.email, reference, 1, ['respondentContacted']);
    expect(contacted.text).toContain('A voluntary organisation in Harborough has reported that Harborough District Council has not kept a commitment');
    expect(contacted.text).toContain(`Please reply to us by ${formatDateWithDay(reply.due_at.toISOString())}.`);

    const asked = await t.http.post(`/api/cases/${id}/events`).set(asContact).send({ type: 'REQUEST_EXTENSION', reason: 'Our grants officer is on leave.', workingDays: 10 });
    expect(asked.status).toBe(200);
    const [request] = await mailsTo('caseworker@demo.compact.test', reference, 1, ['extensionRequested']);
    expect(request.text).toContain('Harborough District Council has asked for more time to reply');
    expect(request.text).toContain('Extra time asked for:\n10 working days');
    expect(request.text).toContain('Their reason:\nOur grants officer is on leave.');
    expect(request.text).toContain(`Their reply is due:\n${formatDateWithDay(reply.due_at.toISOString())}`);

    await d.send('caseworker', id, { type: 'GRANT_EXTENSION', workingDays: 5, note: 'Five working days is the most we can give.' });
    const moved = (await t.db.query(`SELECT id, due_at, status FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [id]))[0];
    expect(moved.id).toBe(reply.id);
    const newDue = englandAndWales.addWorkingDays(reply.due_at, 5);
    expect(moved.due_at.toISOString()).toBe(newDue.toISOString());
    const [granted] = await mailsTo(contact.email, reference, 1, ['extensionGranted']);
    expect(granted.subject).toBe(`[${reference}] You have more time to reply: Grant ended with two weeks notice`);
    expect(granted.text).toContain('We have given you 5 working days more to reply');
    expect(granted.text).toContain(`Please reply by ${formatDateWithDay(newDue.toISOString())}.`);
    expect(granted.text).toContain('Note from the caseworker:\nFive working days is the most we can give.');
    const [toReporter] = await mailsTo('reporter@demo.compact.test', reference, 1, ['extensionGranted']);
    expect(toReporter.text).toContain('We have given Harborough District Council 5 working days more to reply.');
    expect(toReporter.text).toContain(`Their reply is now due:\n${formatDateWithDay(newDue.toISOString())}`);
    for (const mail of await mailsTo(contact.email, reference, 2)) expect(mail.raw).not.toMatch(/Riverside|Rita Reporter|demo\.compact\.test/);
  });

  it('version 2 over HTTP: the reporter asks for a review of a rejection, and a different caseworker reopens the case', async () => {
    const { id, reference } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'The grant was not made under the Compact.' });
    await d.send('reporter', id, { type: 'REQUEST_REVIEW', reason: 'The grant letter cites the Compact.' });
    const [asked] = await mailsTo('caseworker2@demo.compact.test', reference, 1, ['reviewRequested']);
    expect(asked.text).toContain('Riverside Community Foodbank has asked for the decision to reject their report to be reviewed.');
    expect(asked.text).toContain('Their reason:\nThe grant letter cites the Compact.');
    await d.send('caseworker2', id, { type: 'REOPEN_AFTER_REVIEW', explanation: 'The letter does cite the Compact.' });
    const [triage] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'triage' AND status = 'pending'`, [id]);
    const [reopened] = await mailsTo('reporter@demo.compact.test', reference, 1, ['reopenedAfterReview']);
    expect(reopened.subject).toBe(`[${reference}] Your case has been reopened after review: Grant ended with two weeks notice`);
    expect(reopened.text).toContain('Explanation:\nThe letter does cite the Compact.');
    expect(reopened.text).toContain(`A caseworker will look at your report again by ${formatDateWithDay(triage.due_at.toISOString())} and tell you what happens next.`);
  });
});
