import { CaseDriver } from './support/case-driver';
import { REDIS_URL, deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

const CSV_HEADER = 'compact_name,scope,area,adopted_on,status,source_url,section_code,section_title,section_kind,reference,text,binds,wording,rule';

/** Administrators' pages over real PostgreSQL: registry, import, organisations, users, e-mails. */
describe('pages: administration', () => {
  let t: TestApp;
  let admin: WebClient;

  /** A multipart form post as a browser sends it: the CSRF token first, then the file. */
  function upload(web: WebClient, name: string, content: string, csrf = web.csrf ?? '') {
    const cookies = (web as unknown as { cookies: Map<string, string> }).cookies;
    return t.http
      .post('/admin/compacts/import')
      .set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '))
      .field('_csrf', csrf)
      .attach('file', Buffer.from(content), { filename: name, contentType: name.endsWith('.json') ? 'application/json' : 'text/csv' });
  }

  beforeAll(async () => {
    t = await startTestApp('web-admin');
    admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
  });
  afterAll(() => t?.close());

  it('lists the Compacts with their status and opens one', async () => {
    const list = await admin.get('/admin/compacts');
    expect(list.status).toBe(200);
    expect(list.text).toContain('The Compact (2010)');
    expect(list.text).toMatch(/govuk-tag[^"]*">Active</);
    const detail = await admin.get(`/admin/compacts/${t.demo.compacts.national2010}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('id="commitments-table"');
    expect(detail.text).toContain('name="rule"');
    expect((await admin.get('/admin/compacts/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('imports a good CSV and says what was written', async () => {
    await admin.get('/admin/compacts/import');
    const csv = [
      CSV_HEADER,
      'Testshire Compact (2012),local,Testshire,2012-03-01,active,,F,Funding,code_of_practice,F1,Give three months notice of changes to funding,public,summary,',
      ',,,,,,F,,,F2,Pay grants on time,public,summary,',
      ',,,,,,C,Consultation,code_of_practice,C1,Consult for twelve weeks,public,summary,',
    ].join('\n');
    const res = await upload(admin, 'testshire.csv', csv);
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Imported Testshire Compact (2012): 2 sections, 3 commitments');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM commitments k JOIN compacts c ON c.id = k.compact_id WHERE c.name = 'Testshire Compact (2012)'`);
    expect(n).toBe(3);
    // The banner is shown once.
    expect((await admin.get(res.headers.location)).text).not.toContain('Imported Testshire');
  });

  it('refuses a bad CSV with its problems by row, and writes nothing', async () => {
    await admin.get('/admin/compacts/import');
    const before = await t.db.query(`SELECT count(*)::int AS n FROM compacts`);
    const csv = [
      CSV_HEADER,
      'Badshire Compact,local,Badshire,2012-02-30,active,,F,Funding,code_of_practice,F1,Give notice,public,summary,',
      ',,,,,,F,,,F2,Pay on time,everyone,summary,',
    ].join('\n');
    const res = await upload(admin, 'badshire.csv', csv);
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('id="row-errors"');
    // Both problems named, each against its line of the file.
    const table = res.text.slice(res.text.indexOf('id="row-errors"'));
    expect(table).toMatch(/>2<\/td>[\s\S]*?adopted/);
    expect(table).toMatch(/>3<\/td>[\s\S]*?must be public, voluntary or both/);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM compacts`)).toEqual(before);
    expect(await t.db.query(`SELECT 1 FROM compacts WHERE name = 'Badshire Compact'`)).toEqual([]);
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const res = await upload(admin, 'x.csv', `${CSV_HEADER}\n`, 'not-the-token');
    expect(res.status).toBe(403);
    expect(res.text).toContain('reload the page and submit it again');
  });

  it('adds a commitment with a rule and refuses a rule that is not JSON, keeping what was typed', async () => {
    const [compact] = await t.db.query(`SELECT id FROM compacts WHERE name = 'Testshire Compact (2012)'`);
    await admin.get(`/admin/compacts/${compact.id}`);
    const bad = await admin.post(`/admin/compacts/${compact.id}/commitments`, { reference: 'C2', section: 'C', text: 'Publish responses', binds: 'public', wording: 'summary', rule: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Rule must be JSON');
    expect(bad.text).toContain('value="C2"');
    expect(bad.text).toContain('{not json');
    const good = await admin.post(`/admin/compacts/${compact.id}/commitments`, { reference: 'C2', section: 'C', text: 'Publish responses', binds: 'public', wording: 'summary', rule: '' });
    expect(good.status).toBe(303);
    expect((await admin.get(good.headers.location)).text).toContain('Commitment C2 added.');
  });

  it('adds an organisation, and says what to do when the sector is missing', async () => {
    await admin.get('/admin/organisations');
    const missing = await admin.post('/admin/organisations', { name: 'Testshire Fire and Rescue', area: 'Testshire' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Select whether it is a voluntary organisation or a public body');
    expect(missing.text).toContain('value="Testshire Fire and Rescue"');
    const res = await admin.post('/admin/organisations', { name: 'Testshire Fire and Rescue', sector: 'public', bodyType: 'fire_rescue', area: 'Testshire' });
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Testshire Fire and Rescue added.');
    expect(page.text).toContain('Fire and rescue');
    const [row] = await t.db.query(`SELECT sector, body_type FROM organisations WHERE name = 'Testshire Fire and Rescue'`);
    expect(row).toEqual({ sector: 'public', body_type: 'fire_rescue' });
  });

  it('adds a user with a temporary password shown once, who can then sign in; deactivates and reactivates them', async () => {
    await admin.get('/admin/users');
    const noOrg = await admin.post('/admin/users', { displayName: 'Rhea Reporter', email: 'rhea@example.org', role: 'reporter', organisationId: '' });
    expect(noOrg.status).toBe(400);
    expect(noOrg.text).toContain('Select the organisation a reporter reports for');
    expect(noOrg.text).toContain('value="rhea@example.org"');

    const res = await admin.post('/admin/users', { displayName: 'Rhea Reporter', email: 'rhea@example.org', role: 'reporter', organisationId: t.demo.organisations.riversideFoodbank });
    expect(res.status).toBe(303);
    const shown = await admin.get(res.headers.location);
    const password = /id="temporary-password">([^<]+)</.exec(shown.text)?.[1];
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect((await admin.get(res.headers.location)).text).not.toContain(password!);
    await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(200);

    const [user] = await t.db.query(`SELECT id FROM users WHERE email = 'rhea@example.org'`);
    await admin.get('/admin/users');
    expect((await admin.post(`/admin/users/${user.id}/deactivate`, {})).status).toBe(303);
    expect((await admin.get('/admin/users')).text).toContain('account is deactivated');
    await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(401);
    expect((await admin.post(`/admin/users/${user.id}/reactivate`, {})).status).toBe(303);
    await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(200);
  });

  it('offers the same through the API for administrators only', async () => {
    const list = await t.http.get('/api/admin/users').set('Authorization', `Bearer ${t.tokens.admin}`).expect(200);
    expect(list.body.map((u: { email: string }) => u.email)).toContain('caseworker@demo.compact.test');
    const created = await t.http
      .post('/api/admin/users')
      .set('Authorization', `Bearer ${t.tokens.admin}`)
      .send({ displayName: 'Api Caseworker', email: 'api-cw@example.org', role: 'caseworker' })
      .expect(201);
    expect(created.body.temporaryPassword).toEqual(expect.any(String));
    const login = await t.http.post('/api/auth/login').send({ email: 'api-cw@example.org', password: created.body.temporaryPassword }).expect(200);
    const theirs = { Authorization: `Bearer ${login.body.token}` };
    await t.http.get('/api/cases').set(theirs).expect(200);
    const patched = await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(200);
    expect(patched.body.active).toBe(false);
    // The token they already hold stops working with the account, not hours later when it expires.
    const refused = await t.http.get('/api/cases').set(theirs).expect(401);
    expect(refused.body.message).toContain('deactivated');
    await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: true }).expect(200);
    await t.http.get('/api/cases').set(theirs).expect(200);
    await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(200);
    await t.http.patch(`/api/admin/users/${t.demo.users.admin.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(409);
    await t.http.get('/api/admin/users').set('Authorization', `Bearer ${t.tokens.caseworker}`).expect(403);
  });

  it('lists failed e-mails and sends one again', async () => {
    const d = new CaseDriver(t);
    const filed = await d.file('reporter');
    const [email] = await t.db.query(
      `UPDATE notifications SET status = 'failed', failed_at = now(), attempts = 5, last_error = '550 mailbox unavailable'
        WHERE id = (SELECT id FROM notifications WHERE case_id = $1 ORDER BY created_at LIMIT 1) RETURNING id`,
      [filed.id],
    ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Array<{ id: string }>) : (r as Array<{ id: string }>)));
    const page = await admin.get('/admin/emails');
    expect(page.text).toContain(filed.reference);
    expect(page.text).toContain('550 mailbox unavailable');
    expect(page.text).toContain(`action="/admin/emails/${email.id}/retry"`);
    const res = await admin.post(`/admin/emails/${email.id}/retry`, {});
    expect(res.status).toBe(303);
    const [row] = await t.db.query(`SELECT status FROM notifications WHERE id = $1`, [email.id]);
    expect(row.status).not.toBe('failed');
    const after = await admin.get('/admin/emails');
    expect(after.text).toContain('queued to be sent again');
    expect(after.text).not.toContain(`action="/admin/emails/${email.id}/retry"`);
  });

  it('shows a caseworker a 403 page on every administration page', async () => {
    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    for (const path of ['/admin/compacts', '/admin/compacts/import', '/admin/organisations', '/admin/users', '/admin/emails']) {
      const res = await caseworker.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.text).toContain('You cannot do that');
    }
    expect((await caseworker.post('/admin/users', { displayName: 'X', email: 'x@example.org', role: 'administrator' })).status).toBe(403);
    expect((await upload(caseworker, 'x.csv', CSV_HEADER)).status).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'x@example.org'`)).toEqual([]);
  });
});

describe('pages: the queue dashboard with the pages\' session', () => {
  let t: TestApp;
  const prefix = testQueuePrefix('web-queues');

  beforeAll(async () => {
    t = await startTestApp('web-queues', { REDIS_URL, QUEUE_PREFIX: prefix });
  });
  afterAll(async () => {
    await t?.close();
    await deleteKeys(prefix);
  });

  it('opens for an administrator signed in to the pages, and for nobody else', async () => {
    const admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    expect((await admin.get('/admin/emails')).text).toContain('href="/admin/queues"');
    const board = await admin.get('/admin/queues');
    expect(board.status).toBe(200);
    expect((await admin.get('/admin/queues/api/queues')).status).toBe(200);

    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    expect((await caseworker.get('/admin/queues/api/queues')).status).toBe(403);

    const stranger = await t.http.get('/admin/queues').set('Accept', 'text/html');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.location).toBe('/sign-in?next=%2Fadmin%2Fqueues');
    await t.http.get('/admin/queues/api/queues').expect(401);
    await t.http.get('/admin/queues/api/queues').set('Authorization', `Bearer ${t.tokens.admin}`).expect(200);
  });

  it('refuses a change carried by the cookie alone from another site', async () => {
    const admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    const cookie = (admin as unknown as { cookies: Map<string, string> }).cookies.get('cc_session');
    const res = await t.http.put('/admin/queues/api/queues/email/pause').set('Cookie', `cc_session=${cookie}`).set('Origin', 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CROSS_SITE_REQUEST');
  });
});
