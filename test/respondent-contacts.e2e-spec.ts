import request from 'supertest';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** Respondent contacts of public bodies over HTTP on real PostgreSQL: the API, its roles and checks, and the pages. */
describe('respondent contacts', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp('respondent-contacts');
  });
  afterAll(async () => {
    await t?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const council = () => t.demo.organisations.harboroughCouncil;
  const fresh = () => `officer${++n}.${Date.now()}@council.example.gov.uk`;
  const add = (token: string, orgId: string, body: Record<string, unknown>) => t.http.post(`/api/organisations/${orgId}/contacts`).set(bearer(token)).send(body);

  it('a caseworker adds a contact; their respondent account is made with them, with no password', async () => {
    const email = fresh();
    const res = await add(t.tokens.caseworker, council(), { name: 'Sam Officer', email, jobTitle: 'Head of Commissioning' }).expect(201);
    expect(res.body).toEqual(expect.objectContaining({ organisationId: council(), name: 'Sam Officer', email, jobTitle: 'Head of Commissioning', active: true }));
    const [user] = await t.db.query(`SELECT role, organisation_id, password_hash, display_name, email, active FROM users WHERE id = $1`, [res.body.userId]);
    expect(user).toEqual({ role: 'respondent', organisation_id: council(), password_hash: '!', display_name: 'Sam Officer', email, active: true });
    const list = await t.http.get(`/api/organisations/${council()}/contacts`).set(bearer(t.tokens.admin)).expect(200);
    expect(list.body.map((c: { email: string }) => c.email)).toContain(email);
    // The demo council's own contacts are there too.
    expect(list.body.map((c: { email: string }) => c.email)).toContain(t.demo.respondents.council.email);
  });

  it('an administrator may add and edit too; reporters, mediators and respondents get 403', async () => {
    await add(t.tokens.admin, council(), { name: 'Alex Admin-Added', email: fresh() }).expect(201);
    for (const who of ['reporter', 'mediator'] as const) {
      expect((await t.http.get(`/api/organisations/${council()}/contacts`).set(bearer(t.tokens[who]))).status).toBe(403);
      expect((await add(t.tokens[who], council(), { name: 'Not Allowed', email: fresh() })).status).toBe(403);
      const contactId = t.demo.respondents.council.contactId;
      expect((await t.http.patch(`/api/organisations/${council()}/contacts/${contactId}`).set(bearer(t.tokens[who])).send({ active: false })).status).toBe(403);
    }
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM respondent_contacts WHERE name = 'Not Allowed'`);
    expect(count).toBe(0);
  });

  it('refuses bad input naming the field, and nothing is written', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS c FROM users`))[0].c;
    for (const [body, field] of [
      [{ email: fresh() }, 'name'],
      [{ name: 'X', email: fresh() }, 'name'],
      [{ name: 'No Email' }, 'email'],
      [{ name: 'Bad Email', email: 'not an address' }, 'email'],
      [{ name: 'Two', email: 'a@b.gov.uk, c@d.gov.uk' }, 'email'],
      [{ name: 'Long title', email: fresh(), jobTitle: 'x'.repeat(121) }, 'jobTitle'],
      [{ name: 'Extra', email: fresh(), role: 'administrator' }, ''],
    ] as const) {
      const res = await add(t.tokens.caseworker, council(), body);
      expect(res.status).toBe(400);
      if (field) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect((await t.db.query(`SELECT count(*)::int AS c FROM users`))[0].c).toBe(before);
  });

  it('only public bodies have contacts: a voluntary organisation is a 409 with a clear message, an unknown one 404', async () => {
    const res = await add(t.tokens.caseworker, t.demo.organisations.riversideFoodbank, { name: 'Vol Person', email: fresh() });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/Only public bodies have respondent contacts/);
    expect((await t.http.get(`/api/organisations/${t.demo.organisations.riversideFoodbank}/contacts`).set(bearer(t.tokens.caseworker))).status).toBe(409);
    expect((await add(t.tokens.caseworker, '00000000-0000-4000-8000-000000000000', { name: 'Nobody Here', email: fresh() })).status).toBe(404);
    expect((await add(t.tokens.caseworker, 'not-a-uuid', { name: 'Nobody Here', email: fresh() })).status).toBe(404);
  });

  it('an e-mail address already used by any account (any case of letters) is a 409 saying so', async () => {
    for (const email of ['caseworker@demo.compact.test', 'CASEWORKER@demo.compact.test', t.demo.respondents.nhs.email]) {
      const res = await add(t.tokens.caseworker, council(), { name: 'Dup Licate', email });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('EMAIL_IN_USE');
      expect(res.body.message).toMatch(/already used by another account/);
    }
    // Editing a contact onto another account's address is refused the same way.
    const c = await add(t.tokens.caseworker, council(), { name: 'Edit Me', email: fresh() }).expect(201);
    const res = await t.http.patch(`/api/organisations/${council()}/contacts/${c.body.id}`).set(bearer(t.tokens.caseworker)).send({ email: 'reporter@demo.compact.test' });
    expect(res.status).toBe(409);
    // Two at once with the same new address: one is added, the other refused.
    const email = fresh();
    const both = await Promise.all([add(t.tokens.caseworker, council(), { name: 'Race One', email }), add(t.tokens.admin, council(), { name: 'Race Two', email })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('edits change the account to match; a contact of another body is a 404', async () => {
    const c = await add(t.tokens.caseworker, council(), { name: 'Before Name', email: fresh() }).expect(201);
    const email = fresh();
    const res = await t.http.patch(`/api/organisations/${council()}/contacts/${c.body.id}`).set(bearer(t.tokens.caseworker)).send({ name: 'After Name', email, jobTitle: null }).expect(200);
    expect(res.body).toEqual(expect.objectContaining({ name: 'After Name', email, jobTitle: null }));
    const [user] = await t.db.query(`SELECT display_name, email FROM users WHERE id = $1`, [c.body.userId]);
    expect(user).toEqual({ display_name: 'After Name', email });
    expect((await t.http.patch(`/api/organisations/${t.demo.organisations.leicestershireNhs}/contacts/${c.body.id}`).set(bearer(t.tokens.caseworker)).send({ name: 'Wrong Body' })).status).toBe(404);
    expect((await t.http.patch(`/api/organisations/${council()}/contacts/${c.body.id}`).set(bearer(t.tokens.caseworker)).send({ active: 'no' })).status).toBe(400);
  });

  it('deactivating a contact deactivates the account and ends its page sessions at once', async () => {
    const c = await add(t.tokens.caseworker, council(), { name: 'Leaving Soon', email: fresh() }).expect(201);
    // A live page session for the respondent, as a sign-in link would have started.
    const [{ generation }] = await t.db.query(`SELECT token_generation AS generation FROM users WHERE id = $1`, [c.body.userId]);
    await t.db.query(`INSERT INTO web_sessions (token_hash, user_id, csrf_token, token_generation) VALUES ($1, $2, 'x', $3)`, [`hash-${c.body.id}`, c.body.userId, generation]);
    const res = await t.http.patch(`/api/organisations/${council()}/contacts/${c.body.id}`).set(bearer(t.tokens.caseworker)).send({ active: false }).expect(200);
    expect(res.body.active).toBe(false);
    const [user] = await t.db.query(`SELECT active, token_generation AS generation FROM users WHERE id = $1`, [c.body.userId]);
    expect(user).toEqual({ active: false, generation: generation + 1 });
    expect(await t.db.query(`SELECT 1 FROM web_sessions WHERE user_id = $1`, [c.body.userId])).toEqual([]);
    // findActive leaves the deactivated contact out, and contacts of other bodies.
    const { RespondentContacts } = await import('@cc/registry');
    const contacts = t.app.get(RespondentContacts);
    const active = await contacts.findActive([c.body.id, t.demo.respondents.council.contactId, t.demo.respondents.nhs.contactId], council());
    expect(active.map((x) => x.id)).toEqual([t.demo.respondents.council.contactId]);
    expect((await contacts.listFor(council())).find((x) => x.id === c.body.id)?.active).toBe(false);
    // And back again.
    await t.http.patch(`/api/organisations/${council()}/contacts/${c.body.id}`).set(bearer(t.tokens.admin)).send({ active: true }).expect(200);
    expect((await t.db.query(`SELECT active FROM users WHERE id = $1`, [c.body.userId]))[0].active).toBe(true);
  });

  describe('pages', () => {
    it('a caseworker lists, adds, edits and deactivates contacts in plain English', async () => {
      const web = new WebClient(t);
      await web.signIn('caseworker@demo.compact.test');
      const bodies = await web.get('/public-bodies');
      expect(bodies.status).toBe(200);
      expect(bodies.text).toContain(`/public-bodies/${council()}/contacts`);
      expect(bodies.text).not.toContain('Riverside Community Foodbank');
      const page = await web.get(`/public-bodies/${council()}/contacts`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Contacts at Harborough District Council');
      expect(page.text).toContain('Priya Shah');
      expect(page.text).toContain('Head of Commissioning');

      const missing = await web.post(`/public-bodies/${council()}/contacts`, { name: '', email: '' });
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('Enter the contact’s full name');
      const dup = await web.post(`/public-bodies/${council()}/contacts`, { name: 'Dup Page', email: 'mediator@demo.compact.test' });
      expect(dup.status).toBe(400);
      expect(dup.text).toMatch(/already used by another account/);

      const email = fresh();
      const added = await web.post(`/public-bodies/${council()}/contacts`, { name: 'Page Person', email, jobTitle: 'Grants Officer' });
      expect(added.status).toBe(303);
      const after = await web.get(added.headers.location);
      expect(after.text).toContain('Page Person added.');
      const [row] = await t.db.query(`SELECT id FROM respondent_contacts WHERE email = $1`, [email]);
      const edit = await web.get(`/public-bodies/${council()}/contacts/${row.id}`);
      expect(edit.status).toBe(200);
      expect((await web.post(`/public-bodies/${council()}/contacts/${row.id}`, { name: 'Page Person Renamed', email, jobTitle: '' })).status).toBe(303);
      expect((await web.post(`/public-bodies/${council()}/contacts/${row.id}/active`, { active: 'false' })).status).toBe(303);
      const final = await web.get(`/public-bodies/${council()}/contacts`);
      expect(final.text).toContain('Page Person Renamed has been deactivated');
      expect(final.text).toContain('Deactivated');
      // No codes or ids on show as words.
      expect(final.text).not.toMatch(/respondent_contacts|EMAIL_IN_USE|NOT_A_PUBLIC_BODY/);
    });

    it('reporters and mediators cannot open the pages', async () => {
      for (const email of ['reporter@demo.compact.test', 'mediator@demo.compact.test']) {
        const web = new WebClient(t);
        await web.signIn(email);
        const res = await web.get(`/public-bodies/${council()}/contacts`);
        expect([403, 404]).toContain(res.status);
      }
    });
  });

  it('the API is only for signed-in staff', async () => {
    expect((await request(t.app.getHttpServer()).get(`/api/organisations/${council()}/contacts`)).status).toBe(401);
  });
});
