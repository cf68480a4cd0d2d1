import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotFound, TooManyAttempts, ValidationFailed } from '@cc/common';
import { runPrepared, sql } from '@cc/persistence';
import {
  THROTTLE_POLICIES,
  THROTTLE_SCOPES,
  ThrottleKey,
  ThrottleKind,
  ThrottleScope,
  accountKey,
  delaySchedule,
  isThrottleKey,
  isThrottleScope,
  kindOf,
  tooManyMessage,
} from './throttle-policy';

// Callers build keys and name scopes with these; one import gives them the throttle and its words.
export * from './throttle-policy';

/** A key that holds someone back now, as an administrator sees it. */
export interface ThrottleLock {
  scope: ThrottleScope;
  key: ThrottleKey;
  kind: ThrottleKind;
  /** The e-mail address or the client address (an IPv6 network as `prefix::/64`). */
  subject: string;
  /** Attempts counted against it (each try counts until it succeeds). */
  failures: number;
  /** When the lock ends; null when it is not locked, only made to wait between tries. */
  lockedUntil: string | null;
  /** When the next try is allowed (the end of the lock, or of the wait). */
  allowedFrom: string;
  lastFailureAt: string | null;
  retryAfterSeconds: number;
}

interface ClaimedRow {
  key: ThrottleKey;
  failures: number;
  locked: boolean;
}

interface LockRow {
  scope: ThrottleScope;
  key: ThrottleKey;
  failures: number;
  locked_until: Date | null;
  allowed_from: Date;
  last_failure_at: Date | null;
  wait: number;
}

/** Distinct accounts one address fails against within an hour before it is logged as unusual. */
export const SPRAY_WARNING_ACCOUNTS = 10;
/** Rows no longer holding anyone back are removed this often (per process), a batch at a time. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 1000;
const MAX_LISTED = 500;

/**
 * The policy of each key, with its waits listed in full: the database indexes the list instead of
 * repeating the schedule's arithmetic, so the schedule is written (and tested) once, in TypeScript.
 */
function policyRows(keys: readonly ThrottleKey[]) {
  return keys.map((key) => {
    const policy = THROTTLE_POLICIES[kindOf(key)!];
    return { key, schedule: delaySchedule(policy), lim: policy.limit, lock_seconds: policy.lockSeconds, leak_seconds: policy.leakSeconds };
  });
}

