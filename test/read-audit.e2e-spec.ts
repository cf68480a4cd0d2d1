import { ReadAudit } from '@cc/audit';
import { CaseDriver } from './support/case-driver';
import { PrivatePostgres } from './support/private-services';
import { TestApp, startTestApp } from './support/test-app';
import { FIXTURES } from './support/zip-fixture';
import { WebClient } from './support/web-client';

/**
 * Every staff read of a case is recorded (issue 15): who, as what role, when, which part, page or
 * API, and the answer; reporters' reads are not; nothing is lost under a burst or while the
 * database restarts; and the record is shown to administrators and, as roles only, to reporters.
 */

jest.setTimeout(120_000);

interface AuditRow {
  user_id: string;
  role: string;
  method: string;
  path: string;
  case_id: string | null;
  what: string;
  via: string;
  status: number;
}

const EMAILS = { caseworker: 'caseworker@demo.compact.test', mediator: 'mediator@demo.compact.test', admin: 'admin@demo.compact.test', reporter: 'reporter@demo.compact.test' };

describe('read audit (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let audit: ReadAudit;
  let caseId: string;
  let reference: string;
  let evidenceId: string;

  const rows = async (where: string, params: unknown[]): Promise<AuditRow[]> => {
    // A streamed answer (a document) is recorded when the server has finished sending it, which
    // can be a moment after the client has read it all.
    await new Promise((r) => setTimeout(r, 50));
    await audit.flush();
    return t.db.query(`SELECT user_id, role, method, path, case_id, what, via, status FROM access_audit WHERE ${where} ORDER BY id`, params);
  };

  beforeAll(async () => {
    t = await startTestApp('read-audit');
    d = new CaseDriver(t);
    audit = t.app.get(ReadAudit);
    caseId = await d.toAdvocacyReview();
    await d.send('caseworker', caseId, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', caseId, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', caseId, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    reference = (await d.get('caseworker', caseId)).body.reference;
    const uploaded = await t.http
      .post(`/api/cases/${caseId}/evidence`)
      .set(d.auth('reporter'))
      .attach('file', FIXTURES.pdf(), { filename: 'letter.pdf', contentType: 'application/pdf' })
      .expect(201);
    evidenceId = uploaded.body.id;
    // What setting the case up wrote is not what the tests below look for.
    await audit.flush();
    await t.db.query(`DELETE FROM access_audit`);
  });
  afterAll(() => t?.close());

  it('records every kind of read by every staff role, over the API and on the pages, with who, what and how', async () => {
    const api: Array<[string, string]> = [
      [`/api/cases/${caseId}`, 'case'],
      [`/api/cases/${reference}`, 'case'],
      [`/api/cases/${caseId}/timeline`, 'timeline'],
      [`/api/cases/${caseId}/notes`, 'notes'],
      [`/api/cases/${caseId}/messages`, 'messages'],
      [`/api/cases/${caseId}/evidence/${evidenceId}`, 'evidence'],
      [`/api/cases/${caseId}/deadlines`, 'deadlines'],
    ];
    const pages: Array<[string, string]> = [
      [`/cases/${caseId}`, 'case'],
      [`/cases/${caseId}/evidence/${evidenceId}`, 'evidence'],
    ];
    for (const who of ['caseworker', 'mediator', 'admin'] as const) {
      for (const [path] of api) {
        const res = await t.http.get(path).set(d.auth(who));
        expect(res.status).toBeLessThan(500);
      }
      const web = new WebClient(t);
      await web.signIn(EMAILS[who]);
      for (const [path] of pages) expect((await web.get(path)).status).toBe(200);
    }
    for (const who of ['caseworker', 'mediator', 'admin'] as const) {
      const user = t.demo.users[who];
      const found = await rows(`user_id = $1 AND case_id = $2`, [user.id, caseId]);
      const role = who === 'admin' ? 'administrator' : who;
      for (const [path, what] of api) {
        expect(found).toContainEqual(expect.objectContaining({ user_id: user.id, role, method: 'GET', path, case_id: caseId, what, via: 'api' }));
      }
      for (const [path, what] of pages) {
        expect(found).toContainEqual({ user_id: user.id, role, method: 'GET', path, case_id: caseId, what, via: 'page', status: 200 });
      }
      // The case found by its reference is the same case.
      expect(found.filter((r) => r.path === `/api/cases/${reference}`).map((r) => r.status)).toEqual([200]);
    }
  });

  it("records a refused read too, with its answer; a caseworker's change is left to the case's history, an administrator's is recorded", async () => {
    const other = await d.file();
    expect((await d.get('mediator', other.id)).status).toBe(404);
    await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('caseworker')).send({ visibility: 'internal', body: 'Called the council.' }).expect(201);
    await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('admin')).send({ visibility: 'internal', body: 'Checked the file.' }).expect(201);
    expect(await rows(`user_id = $1 AND case_id = $2`, [t.demo.users.mediator.id, other.id])).toEqual([
      { user_id: t.demo.users.mediator.id, role: 'mediator', method: 'GET', path: `/api/cases/${other.id}`, case_id: other.id, what: 'case', via: 'api', status: 404 },
    ]);
    expect(await rows(`user_id = $1 AND method = 'POST' AND path = $2`, [t.demo.users.caseworker.id, `/api/cases/${caseId}/notes`])).toEqual([]);
    const notes: { author_id: string }[] = await t.db.query(`SELECT author_id FROM case_notes WHERE case_id = $1 AND body = 'Called the council.'`, [caseId]);
    expect(notes).toEqual([{ author_id: t.demo.users.caseworker.id }]);
    expect(await rows(`user_id = $1 AND method = 'POST' AND path = $2`, [t.demo.users.admin.id, `/api/cases/${caseId}/notes`])).toEqual([
      expect.objectContaining({ role: 'administrator', what: 'notes', via: 'api', status: 201, case_id: caseId }),
    ]);
  });

  it('records no read by a reporter, nor a staff request that names no case; administrators keep every request recorded', async () => {
    await d.get('reporter', caseId).then((res) => expect(res.status).toBe(200));
    const web = new WebClient(t);
    await web.signIn(EMAILS.reporter);
    expect((await web.get(`/cases/${caseId}`)).status).toBe(200);
    await t.http.get('/api/cases').set(d.auth('caseworker')).expect(200);
    await t.http.get('/api/cases?stage=triage').set(d.auth('admin')).expect(200);
    expect(await rows(`user_id = $1`, [t.demo.users.reporter.id])).toEqual([]);
    expect(await rows(`user_id = $1 AND path LIKE '/api/cases?%' OR user_id = $1 AND path = '/api/cases'`, [t.demo.users.caseworker.id])).toEqual([]);
    expect(await rows(`user_id = $1 AND path = '/api/cases?stage=triage'`, [t.demo.users.admin.id])).toEqual([
      { user_id: t.demo.users.admin.id, role: 'administrator', method: 'GET', path: '/api/cases?stage=triage', case_id: null, what: 'other', via: 'api', status: 200 },
    ]);
  });

  it('loses none of a burst of 2,000 reads from 16 concurrent clients', async () => {
    const total = 2000;
    const clients = 16;
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        for (let i = next++; i < total; i = next++) {
          const who = (['caseworker', 'mediator', 'admin'] as const)[i % 3];
          const res = await t.http.get(`/api/cases/${caseId}/timeline?burst=${i}`).set(d.auth(who));
          expect(res.status).toBe(200);
        }
      }),
    );
    const written = await rows(`path LIKE $1`, [`/api/cases/${caseId}/timeline?burst=%`]);
    expect(written).toHaveLength(total);
    expect(new Set(written.map((r) => r.path)).size).toBe(total);
    expect(audit.buffered).toBe(0);
    // On a machine this busy or busier, 2,000 requests over HTTP take a while; the bar here is that none is lost.
  }, 600_000);

  it('sets aside only the one entry the database refuses, and writes the rest of its batch', async () => {
    const entry = (userId: string, i: number) => ({ userId, role: 'caseworker' as const, caseRef: caseId, what: 'case' as const, via: 'api' as const, method: 'GET', path: `/api/cases/${caseId}?batch=${i}`, status: 200 });
    for (let i = 0; i < 9; i++) audit.record(entry(i === 4 ? '00000000-0000-4000-8000-00000000dead' : t.demo.users.caseworker.id, i));
    const written = await rows(`path LIKE $1`, [`/api/cases/${caseId}?batch=%`]);
    expect(written.map((r) => r.path.split('=')[1])).toEqual(['0', '1', '2', '3', '5', '6', '7', '8']);
    expect(audit.buffered).toBe(0);
  });

  describe('the record, shown', () => {
    it('administrators get who has read a case over the API, newest first; others are refused', async () => {
      const res = await t.http.get(`/api/cases/${caseId}/reads`).set(d.auth('admin')).expect(200);
      expect(res.body.total).toBeGreaterThan(2000);
      expect(res.body.reads).toHaveLength(50);
      expect(res.body.reads[0]).toEqual(expect.objectContaining({ role: expect.any(String), what: expect.any(String), via: expect.stringMatching(/^(page|api)$/), name: expect.any(String) }));
      const times = res.body.reads.map((r: { at: string }) => Date.parse(r.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      const byRef = await t.http.get(`/api/cases/${reference}/reads?page=2`).set(d.auth('admin')).expect(200);
      expect(byRef.body.page).toBe(2);
      expect((await t.http.get(`/api/cases/${caseId}/reads`).set(d.auth('caseworker'))).status).toBe(403);
      expect((await t.http.get(`/api/cases/${caseId}/reads`).set(d.auth('reporter'))).status).toBe(403);
      expect((await t.http.get(`/api/cases/00000000-0000-4000-8000-000000000000/reads`).set(d.auth('admin'))).status).toBe(404);
      const bad = await t.http.get(`/api/cases/${caseId}/reads?page=zero`).set(d.auth('admin'));
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'page' })]);
    });

    it('administrators get every case a person has read; an unknown person is a 404', async () => {
      const res = await t.http.get(`/api/users/${t.demo.users.mediator.id}/reads`).set(d.auth('admin')).expect(200);
      expect(res.body.cases.map((c: { caseId: string }) => c.caseId).sort()).toEqual(expect.arrayContaining([caseId]));
      const mine = res.body.cases.find((c: { caseId: string }) => c.caseId === caseId);
      expect(mine).toEqual(expect.objectContaining({ reference, reads: expect.any(Number), refused: 0 }));
      expect(mine.reads).toBeGreaterThan(600);
      expect(res.body.cases.find((c: { caseId: string }) => c.caseId !== caseId)).toEqual(expect.objectContaining({ reads: 0, refused: 1 }));
      expect((await t.http.get(`/api/users/00000000-0000-4000-8000-000000000000/reads`).set(d.auth('admin'))).status).toBe(404);
      expect((await t.http.get(`/api/users/not-a-person/reads`).set(d.auth('admin'))).status).toBe(404);
      expect((await t.http.get(`/api/users/${t.demo.users.mediator.id}/reads`).set(d.auth('caseworker'))).status).toBe(403);
    });

    it('the reporter is told which roles opened the case and when, never who; nobody else may ask about a case they cannot see', async () => {
      const res = await t.http.get(`/api/cases/${caseId}/openings`).set(d.auth('reporter')).expect(200);
      const sentences = res.body.map((o: { sentence: string }) => o.sentence);
      expect(sentences).toEqual(expect.arrayContaining([expect.stringMatching(/^A caseworker opened this case on \d{1,2} [A-Z][a-z]+ \d{4}\.$/), expect.stringMatching(/^A mediator opened/), expect.stringMatching(/^An administrator opened/)]));
      expect(JSON.stringify(res.body)).not.toContain(t.demo.users.caseworker.id);
      expect((await t.http.get(`/api/cases/${caseId}/openings`).set(d.auth('reporter2'))).status).toBe(404);
      expect((await t.http.get(`/api/cases/${caseId}/openings`).set(d.auth('mediator'))).status).toBe(403);
    });

    it('pages: the administrator sees who has read the case and what a person read; the reporter sees roles on the case page', async () => {
      const [{ display_name: caseworkerName }] = await t.db.query(`SELECT display_name FROM users WHERE id = $1`, [t.demo.users.caseworker.id]);
      const admin = new WebClient(t);
      await admin.signIn(EMAILS.admin);
      const casePage = await admin.get(`/cases/${caseId}`);
      expect(casePage.text).toContain(`href="/cases/${caseId}/reads"`);
      const reads = await admin.get(`/cases/${caseId}/reads`);
      expect(reads.status).toBe(200);
      expect(reads.text).toContain('Who has read this case');
      expect(reads.text).toContain(caseworkerName);
      expect(reads.text).toContain('Its history');
      expect(reads.text).toContain('The API');
      expect(reads.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(reads.text).toContain('govuk-pagination');
      expect((await admin.get(`/cases/${caseId}/reads?page=2`)).status).toBe(200);
      expect((await admin.get(`/cases/${caseId}/reads?page=-1`)).status).toBe(400);
      expect((await admin.get(`/cases/00000000-0000-4000-8000-000000000000/reads`)).status).toBe(404);
      const userPage = await admin.get(`/admin/users/${t.demo.users.mediator.id}`);
      expect(userPage.text).toContain(`href="/admin/users/${t.demo.users.mediator.id}/reads"`);
      const personReads = await admin.get(`/admin/users/${t.demo.users.mediator.id}/reads`);
      expect(personReads.status).toBe(200);
      expect(personReads.text).toContain(reference);
      expect(personReads.text).toContain('Cases they have read');
      expect((await admin.get(`/admin/users/00000000-0000-4000-8000-000000000000/reads`)).status).toBe(404);

      const caseworker = new WebClient(t);
      await caseworker.signIn(EMAILS.caseworker);
      expect((await caseworker.get(`/cases/${caseId}/reads`)).status).toBe(403);
      expect((await caseworker.get(`/admin/users/${t.demo.users.mediator.id}/reads`)).status).toBe(403);
      expect((await caseworker.get(`/cases/${caseId}`)).text).not.toContain(`/cases/${caseId}/reads`);

      const reporter = new WebClient(t);
      await reporter.signIn(EMAILS.reporter);
      const mine = await reporter.get(`/cases/${caseId}`);
      expect(mine.status).toBe(200);
      const section = mine.text.slice(mine.text.indexOf('id="staff-openings"'));
      expect(section).toMatch(/A caseworker opened this case on \d{1,2} [A-Z][a-z]+ \d{4}\./);
      expect(section).toMatch(/An administrator opened this case on/);
      expect(section.slice(0, section.indexOf('</ul>'))).not.toContain(caseworkerName);
      expect(mine.text).not.toContain(`/cases/${caseId}/reads`);
      expect((await reporter.get(`/cases/${caseId}/reads`)).status).toBe(403);
    });
  });
});

