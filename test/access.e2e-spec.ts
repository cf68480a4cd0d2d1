import { ReadAudit } from '@cc/audit';
import { TokenService } from '@cc/identity';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/** Every role tries what it must not, and is refused without learning what it may not see. */
describe('access control (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp('access');
    d = new CaseDriver(t);
    caseId = await d.toAdvocacyReview();
    await d.send('caseworker', caseId, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', caseId, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', caseId, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    for (const [who, visibility, body] of [
      ['reporter', 'shared', 'Shared by the reporter'],
      ['caseworker', 'internal', 'Internal caseworker view'],
      ['mediator', 'mediator', 'Mediator confidential'],
    ] as const) {
      await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth(who)).send({ visibility, body }).expect(201);
    }
  });
  afterAll(() => t?.close());

  /** A contact at a public body with its respondent account (SQL until the registry's contacts API lands), and a bearer token. */
  async function respondentAt(organisationId: string, name: string): Promise<{ userId: string; contactId: string; auth: { Authorization: string } }> {
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@access.test`;
    const [user] = await t.db.query(`INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES ($1, $2, 'respondent', $3, '!') RETURNING id`, [
      email,
      name,
      organisationId,
    ]);
    const [contact] = await t.db.query(`INSERT INTO respondent_contacts (organisation_id, user_id, name, email) VALUES ($1, $2, $3, $4) RETURNING id`, [organisationId, user.id, name, email]);
    const { token } = await t.app.get(TokenService).issue(user.id, 0);
    return { userId: user.id, contactId: contact.id, auth: { Authorization: `Bearer ${token}` } };
  }

  it('refuses requests without a valid token (401)', async () => {
    await t.http.get('/api/cases').expect(401);
    const bad = await t.http.get('/api/cases').set({ Authorization: 'Bearer not.a-token' }).expect(401);
    expect(bad.body.code).toBe('UNAUTHENTICATED');
    const [body] = t.tokens.reporter.split('.');
    const forged = await t.http.get('/api/cases').set({ Authorization: `Bearer ${body}.AAAA` }).expect(401);
    expect(forged.body.message).toMatch(/sign in/i);
    await t.http.post('/api/auth/login').send({ email: 'reporter@demo.compact.test', password: 'wrong' }).expect(401);
  });

  it("another organisation's reporter gets 404 for everything about the case", async () => {
    for (const path of ['', '/timeline', '/notes']) {
      const res = await t.http.get(`/api/cases/${caseId}${path}`).set(d.auth('reporter2'));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CASE_NOT_FOUND');
    }
    const send = await d.raw('reporter2', caseId, { type: 'WITHDRAW' });
    expect(send.status).toBe(404);
    const note = await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('reporter2')).send({ visibility: 'shared', body: 'x' });
    expect(note.status).toBe(404);
    const list = await t.http.get('/api/cases').set(d.auth('reporter2')).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
  });

  it("a mediator sees only the cases they are appointed to", async () => {
    const other = await d.file();
    expect((await d.get('mediator', other.id)).status).toBe(404);
    expect((await d.get('mediatorTied', caseId)).status).toBe(404);
    expect((await d.get('mediator', caseId)).status).toBe(200);
    const list = await t.http.get('/api/cases').set(d.auth('mediator')).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
  });

  it('reporters never see internal or mediator notes; caseworkers never see mediator notes', async () => {
    const bodies = async (who: 'reporter' | 'caseworker' | 'mediator' | 'admin') =>
      (await t.http.get(`/api/cases/${caseId}/notes`).set(d.auth(who)).expect(200)).body.map((n: { body: string }) => n.body);
    expect(await bodies('reporter')).toEqual(['Shared by the reporter']);
    expect(await bodies('caseworker')).toEqual(['Shared by the reporter', 'Internal caseworker view']);
    expect(await bodies('mediator')).toEqual(['Shared by the reporter', 'Mediator confidential']);
    expect(await bodies('admin')).toHaveLength(3);
  });

  it('nobody writes a note into a channel they cannot read (403)', async () => {
    for (const [who, visibility] of [
      ['reporter', 'internal'],
      ['reporter', 'mediator'],
      ['caseworker', 'mediator'],
      ['mediator', 'internal'],
    ] as const) {
      const res = await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth(who)).send({ visibility, body: 'attempt' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOTE_VISIBILITY_NOT_ALLOWED');
    }
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM case_notes WHERE body = 'attempt'`);
    expect(count).toBe(0);
  });

  it('each role is refused events it may not send (403), with nothing stored', async () => {
    const before = (await d.get('caseworker', caseId)).body.version;
    const attempts: Array<[Parameters<CaseDriver['raw']>[0], Record<string, unknown>]> = [
      ['reporter', { type: 'SCHEDULE_SESSION', startsAt: '2026-12-10T10:00:00Z', location: 'x' }],
      ['reporter', { type: 'CLOSE_UNRESOLVED', reason: 'x' }],
      ['caseworker', { type: 'SCHEDULE_SESSION', startsAt: '2026-12-10T10:00:00Z', location: 'x' }],
      ['caseworker', { type: 'WAIVE_FEE', reason: 'x' }],
      ['mediator', { type: 'CLOSE_UNRESOLVED', reason: 'x' }],
      ['mediator', { type: 'WITHDRAW' }],
    ];
    for (const [who, event] of attempts) {
      const res = await d.raw(who, caseId, event);
      expect({ who, type: event.type, status: res.status, code: res.body.code }).toEqual({
        who,
        type: event.type,
        status: 403,
        code: 'EVENT_NOT_PERMITTED',
      });
    }
    expect((await d.get('caseworker', caseId)).body.version).toBe(before);
  });

  it('a reporter may agree a fee only for their own side', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 10_000, reporterSharePercent: 50 });
    const res = await d.raw('reporter', id, { type: 'AGREE_FEE', party: 'respondent' });
    expect(res.status).toBe(403);
    const cw = await d.raw('caseworker', id, { type: 'AGREE_FEE', party: 'reporter' });
    expect(cw.status).toBe(403);
  });

  it('a mediator tied to a party cannot be appointed (409 naming the rule)', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Hardship' });
    const res = await d.raw('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediatorTied.id });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('RULE_VIOLATED');
    expect(res.body.allowedActions).toEqual(expect.arrayContaining(['APPOINT_MEDIATOR']));
    const notMediator = await d.raw('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.caseworker.id });
    expect(notMediator.status).toBe(400);
    expect(notMediator.body.errors).toEqual([{ field: 'mediatorId', reason: 'is not an active mediator' }]);
  });

  it('only reporters file reports', async () => {
    const res = await t.http.post('/api/cases').set(d.auth('caseworker')).send({});
    expect(res.status).toBe(403);
  });

  it("records every administrator access in the audit log", async () => {
    await t.http.get(`/api/cases/${caseId}`).set(d.auth('admin')).expect(200);
    // Entries are written in batches (@cc/audit): write what is waiting now rather than wait for the timer.
    await new Promise((r) => setTimeout(r, 20));
    await t.app.get(ReadAudit).flush();
    const rows = await t.db.query(`SELECT method, path, case_id, status, role, what, via FROM access_audit WHERE user_id = $1 AND path = $2`, [
      t.demo.users.admin.id,
      `/api/cases/${caseId}`,
    ]);
    expect(rows).toEqual([{ method: 'GET', path: `/api/cases/${caseId}`, case_id: caseId, status: 200, role: 'administrator', what: 'case', via: 'api' }]);
  });

  it("search never reaches past what a caller may see: not another organisation's case, nor a case by a person's name for anyone but staff", async () => {
    const { reference } = (await d.get('caseworker', caseId)).body as { reference: string };
    const found = async (who: keyof TestApp['tokens'], text: string) =>
      ((await t.http.get('/api/cases').query({ text }).set(d.auth(who)).expect(200)).body.items as Array<{ id: string }>).map((c) => c.id);
    for (const text of [reference, reference.slice(-5), 'Riverside Community Foodbank', 'Rita Reporter', 'reporter@demo.compact.test']) {
      expect({ text, found: (await found('reporter2', text)).includes(caseId) }).toEqual({ text, found: false });
    }
    // The reporter's own organisation's case, by number and by the public body, but not by her own name.
    expect(await found('reporter', reference)).toEqual([caseId]);
    expect(await found('reporter', 'Harborough District Council')).toContain(caseId);
    expect(await found('reporter', 'Rita Reporter')).toEqual([]);
    // The appointed mediator finds it by number and names of organisations, not by the reporter's name.
    expect(await found('mediator', reference)).toEqual([caseId]);
    expect(await found('mediator', 'Rita Reporter')).toEqual([]);
    expect(await found('mediatorTied', reference)).toEqual([]);
    expect(await found('caseworker', 'Rita Reporter')).toContain(caseId);
  });

  it('a respondent sees a case only as a named, active contact at its public body: every object kind, else 404', async () => {
    const council = t.demo.organisations.harboroughCouncil;
    const named = await respondentAt(council, 'Nell Named');
    const colleague = await respondentAt(council, 'Carl Colleague');
    const otherBody = await respondentAt(t.demo.organisations.leicestershirePolice, 'Olive Other');
    const leaver = await respondentAt(council, 'Len Leaver');
    const closedAccount = await respondentAt(council, 'Cleo Closed');
    for (const who of [named, leaver, closedAccount]) await t.db.query(`INSERT INTO case_contacts (case_id, contact_id) VALUES ($1, $2)`, [caseId, who.contactId]);
    await t.db.query(`UPDATE respondent_contacts SET active = false WHERE id = $1`, [leaver.contactId]);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [closedAccount.userId]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const evidence = (await t.http.post(`/api/cases/${caseId}/evidence`).set(d.auth('caseworker')).attach('file', pdf, { filename: 'shared.pdf', contentType: 'application/pdf' }).expect(201)).body;
    await t.http.post(`/api/cases/${caseId}/evidence/${evidence.id}/share`).set(d.auth('caseworker')).send({ shared: true }).expect(200);

    const reads = ['', '/timeline', '/notes', '/messages', '/evidence', `/evidence/${evidence.id}`, '/deadlines'];
    for (const path of reads) {
      const res = await t.http.get(`/api/cases/${caseId}${path}`).set(named.auth);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    // Links are for staff: the named contact learns only that they may not (403), the others not even that.
    expect((await t.http.get(`/api/cases/${caseId}/links`).set(named.auth)).status).toBe(403);
    // A respondent's own steps only: a caseworker's event is refused (403); their reply is theirs to send but not possible now (409).
    const before = (await d.get('caseworker', caseId)).body.version;
    expect((await t.http.post(`/api/cases/${caseId}/events`).set(named.auth).send({ type: 'CLOSE_UNRESOLVED', reason: 'x' })).status).toBe(403);
    expect((await t.http.post(`/api/cases/${caseId}/events`).set(named.auth).send({ type: 'AGREE_FEE', party: 'reporter' })).status).toBe(403);
    expect((await t.http.post(`/api/cases/${caseId}/events`).set(named.auth).send({ type: 'RECORD_RESPONSE', summary: 'x' })).status).toBe(409);
    expect((await d.get('caseworker', caseId)).body.version).toBe(before);
    for (const [label, who, status] of [
      ['not named', colleague, 404],
      ['another body', otherBody, 404],
      ['contact deactivated', leaver, 404],
      ['account deactivated', closedAccount, 401],
    ] as const) {
      for (const path of [...reads, '/links']) {
        const res = await t.http.get(`/api/cases/${caseId}${path}`).set(who.auth);
        expect({ label, path, status: res.status }).toEqual({ label, path, status });
      }
      for (const [path, body] of [
        ['/events', { type: 'RECORD_RESPONSE', summary: 'x' }],
        ['/notes', { visibility: 'parties', body: 'x' }],
        ['/messages', { body: 'x' }],
        [`/evidence/${evidence.id}/share`, { shared: true }],
      ] as const) {
        const res = await t.http.post(`/api/cases/${caseId}${path}`).set(who.auth).send(body);
        expect({ label, path, status: res.status }).toEqual({ label, path, status });
      }
      if (status === 404) expect((await t.http.get('/api/cases').set(who.auth).expect(200)).body.items).toEqual([]);
    }
    expect((await t.http.get('/api/cases').set(named.auth).expect(200)).body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    // Never the shared (reporter and staff), internal or mediator notes: only messages to the public body.
    expect((await t.http.get(`/api/cases/${caseId}/notes`).set(named.auth).expect(200)).body).toEqual([]);
    await t.http.post(`/api/cases/${caseId}/messages`).set(d.auth('caseworker')).send({ body: 'Please reply by Friday.' }).expect(201);
    const notes = (await t.http.get(`/api/cases/${caseId}/notes`).set(named.auth).expect(200)).body.map((n: { body: string }) => n.body);
    expect(notes).toEqual(['Please reply by Friday.']);
    // The other roles read notes as before, and the new message where it is meant for them.
    const bodies = async (who: 'reporter' | 'caseworker' | 'mediator' | 'admin') =>
      (await t.http.get(`/api/cases/${caseId}/notes`).set(d.auth(who)).expect(200)).body.map((n: { body: string }) => n.body);
    expect(await bodies('reporter')).toEqual(['Shared by the reporter', 'Please reply by Friday.']);
    expect(await bodies('mediator')).toEqual(['Shared by the reporter', 'Mediator confidential']);
    // Only the evidence shared with the public body; no mediator or internal event fields on the timeline.
    expect((await t.http.get(`/api/cases/${caseId}/evidence`).set(named.auth).expect(200)).body.map((e: { id: string }) => e.id)).toEqual([evidence.id]);
    const timeline = (await t.http.get(`/api/cases/${caseId}/timeline`).set(named.auth).expect(200)).body as Array<{ type: string; details: Record<string, unknown> }>;
    expect(timeline.map((e) => e.type)).not.toContain('ASSIGN');
    expect(timeline.map((e) => e.type)).not.toContain('ACCEPT');
    expect(timeline.find((e) => e.type === 'WAIVE_FEE')?.details).toEqual({});
    expect(timeline.find((e) => e.type === 'APPOINT_MEDIATOR')?.details).toEqual({});
  });
});
