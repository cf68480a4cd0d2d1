import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DomainError } from '@cc/common';
import { InboundMailbox, MAX_INBOUND_BYTES } from '../receive/inbound-mailbox';
import { ImapSettings, readImapUrl } from './imap-settings';

/** Longest wait for connecting, for the greeting, and for any one command. */
const COMMAND_TIMEOUT_MS = 30_000;
/** Longest wait for the database to store one message; after it the pass ends and the next one tries again. */
const ACCEPT_TIMEOUT_MS = 20_000;
/** Put on a message that will never be stored (too big, empty), so it is left for a person and not fetched again. */
export const NOT_TAKEN_KEYWORD = '$CcNotTaken';

export interface ImapPollerStatus {
  passes: number;
  /** Passes in a row that failed (the server unreachable, the database away); 0 after one that worked. */
  consecutiveFailures: number;
  lastError: string | null;
  /** Messages stored (new or already had) by this process. */
  stored: number;
}

/**
 * Polls an IMAP mailbox for replies when INBOUND_IMAP_URL is set, every INBOUND_IMAP_INTERVAL_MS.
 *
 * Each pass signs in, takes every message in the mailbox not marked \Deleted (seen or not: a person
 * opening the mailbox must not make a reply be skipped, and everything taken leaves the mailbox), one at a
 * time: fetch, InboundMailbox.accept, and only after that resolves mark it \Seen and move it to the
 * "filed" folder (or delete it). A pass stopped anywhere (the worker stopping, the connection lost, the
 * database away) leaves every message not yet stored in the mailbox; one stored but not yet moved is
 * fetched again next time and recognised by its Message-ID. So nothing is lost and nothing is stored twice.
 * Every network step is bounded; a failed pass is logged and the next one runs on schedule.
 */