describe('read audit while the database restarts', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let d: CaseDriver;
  let audit: ReadAudit;

  beforeAll(async () => {
    pg = await new PrivatePostgres().init();
    t = await startTestApp('read-audit-restart', {}, pg.serverUrl);
    d = new CaseDriver(t);
    audit = t.app.get(ReadAudit);
  });

  afterAll(async () => {
    await pg.start().catch(() => undefined);
    await t?.close();
    await pg?.destroy();
  });

  it('keeps the entries while PostgreSQL is stopped and writes them once it is back, with the times they happened', async () => {
    const { id } = await d.file();
    await t.http.get(`/api/cases/${id}`).set(d.auth('caseworker')).expect(200);
    await audit.flush();
    await pg.stop();
    let during = new Date();
    try {
      // A request refused before its caller is known (the token is checked against the database) names nobody to record.
      expect((await t.http.get(`/api/cases/${id}/timeline`).set(d.auth('caseworker'))).status).toBe(503);
      during = new Date();
      for (let i = 0; i < 300; i++) {
        audit.record({ userId: t.demo.users.mediator.id, role: 'mediator', caseRef: id, what: 'evidence', via: 'api', method: 'GET', path: `/api/cases/${id}/evidence?outage=${i}`, status: 200 });
      }
      // Several attempts fail meanwhile; none of it reaches the request.
      await new Promise((r) => setTimeout(r, 2000));
      expect(audit.buffered).toBe(300);
    } finally {
      await pg.start();
    }
    // Written once the database is back (the retry waits up to 5 s), each once.
    const deadline = Date.now() + 60_000;
    while (audit.buffered > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(audit.buffered).toBe(0);
    await audit.flush();
    const written: Array<{ n: number; earliest: Date }> = await t.db.query(
      `SELECT count(*)::int AS n, min(at) AS earliest FROM access_audit WHERE path LIKE '%outage=%' AND case_id = $1`,
      [id],
    );
    expect(written[0].n).toBe(300);
    // The time kept is when the request was answered, not when the database was back.
    expect(written[0].earliest.getTime()).toBeGreaterThanOrEqual(during.getTime() - 1000);
    expect(written[0].earliest.getTime()).toBeLessThan(during.getTime() + 2000);
  });

  it('writes what is still waiting when the application closes', async () => {
    const { id } = await d.file();
    for (let i = 0; i < 40; i++) audit.record({ userId: t.demo.users.admin.id, role: 'administrator', caseRef: id, what: 'case', via: 'page', method: 'GET', path: `/cases/${id}?closing=${i}`, status: 200 });
    const url = t.database.url;
    await t.app.close();
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM access_audit WHERE path LIKE '%closing=%'`)).rows;
      expect(n).toBe(40);
    } finally {
      await client.end();
    }
  });
});
