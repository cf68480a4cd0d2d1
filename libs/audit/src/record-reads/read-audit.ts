import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { describeDatabaseError, isDatabaseUnavailable } from '@cc/common';
import type { Caller } from '@cc/identity';
import { PATH_MAX_LENGTH, ReadEntry, classifyRequest, isAudited, storableText } from './read-entry';
import { ReadAuditStore, StampedEntry } from './read-audit.store';

/** How long an entry may wait for others to share its statement. */
export const FLUSH_INTERVAL_MS = 250;
/** Entries written by one statement; a full batch is written at once rather than on the timer. */
export const BATCH_SIZE = 500;
/**
 * Entries kept while the database cannot take them (a restart, an outage): about 10 MB, several
 * minutes of a busy office's reads. Beyond it new entries are dropped, and the count is logged.
 */
export const MAX_BUFFERED = 50_000;
/** The longest wait between attempts while the database is away. */
export const MAX_RETRY_DELAY_MS = 5_000;
/** How long shutting down waits for the last entries to be written. */
export const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Every staff read of a case, and every request an administrator makes, recorded without the
 * request waiting for it or failing with it. `record` only puts the entry in memory; entries are
 * written together, one statement per batch, every FLUSH_INTERVAL_MS or as soon as BATCH_SIZE are
 * waiting. A write that fails because the database is away is tried again with a growing delay,
 * entries kept in order meanwhile (up to MAX_BUFFERED); a batch the database refuses for what is
 * in it is split until the one entry it refuses is found, logged and set aside, so one bad entry
 * never holds up the rest. What is waiting is written when the application closes.
 *
 * A connection broken after the database committed a batch but before it said so makes that
 * batch be written twice: a read recorded twice is harmless, a read not recorded is not.
 */
