/**
 * Recognising "the database is not there" among the errors a request can end with, so that an
 * outage is answered with 503 and "try again shortly" rather than 500 and "something is wrong
 * with us". Only what node-postgres and TypeORM raise when the server cannot be reached, or went
 * away, counts: a query the database refused (a constraint, a trigger, a bad statement) is not an
 * outage and stays what it is.
 */

/**
 * `unreachable`: no connection could be had, so the request never reached the database and
 * nothing it asked for was written. `interrupted`: a connection broke while the request was using
 * it, so a change may have been committed just before the break.
 */
export type DatabaseUnavailability = 'unreachable' | 'interrupted';

/** Socket errors while connecting (node's system error codes). */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** Socket errors on a connection that was open. */
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE']);
/** SQLSTATEs the server sends when it is going away or not yet taking connections. */
const SHUTDOWN_STATES: Record<string, DatabaseUnavailability> = {
  '57P01': 'interrupted', // admin_shutdown: a fast shutdown ends every session
  '57P02': 'interrupted', // crash_shutdown: another backend crashed, every session is ended
  '57P03': 'unreachable', // cannot_connect_now: starting up, shutting down, in recovery
  '53300': 'unreachable', // too_many_connections: refused at connect, like the others
};

/** How deep to look through wrappers (QueryFailedError.driverError, cause, AggregateError.errors). */
const MAX_DEPTH = 4;

/** Whether the error means PostgreSQL could not be reached or went away mid-request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailability(error) !== undefined;
}

/** Which kind of database outage the error is, or undefined when it is not one. */
export function databaseUnavailability(error: unknown, depth = 0): DatabaseUnavailability | undefined {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; message?: unknown; syscall?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';

  if (code && CONNECT_CODES.has(code)) return 'unreachable';
  // A timeout is either the connect that never completed or an open connection gone silent.
  if (code === 'ETIMEDOUT') return e.syscall === 'connect' ? 'unreachable' : 'interrupted';
  // A unix socket that is not there (the server is down) is ENOENT, but so is any missing file.
  if (code === 'ENOENT' && e.syscall === 'connect') return 'unreachable';
  if (code && BROKEN_CODES.has(code)) return 'interrupted';
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return code === '08001' || code === '08004' ? 'unreachable' : 'interrupted';
  if (code && SHUTDOWN_STATES[code]) return SHUTDOWN_STATES[code];

  // node-postgres and pg-pool raise these as plain Errors with no code.
  if (/^timeout exceeded when trying to connect/i.test(message)) return 'unreachable';
  if (/^Connection terminated due to connection timeout/i.test(message)) return 'unreachable';
  if (message === 'timeout expired') return 'unreachable'; // a pg Client's own connectionTimeoutMillis
  if (/^Connection terminated/i.test(message)) return 'interrupted';
  if (/^Client has encountered a connection error and is not queryable/i.test(message)) return 'interrupted';

  for (const inner of [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = databaseUnavailability(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Seconds a client should wait before trying again (the Retry-After header). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** A short description for logs: the code and message of the innermost error that said so. */
export function describeDatabaseError(error: unknown): { code?: string; message: string } {
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  const inner = (e?.driverError ?? error) as { code?: unknown; message?: unknown };
  return {
    code: typeof inner?.code === 'string' ? inner.code : undefined,
    message: typeof inner?.message === 'string' && inner.message ? inner.message : String(error),
  };
}
