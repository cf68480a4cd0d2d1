import { DataSource } from 'typeorm';
import { SendCaseEvent } from '@cc/cases';
import { TokenService } from '@cc/identity';
import { SystemEventType, breachCaseMachineV1, breachCaseRules, workflowFor } from '@cc/workflows';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

type Who = 'reporter' | 'caseworker' | 'mediator' | 'admin';
type Step = [Who, Record<string, unknown>];
interface Entry {
  state: string;
  steps: () => Promise<Step[]> | Step[];
  system?: SystemEventType;
  next: Step;
  after: string;
  v2?: Step;
  v2After?: string;
}

const DAY = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const dateInDays = (days: number) => breachCaseRules.londonDate(inDays(days));

/**
 * Moving running cases from version 1 of the process to version 2, over HTTP on real PostgreSQL,
 * from every state a version 1 case can be open in.
 *
 * New cases start on version 2, so each version 1 case here is filed as usual and then, at its
 * first version and before anything else happens to it, given version 1's own starting snapshot
 * (the one filing would have written while version 1 was the latest) with machine_version 1 in
 * SQL. That is the only setup written in SQL: every later step goes through the API, decided by
 * version 1's machine.
 */
describe('moving open cases to process version 2 (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('move-v2');
    d = new CaseDriver(t);
    STATES = states();
  });
  afterAll(() => t?.close());

  const api = (who: Who) => ({ Authorization: `Bearer ${t.tokens[who]}` });
  const dryRun = () => t.http.get('/api/process-versions/move-to-2').set(api('admin'));
  const run = (body?: object) => t.http.post('/api/process-versions/move-to-2').set(api('admin')).send(body ?? {});

  async function fileOnVersion1(): Promise<{ id: string; reference: string }> {
    const filed = await d.file();
    const [row] = await t.db.query(`SELECT snapshot FROM cases WHERE id = $1`, [filed.id]);
    const { reportingOrganisationId, respondentOrganisationId, submittedAt } = row.snapshot.context;
    const v1 = workflowFor(1).start({ reportingOrganisationId, respondentOrganisationId, submittedAt });
    await t.db.query(`UPDATE cases SET machine_version = 1, snapshot = $2 WHERE id = $1 AND version = 1`, [filed.id, JSON.stringify(v1.snapshot)]);
    const [now] = await t.db.query(`SELECT machine_version FROM cases WHERE id = $1`, [filed.id]);
    expect(now.machine_version).toBe(1);
    return filed;
  }

  const system = (id: string, type: SystemEventType) => t.app.get(DataSource).transaction((m) => t.app.get(SendCaseEvent).bySystemWithin(m, id, type));

  /** A session a minute from now and still today in London, so it can be recorded as held now. */
  async function sessionLaterToday(): Promise<string> {
    for (;;) {
      const startsAt = inDays(60_000 / DAY);
      if (breachCaseRules.londonDate(startsAt) === breachCaseRules.londonDate(new Date().toISOString())) return startsAt;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
    }
  }

  const assign = (): Step => ['caseworker', { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id }];
  const toAdvocacy = (): Step[] => [assign(), ['caseworker', { type: 'ACCEPT' }]];
  const toReview = (): Step[] => [
    ...toAdvocacy(),
    ['caseworker', { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.' }],
    ['caseworker', { type: 'RECORD_RESPONSE', summary: 'The council says notice was given.' }],
  ];
  const toMediation = (): Step[] => [...toReview(), ['caseworker', { type: 'REFER_TO_MEDIATION' }]];
  const toQuoted = (): Step[] => [...toMediation(), ['caseworker', { type: 'QUOTE_FEE', amountPence: 60_000, reporterSharePercent: 25 }]];
  const toAppointment = (): Step[] => [...toMediation(), ['admin', { type: 'WAIVE_FEE', reason: 'Small charity' }]];
  const toScheduling = (): Step[] => [...toAppointment(), ['caseworker', { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id }]];
  const proposeTimes = (): Step => ['reporter', { type: 'PROPOSE_SESSION_TIMES', times: [inDays(10), inDays(11)] }];

  /**
   * Every state a version 1 case can be open in: how to get there, the version 1 event it takes
   * next (and where that leads), and a version 2 event the state allows once moved, where a
   * reporter or staff can send one over HTTP (the public body's own events need its accounts).
   */
  const states = (): Entry[] => [
    { state: 'submitted', steps: () => [], next: assign(), after: 'triage.reviewing' },
    { state: 'triage.reviewing', steps: () => [assign()], next: ['caseworker', { type: 'ACCEPT' }], after: 'advocacy.preparing' },
    {
      state: 'triage.awaitingInformation',
      steps: () => [assign(), ['caseworker', { type: 'REQUEST_INFO', questions: 'Do you have the letter?' }]],
      next: ['reporter', { type: 'PROVIDE_INFO', answer: 'Yes.' }],
      after: 'triage.reviewing',
    },
    { state: 'advocacy.preparing', steps: toAdvocacy, next: ['caseworker', { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' }], after: 'advocacy.awaitingResponse' },
    {
      state: 'advocacy.awaitingResponse',
      steps: () => [...toAdvocacy(), ['caseworker', { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' }]],
      next: ['caseworker', { type: 'RECORD_RESPONSE', summary: 'They replied by letter.' }],
      after: 'advocacy.reviewing',
    },
    {
      state: 'advocacy.responseOverdue',
      steps: () => [...toAdvocacy(), ['caseworker', { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' }]],
      system: 'RESPONSE_OVERDUE',
      next: ['caseworker', { type: 'CHASE' }],
      after: 'advocacy.awaitingResponse',
    },
    { state: 'advocacy.reviewing', steps: toReview, next: ['caseworker', { type: 'OPEN_NEGOTIATION' }], after: 'negotiation' },
    {
      state: 'negotiation',
      steps: () => [...toReview(), ['caseworker', { type: 'OPEN_NEGOTIATION' }]],
      next: ['caseworker', { type: 'RECORD_MEETING', heldOn: dateInDays(-1), summary: 'Met the head of grants.' }],
      after: 'negotiation',
    },
    { state: 'mediation.feeQuoting', steps: toMediation, next: ['caseworker', { type: 'QUOTE_FEE', amountPence: 40_000, reporterSharePercent: 50 }], after: 'mediation.feeAgreement' },
    { state: 'mediation.feeAgreement', steps: toQuoted, next: ['reporter', { type: 'AGREE_FEE', party: 'reporter' }], after: 'mediation.feeAgreement' },
    {
      state: 'mediation.payment',
      steps: () => [...toQuoted(), ['reporter', { type: 'AGREE_FEE', party: 'reporter' }], ['caseworker', { type: 'AGREE_FEE', party: 'respondent' }]],
      v2: ['reporter', { type: 'REPORT_FEE_PAID', party: 'reporter', note: 'Paid by bank transfer.' }],
      v2After: 'mediation.payment',
      next: ['caseworker', { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 15_000 }],
      after: 'mediation.payment',
    },
    {
      state: 'mediation.appointment',
      steps: toAppointment,
      v2: proposeTimes(),
      v2After: 'mediation.appointment',
      next: ['caseworker', { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id }],
      after: 'mediation.scheduling',
    },
    {
      state: 'mediation.scheduling',
      steps: toScheduling,
      v2: proposeTimes(),
      v2After: 'mediation.scheduling',
      next: ['mediator', { type: 'SCHEDULE_SESSION', startsAt: inDays(7), location: 'Town hall' }],
      after: 'mediation.sessionScheduled',
    },
    {
      state: 'mediation.sessionScheduled',
      steps: () => [...toScheduling(), ['mediator', { type: 'SCHEDULE_SESSION', startsAt: inDays(7), location: 'Town hall' }]],
      next: ['mediator', { type: 'RESCHEDULE', startsAt: inDays(8), reason: 'Room not free' }],
      after: 'mediation.sessionScheduled',
    },
    {
      state: 'mediation.sessionHeld',
      steps: async () => [...toScheduling(), ['mediator', { type: 'SCHEDULE_SESSION', startsAt: await sessionLaterToday(), location: 'Online' }], ['mediator', { type: 'RECORD_SESSION_HELD' }]],
      v2: proposeTimes(),
      v2After: 'mediation.sessionHeld',
      next: ['mediator', { type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No agreement yet.', next: 'returnToAdvocacy' }],
      after: 'advocacy.reviewing',
    },
    { state: 'campaigning', steps: () => [...toReview(), ['caseworker', { type: 'CAMPAIGN', plan: 'Brief councillors.' }]], next: ['caseworker', { type: 'RECORD_ACTIVITY', summary: 'Briefed two.' }], after: 'campaigning' },
    {
      state: 'resolved',
      steps: () => [...toReview(), ['caseworker', { type: 'RESOLVE', agreedActions: ['Restore the grant'], monitorUntil: MONITOR_UNTIL }]],
      next: ['caseworker', { type: 'CONFIRM_IMPLEMENTED' }],
      after: 'closed',
    },
  ];

  let STATES: Entry[];

  /** A version 1 case taken to `state` over the API. */
  async function caseAt(entry: Entry): Promise<{ id: string; reference: string }> {
    const c = await fileOnVersion1();
    for (const [who, event] of await entry.steps()) await d.send(who, c.id, event);
    if (entry.system) expect(await system(c.id, entry.system)).toMatchObject({ state: entry.state });
    const now = (await d.get('caseworker', c.id)).body;
    expect({ state: now.state, machineVersion: now.machineVersion }).toEqual({ state: entry.state, machineVersion: 1 });
    return c;
  }

  /** What the move must leave alone: the clocks, the e-mails, the event log, the fee and the rest of the context. */
  async function keptFacts(id: string) {
    const [deadlines, notifications, events, [row]] = await Promise.all([
      t.db.query(`SELECT * FROM deadlines WHERE case_id = $1 ORDER BY started_at, id`, [id]),
      t.db.query(`SELECT id, template, recipient_email, status FROM notifications WHERE case_id = $1 ORDER BY id`, [id]),
      t.db.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [id]),
      t.db.query(`SELECT snapshot, version, machine_version, state, stage, updated_at FROM cases WHERE id = $1`, [id]),
    ]);
    return { deadlines, notifications, events, row };
  }

  const v1Cases = new Map<string, { id: string; reference: string }>();
  const before = new Map<string, Awaited<ReturnType<typeof keptFacts>>>();
  let broken: { id: string; reference: string };
  let closedCase: { id: string; reference: string };
  let onVersion2: { id: string; reference: string };
  let changedLater: { id: string; reference: string };
  let brokenLater: { id: string; reference: string };
  let withdrawnLater: { id: string; reference: string };

  it('builds a version 1 case in every state a case can be open in', async () => {
    for (const entry of STATES) v1Cases.set(entry.state, await caseAt(entry));
    // The states listed are every leaf state of version 1 but closed, so no open state is missed.
    const leaves = (node: { states?: Record<string, unknown> }, prefix = ''): string[] =>
      Object.entries(node.states ?? {}).flatMap(([key, child]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        const inner = leaves(child as { states?: Record<string, unknown> }, path);
        return inner.length ? inner : [path];
      });
    expect(STATES.map((s) => s.state).sort()).toEqual(leaves(breachCaseMachineV1.root as never).filter((s) => s !== 'closed').sort());

    closedCase = await fileOnVersion1();
    await d.send('caseworker', closedCase.id, assign()[1]);
    await d.send('caseworker', closedCase.id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'A planning matter.' });
    onVersion2 = await d.file();
    expect((await d.get('caseworker', onVersion2.id)).body.machineVersion).toBe(2);
    // A snapshot no version of the machine can read, as a hand edit might leave it.
    broken = await caseAt(STATES[1]);
    await t.db.query(`UPDATE cases SET snapshot = jsonb_set(snapshot, '{value}', '"limbo"') WHERE id = $1`, [broken.id]);
    changedLater = await caseAt(STATES[1]);
    brokenLater = await caseAt(STATES[1]);
    withdrawnLater = await caseAt(STATES[3]);
  });

  it('is for administrators only: 403 for everyone else, and nothing moves', async () => {
    for (const who of ['reporter', 'caseworker', 'mediator'] as const) {
      expect((await t.http.get('/api/process-versions/move-to-2').set(api(who))).status).toBe(403);
      const res = await t.http.post('/api/process-versions/move-to-2').set(api(who)).send({});
      expect(res.status).toBe(403);
    }
    expect((await t.http.get('/api/process-versions/move-to-2')).status).toBe(401);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM cases WHERE machine_version = 1`);
    expect(n).toBe(STATES.length + 5);
  });

  it('refuses a list of case ids that is not one, naming the field', async () => {
    for (const body of [{ caseIds: ['not-an-id'] }, { caseIds: [] }, { caseIds: 'x' }, { caseIds: [onVersion2.id], extra: true }]) {
      const res = await run(body);
      expect(res.status).toBe(400);
      const fields = new Set(res.body.errors.map((e: { field: string }) => e.field));
      expect([...fields]).toEqual(['extra' in body ? 'extra' : 'caseIds']);
    }
  });

  it('lists each open version 1 case in a dry run: where it is, in words, and where it would go, or why it cannot', async () => {
    const res = await dryRun();
    expect(res.status).toBe(200);
    const byId = new Map<string, Record<string, unknown>>(res.body.cases.map((c: { id: string }) => [c.id, c]));
    for (const entry of STATES) {
      const c = v1Cases.get(entry.state)!;
      expect(byId.get(c.id)).toEqual({
        id: c.id,
        reference: c.reference,
        state: entry.state,
        where: expect.any(String),
        movable: true,
        targetState: entry.state,
        target: byId.get(c.id)!.where,
        reason: null,
      });
      // Words, never the state's code.
      expect(byId.get(c.id)!.where).not.toMatch(/[a-z][A-Z]|\./);
    }
    expect(byId.get(v1Cases.get('advocacy.awaitingResponse')!.id)!.where).toBe("Advocacy: waiting for the public body's reply");
    expect(byId.get(broken.id)).toMatchObject({ reference: broken.reference, state: 'triage.reviewing', where: 'Triage', movable: false, targetState: null, target: null });
    expect(byId.get(broken.id)!.reason).toMatch(/^[A-Z].*\.$/);
    // Closed cases and cases already on version 2 are not listed.
    expect(byId.has(closedCase.id)).toBe(false);
    expect(byId.has(onVersion2.id)).toBe(false);
    expect(res.body).toMatchObject({ total: STATES.length + 4, movable: STATES.length + 3, cannotMove: 1 });
    // Version 2's events are refused while a case is on version 1.
    for (const entry of STATES.filter((e) => e.v2)) {
      const refused = await d.raw(entry.v2![0], v1Cases.get(entry.state)!.id, entry.v2![1]);
      expect({ state: entry.state, status: refused.status, code: refused.body.code }).toEqual({ state: entry.state, status: 409, code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    }
    // A dry run moves nothing.
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE type = 'MOVED_TO_VERSION_2'`);
    expect(n).toBe(0);
  });

  it('moves each case in its own transaction, planned again from the row as it is then', async () => {
    const plan = (await dryRun()).body as { cases: Array<{ id: string; movable: boolean }> };
    const ids = plan.cases.filter((c) => c.movable).map((c) => c.id);
    for (const c of v1Cases.values()) before.set(c.id, await keptFacts(c.id));

    // Between the dry run and the run: one case moves on, one breaks, one is withdrawn.
    await d.send('caseworker', changedLater.id, { type: 'ACCEPT' });
    await t.db.query(`UPDATE cases SET snapshot = jsonb_set(snapshot, '{value}', '"limbo"') WHERE id = $1`, [brokenLater.id]);
    await d.send('reporter', withdrawnLater.id, { type: 'WITHDRAW', reason: 'Sorted out.' });

    const res = await run({ caseIds: ids });
    expect(res.status).toBe(200);
    const moved = new Map<string, { state: string; where: string; reference: string }>(res.body.moved.map((m: { id: string }) => [m.id, m]));
    for (const entry of STATES) expect(moved.get(v1Cases.get(entry.state)!.id)).toMatchObject({ state: entry.state, where: expect.any(String) });
    expect(moved.get(changedLater.id)).toMatchObject({ reference: changedLater.reference, state: 'advocacy.preparing', where: 'Advocacy: preparing to contact the public body' });
    expect(res.body.moved).toHaveLength(STATES.length + 1);
    expect(res.body.stayed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: brokenLater.id, reference: brokenLater.reference, code: 'cannotMove', reason: expect.stringMatching(/^[A-Z]/) }),
        expect.objectContaining({ id: withdrawnLater.id, code: 'closed', reason: expect.stringMatching(/closed/) }),
      ]),
    );
    expect(res.body.stayed).toHaveLength(2);
    const changed = (await d.get('caseworker', changedLater.id)).body;
    expect({ machineVersion: changed.machineVersion, state: changed.state }).toEqual({ machineVersion: 2, state: 'advocacy.preparing' });
  });

  it('keeps each moved case at its step, with its clocks, e-mails, fee and history, and adds the move to its timeline', async () => {
    for (const entry of STATES) {
      const { id } = v1Cases.get(entry.state)!;
      const was = before.get(id)!;
      const now = await keptFacts(id);
      expect(now.deadlines).toEqual(was.deadlines);
      expect(now.notifications).toEqual(was.notifications);
      expect(now.events.slice(0, -1)).toEqual(was.events);
      expect(now.row).toMatchObject({ machine_version: 2, state: entry.state, stage: entry.state.split('.')[0], version: was.row.version + 1 });
      expect(now.row.updated_at).toEqual(was.row.updated_at);
      // Everything the case knew is kept (the fee among it); version 2 only adds its own fields.
      const { rejection: _r, ...kept } = was.row.snapshot.context;
      expect(now.row.snapshot.context).toMatchObject(kept);
      expect(now.row.snapshot.value).toEqual(was.row.snapshot.value);
      const last = now.events[now.events.length - 1];
      expect(last).toMatchObject({
        seq: was.row.version + 1,
        type: 'MOVED_TO_VERSION_2',
        payload: { fromVersion: 1, toVersion: 2 },
        actor_id: t.demo.users.admin.id,
        actor_role: 'administrator',
        from_state: entry.state,
        to_state: entry.state,
        effects: [],
      });
      const timeline = await d.timeline('admin', id);
      expect(timeline[timeline.length - 1]).toMatchObject({ type: 'MOVED_TO_VERSION_2', toState: entry.state, details: { fromVersion: 1, toVersion: 2 } });
      expect((await d.timeline('reporter', id)).map((e) => e.type)).toContain('MOVED_TO_VERSION_2');
    }
    const payment = (await d.get('reporter', v1Cases.get('mediation.payment')!.id)).body;
    expect(payment.fee).toMatchObject({ amountPence: 60_000, reporterSharePercent: 25 });
  });

  it('leaves a case that cannot be moved on version 1 exactly as it was', async () => {
    for (const c of [broken, brokenLater]) {
      const [row] = await t.db.query(`SELECT machine_version, version, snapshot->>'value' AS value FROM cases WHERE id = $1`, [c.id]);
      expect(row).toEqual({ machine_version: 1, version: 2, value: 'limbo' });
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'MOVED_TO_VERSION_2'`, [c.id]);
      expect(n).toBe(0);
    }
    const [row] = await t.db.query(`SELECT machine_version, stage FROM cases WHERE id = $1`, [withdrawnLater.id]);
    expect(row).toEqual({ machine_version: 1, stage: 'closed' });
    const [closed] = await t.db.query(`SELECT machine_version FROM cases WHERE id = $1`, [closedCase.id]);
    expect(closed.machine_version).toBe(1);
  });

  it('moves nothing the second time: only the unmovable cases are left, each with its reason', async () => {
    // No body at all: every open version 1 case, as with an empty one.
    const again = await t.http.post('/api/process-versions/move-to-2').set(api('admin'));
    expect(again.status).toBe(200);
    expect(again.body.moved).toEqual([]);
    expect(again.body.stayed.map((s: { id: string; code: string }) => [s.id, s.code]).sort()).toEqual([[broken.id, 'cannotMove'], [brokenLater.id, 'cannotMove']].sort());
    const named = await run({ caseIds: [v1Cases.get('submitted')!.id, v1Cases.get('resolved')!.id, '00000000-0000-4000-8000-000000000000'] });
    expect(named.body.moved).toEqual([]);
    expect(named.body.stayed.map((s: { code: string }) => s.code)).toEqual(['alreadyMoved', 'alreadyMoved', 'notFound']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_events WHERE type = 'MOVED_TO_VERSION_2'`);
    expect(n).toBe(STATES.length + 1);
    const dry = (await dryRun()).body;
    expect(dry).toMatchObject({ total: 2, movable: 0, cannotMove: 2 });
  });

  it('lets each moved case go on: version 2 events where its step allows them, then its next version 1 event', async () => {
    for (const entry of STATES) {
      const { id } = v1Cases.get(entry.state)!;
      if (entry.v2) {
        const [who, event] = entry.v2;
        expect(await d.send(who, id, event)).toMatchObject({ state: entry.v2After });
      }
      const [who, event] = entry.next;
      expect({ state: entry.state, after: (await d.send(who, id, event)).state }).toEqual({ state: entry.state, after: entry.after });
    }
    // The public body's request for more time is version 2's own, sent by a contact named on the
    // case: refused while the case is on version 1, taken once it has moved.
    const contact = await t.http
      .post(`/api/organisations/${t.demo.organisations.harboroughCouncil}/contacts`)
      .set(api('caseworker'))
      .send({ name: 'Nadia Named', email: 'nadia.named@respondent.test', jobTitle: 'Head of Commissioning' });
    expect(contact.status).toBe(201);
    // Respondents sign in by single-use links; a bearer token stands in for that here.
    const { token } = await t.app.get(TokenService).issue(contact.body.userId, 0);
    const respondent = { Authorization: `Bearer ${token}` };
    const waiting = await fileOnVersion1();
    for (const [who, event] of toAdvocacy()) await d.send(who, waiting.id, event);
    await d.send('caseworker', waiting.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the head of commissioning.', contactIds: [contact.body.id] });
    const ask = { type: 'REQUEST_EXTENSION', reason: 'Our committee meets next month.', workingDays: 10 };
    const onV1 = await t.http.post(`/api/cases/${waiting.id}/events`).set(respondent).send(ask);
    expect({ status: onV1.status, code: onV1.body.code }).toEqual({ status: 409, code: 'EVENT_NOT_ALLOWED_IN_STATE' });
    expect((await run({ caseIds: [waiting.id] })).body.moved).toHaveLength(1);
    const onV2 = await t.http.post(`/api/cases/${waiting.id}/events`).set(respondent).send(ask);
    expect(onV2.status).toBe(200);
    expect(onV2.body.state).toBe('advocacy.awaitingResponse');
    const reply = await t.http.post(`/api/cases/${waiting.id}/events`).set(respondent).send({ type: 'RECORD_RESPONSE', summary: 'We will restore the grant.' });
    expect(reply.status).toBe(200);
    expect(reply.body.state).toBe('advocacy.reviewing');
    expect((await d.timeline('caseworker', waiting.id)).map((e) => e.type).slice(-3)).toEqual(['MOVED_TO_VERSION_2', 'REQUEST_EXTENSION', 'RECORD_RESPONSE']);
  });

  it('takes an event sent at the moment the case moves, before or after the move, with no gap in the log', async () => {
    for (let i = 0; i < 3; i++) {
      const c = await caseAt(STATES[1]);
      const [moved, sent] = await Promise.all([run({ caseIds: [c.id] }), d.raw('caseworker', c.id, { type: 'ACCEPT' })]);
      expect(moved.body.moved).toHaveLength(1);
      expect(sent.status).toBe(200);
      const timeline = await d.timeline('admin', c.id);
      expect(timeline.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(timeline.slice(2).map((e) => e.type).sort()).toEqual(['ACCEPT', 'MOVED_TO_VERSION_2']);
      expect((await d.get('caseworker', c.id)).body).toMatchObject({ machineVersion: 2, state: 'advocacy.preparing', version: 4 });
    }
  });

  describe('the page', () => {
    let admin: WebClient;

    beforeAll(async () => {
      admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
    });

    it('does not exist for anyone but an administrator (404)', async () => {
      for (const who of ['caseworker', 'reporter', 'mediator'] as const) {
        const web = new WebClient(t);
        await web.signIn(t.demo.users[who].email);
        expect((await web.get('/admin/process-versions')).status).toBe(404);
        expect((await web.get('/admin/process-versions/confirm')).status).toBe(404);
        expect((await web.post('/admin/process-versions/move', { caseIds: broken.id })).status).toBe(404);
      }
    });

    it('shows the dry run as a table, asks to confirm, moves the cases and says what happened', async () => {
      const one = await caseAt(STATES[2]);
      const two = await caseAt(STATES[9]);
      const page = await admin.get('/admin/process-versions');
      expect(page.status).toBe(200);
      expect(page.text).toContain('4 open cases on version 1');
      expect(page.text).toContain(one.reference);
      expect(page.text).toContain('Triage: waiting for information from the reporter');
      expect(page.text).toContain('Stays on version 1');
      expect(page.text).not.toMatch(/awaitingInformation|MOVED_TO_VERSION_2/);
      expect(page.text).toContain('Move 2 cases to version 2');

      const confirm = await admin.get('/admin/process-versions/confirm');
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain('Move 2 cases to version 2?');
      const ids = [...confirm.text.matchAll(/name="caseIds" value="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.sort()).toEqual([one.id, two.id].sort());

      const done = await admin.post('/admin/process-versions/move', { caseIds: ids });
      expect(done.status).toBe(200);
      expect(done.text).toContain('2 cases moved to version 2');
      expect(done.text).toContain(two.reference);
      expect(done.text).not.toContain(broken.reference);
      for (const c of [one, two]) expect((await d.get('caseworker', c.id)).body.machineVersion).toBe(2);
      // The reporter's history says so, in words.
      const reporter = new WebClient(t);
      await reporter.signIn(t.demo.users.reporter.email);
      expect((await reporter.get(`/cases/${one.reference}`)).text).toContain('Your case moved to the new version of our process');

      // Sent again (a reload), nothing moves twice.
      const again = await admin.post('/admin/process-versions/move', { caseIds: ids });
      expect(again.text).toContain('No cases moved');
      expect(again.text).toContain('already on version 2');
      const after = await admin.get('/admin/process-versions');
      expect(after.text).toContain('2 open cases on version 1');
      expect(after.text).not.toContain('Move 0 cases');
    });
  });
});
