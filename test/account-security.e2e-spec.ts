import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '@cc/api';
import { loadConfig } from '@cc/config';
import { DEMO_PASSWORD } from '@cc/demo-data';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { startWorker, waitFor, workerConfig } from './support/test-worker';
import { WebClient } from './support/web-client';

const STRONG = 'purple kettle river spoon';
const STRONGER = 'seven quiet owls at dusk';

/** Accounts over HTTP on real PostgreSQL, with the real worker sending reset links to a real SMTP server. */
describe('accounts: passwords, reset links, temporary passwords, signing out everywhere', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp('accounts');
    smtp = await new TestSmtp().start();
    prefix = testQueuePrefix('accounts');
    worker = await startWorker(workerConfig(t.database.url, prefix, smtp.url, { PUBLIC_BASE_URL: 'http://cases.test' }));
  });
  afterAll(async () => {
    await worker?.close();
    await smtp?.stop();
    await t?.close();
    if (prefix) await deleteKeys(prefix);
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = (email: string, password: string) => t.http.post('/api/auth/login').send({ email, password });
  /** A new caseworker account with a known password (as if they had already chosen it). */
  const newPerson = async (password = STRONG) => {
    const email = `person${++n}.${Date.now()}@example.org`;
    const created = await t.http.post('/api/admin/users').set(bearer(t.tokens.admin)).send({ email, displayName: `Person ${n}`, role: 'caseworker' }).expect(201);
    const temporary = created.body.temporaryPassword as string;
    const first = await login(email, temporary).expect(200);
    await t.http.post('/api/auth/password').set(bearer(first.body.token)).send({ currentPassword: temporary, newPassword: password }).expect(200);
    return { id: created.body.user.id as string, email };
  };
  const linkIn = (mail: { raw: string }) => {
    const unfolded = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(unfolded)?.[1];
    if (!token) throw new Error(`no link in ${mail.raw.slice(0, 500)}`);
    return token;
  };
  const mailTo = (email: string) => waitFor(`an e-mail to ${email}`, async () => smtp.received.filter((m) => m.rcpt.includes(email)), (list) => list.length > 0).then((list) => list[list.length - 1]);

  describe('changing your own password', () => {
    it('needs the current password and a good new one, each refusal naming the field', async () => {
      const p = await newPerson();
      const { body } = await login(p.email, STRONG).expect(200);
      const wrong = await t.http.post('/api/auth/password').set(bearer(body.token)).send({ currentPassword: 'not it at all', newPassword: STRONGER });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
      for (const [newPassword, reason] of [
        ['short', /at least 12/],
        ['password1234', /common/],
        [p.email, /name or e-mail/],
        [STRONG, /different/],
      ] as const) {
        const res = await t.http.post('/api/auth/password').set(bearer(body.token)).send({ currentPassword: STRONG, newPassword });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'newPassword', reason: expect.stringMatching(reason) })]);
      }
      // A long passphrase is welcome (NCSC): 128 characters and more.
      const long = 'the rain in the hills falls mainly on the sheep '.repeat(3).slice(0, 140);
      const changed = await t.http.post('/api/auth/password').set(bearer(body.token)).send({ currentPassword: STRONG, newPassword: long });
      expect(changed.status).toBe(200);
      await login(p.email, long).expect(200);
    });

    it('ends every other token and page session of the person, and gives the caller a new token', async () => {
      const p = await newPerson();
      const a = (await login(p.email, STRONG)).body.token;
      const b = (await login(p.email, STRONG)).body.token;
      const page = new WebClient(t);
      await page.signIn(p.email, undefined, STRONG);
      expect((await page.get('/cases')).status).toBe(200);
      const changed = await t.http.post('/api/auth/password').set(bearer(a)).send({ currentPassword: STRONG, newPassword: STRONGER }).expect(200);
      await t.http.get('/api/auth/me').set(bearer(a)).expect(401);
      await t.http.get('/api/auth/me').set(bearer(b)).expect(401);
      expect((await page.get('/cases')).status).toBe(303);
      await t.http.get('/api/auth/me').set(bearer(changed.body.token)).expect(200);
      await login(p.email, STRONG).expect(401);
      await login(p.email, STRONGER).expect(200);
    });

    it('on the pages: the account page, the form, its errors in words, and the new session', async () => {
      const p = await newPerson();
      const page = new WebClient(t);
      await page.signIn(p.email, undefined, STRONG);
      const account = await page.get('/account');
      expect(account.text).toContain('Change your password');
      await page.get('/account/password');
      const weak = await page.post('/account/password', { currentPassword: STRONG, newPassword: 'qwerty123456' });
      expect(weak.status).toBe(400);
      expect(weak.text).toContain('one of the most common passwords');
      expect(weak.text).not.toContain('VALIDATION_FAILED');
      const done = await page.post('/account/password', { currentPassword: STRONG, newPassword: STRONGER });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/account?changed=password');
      const after = await page.get('/account?changed=password');
      expect(after.status).toBe(200);
      expect(after.text).toContain('Your password has been changed');
    });
  });

  describe('forgotten password', () => {
    it('answers the same whether or not the address has an account, and e-mails a link only to a real one', async () => {
      const p = await newPerson();
      const known = await t.http.post('/api/auth/password-reset').send({ email: p.email });
      const unknown = await t.http.post('/api/auth/password-reset').send({ email: `nobody.${Date.now()}@example.org` });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      const mail = await mailTo(p.email);
      expect(mail.subject).toBe('Choose a new password for Compact Cases');
      const token = linkIn(mail);
      // Only its hash is stored: not in the reset, not in the outbox row.
      const [reset] = await t.db.query(`SELECT token_hash FROM password_resets WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [p.id]);
      expect(reset.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const dump = JSON.stringify(await t.db.query(`SELECT * FROM password_resets`)) + JSON.stringify(await t.db.query(`SELECT data FROM notifications WHERE case_id IS NULL`));
      expect(dump).not.toContain(token);

      const weak = await t.http.post('/api/auth/password-reset/complete').send({ token, newPassword: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.errors[0].field).toBe('newPassword');
      await t.http.post('/api/auth/password-reset/complete').send({ token, newPassword: STRONGER }).expect(200);
      await login(p.email, STRONGER).expect(200);
      // Single use.
      const again = await t.http.post('/api/auth/password-reset/complete').send({ token, newPassword: 'another good passphrase' });
      expect(again.status).toBe(400);
      expect(again.body.errors[0]).toEqual(expect.objectContaining({ field: 'token', reason: expect.stringMatching(/expired or has already been used/) }));
    });

    it('a link stops working after 30 minutes, and a newer link replaces an older one', async () => {
      const p = await newPerson();
      await t.http.post('/api/auth/password-reset').send({ email: p.email }).expect(202);
      const first = linkIn(await mailTo(p.email));
      const [row] = await t.db.query(`SELECT created_at, expires_at FROM password_resets WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [p.id]);
      expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(30 * 60_000);
      smtp.received.length = 0;
      await t.http.post('/api/auth/password-reset').send({ email: p.email }).expect(202);
      const second = linkIn(await mailTo(p.email));
      expect(second).not.toBe(first);
      expect((await t.http.post('/api/auth/password-reset/complete').send({ token: first, newPassword: STRONGER })).status).toBe(400);
      await t.db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, [p.id]);
      expect((await t.http.post('/api/auth/password-reset/complete').send({ token: second, newPassword: STRONGER })).status).toBe(400);
      await login(p.email, STRONG).expect(200);
    });

    it('a reset e-mail that failed is listed for administrators in words, and sent again by a retry with a fresh link', async () => {
      const p = await newPerson();
      await t.http.post('/api/auth/password-reset').send({ email: p.email }).expect(202);
      const first = linkIn(await mailTo(p.email));
      const [row] = await t.db.query(`SELECT id FROM notifications WHERE recipient_user_id = $1 AND template = 'passwordReset' ORDER BY created_at DESC LIMIT 1`, [p.id]);
      await t.db.query(`UPDATE notifications SET status = 'failed', failed_at = now(), last_error = 'Mailbox full' WHERE id = $1`, [row.id]);
      const listed = await t.http.get('/api/admin/notifications?status=failed').set(bearer(t.tokens.admin)).expect(200);
      expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: row.id, caseReference: null, template: 'passwordReset' })]));
      const admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
      expect((await admin.get('/admin/emails')).text).toContain('Link to choose a new password');
      smtp.received.length = 0;
      await t.http.post('/api/admin/notifications/retry').set(bearer(t.tokens.admin)).send({ recipient: p.email }).expect(200);
      const second = linkIn(await mailTo(p.email));
      // Minted again as it was sent: only the newest link works.
      expect(second).not.toBe(first);
      expect((await t.http.post('/api/auth/password-reset/complete').send({ token: first, newPassword: STRONGER })).status).toBe(400);
      await t.http.post('/api/auth/password-reset/complete').send({ token: second, newPassword: STRONGER }).expect(200);
    });

    it('on the pages: ask, read the e-mail, follow the link, choose a password, sign in', async () => {
      const p = await newPerson();
      const page = new WebClient(t);
      const signIn = await page.get('/sign-in');
      expect(signIn.text).toContain('Forgotten your password?');
      await page.get('/sign-in/forgotten-password');
      const sent = await page.post('/sign-in/forgotten-password', { email: p.email });
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('Check your e-mail');
      const token = linkIn(await mailTo(p.email));
      const form = await page.get(`/reset-password?token=${token}`);
      expect(form.headers['referrer-policy']).toBe('no-referrer');
      const done = await page.post('/reset-password', { token, newPassword: STRONGER });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/sign-in?signedOut=reset');
      expect((await page.get('/sign-in?signedOut=reset')).text).toContain('Sign in with your new password');
      await page.signIn(p.email, undefined, STRONGER);
      const used = await page.post('/reset-password', { token, newPassword: 'yet another passphrase' });
      expect(used.text).toContain('This link has expired');
    });
  });

  describe('temporary passwords', () => {
    it('must be replaced before anything else, over the API', async () => {
      const email = `temp.${Date.now()}@example.org`;
      const created = await t.http.post('/api/admin/users').set(bearer(t.tokens.admin)).send({ email, displayName: 'Temp Person', role: 'caseworker' }).expect(201);
      const first = await login(email, created.body.temporaryPassword).expect(200);
      expect(first.body.step).toBe('change-password');
      const blocked = await t.http.get('/api/cases').set(bearer(first.body.token));
      expect(blocked.status).toBe(403);
      expect(blocked.body).toEqual(expect.objectContaining({ code: 'STEP_REQUIRED', step: 'change-password' }));
      const changed = await t.http.post('/api/auth/password').set(bearer(first.body.token)).send({ currentPassword: created.body.temporaryPassword, newPassword: STRONG }).expect(200);
      expect(changed.body.step).toBeNull();
      await t.http.get('/api/cases').set(bearer(changed.body.token)).expect(200);
      expect((await login(email, STRONG)).body.step).toBeNull();
    });

    it('must be replaced before anything else, on the pages', async () => {
      const email = `temp.page.${Date.now()}@example.org`;
      const created = await t.http.post('/api/admin/users').set(bearer(t.tokens.admin)).send({ email, displayName: 'Page Person', role: 'caseworker' }).expect(201);
      const page = new WebClient(t);
      await page.get('/sign-in');
      const signedIn = await page.post('/sign-in', { email, password: created.body.temporaryPassword });
      expect(signedIn.headers.location).toBe('/account/new-password');
      const elsewhere = await page.get('/triage');
      expect(elsewhere.status).toBe(303);
      expect(elsewhere.headers.location).toBe('/account/new-password');
      const form = await page.get('/account/new-password');
      expect(form.text).toContain('Choose a new password');
      const same = await page.post('/account/new-password', { newPassword: created.body.temporaryPassword });
      expect(same.status).toBe(400);
      const done = await page.post('/account/new-password', { newPassword: STRONG });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/triage');
      expect((await page.get('/triage')).status).toBe(200);
    });

    it('an administrator can e-mail a link instead of showing a password', async () => {
      const email = `invited.${Date.now()}@example.org`;
      const created = await t.http.post('/api/admin/users').set(bearer(t.tokens.admin)).send({ email, displayName: 'Invited Person', role: 'mediator', sendLink: true }).expect(201);
      expect(created.body.temporaryPassword).toBeUndefined();
      expect(created.body.linkSent).toBe(true);
      const mail = await mailTo(email);
      expect(mail.subject).toBe('Your Compact Cases account is ready');
      await t.http.post('/api/auth/password-reset/complete').send({ token: linkIn(mail), newPassword: STRONG }).expect(200);
      expect((await login(email, STRONG).expect(200)).body.step).toBeNull();
    });

    it('an administrator can send an existing person a reset link', async () => {
      const p = await newPerson();
      smtp.received.length = 0;
      await t.http.post(`/api/admin/users/${p.id}/password-link`).set(bearer(t.tokens.admin)).expect(202);
      const token = linkIn(await mailTo(p.email));
      await t.http.post('/api/auth/password-reset/complete').send({ token, newPassword: STRONGER }).expect(200);
      await t.http.post(`/api/admin/users/${p.id}/password-link`).set(bearer(t.tokens.caseworker)).expect(403);
    });
  });

  describe('bearer tokens', () => {
    it('are standard JWTs (HS256) and a tampered or unsigned one is refused', async () => {
      const token = t.tokens.reporter;
      const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toEqual(expect.objectContaining({ sub: t.demo.users.reporter.id, iss: 'compact-cases', gen: expect.any(Number), exp: expect.any(Number), iat: expect.any(Number) }));
      const forged = Buffer.from(JSON.stringify({ ...payload, sub: t.demo.users.admin.id })).toString('base64url');
      const [h, , s] = token.split('.');
      await t.http.get('/api/auth/me').set(bearer(`${h}.${forged}.${s}`)).expect(401);
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await t.http.get('/api/auth/me').set(bearer(`${none}.${token.split('.')[1]}.`)).expect(401);
    });
  });

  describe('signing out everywhere, in every process at once', () => {
    let other: { http: ReturnType<typeof request>; close: () => Promise<void> };

    beforeAll(async () => {
      // A second API process on the same database, with its own caches.
      const app = await createApiApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: t.database.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-test-accounts-2-')) }));
      other = { http: request(app.getHttpServer()), close: () => app.close() };
    });
    afterAll(() => other?.close());

    it('a person signs out everywhere: their tokens stop in both processes and their page sessions end', async () => {
      const p = await newPerson();
      const a = (await login(p.email, STRONG)).body.token;
      const b = (await login(p.email, STRONG)).body.token;
      const page = new WebClient(t);
      await page.signIn(p.email, undefined, STRONG);
      // Both processes have seen (and cached) the tokens as good.
      await other.http.get('/api/auth/me').set(bearer(b)).expect(200);
      await t.http.get('/api/auth/me').set(bearer(b)).expect(200);
      await t.http.post('/api/auth/sign-out-everywhere').set(bearer(a)).expect(204);
      const there = await other.http.get('/api/auth/me').set(bearer(b));
      expect(there.status).toBe(401);
      expect(there.body.message).toMatch(/signed out everywhere|sign in again/);
      await t.http.get('/api/auth/me').set(bearer(b)).expect(401);
      expect((await page.get('/cases')).status).toBe(303);
      // Signing in again works, and the new token works in both processes.
      const c = (await login(p.email, STRONG)).body.token;
      await other.http.get('/api/auth/me').set(bearer(c)).expect(200);
    });

    it('an administrator signs another person out everywhere, on the API and from the pages', async () => {
      const p = await newPerson();
      const token = (await login(p.email, STRONG)).body.token;
      await other.http.get('/api/auth/me').set(bearer(token)).expect(200);
      const out = await t.http.post(`/api/admin/users/${p.id}/sign-out-everywhere`).set(bearer(t.tokens.admin));
      expect(out.body).toEqual({});
      expect(out.status).toBe(204);
      await other.http.get('/api/auth/me').set(bearer(token)).expect(401);
      await t.http.post(`/api/admin/users/${p.id}/sign-out-everywhere`).set(bearer(t.tokens.caseworker)).expect(403);

      const theirs = new WebClient(t);
      await theirs.signIn(p.email, undefined, STRONG);
      const admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
      const userPage = await admin.get(`/admin/users/${p.id}`);
      expect(userPage.text).toContain('Sign them out on every device');
      const done = await admin.post(`/admin/users/${p.id}/sign-out-everywhere`, {});
      expect(done.status).toBe(303);
      const after = await admin.get(done.headers.location);
      expect(after.text).toContain('is signed out on every device');
      expect((await theirs.get('/cases')).status).toBe(303);
      // The account's history says who did what, in words.
      expect(after.text).toContain('changed their password');
      expect(after.text).toContain('signed out on every device by Ada Administrator');
      const events = await t.db.query(`SELECT kind, by_user_id FROM account_events WHERE user_id = $1 ORDER BY at`, [p.id]);
      expect(events).toEqual(
        expect.arrayContaining([
          { kind: 'password-changed', by_user_id: p.id },
          { kind: 'signed-out-everywhere', by_user_id: t.demo.users.admin.id },
        ]),
      );
    });

    it('deactivation and a change of role reach the other process at once (one mechanism)', async () => {
      const p = await newPerson();
      const token = (await login(p.email, STRONG)).body.token;
      await other.http.get('/api/auth/me').set(bearer(token)).expect(200);
      // A new role: the person signs in again as what they now are.
      await t.http.patch(`/api/admin/users/${p.id}`).set(bearer(t.tokens.admin)).send({ role: 'mediator' }).expect(200);
      await other.http.get('/api/auth/me').set(bearer(token)).expect(401);
      const again = (await login(p.email, STRONG)).body;
      expect(again.user.role).toBe('mediator');
      await other.http.get('/api/auth/me').set(bearer(again.token)).expect(200);
      await t.http.patch(`/api/admin/users/${p.id}`).set(bearer(t.tokens.admin)).send({ active: false }).expect(200);
      const gone = await other.http.get('/api/auth/me').set(bearer(again.token));
      expect(gone.status).toBe(401);
      expect(gone.body.message).toMatch(/deactivated/);
    });
  });

  describe('sign-in throttling over HTTP', () => {
    it('after a few failures the API answers 429 with Retry-After, and a correct password does not get through early', async () => {
      const p = await newPerson();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await login(p.email, `wrong guess number ${i}`)).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      const locked = await login(p.email, STRONG);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body).toEqual(expect.objectContaining({ code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: expect.any(Number) }));
      // The page says when to try again, in words.
      const page = new WebClient(t);
      await page.get('/sign-in');
      const refused = await page.post('/sign-in', { email: p.email, password: STRONG });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.text).toMatch(/Wait (about )?\d+ (seconds?|minutes?)/);
      // An administrator clears it; then the right password works at once.
      await t.http.delete(`/api/admin/sign-in-locks/password/${encodeURIComponent(`account:${p.email.toLowerCase()}`)}`).set(bearer(t.tokens.admin)).expect(200);
      await login(p.email, STRONG).expect(200);
    });
  });

  it('the demo password still signs in (the demo accounts are unchanged)', async () => {
    await login(t.demo.users.reporter.email, DEMO_PASSWORD).expect(200);
  });
});