/**
 * Throttles attempts at a secret, per account and per client address, with the counts in
 * PostgreSQL so every API process (and the embedded database) shares them.
 *
 * Each attempt is claimed before the secret is checked, as if it were going to fail: the claim
 * counts the failure and sets the wait before the next try, in one statement that locks the rows,
 * so parallel guesses in any number of processes are counted one by one and a correct password
 * cannot slip through a lock. A success then takes its claim back.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger(SignInThrottle.name);
  private lastPruned = Date.now();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `check` (which tests the secret: non-null is a success) if every key may try now;
   * otherwise throws TooManyAttempts saying how long to wait, without running it.
   * On success the account's count is cleared; the address keeps its count (an attacker with one
   * good account must not be able to wipe it) but the success itself is not counted against it.
   * On failure, or if `check` throws, the attempt stays counted.
   */
  async attempt<T>(scope: ThrottleScope, keys: readonly ThrottleKey[], check: () => Promise<T | null>): Promise<T | null> {
    const wanted = this.checkedKeys(scope, keys);
    const claim = await this.claim(scope, wanted);
    if ('retryAfterSeconds' in claim) throw new TooManyAttempts(tooManyMessage(scope, claim.retryAfterSeconds), claim.retryAfterSeconds);
    let succeeded = false;
    try {
      const result = await check();
      succeeded = result !== null && result !== undefined;
      if (succeeded) await this.succeeded(scope, claim.rows);
      else await this.failed(scope, wanted);
      return succeeded ? result : null;
    } finally {
      if (!succeeded) for (const row of claim.rows) if (row.locked) this.logger.warn({ scope, key: row.key, failures: row.failures }, 'Sign-in locked');
      await this.pruneNowAndThen();
    }
  }

  /** Keys that lock someone out, or make them wait, now: the longest waits first. */
  async locks(): Promise<ThrottleLock[]> {
    const rows = await runPrepared<LockRow>(
      this.dataSource.manager,
      sql`SELECT scope, key, failures, CASE WHEN locked_until > now() THEN locked_until END AS locked_until, greatest(next_allowed_at, coalesce(locked_until, next_allowed_at)) AS allowed_from, last_failure_at,
                 ceil(extract(epoch FROM greatest(next_allowed_at, coalesce(locked_until, next_allowed_at)) - now()))::int AS wait
          FROM sign_in_throttle
          WHERE locked_until > now() OR next_allowed_at > now()
          ORDER BY allowed_from DESC, scope, key
          LIMIT ${MAX_LISTED}`,
    );
    return rows.map(toLock);
  }

  /** Ends a lock (or wait) now; `by` is who did it, for the log. NotFound if nothing was held. */
  async clear(scope: unknown, key: unknown, by?: string): Promise<ThrottleLock> {
    const errors = [
      ...(isThrottleScope(scope) ? [] : [{ field: 'scope', reason: `must be one of ${THROTTLE_SCOPES.join(', ')}` }]),
      ...(isThrottleKey(key) ? [] : [{ field: 'key', reason: `must be account:<e-mail address> or address:<client address>, at most 400 characters` }]),
    ];
    if (errors.length) throw new ValidationFailed(errors);
    const [row] = await runPrepared<LockRow>(
      this.dataSource.manager,
      sql`DELETE FROM sign_in_throttle WHERE scope = ${scope} AND key = ${key}
          RETURNING scope, key, failures, CASE WHEN locked_until > now() THEN locked_until END AS locked_until, greatest(next_allowed_at, coalesce(locked_until, next_allowed_at)) AS allowed_from, last_failure_at,
                    greatest(0, ceil(extract(epoch FROM greatest(next_allowed_at, coalesce(locked_until, next_allowed_at)) - now())))::int AS wait`,
    );
    if (!row) throw new NotFound('That sign-in lock');
    const cleared = toLock(row);
    this.logger.warn({ scope, key, failures: row.failures, wasLocked: cleared.lockedUntil !== null, by: by ?? null }, 'Sign-in lock cleared');
    return cleared;
  }

  /** Clears every count against an account (all scopes), say when an administrator resets its password. */
  async clearAccount(email: string, by?: string): Promise<number> {
    const key = accountKey(email);
    const rows = await runPrepared<{ scope: string }>(this.dataSource.manager, sql`DELETE FROM sign_in_throttle WHERE key = ${key} RETURNING scope`);
    if (rows.length) this.logger.warn({ key, scopes: rows.map((r) => r.scope), by: by ?? null }, 'Sign-in lock cleared');
    return rows.length;
  }

  private checkedKeys(scope: ThrottleScope, keys: readonly ThrottleKey[]): ThrottleKey[] {
    // A programming error, not the caller's input: keys are built by accountKey and addressKey.
    if (!isThrottleScope(scope)) throw new Error(`Unknown throttle scope ${String(scope)}`);
    const bad = keys.filter((k) => !isThrottleKey(k));
    if (bad.length || keys.length === 0) throw new Error(`Throttle keys must be account:... or address:...; got ${JSON.stringify(keys)}`);
    // Sorted, so that every claim locks rows in the same order and two claims never deadlock.
    return [...new Set(keys)].sort();
  }

  /**
   * Counts the attempt against every key, or against none if any of them must wait: the upsert
   * locks each row and re-reads it, so the check "may it try now?" and the count are one step.
   */
  private async claim(scope: ThrottleScope, keys: ThrottleKey[]): Promise<{ rows: ClaimedRow[] } | { retryAfterSeconds: number }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const rows = await runPrepared<ClaimedRow>(
        runner.manager,
        sql`WITH x AS (
              SELECT * FROM jsonb_to_recordset(${JSON.stringify(policyRows(keys))}::jsonb) AS x(key text, schedule int[], lim int, lock_seconds int, leak_seconds int)
            )
            INSERT INTO sign_in_throttle AS t (scope, key, failures, next_allowed_at, locked_until, last_failure_at)
            SELECT ${scope}, x.key, 1, clock_timestamp() + make_interval(secs => x.schedule[1]),
                   CASE WHEN 1 >= x.lim THEN clock_timestamp() + make_interval(secs => x.lock_seconds) END, clock_timestamp()
            FROM x ORDER BY x.key
            ON CONFLICT (scope, key) DO UPDATE SET
              (failures, next_allowed_at, locked_until, last_failure_at) = (
                SELECT n.f, clock_timestamp() + make_interval(secs => x.schedule[least(n.f, cardinality(x.schedule))]),
                       CASE WHEN n.f >= x.lim THEN clock_timestamp() + make_interval(secs => x.lock_seconds) END, clock_timestamp()
                FROM x, LATERAL (
                  SELECT 1 + greatest(0, t.failures - coalesce(floor(greatest(0, extract(epoch FROM clock_timestamp() - t.last_failure_at)) / x.leak_seconds)::int, 0)) AS f
                ) n
                WHERE x.key = EXCLUDED.key)
            -- The clock, not now() (the transaction's start): an attempt that waited for a parallel
            -- one's row lock began before that one set the row, and must read neither its "not
            -- before now" as a wait nor its failure time as time gone backwards.
            WHERE clock_timestamp() >= t.next_allowed_at AND (t.locked_until IS NULL OR t.locked_until <= clock_timestamp())
            RETURNING t.key, t.failures, t.locked_until IS NOT NULL AS locked`,
      );
      if (rows.length === keys.length) {
        await runner.commitTransaction();
        return { rows };
      }
      // Read while this transaction still holds the rows, then take back the counts it made.
      const [held] = await runPrepared<{ wait: number | null }>(
        runner.manager,
        sql`SELECT max(ceil(extract(epoch FROM greatest(next_allowed_at, coalesce(locked_until, next_allowed_at)) - now())))::int AS wait
            FROM sign_in_throttle WHERE scope = ${scope} AND key = ANY(${keys}::text[])
              AND (next_allowed_at > now() OR locked_until > now())`,
      );
      await runner.rollbackTransaction();
      return { retryAfterSeconds: Math.max(1, held?.wait ?? 1) };
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  /**
   * The account is trusted again. The address keeps its count less this attempt; and if no other
   * attempt was claimed since, the wait or lock this claim set is taken back too, so a success
   * never holds back the next person at that address.
   */
  private async succeeded(scope: ThrottleScope, claimed: ClaimedRow[]): Promise<void> {
    const accounts = claimed.filter((r) => kindOf(r.key) === 'account').map((r) => r.key);
    const addresses = claimed.filter((r) => kindOf(r.key) === 'address');
    const gone = await runPrepared<{ key: string; failures: number }>(
      this.dataSource.manager,
      sql`WITH addresses AS (
            UPDATE sign_in_throttle t
            SET failures = greatest(t.failures - 1, 0),
                locked_until = CASE WHEN t.failures = c.failures THEN NULL ELSE t.locked_until END,
                next_allowed_at = CASE WHEN t.failures = c.failures THEN least(t.next_allowed_at, now()) ELSE t.next_allowed_at END
            FROM unnest(${addresses.map((r) => r.key)}::text[], ${addresses.map((r) => r.failures)}::int[]) AS c(key, failures)
            WHERE t.scope = ${scope} AND t.key = c.key
          )
          DELETE FROM sign_in_throttle WHERE scope = ${scope} AND key = ANY(${accounts}::text[]) RETURNING key, failures`,
    );
    for (const row of gone) {
      // The count includes this attempt; many failures and then a success may be a guessed password.
      const failedBefore = row.failures - 1;
      if (failedBefore >= THROTTLE_POLICIES.account.free) this.logger.warn({ scope, key: row.key, failedBefore }, 'Sign-in succeeded after many failed attempts');
    }
  }

  /** Remembers which accounts each address failed against, and logs an address trying many. */
  private async failed(scope: ThrottleScope, keys: ThrottleKey[]): Promise<void> {
    const account = keys.find((k) => kindOf(k) === 'account');
    const address = keys.find((k) => kindOf(k) === 'address');
    if (!account || !address) return;
    // Every part of one statement sees the table as it was before it: `again` is whether this
    // account had already failed from this address within the hour.
    const [row] = await runPrepared<{ accounts: number; again: boolean }>(
      this.dataSource.manager,
      sql`WITH seen AS (
            INSERT INTO sign_in_failed_accounts (scope, address, account, failed_at) VALUES (${scope}, ${address}, ${account}, now())
            ON CONFLICT (scope, address, account) DO UPDATE SET failed_at = now()
          ), recent AS (
            SELECT account FROM sign_in_failed_accounts WHERE scope = ${scope} AND address = ${address} AND failed_at > now() - interval '1 hour'
          )
          SELECT (count(*) FILTER (WHERE account <> ${account}))::int + 1 AS accounts, bool_or(account = ${account}) IS TRUE AS again FROM recent`,
    );
    const accounts = row?.accounts ?? 1;
    // When a new account brings the number to the threshold or a further multiple of it: not at every failure.
    if (!row?.again && accounts >= SPRAY_WARNING_ACCOUNTS && accounts % SPRAY_WARNING_ACCOUNTS === 0) {
      this.logger.warn({ scope, key: address, accounts, withinMinutes: 60 }, 'Unusual sign-in pattern: one address failing against many accounts');
    }
  }

  /**
   * Rows that hold nobody back and whose counts have leaked away (a day covers every policy) are
   * removed now and then, so guesses at made-up addresses do not pile up.
   */
  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruned < PRUNE_EVERY_MS) return;
    this.lastPruned = Date.now();
    try {
      await prune(this.dataSource.manager);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Could not remove old sign-in attempts');
    }
  }
}

async function prune(manager: EntityManager): Promise<void> {
  await runPrepared(
    manager,
    sql`DELETE FROM sign_in_throttle WHERE ctid IN (
          SELECT ctid FROM sign_in_throttle
          WHERE last_failure_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now()) AND next_allowed_at < now()
          LIMIT ${PRUNE_BATCH})`,
  );
  await runPrepared(
    manager,
    sql`DELETE FROM sign_in_failed_accounts WHERE ctid IN (SELECT ctid FROM sign_in_failed_accounts WHERE failed_at < now() - interval '1 day' LIMIT ${PRUNE_BATCH})`,
  );
}

function toLock(row: LockRow): ThrottleLock {
  return {
    scope: row.scope,
    key: row.key,
    kind: kindOf(row.key)!,
    subject: row.key.slice(row.key.indexOf(':') + 1),
    failures: row.failures,
    lockedUntil: row.locked_until ? row.locked_until.toISOString() : null,
    allowedFrom: row.allowed_from.toISOString(),
    lastFailureAt: row.last_failure_at ? row.last_failure_at.toISOString() : null,
    retryAfterSeconds: Math.max(0, row.wait),
  };
}
