import { CaseDriver } from './support/case-driver';
import { TestApp, sampleReport, startTestApp } from './support/test-app';

/** Bad requests get a 400 naming the field and why, or a 409 listing what is allowed, and store nothing. */
describe('bad input (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp('badinput');
    d = new CaseDriver(t);
    ({ id: caseId } = await d.file());
    await d.send('caseworker', caseId, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
  });
  afterAll(() => t?.close());

  const counts = async () => {
    const [row] = await t.db.query(
      `SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events,
              (SELECT version FROM cases WHERE id = $1) AS version, (SELECT snapshot::text FROM cases WHERE id = $1) AS snapshot`,
      [caseId],
    );
    return row;
  };

  describe('filing a report', () => {
    it.each([
      ['missing fields', { title: undefined, respondentId: undefined }, ['respondentId', 'title']],
      ['wrong types', { commitments: 'six', happenedOn: 12 }, ['commitments', 'happenedOn']],
      ['an unknown field', { priority: 'urgent' }, ['priority']],
      ['oversize text', { whatHappened: 'x'.repeat(10_001) }, ['whatHappened']],
      ['a date in the wrong form', { happenedOn: '01/10/2026' }, ['happenedOn']],
      ['a date in the future', { happenedOn: '2099-01-01' }, ['happenedOn']],
      ['an unknown respondent', { respondentId: '00000000-0000-4000-8000-000000000000' }, ['respondentId']],
      ['a voluntary organisation as respondent', {}, ['respondentId']],
      ['an unknown Compact', { compactId: '00000000-0000-4000-8000-000000000000' }, ['compactId']],
    ])('refuses %s with 400 naming the field', async (label, overrides, fields) => {
      const before = await counts();
      const body: Record<string, unknown> = sampleReport(t.demo, overrides);
      if (label === 'a voluntary organisation as respondent') body.respondentId = t.demo.organisations.harboroughCarers;
      for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      const res = await t.http.post('/api/cases').set(d.auth('reporter')).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const named = [...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort();
      expect(named).toEqual([...fields].sort());
      for (const e of res.body.errors) expect(e.reason).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    });

    it('refuses malformed JSON and oversize bodies', async () => {
      const bad = await t.http.post('/api/cases').set(d.auth('reporter')).set('Content-Type', 'application/json').send('{"title": ');
      expect(bad.status).toBe(400);
      const huge = await t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReport(t.demo, { evidence: 'x'.repeat(300_000) }));
      expect(huge.status).toBe(413);
    });
  });

  describe('sending events', () => {
    it.each([
      ['no type', { questions: 'x' }, 'type'],
      ['an unknown event', { type: 'DELETE_EVERYTHING' }, 'type'],
      ['a system-only event', { type: 'INFORMATION_OVERDUE' }, 'type'],
      ['a missing payload field', { type: 'REQUEST_INFO' }, 'questions'],
      ['a wrong-typed field', { type: 'REQUEST_INFO', questions: 42 }, 'questions'],
      ['an unknown field', { type: 'ACCEPT', priority: 'high' }, 'priority'],
      ['oversize text', { type: 'REQUEST_INFO', questions: 'q'.repeat(10_001) }, 'questions'],
      ['an enum value it does not know', { type: 'REJECT', reason: 'boring', explanation: 'x' }, 'reason'],
      ['a conditional field left out', { type: 'REJECT', reason: 'duplicate', explanation: 'Same as another' }, 'duplicateOfReference'],
      ['a malformed id', { type: 'ASSIGN', caseworkerId: 'bob' }, 'caseworkerId'],
    ])('refuses %s with 400 naming the field', async (_label, event, field) => {
      const before = await counts();
      const res = await d.raw('caseworker', caseId, event);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('refuses an event not allowed now with 409 and the allowed actions', async () => {
      const before = await counts();
      const res = await d.raw('caseworker', caseId, { type: 'RESOLVE', agreedActions: ['x'], monitorUntil: '2027-01-01' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'EVENT_NOT_ALLOWED_IN_STATE', state: 'triage.reviewing' });
      expect(res.body.allowedActions).toEqual(expect.arrayContaining(['ACCEPT', 'REJECT', 'REQUEST_INFO']));
      expect(res.body.allowedActions).not.toContain('RESOLVE');
      expect(res.body.message).toMatch(/You can do: /);
      expect(await counts()).toEqual(before);
    });

    it('refuses a stale If-Match version with 409', async () => {
      const before = await counts();
      const res = await t.http
        .post(`/api/cases/${caseId}/events`)
        .set(d.auth('caseworker'))
        .set('If-Match', `"${before.version - 1}"`)
        .send({ type: 'ACCEPT' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'STALE_VERSION', currentVersion: before.version });
      expect(await counts()).toEqual(before);
    });

    it('answers 404 for a case that does not exist', async () => {
      const res = await d.raw('caseworker', '00000000-0000-4000-8000-000000000000', { type: 'ACCEPT' });
      expect(res.status).toBe(404);
    });
  });

  describe('lists', () => {
    it('refuses bad filters with 400', async () => {
      const res = await t.http.get('/api/cases?stage=limbo&limit=500&cursor=zzz').set(d.auth('caseworker'));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'stage']);
      const cursor = await t.http.get('/api/cases?cursor=zzz').set(d.auth('caseworker'));
      expect(cursor.status).toBe(400);
      expect(cursor.body.errors[0].field).toBe('cursor');
    });

    it('filters and pages through cases with a cursor', async () => {
      for (let i = 0; i < 4; i++) await d.file('reporter', { title: `Consultation ${i} was too short` });
      const first = await t.http.get('/api/cases?limit=3').set(d.auth('caseworker')).expect(200);
      expect(first.body.items).toHaveLength(3);
      const second = await t.http.get(`/api/cases?limit=3&cursor=${first.body.nextCursor}`).set(d.auth('caseworker')).expect(200);
      const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      const text = await t.http.get('/api/cases?text=consultation').set(d.auth('caseworker')).expect(200);
      expect(text.body.items).toHaveLength(4);
      const byState = await t.http.get('/api/cases?state=triage.reviewing').set(d.auth('caseworker')).expect(200);
      expect(byState.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
      const unassigned = await t.http.get('/api/cases?assigneeId=none&stage=submitted').set(d.auth('caseworker')).expect(200);
      expect(unassigned.body.items).toHaveLength(4);
      const mine = await t.http.get(`/api/cases?assigneeId=${t.demo.users.caseworker.id}`).set(d.auth('caseworker')).expect(200);
      expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    });
  });
  // An id that cannot be a UUID names nothing: the same 404 as an unknown id, in the house format, checked at the route.
  describe('ids in paths', () => {
    it.each([
      ['get', '/api/compacts/not-a-uuid', 'caseworker', 'COMPACT_NOT_FOUND'],
      ['get', '/api/compacts/not-a-uuid/commitments', 'caseworker', 'COMPACT_NOT_FOUND'],
      ['patch', '/api/admin/organisations/not-a-uuid', 'admin', 'ORGANISATION_NOT_FOUND'],
      ['delete', '/api/admin/commitments/not-a-uuid', 'admin', 'COMMITMENT_NOT_FOUND'],
      ['get', '/api/admin/users/not-a-uuid/ties', 'admin', 'USER_NOT_FOUND'],
      ['post', '/api/admin/notifications/not-a-uuid/retry', 'admin', 'NOT_FOUND'],
      ['post', '/api/admin/users/not-a-uuid/two-factor/reset', 'admin', 'NOT_FOUND'],
    ] as const)('%s %s, as %s, answers 404 %s', async (method, path, who, code) => {
      const res = await t.http[method](path).set(d.auth(who)).send({});
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code });
    });
  });
});
