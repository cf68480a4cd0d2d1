import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/** Where the clocks stand, over HTTP (no worker runs here, so nothing fires under the test). */
describe('deadlines API (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('deadlinesapi');
    d = new CaseDriver(t);
  });
  afterAll(() => t?.close());

  it('shows due and overdue work to caseworkers', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker2.id });
    await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 hour', wakeup_for = now() - interval '1 hour' WHERE case_id = $1 AND kind = 'triage'`, [id]);
    const overdue = await t.http.get('/api/deadlines?due=overdue&assignee=' + t.demo.users.caseworker2.id).set(d.auth('caseworker'));
    expect(overdue.status).toBe(200);
    expect(overdue.body.map((x: { caseId: string }) => x.caseId)).toContain(id);
    const mine = await t.http.get(`/api/cases/${id}/deadlines`).set(d.auth('reporter'));
    expect(mine.status).toBe(200);
    expect(mine.body.map((x: { kind: string }) => x.kind)).toContain('triage');
    expect((await t.http.get(`/api/cases/${id}/deadlines`).set(d.auth('reporter2'))).status).toBe(404);
    expect((await t.http.get('/api/deadlines').set(d.auth('reporter'))).status).toBe(403);
    const bad = await t.http.get('/api/deadlines?due=someday').set(d.auth('caseworker'));
    expect(bad.status).toBe(400);
  });

  it("lets administrators set a Compact's deadline length, used by the next clock started", async () => {
    const res = await t.http
      .put('/api/admin/deadline-policies/triage')
      .set(d.auth('admin'))
      .send({ compactId: t.demo.compacts.national2010, workingDays: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'triage', workingDays: 3 });
    const { id } = await d.file();
    const [row] = await t.db.query(`SELECT started_at, due_at FROM deadlines WHERE case_id = $1 AND kind = 'triage'`, [id]);
    const days = (new Date(row.due_at).getTime() - new Date(row.started_at).getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(3);
    expect(days).toBeLessThan(3 + 5); // 3 working days, with at most a weekend and bank holidays between
    expect((await t.http.put('/api/admin/deadline-policies/triage').set(d.auth('caseworker')).send({ workingDays: 3 })).status).toBe(403);
    const bad = await t.http.put('/api/admin/deadline-policies/monitoring').set(d.auth('admin')).send({ workingDays: 3 });
    expect(bad.status).toBe(400);
    await t.http.put('/api/admin/deadline-policies/triage').set(d.auth('admin')).send({ compactId: t.demo.compacts.national2010, workingDays: 5 }).expect(200);
  });
});
