import { spawn } from 'node:child_process';
import { INestApplicationContext } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { Response } from 'superagent';
import { TokenService } from '@cc/identity';
import { LetterTemplates } from '@cc/letters';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { WebClient } from './support/web-client';
import { startWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * Letters end to end: every shipped template filled in for a real case and read back from its PDF
 * (pdf-parse), a letter sent through the outbox by the real worker to a real SMTP server, gaps
 * shown and sending refused with the list, administrators' edits, and who may do what.
 */
describe('letters (PostgreSQL, Redis, SMTP, PDF)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;
  const templates = new Map<string, { id: string; name: string }>();

  beforeAll(async () => {
    t = await startTestApp('letters');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('letters');
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url));
    const res = await t.http.get('/api/letter-templates').set(d.auth('caseworker')).expect(200);
    for (const row of res.body) if (row.defaultKey) templates.set(row.defaultKey, row);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
  });

  const idOf = (key: string) => {
    const found = templates.get(key);
    if (!found) throw new Error(`no default template ${key}`);
    return found.id;
  };
  const council = () => t.demo.respondents.council;

  async function assigned(report: Record<string, unknown> = {}) {
    const filed = await d.file('reporter', report);
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    return filed;
  }

  /** A case waiting for the council's reply: a 5-week consultation against 2.4, the council's contact named. */
  async function consultationCase(report: Record<string, unknown> = {}) {
    const filed = await assigned({
      commitments: ['2.4'],
      title: 'Consultation on youth services ran for five weeks',
      facts: { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-10-06' },
      ...report,
    });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    await d.send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.', contactIds: [council().contactId] });
    return filed;
  }

  const preview = (caseId: string, body: Record<string, unknown>, who: Parameters<CaseDriver['auth']>[0] = 'caseworker') =>
    t.http.post(`/api/cases/${caseId}/letters/preview`).set(d.auth(who)).send(body);

  async function draftText(caseId: string, body: Record<string, unknown>): Promise<string> {
    const res = await t.http.post(`/api/cases/${caseId}/letters/draft.pdf`).set(d.auth('caseworker')).send(body).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return pdfText(res.body as Buffer);
  }

  /** Fills the template in for the case, checks it has no gaps, and returns its PDF's text. */
  async function letterFor(caseId: string, key: string): Promise<string> {
    const p = await preview(caseId, { templateId: idOf(key) }).expect(200);
    expect({ key, gaps: p.body.gaps }).toEqual({ key, gaps: [] });
    const text = await draftText(caseId, { templateId: idOf(key) });
    expect(text).not.toMatch(/undefined|\[missing|\{\{|\}\}|NaN|\bnull\b/);
    return oneSpaced(text);
  }

  describe('every shipped letter, filled in for a real case and read from its PDF', () => {
    it('ships the fifteen defaults: first letter, chaser, request for information, a rejection per reason, a closing letter per outcome, fee quote, record of agreement', () => {
      expect([...templates.keys()].sort()).toEqual(
        [
          'first-letter',
          'chaser',
          'information-request',
          ...['not-compact-matter', 'respondent-not-signatory', 'out-of-time', 'insufficient-evidence', 'duplicate'].map((r) => `rejection-${r}`),
          ...['resolved', 'unresolved', 'rejected', 'withdrawn', 'lapsed'].map((o) => `closing-${o}`),
          'fee-quote',
          'record-of-agreement',
        ].sort(),
      );
    });

    it('the first letter and the chaser cite the commitment and say what the rule check found, in words, with the date to reply by', async () => {
      const c = await consultationCase();
      const [deadline] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [c.id]);
      const replyBy = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(deadline.due_at);
      const first = await letterFor(c.id, 'first-letter');
      expect(first).toContain('The Compact (2010), 2.4, asks for formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October 2026');
      expect(first).toContain('2.4: Where appropriate, conduct formal written consultations lasting 12 weeks');
      expect(first).toContain(`Please reply by ${replyBy}`);
      expect(first).toContain(c.reference);
      expect(first).toContain('Dear Priya Shah,');
      expect(first).toContain('Riverside Community Foodbank');
      const chaser = await letterFor(c.id, 'chaser');
      expect(chaser).toContain(`Please reply by ${replyBy}`);
      expect(chaser).toMatch(/We wrote to you on \d{1,2} \w+ \d{4}/);
    });

    it('the request for information asks the questions recorded and says by when', async () => {
      const c = await assigned();
      await d.send('caseworker', c.id, { type: 'REQUEST_INFO', questions: 'When did the council first write to you about the grant?' });
      const text = await letterFor(c.id, 'information-request');
      expect(text).toContain('When did the council first write to you about the grant?');
      expect(text).toMatch(/Please answer by \d{1,2} \w+ \d{4}/);
      // The questions go unanswered: the clock runs out (the worker's sweeper fires it) and the case lapses.
      await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 minute' WHERE case_id = $1 AND kind = 'informationRequest' AND status = 'pending'`, [c.id]);
      await waitFor('the case to lapse', async () => (await t.db.query(`SELECT outcome FROM cases WHERE id = $1`, [c.id]))[0].outcome, (o) => o === 'lapsed', 30_000);
      const lapsed = await letterFor(c.id, 'closing-lapsed');
      expect(lapsed).toContain('did not receive an answer in time');
      expect(lapsed).toContain('When did the council first write to you about the grant?');
      expect(lapsed).toMatch(/on \d{1,2} \w+ \d{4} we closed your case/);
    });

    it.each([
      ['notCompactMatter', 'not-compact-matter', 'it is not a matter the Compact covers'],
      ['respondentNotSignatory', 'respondent-not-signatory', 'the public body has not signed this Compact'],
      ['outOfTime', 'out-of-time', 'it was reported too long after it happened'],
      ['insufficientEvidence', 'insufficient-evidence', 'there was not enough evidence of a breach'],
      ['duplicate', 'duplicate', 'another case is already about the same thing'],
    ])('the rejection letter for %s says why, with the explanation', async (reason, key, because) => {
      const c = await assigned();
      await d.send('caseworker', c.id, { type: 'REJECT', reason, explanation: `Explained for ${key}.`, ...(reason === 'duplicate' ? { duplicateOfReference: 'CB-2026-00001' } : {}) });
      const text = await letterFor(c.id, `rejection-${key}`);
      expect(text).toContain(`we cannot take it up, because ${because}.`);
      expect(text).toContain(`Explained for ${key}.`);
      if (key === 'out-of-time') expect(await letterFor(c.id, 'closing-rejected')).toContain(`because ${because}`);
    });

    it('the record of agreement and the resolved closing letter list the agreed actions and the monitoring date', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'RESOLVE', agreedActions: ['Restore the grant until 31 March', 'Consult for 12 weeks next time'], monitorUntil: MONITOR_UNTIL });
      const monitored = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${MONITOR_UNTIL}T12:00:00Z`));
      const record = await letterFor(id, 'record-of-agreement');
      expect(record).toContain('1. Restore the grant until 31 March');
      expect(record).toContain('2. Consult for 12 weeks next time');
      expect(record).toContain(`until ${monitored}`);
      await d.send('caseworker', id, { type: 'CONFIRM_IMPLEMENTED', note: 'The council confirmed the grant is restored.' });
      const closing = await letterFor(id, 'closing-resolved');
      expect(closing).toContain('carried out the actions it agreed');
      expect(closing).toContain('Restore the grant until 31 March');
      expect(closing).toContain('The council confirmed the grant is restored.');
    });

    it('the closing letters for an unresolved and a withdrawn case', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'CLOSE_UNRESOLVED', reason: 'The council would not change its decision.' });
      const unresolved = await letterFor(id, 'closing-unresolved');
      expect(unresolved).toContain('not able to reach an agreement');
      expect(unresolved).toContain('The council would not change its decision.');
      const w = await assigned();
      await d.send('reporter', w.id, { type: 'WITHDRAW', reason: 'We sorted it out with the council.' });
      const withdrawn = await letterFor(w.id, 'closing-withdrawn');
      expect(withdrawn).toContain('The case was withdrawn');
      expect(withdrawn).toContain('We sorted it out with the council.');
    });

    it('the mediation fee quote gives the fee, each side’s share and the date to agree by', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
      await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
      const text = await letterFor(id, 'fee-quote');
      expect(text).toContain('The mediation fee is £1,200.00');
      expect(text).toContain('Riverside Community Foodbank pays £300.00 (25%)');
      expect(text).toContain('Harborough District Council pays £900.00 (75%)');
      expect(text).toMatch(/Please tell us by \d{1,2} \w+ \d{4} whether you agree/);
    });
  });

  describe('sending', () => {
    it('sends once through the outbox: the e-mail arrives, the PDF is kept on the case and the timeline says who, when and to whom', async () => {
      const c = await consultationCase();
      const requestId = '6f1a3c52-7c1e-4d5e-9a43-2d3f0b1c9e01';
      const send = { templateId: idOf('first-letter'), recipients: [council().contactId], requestId };
      const sent = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send(send).expect(201);
      expect(sent.body).toMatchObject({ id: requestId, byEmail: true, sentNow: true, recipients: expect.stringContaining('(Harborough District Council)') });
      // The same request again (a double click, a retry): nothing more is sent.
      const again = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send(send).expect(201);
      expect(again.body).toMatchObject({ id: requestId, sentNow: false, evidenceId: sent.body.evidenceId });
      const rows = await t.db.query(`SELECT recipient_email FROM notifications WHERE case_id = $1 AND template = 'letter'`, [c.id]);
      expect(rows).toEqual([{ recipient_email: council().email }]);

      const [{ message_id: messageId }] = await t.db.query(`SELECT message_id FROM notifications WHERE case_id = $1 AND template = 'letter'`, [c.id]);
      const mail = await waitFor('the letter at the SMTP server', async () => smtp.received.filter((m) => m.messageId === messageId), (m) => m.length >= 1);
      expect(mail[0].rcpt).toEqual([council().email]);
      const parsed = await simpleParser(mail[0].raw);
      expect(parsed.subject).toBe(`[${c.reference}] The Compact (2010): Consultation on youth services ran for five weeks (our reference ${c.reference})`);
      const text = oneSpaced(parsed.text ?? '');
      expect(text).toContain('yours ran for 5 weeks, from 1 September to 6 October 2026');
      expect(text.match(/Dear /g)).toHaveLength(1);
      expect(text).not.toMatch(/undefined|\[missing/);

      const evidence = await t.http.get(`/api/cases/${c.id}/evidence`).set(d.auth('caseworker')).expect(200);
      const doc = evidence.body.find((e: { id: string }) => e.id === sent.body.evidenceId);
      expect(doc).toMatchObject({ mediaType: 'application/pdf', fileName: expect.stringMatching(/^Letter to Harborough District Council, \d{1,2} \w+ \d{4}\.pdf$/), sharedWithRespondent: true });
      const file = await t.http.get(`/api/cases/${c.id}/evidence/${doc.id}`).set(d.auth('caseworker')).buffer(true).parse(binary).expect(200);
      expect(oneSpaced(await pdfText(file.body as Buffer))).toContain('yours ran for 5 weeks, from 1 September to 6 October 2026');

      const timeline = await d.timeline('caseworker', c.id);
      const record = timeline.find((e) => e.type === 'LETTER_SENT');
      expect(record?.details).toMatchObject({ letterId: requestId, byEmail: true, evidenceId: doc.id, recipients: expect.stringContaining('Harborough District Council') });
      expect((await d.timeline('reporter', c.id)).some((e) => e.type === 'LETTER_SENT')).toBe(false);

      // The public body sees the letter addressed to it; so does the reporter, whose case it is.
      const theirs = await t.http.get(`/api/cases/${c.id}/letters`).set({ Authorization: `Bearer ${await respondentToken(council().email)}` }).expect(200);
      expect(theirs.body).toEqual([expect.objectContaining({ id: requestId, byEmail: true, sentByName: expect.any(String) })]);
      expect((await t.http.get(`/api/cases/${c.id}/letters`).set(d.auth('reporter')).expect(200)).body).toHaveLength(1);
    });

    it('keeps a letter to post without e-mailing it', async () => {
      const c = await assigned();
      await d.send('caseworker', c.id, { type: 'REQUEST_INFO', questions: 'Who at the council told you?' });
      const sent = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ templateId: idOf('information-request'), recipients: ['reporter'], byEmail: false }).expect(201);
      expect(sent.body).toMatchObject({ byEmail: false, sentNow: true });
      expect(await t.db.query(`SELECT 1 FROM notifications WHERE case_id = $1 AND template = 'letter'`, [c.id])).toEqual([]);
      const [doc] = await t.db.query(`SELECT shared_with_respondent FROM evidence WHERE id = $1`, [sent.body.evidenceId]);
      expect(doc.shared_with_respondent).toBe(false);
    });

    it('never names a reporter who asked not to be named to the public body', async () => {
      const c = await consultationCase({ reporterMayBeNamed: false });
      const text = await letterFor(c.id, 'first-letter');
      expect(text).toContain('on behalf of a voluntary organisation in');
      expect(text).not.toContain('Riverside');
      const p = await preview(c.id, { templateId: idOf('fee-quote') }).expect(200);
      expect(p.body.body).not.toContain('Riverside');
    });
  });

  describe('gaps', () => {
    it('shows each field the case does not have yet as a gap in words, and refuses to send with the list', async () => {
      const c = await consultationCase();
      const p = await preview(c.id, { templateId: idOf('record-of-agreement') }).expect(200);
      expect(p.body.gaps).toEqual(['the agreed actions', 'the date the agreed actions are watched until']);
      expect(p.body.body).toContain('[missing: the agreed actions]');
      expect(p.body.body).not.toMatch(/undefined|\{\{/);
      const draft = oneSpaced(await draftText(c.id, { templateId: idOf('record-of-agreement') }));
      expect(draft).toContain('the agreed actions');
      expect(draft).toContain('Draft: not sent.');

      const refused = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ templateId: idOf('record-of-agreement'), recipients: ['reporter', council().contactId] }).expect(409);
      expect(refused.body).toMatchObject({ code: 'LETTER_HAS_GAPS', gaps: ['the agreed actions', 'the date the agreed actions are watched until'] });
      expect(refused.body.message).toContain('the agreed actions; the date the agreed actions are watched until');

      // Edited text with a gap left in it is the writer's to fix: 400 on the field, with what is missing.
      const edited = await t.http
        .post(`/api/cases/${c.id}/letters`)
        .set(d.auth('caseworker'))
        .send({ templateId: idOf('record-of-agreement'), recipients: ['reporter'], body: p.body.body })
        .expect(400);
      expect(edited.body.errors).toEqual([
        { field: 'body', reason: 'still has a gap to fill: the agreed actions' },
        { field: 'body', reason: 'still has a gap to fill: the date the agreed actions are watched until' },
      ]);
      // Filled in by hand, it goes.
      const filled = p.body.body.replace('[missing: the agreed actions]', 'The council will consult for 12 weeks.').replace('[missing: the date the agreed actions are watched until]', '30 June 2027');
      await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ templateId: idOf('record-of-agreement'), recipients: ['reporter'], body: filled }).expect(201);
      expect(await t.db.query(`SELECT body FROM letters WHERE case_id = $1`, [c.id])).toEqual([{ body: expect.stringContaining('# What was agreed\n\nThe council will consult for 12 weeks.\n\n# Checking that it is done') }]);
    });

    it('a letter with nobody on its side to send it to says so', async () => {
      const c = await assigned();
      const p = await preview(c.id, { templateId: idOf('first-letter') }).expect(200);
      expect(p.body.recipients).toEqual([]);
      expect(p.body.gaps).toContain('the names of the people the letter is to');
    });
  });

  describe('templates kept by administrators', () => {
    it('an administrator edits a letter; caseworkers write from the edit; the defaults are never written over', async () => {
      const id = idOf('chaser');
      const body = 'Dear {{recipient.name}},\n\nWe are still waiting about {{case.reference}}.\n\n{{sender.name}}';
      const saved = await t.http.patch(`/api/letter-templates/${id}`).set(d.auth('admin')).send({ body }).expect(200);
      expect(saved.body).toMatchObject({ body, defaultKey: 'chaser', updatedByName: expect.any(String) });
      await t.http.patch(`/api/letter-templates/${id}`).set(d.auth('caseworker')).send({ body: 'x' }).expect(403);
      expect(await t.app.get(LetterTemplates).addMissingDefaults()).toBe(0);
      const c = await consultationCase();
      const p = await preview(c.id, { templateId: id }).expect(200);
      expect(p.body.body).toBe(`Dear Priya Shah,\n\nWe are still waiting about ${c.reference}.\n\nCara Caseworker`);
      expect(p.body.body).toContain(`We are still waiting about ${c.reference}.`);
    });

    it('refuses a template using something that is not a merge field, naming the field and the line', async () => {
      const res = await t.http
        .post('/api/letter-templates')
        .set(d.auth('admin'))
        .send({ name: 'Thank you', addressedTo: 'reporter', subject: 'Thanks {{case.reference}}', body: 'Dear {{recipient.name}},\n\nAbout {{case.referense}}.\n\n{{> footer}}' })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'body', reason: 'uses {{case.referense}}, which is not a merge field; did you mean {{case.reference}}? (line 3)' },
        { field: 'body', reason: expect.stringContaining('letters cannot use') },
      ]);
      const missing = await t.http.post('/api/letter-templates').set(d.auth('admin')).send({ addressedTo: 'nobody', subject: 'x', body: 'y', colour: 'red' }).expect(400);
      expect([...new Set(missing.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['addressedTo', 'colour', 'name']);
      const made = await t.http.post('/api/letter-templates').set(d.auth('admin')).send({ name: 'Thank you', addressedTo: 'reporter', subject: 'Thanks {{case.reference}}', body: 'Dear {{recipient.name}},\n\nThank you.' }).expect(201);
      expect(made.body).toMatchObject({ shipped: false, defaultKey: null, archived: false });
      const twice = await t.http.post('/api/letter-templates').set(d.auth('admin')).send({ name: 'thank you', addressedTo: 'reporter', subject: 's', body: 'b' }).expect(400);
      expect(twice.body.errors[0].field).toBe('name');
      await t.http.patch(`/api/letter-templates/${made.body.id}`).set(d.auth('admin')).send({ archived: true }).expect(200);
      const offered = await t.http.get('/api/letter-templates').set(d.auth('caseworker')).expect(200);
      expect(offered.body.some((x: { id: string }) => x.id === made.body.id)).toBe(false);
      const fields = await t.http.get('/api/letter-templates/fields').set(d.auth('admin')).expect(200);
      expect(fields.body).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'deadlines.reply', use: '{{deadlines.reply}}', words: 'the date the public body must reply by' })]));
    });
  });

  describe('who may do what', () => {
    it('only caseworkers and administrators write letters (403); a case you may not see is a 404; bad input is a 400 naming the field', async () => {
      const c = await consultationCase();
      const body = { templateId: idOf('first-letter') };
      await preview(c.id, body, 'reporter').expect(403);
      await preview(c.id, body, 'mediator').expect(403);
      await t.http.get('/api/letter-templates').set(d.auth('reporter')).expect(403);
      await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('reporter')).send({ ...body, recipients: ['reporter'] }).expect(403);
      await preview('00000000-0000-4000-8000-000000000000', body).expect(404);
      await t.http.get(`/api/cases/${c.id}/letters`).set(d.auth('reporter2')).expect(404);
      await t.http.get(`/api/cases/${c.id}/letters`).set({ Authorization: `Bearer ${await respondentToken(t.demo.respondents.nhs.email)}` }).expect(404);
      const bad = await preview(c.id, { templateId: 'first-letter' }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'templateId', reason: 'must be the id of a letter template' }]);
      const unknown = await preview(c.id, { templateId: '00000000-0000-4000-8000-000000000000' }).expect(400);
      expect(unknown.body.errors).toEqual([{ field: 'templateId', reason: 'is not a letter template' }]);
      const nobody = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ ...body, recipients: ['nobody'] }).expect(400);
      expect(nobody.body.errors).toEqual([{ field: 'recipients.0', reason: expect.stringContaining('is not someone on this case') }]);
      const wrongSide = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ ...body, recipients: ['reporter'] }).expect(400);
      expect(wrongSide.body.errors).toEqual([{ field: 'recipients.0', reason: expect.stringContaining('not on the side this letter is addressed to') }]);
      const extra = await t.http.post(`/api/cases/${c.id}/letters`).set(d.auth('caseworker')).send({ ...body, recipients: [council().contactId], attach: true }).expect(400);
      expect(extra.body.errors).toEqual([{ field: 'attach', reason: expect.any(String) }]);
      expect(await t.db.query(`SELECT 1 FROM letters WHERE case_id = $1`, [c.id])).toEqual([]);
    });
  });

  describe('the pages', () => {
    it('letters are for caseworkers and administrators: a reporter is refused (403), another organisation’s case is not found (404); the draft downloads as a PDF', async () => {
      const c = await consultationCase();
      const reporter = new WebClient(t);
      await reporter.signIn(t.demo.users.reporter.email);
      expect((await reporter.get(`/cases/${c.id}/letters/new`)).status).toBe(403);
      expect((await reporter.get(`/cases/${c.id}/letters/write?template=${idOf('first-letter')}`)).status).toBe(403);
      const other = new WebClient(t);
      await other.signIn(t.demo.users.reporter2.email);
      expect((await other.get(`/cases/${c.id}/letters/new`)).status).toBe(404);

      const caseworker = new WebClient(t);
      await caseworker.signIn(t.demo.users.caseworker.email);
      const casePage = await caseworker.get(`/cases/${c.id}`);
      expect(casePage.text).toContain(`href="/cases/${c.id}/letters/new"`);
      // The letters the case has everything for are offered first.
      const pick = await caseworker.get(`/cases/${c.id}/letters/new`);
      expect(pick.text).toMatch(/First letter to the public body\s*<\/label>\s*<div[^>]*>[^<]*Ready: the case has everything it needs\./);
      expect(pick.text).toMatch(/Record of agreement\s*<\/label>\s*<div[^>]*>[^<]*Not ready yet: the case does not have 2 things it needs\./);
      expect(pick.text.indexOf('Chaser to the public body')).toBeLessThan(pick.text.indexOf('Record of agreement'));
      // A rejection letter is not offered as ready for a case that was not rejected: it lacks the decision's date.
      expect(pick.text).toMatch(/Rejection: out of time\s*<\/label>\s*<div[^>]*>[^<]*Not ready yet: the case does not have the date we decided not to take up the report\./);
      const write = await caseworker.get(`/cases/${c.id}/letters/write?template=${idOf('first-letter')}`);
      expect(write.status).toBe(200);
      expect(write.text).toContain('yours ran for 5 weeks, from 1 September to 6 October 2026');
      expect(write.text).not.toContain('letter-gap-list');
      const body = /<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(write.text)![1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
      const subject = (/<input[^>]*name="subject"[^>]*value="([^"]*)"/.exec(write.text)?.[1] ?? '').replace(/&amp;/g, '&');
      expect(subject).toContain(c.reference);
      const form = { templateId: idOf('first-letter'), recipients: council().contactId, subject, body, byEmail: 'no' };
      const pdf = await caseworker.post(`/cases/${c.id}/letters/write`, { ...form, action: 'pdf' });
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="Draft letter to Harborough District Council, \d{1,2} \w+ \d{4}\.pdf"/);
      expect(await t.db.query(`SELECT 1 FROM letters WHERE case_id = $1`, [c.id])).toEqual([]);
      const sent = await caseworker.post(`/cases/${c.id}/letters/write`, { ...form, action: 'send' });
      expect(sent.status).toBe(303);
      const page = await caseworker.get(sent.headers.location);
      expect(page.text).toContain('Letter kept on the case');
      expect(page.text).not.toMatch(/undefined|\[missing/);
    });
  });

  /** A respondent contact's bearer token, as signing in by link would give it. */
  async function respondentToken(email: string): Promise<string> {
    const [user] = await t.db.query(`SELECT id, token_generation AS generation FROM users WHERE lower(email) = lower($1)`, [email]);
    return (await t.app.get(TokenService).issue(user.id, Number(user.generation ?? 0))).token;
  }
});

/** supertest's parser for a binary body; an error answer (JSON) is read as JSON. */
function binary(res: Response, done: (err: Error | null, body: unknown) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const bytes = Buffer.concat(chunks);
    done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(bytes.toString('utf8')) : bytes);
  });
}

const oneSpaced = (s: string) => s.replace(/\s+/g, ' ');

/**
 * A PDF's text as a reader gets it, with pdf-parse (pdf.js). pdf.js loads its worker with a
 * dynamic import that jest's module system refuses, so it runs in a plain Node process beside the test.
 */
function pdfText(pdf: Buffer): Promise<string> {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      const text = await parser.getText();
      process.stdout.write(text.text);
      await parser.destroy();
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`pdf-parse exited ${code}`))));
    child.stdin.end(pdf);
  });
}
