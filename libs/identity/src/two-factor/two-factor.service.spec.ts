import { generate } from 'otplib';
import { DataSource } from 'typeorm';
import { DomainError } from '@cc/common';
import { ScratchDatabase, createScratchDatabase } from '@cc/persistence';
import type { Caller } from '../domain/caller';
import { SignInThrottle } from '../sign-in-throttle/sign-in-throttle.service';
import { AccountEvents } from './account-events';
import { SecretBox } from './secret-box';
import { hashRecoveryCode, inGroupsOfFour, isRecoveryShape, newRecoveryCodes, newTotpSecret, normaliseCode, totpStep } from './totp';
import { TwoFactor } from './two-factor.service';

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A fixed moment in the middle of a 30-second step, so ±1 step is exact. */
const T0 = 1_800_000_015;
const stepOf = (epoch: number) => Math.floor(epoch / 30);
const codeAt = (secret: string, epoch: number) => generate({ secret, epoch });

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a domain error, got ${String(err)}`);
  return err;
}

describe('two-factor codes', () => {
  it('accepts the code of this step and one step either side, never two away', async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, T0);
    expect(await totpStep(secret, code, 0, T0)).toBe(stepOf(T0));
    expect(await totpStep(secret, code, 0, T0 + 30)).toBe(stepOf(T0)); // typed as it changed
    expect(await totpStep(secret, code, 0, T0 - 30)).toBe(stepOf(T0)); // the phone's clock is ahead
    expect(await totpStep(secret, code, 0, T0 + 60)).toBeNull();
    expect(await totpStep(secret, code, 0, T0 - 60)).toBeNull();
    expect(await totpStep(newTotpSecret(), code, 0, T0)).toBeNull();
  });

  it('refuses a code whose step is not after the last one used', async () => {
    const secret = newTotpSecret();
    const code = await codeAt(secret, T0);
    expect(await totpStep(secret, code, stepOf(T0) - 1, T0)).toBe(stepOf(T0));
    expect(await totpStep(secret, code, stepOf(T0), T0)).toBeNull();
    expect(await totpStep(secret, code, stepOf(T0) + 1, T0)).toBeNull();
  });

  it('reads codes typed with spaces, dashes and capitals', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('123-456')).toBe('123456');
    expect(normaliseCode('K3XP9–MW2QA')).toBe('k3xp9mw2qa'); // an en dash, as a phone's keyboard may put
    expect(hashRecoveryCode('K3XP9-MW2QA')).toBe(hashRecoveryCode('k3xp9mw2qa'));
  });

  it('makes ten different recovery codes of about 50 random bits, easy to copy', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(code).not.toMatch(/[01ilo]/);
      expect(isRecoveryShape(normaliseCode(code))).toBe(true);
    }
  });

  it('shows a secret in groups of four', () => {
    expect(inGroupsOfFour('ABCDEFGHIJKLMNOPQR')).toBe('ABCD EFGH IJKL MNOP QR');
  });
});

describe('SecretBox', () => {
  const box = SecretBox.withMaterial('a'.repeat(40));

  it('opens what it sealed, for the same owner only', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'user-2')).toBeNull();
    expect(SecretBox.withMaterial('b'.repeat(40)).open(sealed, 'user-1')).toBeNull();
    const [v, iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(box.open([v, iv, flipped.toString('base64url'), tag].join('.'), 'user-1')).toBeNull();
    expect(box.open('not sealed', 'user-1')).toBeNull();
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('x', 'u')).not.toBe(box.seal('x', 'u'));
  });
});

describe('TwoFactor (with PostgreSQL)', () => {
  let database: ScratchDatabase;
  let db: DataSource;
  let now = T0;
  let twoFactor: TwoFactor;
  let admin: Caller;

  const newUser = async (role: string): Promise<string> => {
    const [row] = await db.query(`INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, 'Test Person', $2, 'x') RETURNING id`, [
      `${role}-${Math.random().toString(36).slice(2)}@example.org`,
      role,
    ]);
    return row.id;
  };

  /** Sets up two-factor sign-in for a new person at T0; the code that confirmed it was T0's. */
  const withSecondFactor = async (role = 'caseworker') => {
    now = T0;
    const userId = await newUser(role);
    const setup = await twoFactor.beginSetup(userId);
    const recoveryCodes = await twoFactor.confirmSetup(userId, await codeAt(setup.secret, T0));
    return { userId, secret: setup.secret, recoveryCodes };
  };

  beforeAll(async () => {
    database = await createScratchDatabase(SERVER_URL, 'two_factor_unit');
    db = new DataSource({ type: 'postgres', url: database.url, extra: { max: 4 } });
    await db.initialize();
    twoFactor = new TwoFactor(db, SecretBox.withMaterial('k'.repeat(40)), new SignInThrottle(db), new AccountEvents(db), () => now);
    admin = { userId: await newUser('administrator'), role: 'administrator', organisationId: null };
  });

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('sets up with a QR code and the secret as text, and keeps the secret only sealed', async () => {
    const userId = await newUser('mediator');
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);
    const setup = await twoFactor.beginSetup(userId);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.secretInGroups.replace(/ /g, '')).toBe(setup.secret);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Compact%20Cases:mediator-[a-z0-9]+%40example\.org\?/);
    expect(setup.otpauthUrl).toContain(`secret=${setup.secret}`);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // Not on until confirmed.
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);
    const [stored] = await db.query(`SELECT totp_pending_secret AS pending FROM users WHERE id = $1`, [userId]);
    expect(stored.pending).not.toContain(setup.secret);

    const wrong = await rejection(twoFactor.confirmSetup(userId, '000000' === (await codeAt(setup.secret, now)) ? '111111' : '000000'));
    expect(wrong.code).toBe('VALIDATION_FAILED');
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);

    const codes = await twoFactor.confirmSetup(userId, await codeAt(setup.secret, now));
    expect(codes).toHaveLength(10);
    expect(await twoFactor.hasSecondFactor(userId)).toBe(true);
    const [row] = await db.query(`SELECT totp_secret, totp_pending_secret, (SELECT count(*)::int FROM two_factor_recovery_codes WHERE user_id = $1) AS codes FROM users WHERE id = $1`, [userId]);
    expect(row.totp_secret).not.toContain(setup.secret);
    expect(row.totp_pending_secret).toBeNull();
    expect(row.codes).toBe(10);
    expect(await twoFactor.status(userId)).toMatchObject({ enabled: true, recoveryCodesLeft: 10, required: false });
  });

  it('refuses to set up again over a second factor that is on', async () => {
    const { userId } = await withSecondFactor();
    expect((await rejection(twoFactor.beginSetup(userId))).code).toBe('TWO_FACTOR_ALREADY_ON');
  });

  it('takes each code once: the confirming code, and a later one, cannot be replayed', async () => {
    const { userId, secret } = await withSecondFactor();
    // The code that confirmed the setup cannot also sign in.
    expect(await twoFactor.verify(userId, await codeAt(secret, T0))).toBe(false);
    now = T0 + 30;
    const next = await codeAt(secret, now);
    expect(await twoFactor.verify(userId, next)).toBe(true);
    expect(await twoFactor.verify(userId, next)).toBe(false);
    // An older code that is still within the window is refused too: its step is not later.
    expect(await twoFactor.verify(userId, await codeAt(secret, T0))).toBe(false);
    now = T0 + 90;
    expect(await twoFactor.verify(userId, ` ${(await codeAt(secret, now)).replace(/^(\d{3})/, '$1 ')} `)).toBe(true);
  });

  it('lets exactly one of three simultaneous uses of a code, or of a recovery code, through', async () => {
    const { userId, secret } = await withSecondFactor();
    now = T0 + 30;
    const code = await codeAt(secret, now);
    // Without the throttle, which would itself hold back parallel tries at one account: this is the UPDATE's own guard.
    const unthrottled = new TwoFactor(db, SecretBox.withMaterial('k'.repeat(40)), { attempt: (_s: string, _k: string[], check: () => Promise<unknown>) => check() } as unknown as SignInThrottle, new AccountEvents(db), () => now);
    const results = await Promise.all([unthrottled.verify(userId, code), unthrottled.verify(userId, code), unthrottled.verify(userId, code)]);
    expect(results.filter(Boolean)).toHaveLength(1);

    const other = await withSecondFactor();
    const recovery = other.recoveryCodes[0];
    const used = await Promise.all([unthrottled.verify(other.userId, recovery), unthrottled.verify(other.userId, recovery), unthrottled.verify(other.userId, recovery)]);
    expect(used.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a code from two steps away', async () => {
    const { userId, secret } = await withSecondFactor();
    now = T0 + 120;
    expect(await twoFactor.verify(userId, await codeAt(secret, T0 + 60))).toBe(false);
    expect(await twoFactor.verify(userId, await codeAt(secret, T0 + 180))).toBe(false);
    expect(await twoFactor.verify(userId, await codeAt(secret, T0 + 150))).toBe(true);
  });

  it('takes a recovery code once, however it is typed, and records it', async () => {
    const { userId, recoveryCodes } = await withSecondFactor();
    expect(await twoFactor.use(userId, recoveryCodes[3].toUpperCase().replace('-', ' - '))).toBe('recovery-code');
    expect(await twoFactor.verify(userId, recoveryCodes[3])).toBe(false);
    expect(await twoFactor.verify(userId, 'abcde-fghjk')).toBe(false);
    expect((await twoFactor.status(userId)).recoveryCodesLeft).toBe(9);
    const [event] = await db.query(`SELECT kind, details FROM account_events WHERE user_id = $1 AND kind = 'two-factor-recovery-code-used'`, [userId]);
    expect(event.details).toEqual({ left: 9 });
  });

  it('gives new recovery codes on a new setup, and the old ones stop working', async () => {
    const { userId, recoveryCodes } = await withSecondFactor();
    await twoFactor.disable(userId);
    const setup = await twoFactor.beginSetup(userId);
    now = T0 + 30;
    const fresh = await twoFactor.confirmSetup(userId, await codeAt(setup.secret, now));
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);
    expect(await twoFactor.verify(userId, recoveryCodes[0])).toBe(false);
    expect(await twoFactor.verify(userId, fresh[0])).toBe(true);
  });

  it('slows and then locks guessing, and a right code does not get through the wait', async () => {
    const { userId, secret } = await withSecondFactor();
    now = T0 + 30;
    const right = await codeAt(secret, now);
    const wrong = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 6; i++) expect(await twoFactor.verify(userId, wrong)).toBe(false);
    const held = await rejection(twoFactor.verify(userId, right));
    expect(held.code).toBe('TOO_MANY_ATTEMPTS');
    expect(held.message).toMatch(/^Too many attempts at the security code\. Wait \d+ seconds?, then try again\.$/);
  });

  it('lets a caseworker turn it off, but not an administrator', async () => {
    const { userId, recoveryCodes } = await withSecondFactor('caseworker');
    await twoFactor.disable(userId);
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);
    expect(await twoFactor.verify(userId, recoveryCodes[0])).toBe(false);
    const [event] = await db.query(`SELECT by_user_id FROM account_events WHERE user_id = $1 AND kind = 'two-factor-turned-off'`, [userId]);
    expect(event.by_user_id).toBe(userId);

    const other = await withSecondFactor('administrator');
    expect((await rejection(twoFactor.disable(other.userId))).code).toBe('TWO_FACTOR_REQUIRED');
    expect(await twoFactor.hasSecondFactor(other.userId)).toBe(true);
  });

  it('lets an administrator reset someone, recording who did it', async () => {
    const { userId, secret, recoveryCodes } = await withSecondFactor('mediator');
    const caseworker: Caller = { userId: await newUser('caseworker'), role: 'caseworker', organisationId: null };
    expect((await rejection(twoFactor.resetFor(caseworker, userId))).code).toBe('ROLE_NOT_ALLOWED');
    expect(await twoFactor.hasSecondFactor(userId)).toBe(true);

    expect(await twoFactor.resetFor(admin, userId)).toEqual({ hadSecondFactor: true });
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);
    now = T0 + 30;
    expect(await twoFactor.verify(userId, await codeAt(secret, now))).toBe(false);
    expect(await twoFactor.verify(userId, recoveryCodes[0])).toBe(false);
    const events = await new AccountEvents(db).forUser(userId);
    expect(events[0]).toMatchObject({ kind: 'two-factor-reset', by: { id: admin.userId, displayName: 'Test Person' }, details: { hadSecondFactor: true } });

    expect((await rejection(twoFactor.resetFor(admin, '00000000-0000-4000-8000-000000000000'))).code).toBe('NOT_FOUND');
    expect((await rejection(twoFactor.resetFor(admin, 'not-an-id'))).code).toBe('NOT_FOUND');
  });

  it('lets a setup lapse after 30 minutes', async () => {
    const userId = await newUser('caseworker');
    const setup = await twoFactor.beginSetup(userId);
    await db.query(`UPDATE users SET totp_pending_at = now() - interval '31 minutes' WHERE id = $1`, [userId]);
    expect((await rejection(twoFactor.confirmSetup(userId, await codeAt(setup.secret, now)))).code).toBe('NO_TWO_FACTOR_SETUP');
    expect(await twoFactor.hasSecondFactor(userId)).toBe(false);
  });
});
