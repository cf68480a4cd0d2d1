import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runPrepared, sql } from '@cc/persistence';

/** How often an outcome the database could not take is offered to it again. */
const RECORD_RETRY_MS = 500;
/** While the database stays away, how often the error is logged again (the first failure always is). */
const RECORD_ERROR_EVERY_MS = 10_000;

/**
 * This worker's hold on the e-mails it is sending, and what it knows about them that the database
 * does not yet.
 *
 * - A claim is a lease in this worker's name: renewed every third of EMAIL_CLAIM_TIMEOUT_MS for as
 *   long as the send (and then its record) is in progress, so a slow mail server never makes a live
 *   claim look abandoned. Only a lease nobody renews (a dead worker's) runs out.
 * - A send the server accepted (250) is an outcome this process must not forget: if the database
 *   cannot take the record, the outcome is kept here and offered again until it can, and the lease
 *   is kept with it, so no one sends the message again meanwhile.
 * - After an outage every lease looks expired, live ones too; so this process takes over others'
 *   claims only once it has itself reached the database without a failure for a whole lease,
 *   which gives each live owner several renewals (and record retries) first.
 */
@Injectable()
export class EmailLeases implements OnApplicationBootstrap {
  private readonly logger = new Logger(EmailLeases.name);
  /** Names this worker in the rows it claims (claimed_by). */
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly held = new Set<string>();
  private readonly unrecorded = new Map<string, string>();
  /** Since when the database has answered this process without a failure; undefined while it does not. */
  private reachableSince: number | undefined;
  private lastRecordErrorLogged = 0;
  private renewTimer?: NodeJS.Timeout;
  private recordTimer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get leaseMs(): number {
    return this.config.EMAIL_CLAIM_TIMEOUT_MS;
  }

  onApplicationBootstrap(): void {
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
  }

  /** At shutdown, once no send is in progress: one last try to record what the database has not taken. */
  async stop(): Promise<void> {
    clearInterval(this.renewTimer);
    clearTimeout(this.recordTimer);
    await this.flush();
    if (this.unrecorded.size > 0) {
      this.logger.error(
        { notificationIds: [...this.unrecorded.keys()] },
        'Stopping with e-mails sent but not recorded as sent (the database did not answer); they are still marked sending and will be sent again, with the same Message-ID, after their lease runs out',
      );
    }
  }

  /** The claim is this worker's until released; its lease is renewed meanwhile. */
  hold(notificationId: string): void {
    this.held.add(notificationId);
  }

  release(notificationId: string): void {
    if (!this.unrecorded.has(notificationId)) this.held.delete(notificationId);
  }

  /** Whether this process holds the outcome of a send of this e-mail that the database has not taken yet. */
  holdsOutcomeOf(notificationId: string): boolean {
    return this.unrecorded.has(notificationId);
  }

  /** Whether this process may take over other workers' expired claims now (see the class comment). */
  mayTakeOverExpiredClaims(): boolean {
    return this.reachableSince !== undefined && Date.now() - this.reachableSince >= this.leaseMs;
  }

  /** The database answered (or failed) a call of this worker's; keeps the reachability above true. */
  noteDatabase(ok: boolean): void {
    if (!ok) this.reachableSince = undefined;
    else this.reachableSince ??= Date.now();
  }

  /**
   * Records that the server accepted the message. Resolves once recorded, or once the outcome is
   * safely kept in this process (the database did not answer); never throws.
   */
  async recordSent(notificationId: string, response: string): Promise<void> {
    this.held.add(notificationId);
    try {
      await this.writeSent([{ id: notificationId, response }]);
      this.held.delete(notificationId);
    } catch (err) {
      this.noteDatabase(false);
      this.unrecorded.set(notificationId, response);
      this.logRecordFailure(err);
      this.scheduleFlush();
    }
  }

  private async writeSent(outcomes: Array<{ id: string; response: string }>): Promise<void> {
    await runPrepared(
      this.dataSource.manager,
      sql`UPDATE notifications n
             SET status = 'sent', sent_at = coalesce(n.sent_at, now()), smtp_response = o.response, last_error = NULL, claimed_by = NULL, claimed_until = NULL
            FROM unnest(${outcomes.map((o) => o.id)}::uuid[], ${outcomes.map((o) => o.response.slice(0, 1000))}::text[]) AS o(id, response)
           WHERE n.id = o.id`,
    );
    this.noteDatabase(true);
  }

  private scheduleFlush(): void {
    if (this.recordTimer) return;
    this.recordTimer = setTimeout(() => {
      this.recordTimer = undefined;
      void this.flush().then(() => {
        if (this.unrecorded.size > 0) this.scheduleFlush();
      });
    }, RECORD_RETRY_MS);
  }

  /** Offers every kept outcome to the database once. */
  private async flush(): Promise<void> {
    if (this.unrecorded.size === 0) return;
    const outcomes = [...this.unrecorded].map(([id, response]) => ({ id, response }));
    try {
      await this.writeSent(outcomes);
      for (const { id } of outcomes) {
        this.unrecorded.delete(id);
        this.held.delete(id);
      }
      this.logger.log({ recorded: outcomes.length }, 'Recorded e-mails sent while the database was unreachable');
    } catch (err) {
      this.noteDatabase(false);
      this.logRecordFailure(err);
    }
  }

  private logRecordFailure(err: unknown): void {
    if (Date.now() - this.lastRecordErrorLogged < RECORD_ERROR_EVERY_MS) return;
    this.lastRecordErrorLogged = Date.now();
    this.logger.error(
      { err: err instanceof Error ? err.message : String(err), unrecorded: this.unrecorded.size },
      'Could not record e-mails the mail server accepted; keeping them in this process and trying again (they will not be sent twice)',
    );
  }

  /** Renews the leases this worker holds; with none, still asks the database, to know it answers. */
  private async renew(): Promise<void> {
    try {
      const ids = [...this.held];
      if (ids.length === 0) await runPrepared(this.dataSource.manager, sql`SELECT 1`);
      else
        await runPrepared(
          this.dataSource.manager,
          sql`UPDATE notifications SET claimed_until = now() + ${this.leaseMs} * interval '1 millisecond'
               WHERE id = ANY(${ids}::uuid[]) AND status = 'sending' AND claimed_by = ${this.holder}`,
        );
      this.noteDatabase(true);
      if (this.unrecorded.size > 0) await this.flush();
    } catch {
      this.noteDatabase(false);
    }
  }
}
