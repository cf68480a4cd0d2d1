import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { EvidenceFromMail } from '@cc/evidence';
import { InboundMailbox } from '../receive/inbound-mailbox';
import { ProcessInboundMail } from './process-inbound-mail';

/** The longest pause between two looks at the table when nothing is waiting. */
const MAX_IDLE_MS = 2_000;
/** The longest pause after failures in a row (the database away). */
const MAX_BACKOFF_MS = 10_000;
/** Staged attachments older than this were left by a worker that stopped half way (one message takes seconds). */
const STALE_STAGING_MS = 60 * 60 * 1000;

/**
 * Runs the processing in the worker: looks at the table every RELAY_INTERVAL_MS (at most every
 * two seconds when idle), and at once when this process stored a message. On shutdown it stops
 * taking messages and waits for the one in hand; one interrupted outright is taken again later.
 */
@Injectable()
export class InboundMailLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InboundMailLoop.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = false;
  /** Failed looks in a row (the database away): each waits longer, and only some are logged. */
  private failures = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly processing: ProcessInboundMail,
    private readonly mailbox: InboundMailbox,
    private readonly evidence: EvidenceFromMail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.mailbox.onArrival(() => this.wake());
    this.evidence.sweepStaging(STALE_STAGING_MS).catch((err: unknown) => this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'Could not sweep staged attachments'));
    this.schedule(0);
  }

  /** Before the database closes: the message in hand is finished (or, cut off, stays received). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick();
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.busy = true;
    let took = 0;
    try {
      // One message at a time until none is ready, stopping between messages when asked to.
      while (!this.stopped && (await this.processing.processNext())) took++;
      if (this.failures) this.logger.log({ afterFailures: this.failures }, 'Received e-mails can be looked at again');
      this.failures = 0;
    } catch (err) {
      this.failures++;
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.logger.error({ err: err instanceof Error ? err.message : String(err), failures: this.failures }, 'Looking for received e-mails failed; will try again. Check that PostgreSQL is reachable.');
      }
    } finally {
      this.busy = false;
    }
    const idle = Math.min(MAX_IDLE_MS, Math.max(this.config.RELAY_INTERVAL_MS, 10));
    const next = this.failures ? Math.min(MAX_BACKOFF_MS, idle * 2 ** Math.min(this.failures, 10)) : this.again || took > 0 ? 0 : idle;
    this.again = false;
    this.schedule(next);
  }
}