@Injectable()
export class ReadAudit implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadAudit');
  private buffer: StampedEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerDelay = 0;
  /** The write under way, if any (it never rejects: its failure is handled where it runs). */
  private writing: Promise<void> | undefined;
  private failures = 0;
  private droppedSinceReport = 0;
  private lastDropReport = 0;
  private closed = false;
  /**
   * READ_AUDIT=off turns recording off, for the benchmarks alone (they measure what recording
   * costs by running without it). Not in the configuration schema on purpose: no deployment
   * setting offers it, and it says so in the log whenever it is used.
   */
  readonly enabled = process.env.READ_AUDIT !== 'off';

  constructor(private readonly store: ReadAuditStore) {
    if (!this.enabled) this.logger.warn({ READ_AUDIT: 'off' }, 'Read auditing is OFF (READ_AUDIT=off): staff reads are not recorded. For benchmarks only.');
  }

  /** Entries waiting to be written. */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * The one call the HTTP hook makes once a response has gone: administrators' every request,
   * and caseworkers' and mediators' reads of a case (see isAudited). `routedUrl` is the URL as routed
   * (pages under /api/web), `originalUrl` the one the client asked for, which is what is kept.
   */
  recordRequest(caller: Caller | undefined, method: string, routedUrl: string, originalUrl: string, status: number): void {
    if (!caller) return;
    const { caseRef, what, via } = classifyRequest(routedUrl);
    if (!isAudited(caller.role, method, caseRef)) return;
    this.record({ userId: caller.userId, role: caller.role, caseRef, what, via, method, path: originalUrl, status });
  }

  /** Records one entry; returns at once and never throws. */
  record(entry: ReadEntry): void {
    if (!this.enabled) return;
    if (this.buffer.length >= MAX_BUFFERED) {
      this.droppedSinceReport++;
      this.reportDropped();
      return;
    }
    this.buffer.push({ ...entry, method: storableText(entry.method, 16), path: storableText(entry.path, PATH_MAX_LENGTH), at: new Date() });
    if (this.closed) return;
    this.schedule(this.nextDelay());
  }

  /** Writes everything recorded so far (for shutdown and tests); rejects if the database cannot take it. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      if (!this.buffer.length) return;
      await this.exclusively(() => this.settle(this.buffer.slice(0, BATCH_SIZE)));
    }
  }

  /** Stops the timer and writes what is waiting, for at most CLOSE_TIMEOUT_MS; what cannot be written is counted in the log. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer.length && !this.writing) return;
    let timeout: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.flush().then(
        () => 'written' as const,
        (err: unknown) => err,
      ),
      new Promise<'late'>((resolve) => (timeout = setTimeout(() => resolve('late'), CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timeout);
    this.reportDropped(true);
    if (outcome !== 'written' && this.buffer.length) {
      this.logger.error({ lost: this.buffer.length, why: outcome === 'late' ? 'timed out' : describeDatabaseError(outcome) }, 'Read audit entries could not be written before shutting down');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private schedule(delayMs: number): void {
    if (this.writing || this.closed) return;
    if (this.timer) {
      // A full batch brings the write forward; a write already due at once stays as it is.
      if (delayMs > 0 || this.timerDelay === 0) return;
      clearTimeout(this.timer);
    }
    this.timerDelay = delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.writing) void this.exclusively(() => this.writeNext());
    }, delayMs);
    // Waiting entries do not keep the process alive: close() writes them.
    this.timer.unref();
  }

  /** A full batch goes at once, unless the database is away: then the retry's delay stands. */
  private nextDelay(): number {
    if (this.failures) return retryDelay(this.failures);
    return this.buffer.length >= BATCH_SIZE ? 0 : FLUSH_INTERVAL_MS;
  }

  /** One write at a time, so two never take the same entries from the front of the buffer. */
  private exclusively(task: () => Promise<void>): Promise<void> {
    const running = task().finally(() => {
      this.writing = undefined;
      if (this.buffer.length) this.schedule(this.nextDelay());
    });
    this.writing = running.catch(() => undefined);
    return running;
  }

  private async writeNext(): Promise<void> {
    const batch = this.buffer.slice(0, BATCH_SIZE);
    if (!batch.length) return;
    try {
      await this.settle(batch);
      if (this.failures) this.logger.log({ after: this.failures, buffered: this.buffer.length }, 'Read audit entries are being written again');
      this.failures = 0;
      this.reportDropped();
    } catch (err) {
      this.failures++;
      // One line per attempt, no stack: while the database is away this repeats every few seconds.
      this.logger.error({ err: describeDatabaseError(err), buffered: this.buffer.length, attempt: this.failures, retryInMs: retryDelay(this.failures) }, 'Could not write read audit entries; will try again');
    }
  }

  /**
   * Writes `entries` (the front of the buffer) and removes them from it. Throws, leaving what is
   * not yet written in the buffer, when the database is away; a refused batch is split in two.
   */
  private async settle(entries: StampedEntry[]): Promise<void> {
    try {
      await this.store.insert(entries);
      this.buffer.splice(0, entries.length);
    } catch (err) {
      if (isDatabaseUnavailable(err)) throw err;
      if (entries.length === 1) {
        const [e] = entries;
        this.logger.error({ err: describeDatabaseError(err), userId: e.userId, method: e.method, path: e.path.slice(0, 200), status: e.status }, 'The database refused a read audit entry; it is set aside');
        this.buffer.splice(0, 1);
        return;
      }
      const half = Math.ceil(entries.length / 2);
      await this.settle(entries.slice(0, half));
      await this.settle(entries.slice(half));
    }
  }

  /** Dropped entries are counted, never silent: one error line a second at most while it lasts. */
  private reportDropped(now = false): void {
    if (!this.droppedSinceReport) return;
    if (!now && Date.now() - this.lastDropReport < 1000) return;
    this.logger.error({ dropped: this.droppedSinceReport, buffered: this.buffer.length, max: MAX_BUFFERED }, 'Read audit buffer full: entries were dropped');
    this.droppedSinceReport = 0;
    this.lastDropReport = Date.now();
  }
}

/** 250 ms, 500 ms, 1 s... up to MAX_RETRY_DELAY_MS. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, FLUSH_INTERVAL_MS * 2 ** Math.max(0, failures - 1));
}
