import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TooManyAttempts } from '@cc/common';
import { loadConfig } from '@cc/config';
import { createApiApp } from '@cc/api';
import { SignInThrottle, accountKey, addressKey } from '@cc/identity';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * The sign-in throttle over real PostgreSQL, shared by two API processes (two Nest applications
 * on one database). The checks are functions of the test's own, so what is counted is exact.
 */
describe('sign-in throttle', () => {
  let t: TestApp;
  let second: INestApplication;
  let secondDataDir: string;
  let one: SignInThrottle;
  let two: SignInThrottle;
  let db: DataSource;
  let n = 0;
  /** A fresh account key and address key for each test, so no test sees another's counts. */
  const fresh = () => {
    n += 1;
    return { account: accountKey(`Person${n}@Example.org`), address: addressKey(`198.51.100.${n}`) };
  };
  const fail = async () => null;
  const row = async (scope: string, key: string) =>
    (await db.query(`SELECT failures, locked_until, next_allowed_at > now() AS waiting FROM sign_in_throttle WHERE scope = $1 AND key = $2`, [scope, key]))[0] as
      | { failures: number; locked_until: Date | null; waiting: boolean }
      | undefined;
  /** As if the waits so far had passed: the next try is allowed now, the count stays. */
  const waitsPass = (key: string) => db.query(`UPDATE sign_in_throttle SET next_allowed_at = now() - interval '1 second' WHERE key = $1`, [key]);
  /** The count as if `failures` tries had just failed, waits over. */
  const setFailures = (scope: string, key: string, failures: number) =>
    db.query(
      `INSERT INTO sign_in_throttle (scope, key, failures, next_allowed_at, last_failure_at) VALUES ($1, $2, $3, now() - interval '1 second', now())
       ON CONFLICT (scope, key) DO UPDATE SET failures = $3, next_allowed_at = now() - interval '1 second', last_failure_at = now(), locked_until = NULL`,
      [scope, key, failures],
    );
  async function refusal(p: Promise<unknown>): Promise<TooManyAttempts> {
    try {
      await p;
    } catch (err) {
      if (err instanceof TooManyAttempts) return err;
      throw err;
    }
    throw new Error('expected the attempt to be refused');
  }

  beforeAll(async () => {
    t = await startTestApp('sign-in-throttle');
    secondDataDir = mkdtempSync(join(tmpdir(), 'cc-test-throttle-second-'));
    second = await createApiApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: t.database.url, DATA_DIR: secondDataDir }));
    one = t.app.get(SignInThrottle);
    two = second.get(SignInThrottle);
    db = t.db;
    expect(one).not.toBe(two);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    if (secondDataDir) rmSync(secondDataDir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts failures in one process against attempts in the other, and locks in both', async () => {
    const { account } = fresh();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    for (let i = 0; i < 5; i++) expect(await (i % 2 ? one : two).attempt('password', [account], fail)).toBeNull();
    // The sixth try is allowed (in the other process) and makes the next one wait a second.
    expect(await two.attempt('password', [account], fail)).toBeNull();
    const waiting = await refusal(one.attempt('password', [account], fail));
    expect(waiting.retryAfterSeconds).toBe(1);
    expect(waiting.message).toBe('Too many attempts to sign in. Wait 1 second, then try again.');
    expect((await row('password', account))?.failures).toBe(6);

    // Nineteen failures and the waits over: the twentieth try locks the account, for both processes.
    await setFailures('password', account, 19);
    expect(await one.attempt('password', [account], fail)).toBeNull();
    expect(warn).toHaveBeenCalledWith({ scope: 'password', key: account, failures: 20 }, 'Sign-in locked');
    const check = jest.fn(fail);
    const locked = await refusal(two.attempt('password', [account], check));
    expect(check).not.toHaveBeenCalled();
    expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.message).toBe('Too many attempts to sign in. Wait 15 minutes, then try again.');
    // Other scopes of the same account are counted apart.
    expect(await two.attempt('second-factor', [account], async () => 'ok')).toBe('ok');
  });

  it('refuses a correct password during a lock without checking it', async () => {
    const { account, address } = fresh();
    await setFailures('password', account, 19);
    expect(await one.attempt('password', [account, address], fail)).toBeNull();
    const correct = jest.fn(async () => ({ userId: 'u1' }));
    const refused = await refusal(two.attempt('password', [account, address], correct));
    expect(correct).not.toHaveBeenCalled();
    expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
    // Refused tries are not counted: the lock is what it was, the address did not gain a failure.
    expect((await row('password', account))?.failures).toBe(20);
    expect((await row('password', address))?.failures).toBe(1);
  });

  it('never refuses parallel attempts within the free tries (two tabs signing in at once)', async () => {
    const { account, address } = fresh();
    const results = await Promise.allSettled(Array.from({ length: 4 }, (_, i) => (i % 2 ? one : two).attempt('password', [account, address], async () => 'signed in')));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const mixed = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => (i % 2 ? one : two).attempt('password', [account, address], i === 2 ? async () => 'signed in' : fail)));
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('lets exactly the allowed number of 30 parallel guesses in two processes reach the check', async () => {
    const { account, address } = fresh();
    let checked = 0;
    const check = async () => {
      checked += 1;
      return null;
    };
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 ? one : two).attempt('password', [account, address], check)));
    // Five with no wait, and the sixth, which sets the first wait; the others are refused.
    expect(checked).toBe(6);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(24);
    for (const r of refused) expect(r.reason).toBeInstanceOf(TooManyAttempts);
    // All or nothing: a refusal by one key counts against neither.
    expect((await row('password', account))?.failures).toBe(6);
    expect((await row('password', address))?.failures).toBe(6);
  });

  it('forgets an account’s failures after a success, but keeps the address’s (less the success) and never locks on a success', async () => {
    const { account, address } = fresh();
    for (let i = 0; i < 3; i++) await one.attempt('password', [account, address], fail);
    expect(await two.attempt('password', [account, address], async () => 'signed in')).toBe('signed in');
    expect(await row('password', account)).toBeUndefined();
    expect((await row('password', address))?.failures).toBe(3);

    // The try that would reach the address's limit succeeds: it leaves the address unlocked.
    await setFailures('password', address, 99);
    expect(await one.attempt('password', [accountKey('someone-else@example.org'), address], async () => true)).toBe(true);
    expect(await row('password', address)).toMatchObject({ failures: 99, locked_until: null, waiting: false });
    // The same try failing locks the address for every account tried from it.
    expect(await one.attempt('password', [accountKey('someone-else@example.org'), address], fail)).toBeNull();
    expect((await row('password', address))?.locked_until).not.toBeNull();
    await refusal(two.attempt('password', [accountKey('a-third@example.org'), address], async () => true));
  });

  it('logs one address failing against many accounts', async () => {
    const { address } = fresh();
    const warn = jest.spyOn(Logger.prototype, 'warn');
    for (let i = 1; i <= 10; i++) await (i % 2 ? one : two).attempt('password', [accountKey(`sprayed${i}@example.org`), address], fail);
    expect(warn).toHaveBeenCalledWith(
      { scope: 'password', key: address, accounts: 10, withinMinutes: 60 },
      'Unusual sign-in pattern: one address failing against many accounts',
    );
    // Failing against the same account again is not another account.
    warn.mockClear();
    await waitsPass(address);
    await one.attempt('password', [accountKey('sprayed1@example.org'), address], fail);
    expect(warn).not.toHaveBeenCalledWith(expect.anything(), 'Unusual sign-in pattern: one address failing against many accounts');
  });

  it('lets an administrator list and clear a lock over the API, and nobody else', async () => {
    const account = accountKey('locked-out@example.org');
    await setFailures('password', account, 19);
    await one.attempt('password', [account], fail);
    const admin = `Bearer ${t.tokens.admin}`;
    const list = await t.http.get('/api/admin/sign-in-locks').set('Authorization', admin).expect(200);
    const lock = list.body.find((l: { key: string }) => l.key === account);
    expect(lock).toMatchObject({ scope: 'password', kind: 'account', subject: 'locked-out@example.org', failures: 20 });
    expect(Date.parse(lock.lockedUntil)).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(lock.retryAfterSeconds).toBeGreaterThan(14 * 60);

    for (const who of ['caseworker', 'mediator', 'reporter'] as const) {
      await t.http.get('/api/admin/sign-in-locks').set('Authorization', `Bearer ${t.tokens[who]}`).expect(403);
      await t.http.delete(`/api/admin/sign-in-locks/password/${encodeURIComponent(account)}`).set('Authorization', `Bearer ${t.tokens[who]}`).expect(403);
    }
    await t.http.get('/api/admin/sign-in-locks').expect(401);

    const warn = jest.spyOn(Logger.prototype, 'warn');
    const cleared = await t.http.delete(`/api/admin/sign-in-locks/password/${encodeURIComponent(account)}`).set('Authorization', admin).expect(200);
    expect(cleared.body).toMatchObject({ key: account, failures: 20 });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ scope: 'password', key: account, by: t.demo.users.admin.id }), 'Sign-in lock cleared');
    // The other process lets the next attempt through at once.
    const check = jest.fn(async () => 'in');
    expect(await two.attempt('password', [account], check)).toBe('in');
    expect(check).toHaveBeenCalledTimes(1);

    await t.http.delete(`/api/admin/sign-in-locks/password/${encodeURIComponent(account)}`).set('Authorization', admin).expect(404);
    const badScope = await t.http.delete(`/api/admin/sign-in-locks/everything/${encodeURIComponent(account)}`).set('Authorization', admin).expect(400);
    expect(badScope.body.message).toContain('scope');
    const badKey = await t.http.delete('/api/admin/sign-in-locks/password/somebody').set('Authorization', admin).expect(400);
    expect(badKey.body.message).toContain('key');
  });

  it('shows locks in words on the administrators’ page and clears one with its button', async () => {
    const account = accountKey('jo@example.org');
    const address = addressKey('203.0.113.9');
    await setFailures('password', account, 19);
    await setFailures('reset', address, 99);
    await one.attempt('password', [account], fail);
    await one.attempt('reset', [address], fail);
    const { locked_until } = (await row('password', account))!;

    const web = new WebClient(t);
    await web.signIn(t.demo.users.admin.email);
    const page = await web.get('/admin/sign-in-locks');
    expect(page.status).toBe(200);
    const until = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' }).format(locked_until!);
    expect(page.text).toMatch(new RegExp(`Account jo@example.org — Signing in locked until ${until} (today|tomorrow) after 20 failed attempts`));
    expect(page.text).toMatch(/Address 203\.0\.113\.9 — Asking for a password reset link locked until [0-9:]+ [ap]m (today|tomorrow) after 100 requests/);
    expect(page.text).toContain('href="/admin/sign-in-locks"');
    expect(page.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);

    // Without the form's CSRF token nothing is cleared.
    expect((await web.post('/admin/sign-in-locks/clear', { scope: 'password', key: account }, { withCsrf: false })).status).toBe(403);
    expect(await row('password', account)).toBeDefined();

    const res = await web.post('/admin/sign-in-locks/clear', { scope: 'password', key: account });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/sign-in-locks');
    const after = await web.get('/admin/sign-in-locks');
    expect(after.text).toContain('Account jo@example.org can try again now.');
    expect(after.text).not.toContain('Account jo@example.org —');
    expect(after.text).toContain('Address 203.0.113.9 —');
    expect(await row('password', account)).toBeUndefined();

    // Clicked twice (or after another administrator): said plainly, not an error.
    const again = await web.post('/admin/sign-in-locks/clear', { scope: 'password', key: account });
    expect(again.status).toBe(303);
    expect((await web.get('/admin/sign-in-locks')).text).toContain('That lock had already ended or been cleared');

    const caseworker = new WebClient(t);
    await caseworker.signIn(t.demo.users.caseworker.email);
    expect((await caseworker.get('/admin/sign-in-locks')).status).toBe(403);
  });
});