@Injectable()
export class ImapPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImapPoller.name);
  private settings?: ImapSettings;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private client?: ImapFlow;
  private stopping = false;
  readonly status: ImapPollerStatus = { passes: 0, consecutiveFailures: 0, lastError: null, stored: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailbox: InboundMailbox,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.INBOUND_IMAP_URL) return;
    this.settings = readImapUrl(this.config.INBOUND_IMAP_URL);
    const { host, port, mailbox, filed } = this.settings;
    this.logger.log({ host, port, mailbox, filed: filed === 'delete' ? 'delete' : filed.moveTo, intervalMs: this.config.INBOUND_IMAP_INTERVAL_MS }, 'Polling an IMAP mailbox for replies');
    this.schedule(0);
  }

  /** Stops after the message in hand (stored and filed, or left in the mailbox), within the shutdown bound. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), this.config.WORKER_SHUTDOWN_TIMEOUT_MS)));
    if ((await Promise.race([this.running, late])) === 'late') this.client?.close();
    clearTimeout(timer);
    await this.running;
  }

  private schedule(inMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .then(
          () => {
            this.status.consecutiveFailures = 0;
            this.status.lastError = null;
          },
          (err: unknown) => {
            this.status.consecutiveFailures++;
            this.status.lastError = err instanceof Error ? err.message : String(err);
            this.logger.warn(
              { err: this.status.lastError, failuresInARow: this.status.consecutiveFailures, retryInMs: this.config.INBOUND_IMAP_INTERVAL_MS },
              'IMAP poll failed; messages not yet stored stay in the mailbox and are tried again on the next poll',
            );
          },
        )
        .finally(() => {
          this.status.passes++;
          this.running = undefined;
          this.client = undefined;
          this.schedule(this.config.INBOUND_IMAP_INTERVAL_MS);
        });
    }, inMs);
  }

  private async pass(): Promise<void> {
    const s = this.settings!;
    const client = new ImapFlow({
      host: s.host,
      port: s.port,
      secure: s.secure,
      auth: { user: s.user, pass: s.password },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: COMMAND_TIMEOUT_MS,
      greetingTimeout: COMMAND_TIMEOUT_MS,
      socketTimeout: COMMAND_TIMEOUT_MS * 2,
      // A message over our limit is never fetched whole (its size is asked first); this bounds a bad server.
      maxLiteralSize: MAX_INBOUND_BYTES + 1024 * 1024,
    });
    // Without a listener an 'error' event would end the process; the failing command rejects as well.
    client.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'IMAP connection error'));
    this.client = client;
    const bounded = <T>(what: string, promise: Promise<T>): Promise<T> => withTimeout(promise, COMMAND_TIMEOUT_MS, `IMAP ${what}`, () => client.close());
    try {
      await bounded('connect', client.connect());
      if (s.filed !== 'delete') await this.ensureFolder(client, s.filed.moveTo, bounded);
      const lock = await bounded('open mailbox', client.getMailboxLock(s.mailbox));
      try {
        const uids = (await bounded('search', client.search({ deleted: false, unKeyword: NOT_TAKEN_KEYWORD }, { uid: true }))) || [];
        for (const uid of [...uids].sort((a, b) => a - b)) {
          if (this.stopping) break;
          await this.takeOne(client, uid, bounded);
        }
      } finally {
        lock.release();
      }
      await bounded('logout', client.logout());
    } finally {
      client.close();
    }
  }

  private async takeOne(client: ImapFlow, uid: number, bounded: <T>(what: string, p: Promise<T>) => Promise<T>): Promise<void> {
    const s = this.settings!;
    const range = String(uid);
    const meta = await bounded('fetch size', client.fetchOne(range, { uid: true, size: true }, { uid: true }));
    if (!meta) return; // gone since the search (another poller took it)
    if ((meta.size ?? 0) > MAX_INBOUND_BYTES) return this.leaveForAPerson(client, range, `larger than ${MAX_INBOUND_BYTES} bytes`, bounded);
    const message = await bounded('fetch message', client.fetchOne(range, { uid: true, source: true }, { uid: true }));
    if (!message || !message.source) return;
    let stored: { id: string; duplicate: boolean };
    try {
      stored = await withTimeout(this.mailbox.accept(message.source, { transport: 'imap', envelopeTo: deliveredTo(message.source) }), ACCEPT_TIMEOUT_MS, 'storing the message');
    } catch (err) {
      if (err instanceof DomainError && (err.kind === 'tooLarge' || err.kind === 'invalid')) return this.leaveForAPerson(client, range, err.message, bounded);
      throw err;
    }
    this.status.stored++;
    // Only now that it is stored does it leave the mailbox.
    await bounded('mark seen', client.messageFlagsAdd(range, ['\\Seen'], { uid: true }));
    if (s.filed === 'delete') await bounded('delete', client.messageDelete(range, { uid: true }));
    else await bounded('move', client.messageMove(range, s.filed.moveTo, { uid: true }));
    this.logger.log({ inboundMailId: stored.id, duplicate: stored.duplicate, uid }, 'IMAP message stored and filed');
  }

  private async leaveForAPerson(client: ImapFlow, range: string, why: string, bounded: <T>(what: string, p: Promise<T>) => Promise<T>): Promise<void> {
    await bounded('mark not taken', client.messageFlagsAdd(range, ['\\Seen', '\\Flagged', NOT_TAKEN_KEYWORD], { uid: true }));
    this.logger.warn({ uid: Number(range), why }, `IMAP message not taken (${why}); left in the mailbox, flagged, for a person to look at`);
  }

  private async ensureFolder(client: ImapFlow, folder: string, bounded: <T>(what: string, p: Promise<T>) => Promise<T>): Promise<void> {
    const folders = await bounded('list', client.list());
    if (folders.some((f) => f.path === folder)) return;
    await bounded('create folder', client.mailboxCreate(folder));
  }
}

/** Delivered-To / X-Original-To / Envelope-To: what a mail server records of the envelope recipient when it files a message. */
function deliveredTo(raw: Buffer): string[] | undefined {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 256 * 1024)).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const found = [...head.matchAll(/^(?:delivered-to|x-original-to|envelope-to):\s*(.+)$/gim)].map((m) => m[1].trim().replace(/^<(.*)>$/, '$1')).filter(Boolean);
  return found.length ? found : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} took longer than ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
