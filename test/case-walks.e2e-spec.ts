import { DataSource } from 'typeorm';
import { SendCaseEvent } from '@cc/cases';
import { RULES, breachCaseRules } from '@cc/workflows';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, sampleReport, startTestApp } from './support/test-app';

/** One full walk over HTTP for each way a case can end, each checked against its timeline. */
describe('case walks (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('walks');
    d = new CaseDriver(t);
  });
  afterAll(() => t?.close());

  const DAY = 24 * 3600 * 1000;
  const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const dateInDays = (days: number) => breachCaseRules.londonDate(inDays(days));

  /**
   * A session a minute from now, on today's date in London: it can be scheduled (it is still to
   * come) and then recorded as held (it is its day). Just before midnight, waits for the new day.
   */
  async function sessionLaterToday(): Promise<string> {
    for (;;) {
      const startsAt = inDays(60_000 / DAY);
      if (breachCaseRules.londonDate(startsAt) === breachCaseRules.londonDate(new Date().toISOString())) return startsAt;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
  }

  async function expectTimeline(caseId: string, types: string[], finalState: string) {
    const timeline = await d.timeline('caseworker', caseId);
    expect(timeline.map((e) => e.type)).toEqual(types);
    expect(timeline.map((e) => e.seq)).toEqual(types.map((_, i) => i + 1));
    expect(timeline[timeline.length - 1].toState).toBe(finalState);
    const current = await d.get('caseworker', caseId);
    expect(current.body.state).toBe(finalState);
    expect(current.body.version).toBe(types.length);
  }

  it('files a report with a reference and an acknowledgement state', async () => {
    const { id, reference } = await d.file();
    expect(reference).toMatch(/^CB-\d{4}-\d{5}$/);
    const res = await d.get('reporter', id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reference, state: 'submitted', stage: 'submitted', version: 1, outcome: null });
    expect(res.body.availableActions).toEqual(['WITHDRAW']);
    const byReference = await d.get('caseworker', reference);
    expect(byReference.body.id).toBe(id);
    expect(byReference.body.availableActions).toEqual(expect.arrayContaining(['ASSIGN']));
  });

  it('rejected at triage', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'This is a planning matter.' });
    await expectTimeline(id, ['SUBMITTED', 'ASSIGN', 'REJECT'], 'closed');
    const c = await d.get('reporter', id);
    expect(c.body.outcome).toBe('rejected');
    const reporterView = await d.timeline('reporter', id);
    expect(reporterView[2].details).toEqual({ reason: 'notCompactMatter', explanation: 'This is a planning matter.' });
  });

  it('lapsed after an information request', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'When did the council write to you?' });
    expect((await d.get('reporter', id)).body.availableActions).toEqual(expect.arrayContaining(['PROVIDE_INFO', 'WITHDRAW']));
    // The deadline worker sends this when the reporter's 10 working days run out, inside the
    // transaction that marks the clock fired.
    const sent = await t.app.get(DataSource).transaction((manager) => t.app.get(SendCaseEvent).bySystemWithin(manager, id, 'INFORMATION_OVERDUE'));
    expect(sent).toMatchObject({ caseId: id, seq: 4, state: 'closed', stage: 'closed', version: 4 });
    await expectTimeline(id, ['SUBMITTED', 'ASSIGN', 'REQUEST_INFO', 'INFORMATION_OVERDUE'], 'closed');
    expect((await d.get('reporter', id)).body.outcome).toBe('lapsed');
    const timeline = await d.timeline('caseworker', id);
    expect(timeline[3]).toMatchObject({ type: 'INFORMATION_OVERDUE', actorRole: 'system' });
  });

  it('resolved in advocacy (with an information request answered)', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'Do you have the letter?' });
    await d.send('reporter', id, { type: 'PROVIDE_INFO', answer: 'Yes, attached.' });
    await d.send('caseworker', id, { type: 'ACCEPT', note: 'Clear breach of the funding code.' });
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Letter to the council.', contactEmail: 'ceo@harborough.example' });
    await d.send('caseworker', id, { type: 'RECORD_RESPONSE', summary: 'The council accepts it got this wrong.' });
    await d.send('caseworker', id, { type: 'RESOLVE', agreedActions: ['Grant restored until 31 January'], monitorUntil: MONITOR_UNTIL });
    const resolved = await d.get('reporter', id);
    expect(resolved.body).toMatchObject({ stage: 'resolved', agreedActions: ['Grant restored until 31 January'], monitorUntil: MONITOR_UNTIL });
    await d.send('caseworker', id, { type: 'CONFIRM_IMPLEMENTED', note: 'Grant paid.' });
    await expectTimeline(
      id,
      ['SUBMITTED', 'ASSIGN', 'REQUEST_INFO', 'PROVIDE_INFO', 'ACCEPT', 'CONTACT_RESPONDENT', 'RECORD_RESPONSE', 'RESOLVE', 'CONFIRM_IMPLEMENTED'],
      'closed',
    );
    expect((await d.get('reporter', id)).body.outcome).toBe('resolved');
    // The caseworker's internal note on acceptance is not shown to the reporter.
    const reporterView = await d.timeline('reporter', id);
    expect(reporterView[4]).toMatchObject({ type: 'ACCEPT', details: {} });
    const caseworkerView = await d.timeline('caseworker', id);
    expect(caseworkerView[4].details).toEqual({ note: 'Clear breach of the funding code.' });
  });

  it('agreed in negotiation', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION', note: 'Meeting set with the head of grants.' });
    await d.send('caseworker', id, { type: 'RECORD_MEETING', heldOn: dateInDays(-1), summary: 'Positive; council will reconsider.' });
    await d.send('caseworker', id, { type: 'AGREE', agreedActions: ['Three months notice for future changes'], monitorUntil: MONITOR_UNTIL });
    await d.send('caseworker', id, { type: 'CONFIRM_IMPLEMENTED' });
    await expectTimeline(
      id,
      ['SUBMITTED', 'ASSIGN', 'ACCEPT', 'CONTACT_RESPONDENT', 'RECORD_RESPONSE', 'OPEN_NEGOTIATION', 'RECORD_MEETING', 'AGREE', 'CONFIRM_IMPLEMENTED'],
      'closed',
    );
    expect((await d.get('caseworker', id)).body.outcome).toBe('resolved');
  });

  it('settled in mediation, fee agreed and paid in full', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION', reason: 'Council will not move.' });
    await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 60_000, reporterSharePercent: 25 });
    expect((await d.get('reporter', id)).body.availableActions).toEqual(expect.arrayContaining(['AGREE_FEE', 'DECLINE_FEE']));
    await d.send('reporter', id, { type: 'AGREE_FEE', party: 'reporter' });
    await d.send('caseworker', id, { type: 'AGREE_FEE', party: 'respondent' });
    await d.send('caseworker', id, { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 15_000 });
    await d.send('caseworker', id, { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 45_000 });
    await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    // The appointed mediator can now see the case and schedule.
    expect((await d.get('mediator', id)).body.availableActions).toEqual(expect.arrayContaining(['SCHEDULE_SESSION']));
    await d.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: inDays(7), location: 'Harborough Civic Centre' });
    // Brought forward to today, so it can be recorded as held now.
    await d.send('mediator', id, { type: 'RESCHEDULE', startsAt: await sessionLaterToday(), reason: 'Both sides free sooner' });
    await d.send('mediator', id, { type: 'RECORD_SESSION_HELD', note: 'Both sides open to a phased restoration.' });
    await d.send('mediator', id, {
      type: 'RECORD_OUTCOME',
      result: 'settled',
      summary: 'Grant restored in two phases.',
      agreedActions: ['Phase 1 payment by January', 'Phase 2 by March'],
      monitorUntil: MONITOR_UNTIL,
    });
    const resolved = await d.get('reporter', id);
    expect(resolved.body).toMatchObject({ stage: 'resolved', fee: { amountPence: 60_000, paidByReporterPence: 15_000, paidByRespondentPence: 45_000 } });
    await d.send('caseworker', id, { type: 'CONFIRM_IMPLEMENTED' });
    await expectTimeline(
      id,
      [
        'SUBMITTED', 'ASSIGN', 'ACCEPT', 'CONTACT_RESPONDENT', 'RECORD_RESPONSE', 'REFER_TO_MEDIATION', 'QUOTE_FEE', 'AGREE_FEE', 'AGREE_FEE',
        'RECORD_PAYMENT', 'RECORD_PAYMENT', 'APPOINT_MEDIATOR', 'SCHEDULE_SESSION', 'RESCHEDULE', 'RECORD_SESSION_HELD', 'RECORD_OUTCOME',
        'CONFIRM_IMPLEMENTED',
      ],
      'closed',
    );
    // The mediator's session note is confidential: neither the reporter nor the caseworker sees it.
    const forReporter = await d.timeline('reporter', id);
    const forCaseworker = await d.timeline('caseworker', id);
    const forMediator = await d.timeline('mediator', id);
    expect(forReporter[14].details).toEqual({});
    expect(forCaseworker[14].details).toEqual({});
    expect(forMediator[14].details).toEqual({ note: 'Both sides open to a phased restoration.' });
  });

  it('not settled in mediation (fee waived), then closed', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity with no reserves.' });
    await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    await d.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: await sessionLaterToday(), location: 'Online' });
    await d.send('mediator', id, { type: 'RECORD_SESSION_HELD' });
    await d.send('mediator', id, { type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No agreement.', next: 'close' });
    await expectTimeline(
      id,
      [
        'SUBMITTED', 'ASSIGN', 'ACCEPT', 'CONTACT_RESPONDENT', 'RECORD_RESPONSE', 'REFER_TO_MEDIATION', 'WAIVE_FEE', 'APPOINT_MEDIATOR',
        'SCHEDULE_SESSION', 'RECORD_SESSION_HELD', 'RECORD_OUTCOME',
      ],
      'closed',
    );
    expect((await d.get('reporter', id)).body.outcome).toBe('unresolved');
  });

  it('withdrawn by the reporter while waiting for the public body', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'ACCEPT' });
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' });
    await d.send('reporter', id, { type: 'WITHDRAW', reason: 'The council has now restored the grant.' });
    await expectTimeline(id, ['SUBMITTED', 'ASSIGN', 'ACCEPT', 'CONTACT_RESPONDENT', 'WITHDRAW'], 'closed');
    const c = await d.get('reporter', id);
    expect(c.body.outcome).toBe('withdrawn');
    expect(c.body.availableActions).toEqual([]);
  });

  it('reopened within 90 days and closed again after campaigning', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REJECT', reason: 'insufficientEvidence', explanation: 'No letter or e-mail yet.' });
    await d.send('caseworker', id, { type: 'REOPEN', reason: 'The reporter found the council letter.' });
    const reopened = await d.get('caseworker', id);
    expect(reopened.body).toMatchObject({ stage: 'triage', outcome: null, closedAt: null });
    await d.send('caseworker', id, { type: 'ACCEPT' });
    await d.send('caseworker', id, { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' });
    await d.send('caseworker', id, { type: 'RECORD_RESPONSE', summary: 'Refused.' });
    await d.send('caseworker', id, { type: 'CAMPAIGN', plan: 'Raise with councillors and the local press.' });
    await d.send('caseworker', id, { type: 'RECORD_ACTIVITY', summary: 'Briefed three councillors.' });
    await d.send('caseworker', id, { type: 'CLOSE', outcome: 'unresolved', summary: 'Council did not change course.' });
    await expectTimeline(
      id,
      ['SUBMITTED', 'ASSIGN', 'REJECT', 'REOPEN', 'ACCEPT', 'CONTACT_RESPONDENT', 'RECORD_RESPONSE', 'CAMPAIGN', 'RECORD_ACTIVITY', 'CLOSE'],
      'closed',
    );
    expect((await d.get('reporter', id)).body.outcome).toBe('unresolved');
  });

  describe('dates that make no sense are refused with the rules the pages use', () => {
    const expectRule = (res: { status: number; body: Record<string, unknown> }, rule: keyof typeof RULES) => {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'RULE_VIOLATED', rule, message: RULES[rule].message });
    };

    it('a meeting in the future, and monitoring until a past day or decades away', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
      expectRule(await d.raw('caseworker', id, { type: 'RECORD_MEETING', heldOn: dateInDays(2), summary: 'Not yet' }), 'meetingNotInFuture');
      await d.send('caseworker', id, { type: 'RECORD_MEETING', heldOn: dateInDays(0), summary: 'Met today' });
      expectRule(await d.raw('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: dateInDays(-2) }), 'monitoringDateSensible');
      expectRule(await d.raw('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: '2207-03-31' }), 'monitoringDateSensible');
      expect((await d.get('caseworker', id)).body.state).toBe('negotiation');
      await d.send('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: dateInDays(0) });
    });

    it('a session in the past, and a session recorded as held before its day', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
      await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity' });
      await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
      expectRule(await d.raw('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: inDays(-1), location: 'Town hall' }), 'sessionNotInPast');
      await d.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: inDays(3), location: 'Town hall' });
      expectRule(await d.raw('mediator', id, { type: 'RESCHEDULE', startsAt: inDays(-1 / 24) }), 'sessionNotInPast');
      expectRule(await d.raw('mediator', id, { type: 'RECORD_SESSION_HELD' }), 'sessionDayReached');
      // Not offered until its day.
      expect((await d.get('mediator', id)).body.availableActions).toEqual(['RESCHEDULE']);
    });

    it('a breach reported in the future or before the first Compact (1998)', async () => {
      for (const happenedOn of ['1997-12-31', dateInDays(1)]) {
        const res = await t.http.post('/api/cases').set(d.auth('reporter')).send({ ...sampleReport(t.demo), happenedOn });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('happenedOn');
      }
      const oldest = await t.http.post('/api/cases').set(d.auth('reporter')).send({ ...sampleReport(t.demo), happenedOn: '1998-01-01' });
      expect(oldest.status).toBe(201);
    });
  });

  describe('links and notes', () => {
    it('refuses to link a case to itself with 400 naming the field, however the case is named', async () => {
      const { id, reference } = await d.file();
      for (const [path, caseId] of [
        [id, id],
        [reference, id],
        [id, id.toUpperCase()],
      ]) {
        const res = await t.http.post(`/api/cases/${path}/links`).set(d.auth('caseworker')).send({ caseId });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field: 'caseId', reason: expect.stringContaining('a case can only be linked with another case') }]);
      }
      expect((await t.http.get(`/api/cases/${id}/links`).set(d.auth('caseworker'))).body.group).toEqual([]);
    });

    it("gives a note without an audience the most private one its writer may use", async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
      await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity' });
      await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
      const add = (who: 'caseworker' | 'mediator' | 'reporter', body: string) => t.http.post(`/api/cases/${id}/notes`).set(d.auth(who)).send({ body });
      expect((await add('caseworker', 'Caseworker thought')).body.visibility).toBe('internal');
      expect((await add('mediator', 'Mediator thought')).body.visibility).toBe('mediator');
      expect((await add('reporter', 'Reporter thought')).body.visibility).toBe('shared');
    });
  });
});
