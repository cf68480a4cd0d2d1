import { createHash } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { mintSignInLink } from '@cc/identity';
import { TestApp, sampleReport, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';
import { WebClient } from './support/web-client';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Password-less sign-in for public bodies' contacts, over HTTP, with the real worker sending links to a real SMTP server. */
describe('respondent sign-in by link', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp('respondent-sign-in');
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('respondent-sign-in');
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url, { PUBLIC_BASE_URL: 'http://cases.test' }));
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const linkIn = (mail: { raw: string }) => {
    const token = /http:\/\/cases\.test\/sign-in\/link\/([A-Za-z0-9_-]+)/.exec(unfold(mail.raw))?.[1];
    if (!token) throw new Error(`no link in ${mail.raw.slice(0, 500)}`);
    return token;
  };
  const mailsTo = (email: string) => smtp.received.filter((m) => m.rcpt.includes(email));
  const nextMailTo = async (email: string, after: number) =>
    waitFor(`e-mail ${after + 1} to ${email}`, async () => mailsTo(email), (list) => list.length > after).then((list) => list[list.length - 1]);
  /** A fresh contact (so throttling in one test does not touch another) and their account. */
  const newContact = async () => {
    const email = `contact${++n}.${Date.now()}@council.example.gov.uk`;
    const res = await t.http.post(`/api/organisations/${t.demo.organisations.harboroughCouncil}/contacts`).set(bearer(t.tokens.caseworker)).send({ name: `Contact ${n}`, email, jobTitle: 'Head of Commissioning' }).expect(201);
    return { email, userId: res.body.userId as string, contactId: res.body.id as string };
  };
  /** Asks for a link on the page, as a person would, and reads it from the e-mail the worker sent. */
  const requestLink = async (web: WebClient, email: string) => {
    const before = mailsTo(email).length;
    await web.get('/sign-in/link');
    const sent = await web.post('/sign-in/link', { email });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Check your e-mail');
    return linkIn(await nextMailTo(email, before));
  };

  it('the sign-in page offers the link; the request page → e-mail → Continue → signed in at /cases; the link works once', async () => {
    const c = await newContact();
    const web = new WebClient(t);
    const signIn = await web.get('/sign-in');
    expect(signIn.text).toContain('Sign in with a link (public bodies)');
    expect(signIn.text).toContain('href="/sign-in/link"');
    const token = await requestLink(web, c.email);
    const mail = mailsTo(c.email).at(-1)!;
    expect(mail.subject).toBe('Your link to sign in to Compact Cases');
    expect(unfold(mail.raw)).toMatch(/works once, until/);

    // Opening the link (as a mail scanner would) uses nothing up.
    const shown = await web.get(`/sign-in/link/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Continue');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect((await web.get(`/sign-in/link/${token}`)).status).toBe(200);
    const [link] = await t.db.query(`SELECT purpose, used_at, expires_at - created_at AS life FROM sign_in_links WHERE token_hash = $1`, [sha256(token)]);
    expect(link.purpose).toBe('requested');
    expect(link.used_at).toBeNull();
    expect(link.life).toEqual({ minutes: 30 });

    const used = await web.post(`/sign-in/link/${token}`, {});
    expect(used.status).toBe(303);
    expect(used.headers.location).toBe('/cases');
    // A normal page session: the account's own, ended by signing out everywhere like any other.
    const [session] = await t.db.query(`SELECT token_generation AS generation FROM web_sessions WHERE user_id = $1`, [c.userId]);
    const [user] = await t.db.query(`SELECT token_generation AS generation FROM users WHERE id = $1`, [c.userId]);
    expect(session.generation).toBe(user.generation);
    const account = await web.get('/cases');
    expect(account.status).toBe(200);
    expect(account.text).toContain(`Contact ${n}`);

    // Second use: refused, from another browser and from the same one.
    const other = new WebClient(t);
    expect((await other.get(`/sign-in/link/${token}`)).text).not.toContain('Continue');
    await other.get('/sign-in/link');
    const again = await other.post(`/sign-in/link/${token}`, {});
    expect(again.status).toBe(400);
    expect(again.text).toContain('This link has expired or has been used. Ask for a new one.');
    expect(again.text).toContain('href="/sign-in/link"');
    expect((await other.get(`/sign-in/link/${token}`)).text).toContain('This link has expired or has been used');
  });

  it('only hashes are stored: the token from the e-mail is nowhere in the database', async () => {
    const c = await newContact();
    const token = await requestLink(new WebClient(t), c.email);
    const tables = ['sign_in_links', 'notifications', 'web_sessions', 'account_events'];
    for (const table of tables) {
      const [hit] = await t.db.query(`SELECT count(*)::int AS c FROM ${table} x WHERE x::text LIKE '%' || $1 || '%'`, [token]);
      expect({ table, count: hit.c }).toEqual({ table, count: 0 });
    }
    expect(await t.db.query(`SELECT 1 FROM sign_in_links WHERE token_hash = $1`, [sha256(token)])).toHaveLength(1);
  });

  it('an expired link is refused', async () => {
    const c = await newContact();
    const token = await requestLink(new WebClient(t), c.email);
    await t.db.query(`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)]);
    const web = new WebClient(t);
    expect((await web.get(`/sign-in/link/${token}`)).text).toContain('This link has expired or has been used');
    await web.get('/sign-in/link');
    const res = await web.post(`/sign-in/link/${token}`, {});
    expect(res.status).toBe(400);
    expect(await t.db.query(`SELECT 1 FROM web_sessions WHERE user_id = $1`, [c.userId])).toEqual([]);
  });

  it('a deactivated contact’s link is refused, and their live session ends', async () => {
    const c = await newContact();
    const first = new WebClient(t);
    const t1 = await requestLink(first, c.email);
    await first.get(`/sign-in/link/${t1}`);
    expect((await first.post(`/sign-in/link/${t1}`, {})).status).toBe(303);
    const t2 = await requestLink(new WebClient(t), c.email);
    await t.http.patch(`/api/organisations/${t.demo.organisations.harboroughCouncil}/contacts/${c.contactId}`).set(bearer(t.tokens.caseworker)).send({ active: false }).expect(200);
    // The session started with the first link is over.
    const lapsed = await first.get('/cases');
    expect(lapsed.status).toBe(303);
    expect(lapsed.headers.location).toMatch(/^\/sign-in/);
    const web = new WebClient(t);
    await web.get('/sign-in/link');
    expect((await web.post(`/sign-in/link/${t2}`, {})).status).toBe(400);
    // Asking again sends nothing while deactivated (and says the same).
    const before = mailsTo(c.email).length;
    const asked = await web.post('/sign-in/link', { email: c.email });
    expect(asked.text).toContain('Check your e-mail');
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo(c.email)).toHaveLength(before);
  });

  it('a respondent can never sign in with a password: the same answer as a wrong one', async () => {
    const c = await newContact();
    for (const password of ['!', '', 'demo-password', 'anything at all here']) {
      const api = await t.http.post('/api/auth/login').send({ email: c.email, password });
      expect([400, 401]).toContain(api.status);
    }
    const wrong = await t.http.post('/api/auth/login').send({ email: 'caseworker@demo.compact.test', password: 'not the password at all' });
    const respondent = await t.http.post('/api/auth/login').send({ email: c.email, password: 'not the password at all' });
    expect(respondent.status).toBe(wrong.status);
    expect(respondent.body.message).toBe(wrong.body.message);
    const web = new WebClient(t);
    await web.get('/sign-in');
    const page = await web.post('/sign-in', { email: c.email, password: '!' });
    expect(page.status).toBe(401);
    expect(page.text).toContain('The e-mail address or password is not right');
    // Nor a password reset: nothing is e-mailed.
    const before = mailsTo(c.email).length;
    await t.http.post('/api/auth/password-reset').send({ email: c.email });
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo(c.email)).toHaveLength(before);
    // An administrator cannot send them a password link either: the answer says how they sign in.
    const sent = await t.http.post(`/api/admin/users/${c.userId}/password-link`).set(bearer(t.tokens.admin));
    expect(sent.status).toBe(409);
    expect(sent.body.message).toMatch(/sign in with a link/);
    expect(await t.db.query(`SELECT 1 FROM password_resets WHERE user_id = $1`, [c.userId])).toEqual([]);
  });

  it('an unknown address, or a staff member’s, gets the same answer and no e-mail', async () => {
    const web = new WebClient(t);
    await web.get('/sign-in/link');
    const c = await newContact();
    const known = await web.post('/sign-in/link', { email: c.email });
    const unknown = await web.post('/sign-in/link', { email: `nobody.${Date.now()}@nowhere.example.org` });
    const staff = await web.post('/sign-in/link', { email: 'caseworker@demo.compact.test' });
    // The page repeats the address typed and carries a fresh CSRF token; apart from those, every answer is the same.
    const strip = (html: string) => html.replace(/[^\s>"]+@[^\s<"]+/g, 'X').replace(/value="[^"]+"/g, '');
    expect(unknown.status).toBe(known.status);
    expect(strip(unknown.text)).toBe(strip(known.text));
    expect(strip(staff.text)).toBe(strip(known.text));
    await nextMailTo(c.email, 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo('caseworker@demo.compact.test')).toHaveLength(0);
    const bad = await web.post('/sign-in/link', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter your e-mail address');
  });

  it('requests are throttled like sign-in: after a burst the page says to wait, with Retry-After', async () => {
    const c = await newContact();
    const web = new WebClient(t);
    await web.get('/sign-in/link');
    let last;
    for (let i = 0; i < 8; i++) {
      last = await web.post('/sign-in/link', { email: c.email });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(last!.headers['retry-after']).toMatch(/^\d+$/);
    expect(last!.text).toContain('Too many requests for a sign-in link');
  });

  it('a case e-mail to a respondent mints a 72-hour link as it goes (hash only); other recipients get none', async () => {
    const c = await newContact();
    const before = mailsTo(c.email).length;
    const data = { caseReference: 'CB-2026-09999', caseTitle: 'Grant ended early', stateLabel: 'advocacy.awaitingResponse', respondentName: 'Harborough District Council', reportingOrganisationName: 'Riverside Community Foodbank' };
    await t.db.query(
      `INSERT INTO notifications (id, template, recipient_user_id, recipient_email, recipient_name, recipient_role, data, status, message_id)
       SELECT id, 'respondentContacted', $1, $2, 'Contact', 'respondent', $3, 'pending', '<' || id || '@compact-cases>' FROM (SELECT gen_random_uuid() AS id) x`,
      [c.userId, c.email, JSON.stringify(data)],
    );
    await t.db.query(
      `INSERT INTO notifications (id, template, recipient_user_id, recipient_email, recipient_name, recipient_role, data, status, message_id)
       SELECT id, 'respondentContacted', $1, 'reporter@demo.compact.test', 'Rita', 'reporter', $2, 'pending', '<' || id || '@compact-cases>' FROM (SELECT gen_random_uuid() AS id) x`,
      [t.demo.users.reporter.id, JSON.stringify(data)],
    );
    await nextMailTo(c.email, before);
    await nextMailTo('reporter@demo.compact.test', 0);
    const links = await t.db.query(`SELECT purpose, expires_at - created_at AS life, length(token_hash) AS len FROM sign_in_links WHERE user_id = $1`, [c.userId]);
    expect(links).toEqual([{ purpose: 'caseEmail', life: { days: 3 }, len: 64 }]);
    expect(await t.db.query(`SELECT 1 FROM sign_in_links WHERE user_id = $1`, [t.demo.users.reporter.id])).toEqual([]);
    expect(unfold(mailsTo('reporter@demo.compact.test').at(-1)!.raw)).not.toContain('/sign-in/link/');
  });

  it("the link in a case's e-mail signs in and opens that case; a case parameter that is not an id goes to the list", async () => {
    const c = await newContact();
    const before = mailsTo(c.email).length;
    const filed = await t.http.post('/api/cases').set(bearer(t.tokens.reporter)).send(sampleReport(t.demo)).expect(201);
    const send = (event: Record<string, unknown>) => t.http.post(`/api/cases/${filed.body.id}/events`).set(bearer(t.tokens.caseworker)).send(event).expect(200);
    await send({ type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await send({ type: 'ACCEPT' });
    await send({ type: 'CONTACT_RESPONDENT', summary: 'Wrote to the contact.', contactIds: [c.contactId] });
    const raw = unfold((await nextMailTo(c.email, before)).raw);
    const link = /http:\/\/cases\.test(\/sign-in\/link\/[A-Za-z0-9_-]+\?case=[0-9a-f-]{36})/.exec(raw)?.[1];
    expect(link).toBe(`/sign-in/link/${linkIn({ raw })}?case=${filed.body.id}`);
    const web = new WebClient(t);
    const shown = await web.get(link!);
    expect(shown.text).toContain('Press Continue to sign in and see the case.');
    expect(shown.text).toContain(`action="${link}"`);
    const used = await web.post(link!, {});
    expect(used.headers.location).toBe(`/cases/${filed.body.id}`);
    expect((await web.get(`/cases/${filed.body.id}`)).status).toBe(200);

    const token = await mintSignInLink(t.db.manager, c.userId, 'caseEmail');
    const other = new WebClient(t);
    await other.get(`/sign-in/link/${token}?case=../../admin`);
    expect((await other.post(`/sign-in/link/${token}?case=../../admin`, {})).headers.location).toBe('/cases');
  });

  it('mintSignInLink makes links only for active respondents, keeping only the hash', async () => {
    const c = await newContact();
    const token = await mintSignInLink(t.db.manager, c.userId, 'caseEmail');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await t.db.query(`SELECT 1 FROM sign_in_links WHERE token_hash = $1`, [sha256(token!)])).toHaveLength(1);
    expect(await mintSignInLink(t.db.manager, t.demo.users.caseworker.id, 'caseEmail')).toBeNull();
    // A link from a case e-mail signs in as the request page's does.
    const web = new WebClient(t);
    await web.get(`/sign-in/link/${token}`);
    expect((await web.post(`/sign-in/link/${token}`, {})).headers.location).toBe('/cases');
  });
});
