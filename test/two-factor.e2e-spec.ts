import { generate } from 'otplib';
import { TestApp, startTestApp } from './support/test-app';
import { TestAuthenticator, nextCode } from './support/second-factor';
import { WebClient } from './support/web-client';

const PASSWORD = 'purple kettle river spoon';

/** Two-factor sign-in over HTTP, API and pages, with codes computed here from the secret the service gave. */
describe('two-factor sign-in (TOTP)', () => {
  let t: TestApp;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp('two_factor');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The fields a 400 names (each once). */
  const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))];
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = (email: string, password = PASSWORD) => t.http.post('/api/auth/login').send({ email, password });
  const secondFactor = (stepToken: string, code: unknown) => t.http.post('/api/auth/login/two-factor').set(bearer(stepToken)).send({ code });

  /**
   * A new account with a password of its own, as if its first sign-in were done. Returns the
   * token of that first sign-in: fully signed in, or (an administrator) in the set-up step.
   */
  const newPerson = async (role: 'caseworker' | 'mediator' | 'administrator' | 'reporter' = 'caseworker') => {
    const email = `tf${++n}.${Date.now()}@example.org`;
    const body: Record<string, unknown> = { email, displayName: `Person ${n}`, role };
    if (role === 'reporter') body.organisationId = t.demo.organisations.riversideFoodbank;
    const created = await t.http.post('/api/admin/users').set(bearer(t.tokens.admin)).send({ ...body, sendLink: false }).expect(201);
    const temporary = created.body.temporaryPassword as string;
    const first = await login(email, temporary).expect(200);
    const changed = await t.http.post('/api/auth/password').set(bearer(first.body.token)).send({ currentPassword: temporary, newPassword: PASSWORD }).expect(200);
    return { id: created.body.user.id as string, email, token: changed.body.token as string, step: changed.body.step as string | null };
  };

  /** Sets up two-factor sign-in over the API with the token given, as a person with an app would. */
  const setUp = async (userId: string, token: string): Promise<TestAuthenticator & { confirm: Record<string, unknown> }> => {
    const setup = await t.http.post('/api/auth/two-factor/setup').set(bearer(token)).expect(200);
    const secret = setup.body.secret as string;
    const authenticator: TestAuthenticator = { userId, secret, recoveryCodes: [] };
    const confirm = await t.http.post('/api/auth/two-factor/confirm').set(bearer(token)).send({ code: await nextCode(t.db, authenticator) }).expect(200);
    authenticator.recoveryCodes = [...confirm.body.recoveryCodes];
    t.authenticators.set(userId, authenticator);
    return { ...authenticator, confirm: confirm.body };
  };

  describe('over the API', () => {
    it('sets up with a QR code and the key as text, refuses a wrong code naming the field, then gives ten recovery codes', async () => {
      const p = await newPerson('mediator');
      expect(p.step).toBeNull();
      const status = await t.http.get('/api/auth/two-factor').set(bearer(p.token)).expect(200);
      expect(status.body).toEqual({ enabled: false, since: null, recoveryCodesLeft: 0, required: false });

      const setup = await t.http.post('/api/auth/two-factor/setup').set(bearer(p.token)).expect(200);
      expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.body.secretInGroups).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      expect(setup.body.otpauthUrl).toBe(`otpauth://totp/Compact%20Cases:${encodeURIComponent(p.email)}?secret=${setup.body.secret}&issuer=Compact%20Cases`);
      expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);

      const right = await generate({ secret: setup.body.secret });
      const wrong = await t.http.post('/api/auth/two-factor/confirm').set(bearer(p.token)).send({ code: right === '000000' ? '111111' : '000000' }).expect(400);
      expect(fieldsOf(wrong)).toEqual(['code']);
      const notText = await t.http.post('/api/auth/two-factor/confirm').set(bearer(p.token)).send({ code: 123456 }).expect(400);
      expect(fieldsOf(notText)).toEqual(['code']);
      expect((await t.http.get('/api/auth/two-factor').set(bearer(p.token)).expect(200)).body.enabled).toBe(false);

      const confirmed = await t.http.post('/api/auth/two-factor/confirm').set(bearer(p.token)).send({ code: right }).expect(200);
      expect(confirmed.body.recoveryCodes).toHaveLength(10);
      expect(new Set(confirmed.body.recoveryCodes).size).toBe(10);
      expect(confirmed.body.signIn).toBeNull();
      const on = await t.http.get('/api/auth/two-factor').set(bearer(p.token)).expect(200);
      expect(on.body).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
      // Setting up again over one that is on is refused: turn it off first.
      expect((await t.http.post('/api/auth/two-factor/setup').set(bearer(p.token)).expect(409)).body.code).toBe('TWO_FACTOR_ALREADY_ON');
      // The secret is not kept as it was given.
      const [row] = await t.db.query(`SELECT totp_secret FROM users WHERE id = $1`, [p.id]);
      expect(row.totp_secret).not.toContain(setup.body.secret);
    });

    it('signs in with the password and then a code; the step token opens nothing else; a code works once', async () => {
      const p = await newPerson();
      const a = await setUp(p.id, p.token);

      const first = await login(p.email).expect(200);
      expect(first.body.step).toBe('second-factor');
      const blocked = await t.http.get('/api/cases').set(bearer(first.body.token)).expect(403);
      expect(blocked.body).toMatchObject({ code: 'STEP_REQUIRED' });
      expect((await t.http.get('/api/auth/two-factor').set(bearer(first.body.token)).expect(403)).body.code).toBe('STEP_REQUIRED');

      const code = await nextCode(t.db, a);
      // Typed as people type it: with a space, or a dash, in the middle.
      const done = await secondFactor(first.body.token, `${code.slice(0, 3)} ${code.slice(3)}`).expect(200);
      expect(done.body.step).toBeNull();
      await t.http.get('/api/cases').set(bearer(done.body.token)).expect(200);
      // The step token is spent in effect: its only route now says there is no step waiting.
      expect((await secondFactor(done.body.token, code).expect(409)).body.code).toBe('NO_SECOND_FACTOR_STEP');

      // The same code again, on a new sign-in: refused, as one seen over a shoulder would be.
      const again = await login(p.email).expect(200);
      const replay = await secondFactor(again.body.token, `${code.slice(0, 3)}-${code.slice(3)}`).expect(401);
      expect(replay.body.message).toMatch(/^That code is not right/);
      // The token still serves the step: a fresh code finishes it.
      expect((await secondFactor(again.body.token, await nextCode(t.db, a)).expect(200)).body.step).toBeNull();
    });

    it('takes a recovery code once', async () => {
      const p = await newPerson();
      const a = await setUp(p.id, p.token);
      const recovery = a.recoveryCodes.pop()!;
      const first = await login(p.email).expect(200);
      expect((await secondFactor(first.body.token, recovery.toUpperCase()).expect(200)).body.step).toBeNull();
      const second = await login(p.email).expect(200);
      await secondFactor(second.body.token, recovery).expect(401);
      const left = a.recoveryCodes.length;
      const status = await t.http.get('/api/auth/two-factor').set(bearer((await secondFactor(second.body.token, await nextCode(t.db, a)).expect(200)).body.token)).expect(200);
      // nextCode falls back on a recovery code only when the clock gives it no fresh step.
      expect(status.body.recoveryCodesLeft).toBe(9 - (left - a.recoveryCodes.length));
    });

    it('refuses a code body that is not text, or missing, naming the field', async () => {
      const p = await newPerson();
      await setUp(p.id, p.token);
      const step = (await login(p.email).expect(200)).body.token;
      expect(fieldsOf(await secondFactor(step, 123456).expect(400))).toEqual(['code']);
      expect(fieldsOf(await t.http.post('/api/auth/login/two-factor').set(bearer(step)).send({}).expect(400))).toEqual(['code']);
      expect(fieldsOf(await secondFactor(step, 'x'.repeat(65)).expect(400))).toEqual(['code']);
    });

    it('lets a caseworker turn it off (then the password alone signs in), but not an administrator', async () => {
      const p = await newPerson();
      const authenticator = await setUp(p.id, p.token);
      // Only with a current code: an open session alone cannot remove the second factor.
      const without = await t.http.delete('/api/auth/two-factor').set(bearer(p.token)).send({});
      expect(without.status).toBe(400);
      expect(fieldsOf(without)).toEqual(['code']);
      const wrong = await t.http.delete('/api/auth/two-factor').set(bearer(p.token)).send({ code: 'not-a-code' });
      expect(wrong.status).toBe(400);
      expect((await t.http.get('/api/auth/two-factor').set(bearer(p.token)).expect(200)).body.enabled).toBe(true);
      await t.http.delete('/api/auth/two-factor').set(bearer(p.token)).send({ code: await nextCode(t.db, authenticator) }).expect(204);
      expect((await login(p.email).expect(200)).body.step).toBeNull();

      const refused = await t.http.delete('/api/auth/two-factor').set(bearer(t.tokens.admin)).expect(403);
      expect(refused.body.code).toBe('TWO_FACTOR_REQUIRED');
      expect((await t.http.get('/api/auth/two-factor').set(bearer(t.tokens.admin)).expect(200)).body).toMatchObject({ enabled: true, required: true });
    });

    it('makes an administrator without it set it up before anything else; the confirming code finishes the sign-in', async () => {
      const p = await newPerson('administrator');
      expect(p.step).toBe('set-up-two-factor');
      const blocked = await t.http.get('/api/admin/users').set(bearer(p.token)).expect(403);
      expect(blocked.body).toMatchObject({ code: 'STEP_REQUIRED', step: 'set-up-two-factor' });
      const again = await login(p.email).expect(200);
      expect(again.body.step).toBe('set-up-two-factor');

      const a = await setUp(p.id, again.body.token);
      const signIn = a.confirm.signIn as { token: string; step: string | null };
      expect(signIn.step).toBeNull();
      await t.http.get('/api/admin/users').set(bearer(signIn.token)).expect(200);
      // From now on, a code at every sign-in.
      const next = await login(p.email).expect(200);
      expect(next.body.step).toBe('second-factor');
      await t.http.get('/api/admin/users').set(bearer(next.body.token)).expect(403);
    });

    it('lets an administrator reset someone: recorded with who did it; a caseworker then signs in with the password, an administrator sets up again', async () => {
      const caseworker = await newPerson();
      await setUp(caseworker.id, caseworker.token);
      const admin = await newPerson('administrator');
      await setUp(admin.id, admin.token);

      await t.http.post(`/api/admin/users/${caseworker.id}/two-factor/reset`).set(bearer(t.tokens.caseworker)).expect(403);
      const reset = await t.http.post(`/api/admin/users/${caseworker.id}/two-factor/reset`).set(bearer(t.tokens.admin)).expect(200);
      expect(reset.body).toEqual({ hadSecondFactor: true });
      const [event] = await t.db.query(`SELECT kind, by_user_id, details FROM account_events WHERE user_id = $1 AND kind = 'two-factor-reset'`, [caseworker.id]);
      expect(event).toEqual({ kind: 'two-factor-reset', by_user_id: t.demo.users.admin.id, details: { hadSecondFactor: true } });
      expect((await login(caseworker.email).expect(200)).body.step).toBeNull();

      await t.http.post(`/api/admin/users/${admin.id}/two-factor/reset`).set(bearer(t.tokens.admin)).expect(200);
      expect((await login(admin.email).expect(200)).body.step).toBe('set-up-two-factor');

      await t.http.post(`/api/admin/users/00000000-0000-4000-8000-000000000000/two-factor/reset`).set(bearer(t.tokens.admin)).expect(404);
      await t.http.post(`/api/admin/users/not-an-id/two-factor/reset`).set(bearer(t.tokens.admin)).expect(404);
    });

    it('answers 429 with Retry-After after many wrong codes, and a right code does not get through', async () => {
      const p = await newPerson();
      const a = await setUp(p.id, p.token);
      const step = (await login(p.email).expect(200)).body.token;
      const right = await nextCode(t.db, a);
      const wrong = right === '123456' ? '654321' : '123456';
      for (let i = 0; i < 6; i++) await secondFactor(step, wrong).expect(401);
      const held = await secondFactor(step, right).expect(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(held.body.message).toMatch(/^Too many attempts at the security code\. Wait \d+ seconds?, then try again\.$/);
    });
  });

  describe('in the pages', () => {
    const secretOn = (html: string) => /id="secret-key">([A-Z2-7 ]+)</.exec(html)?.[1].replace(/ /g, '');

    it('sets up from the account page (QR code, key as text, recovery codes once) and then asks for a code at sign-in', async () => {
      const p = await newPerson('mediator');
      const web = new WebClient(t);
      await web.signIn(p.email, undefined, PASSWORD);
      const settings = await web.get('/account/two-factor');
      expect(settings.status).toBe(200);
      expect(settings.text).toContain('Set up two-factor sign-in');

      const form = await web.get('/account/two-factor/set-up');
      expect(form.status).toBe(200);
      expect(form.text).toMatch(/<img src="data:image\/png;base64,[^"]+" width="240" height="240" alt="QR code for adding Compact Cases to your authenticator app[^"]*" id="qr-code">/);
      expect(form.text).toMatch(/autocomplete="one-time-code"/);
      expect(form.text).toMatch(/inputmode="numeric"/);
      const secret = secretOn(form.text)!;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // A reload shows the same key: the app already has it.
      expect(secretOn((await web.get('/account/two-factor/set-up')).text)).toBe(secret);

      const a: TestAuthenticator = { userId: p.id, secret, recoveryCodes: [] };
      const wrong = await web.post('/account/two-factor/set-up', { code: '12345' });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain('That code is not right');
      expect(secretOn(wrong.text)).toBe(secret);

      const codesPage = await web.post('/account/two-factor/set-up', { code: await nextCode(t.db, a) });
      expect(codesPage.status).toBe(200);
      expect(codesPage.text).toContain('Save these recovery codes');
      a.recoveryCodes = [...codesPage.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]);
      expect(a.recoveryCodes).toHaveLength(10);
      t.authenticators.set(p.id, a);
      const on = await web.get('/account/two-factor?changed=on');
      expect(on.text).toContain('Two-factor sign-in is on');
      expect(on.text).toContain('10 of 10');
      // Not shown again anywhere.
      expect(on.text).not.toContain(a.recoveryCodes[0]);

      const next = new WebClient(t);
      await next.get('/sign-in');
      const password = await next.post('/sign-in', { email: p.email, password: PASSWORD });
      expect(password.headers.location).toBe('/sign-in/two-factor');
      // Every other page waits for the code.
      expect((await next.get('/mediations')).headers.location).toBe('/sign-in/two-factor');
      const page = await next.get('/sign-in/two-factor');
      expect(page.text).toMatch(/autocomplete="one-time-code"/);
      expect(page.text).toMatch(/inputmode="numeric"/);
      const bad = await next.post('/sign-in/two-factor', { code: (await generate({ secret: a.secret })) === '000000' ? '111111' : '000000' });
      expect(bad.status).toBe(401);
      expect(bad.text).toContain('That code is not right');
      const done = await next.post('/sign-in/two-factor', { code: await nextCode(t.db, a) });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/mediations');
      expect((await next.get('/mediations')).status).toBe(200);

      // A recovery code, on its own page (letters: no number keypad), works once.
      const third = new WebClient(t);
      await third.get('/sign-in');
      await third.post('/sign-in', { email: p.email, password: PASSWORD });
      const recoveryPage = await third.get('/sign-in/two-factor?recovery=1');
      expect(recoveryPage.text).toContain('Enter a recovery code');
      expect(recoveryPage.text).not.toMatch(/inputmode="numeric"/);
      const recovery = a.recoveryCodes.pop()!;
      expect((await third.post('/sign-in/two-factor', { code: recovery, recovery: '1' })).status).toBe(303);
      const fourth = new WebClient(t);
      await fourth.get('/sign-in');
      await fourth.post('/sign-in', { email: p.email, password: PASSWORD });
      await fourth.get('/sign-in/two-factor?recovery=1');
      const used = await fourth.post('/sign-in/two-factor', { code: recovery, recovery: '1' });
      expect(used.status).toBe(401);
      expect(used.text).toContain('That recovery code is not right, or it has been used already');
    });

    it('turns off after a confirmation, for a caseworker; an administrator is told why not', async () => {
      const p = await newPerson();
      const authenticator = await setUp(p.id, p.token);
      const web = new WebClient(t);
      await web.signIn(p.email, undefined, PASSWORD);
      const confirm = await web.get('/account/two-factor/turn-off');
      expect(confirm.text).toContain('Are you sure you want to turn off two-factor sign-in?');
      const noCode = await web.post('/account/two-factor/turn-off', {});
      expect(noCode.status).toBe(400);
      expect(noCode.text).toContain('Enter the 6-digit code your authenticator app shows now');
      const off = await web.post('/account/two-factor/turn-off', { code: await nextCode(t.db, authenticator) });
      expect(off.headers.location).toBe('/account/two-factor?changed=off');
      expect((await login(p.email).expect(200)).body.step).toBeNull();

      const admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
      const settings = await admin.get('/account/two-factor');
      expect(settings.text).toContain('Administrators must use two-factor sign-in, so you cannot turn it off');
      expect(settings.text).not.toContain('href="/account/two-factor/turn-off"');
      const refused = await admin.post('/account/two-factor/turn-off', {});
      expect(refused.status).toBe(403);
      expect((await t.http.get('/api/auth/two-factor').set(bearer(t.tokens.admin)).expect(200)).body.enabled).toBe(true);
    });

    it('sends an administrator without it to set it up first, then on to where they were going', async () => {
      const p = await newPerson('administrator');
      const web = new WebClient(t);
      await web.get('/sign-in');
      const signedIn = await web.post('/sign-in', { email: p.email, password: PASSWORD, next: '/admin/users' });
      expect(signedIn.headers.location).toBe('/account/two-factor/set-up');
      expect((await web.get('/admin/users')).headers.location).toBe('/account/two-factor/set-up');
      const form = await web.get('/account/two-factor/set-up');
      expect(form.text).toContain('Administrators must use two-factor sign-in. Set it up now to finish signing in.');
      const a: TestAuthenticator = { userId: p.id, secret: secretOn(form.text)!, recoveryCodes: [] };
      const codes = await web.post('/account/two-factor/set-up', { code: await nextCode(t.db, a) });
      expect(codes.text).toContain('Save these recovery codes');
      // Until they say they saved the codes, they are still in the step.
      expect((await web.get('/admin/users')).headers.location).toBe('/account/two-factor/set-up');
      const done = await web.post('/account/two-factor/set-up/done', {});
      expect(done.headers.location).toBe('/admin/users');
      expect((await web.get('/admin/users')).status).toBe(200);
    });

    it('lets an administrator reset someone from their page, after a confirmation, and shows who did it', async () => {
      const p = await newPerson('mediator');
      await setUp(p.id, p.token);
      const admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
      const page = await admin.get(`/admin/users/${p.id}`);
      expect(page.text).toMatch(/On since \d{1,2} [A-Z][a-z]+ \d{4}\. 10 of 10 recovery codes left\./);
      expect(page.text).toContain(`href="/admin/users/${p.id}/two-factor/reset"`);
      const confirm = await admin.get(`/admin/users/${p.id}/two-factor/reset`);
      expect(confirm.text).toContain(`Reset Person ${p.email.match(/^tf(\d+)/)![1]}’s two-factor sign-in?`);
      const done = await admin.post(`/admin/users/${p.id}/two-factor/reset`, {});
      expect(done.status).toBe(303);
      const after = await admin.get(done.headers.location);
      expect(after.text).toContain('two-factor sign-in is reset. They can sign in with their password alone');
      expect(after.text).toContain('Off. They sign in with their password alone.');
      expect(after.text).toMatch(/two-factor sign-in reset by Ada Administrator/);
      expect((await login(p.email).expect(200)).body.step).toBeNull();
    });
  });
});
