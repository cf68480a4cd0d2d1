import { hostname } from 'node:os';
import { AddressInfo } from 'node:net';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DomainError } from '@cc/common';
import { ReplyAddresses } from '@cc/notifications';
import { InboundMailbox, MAX_INBOUND_BYTES } from '../receive/inbound-mailbox';

/** Recipients taken per message: a reply goes to one of ours; more than this is not a reply. */
const MAX_RECIPIENTS = 100;
/** Longest wait for the database to take a message before the sender is told to try again (451). */
const ACCEPT_TIMEOUT_MS = 20_000;
/** Connections at once: the mail server in front forwards replies, it does not need many. */
const MAX_CLIENTS = 50;

/**
 * The SMTP receiver for replies, run by the worker when INBOUND_SMTP_URL is set (smtp://host:port),
 * for a mail server that forwards the reply domain to it.
 *
 * - Only recipients at the reply domain are taken (550 for others), so it is never an open relay.
 * - SIZE is announced as MAX_INBOUND_BYTES; a message declared bigger is refused at MAIL FROM and one
 *   that turns out bigger at the end of DATA (552); what is buffered never grows past the limit.
 * - "250" only after InboundMailbox.accept has committed the message. If the database cannot take it
 *   (down, or slower than ACCEPT_TIMEOUT_MS) the answer is 451: the sending server keeps the message
 *   and tries again, and a second arrival of a message that did get stored is recognised by its
 *   Message-ID, so a message is neither lost nor stored twice.
 */
@Injectable()
export class SmtpReceiver implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SmtpReceiver.name);
  private server?: SMTPServer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailbox: InboundMailbox,
    private readonly replyAddresses: ReplyAddresses,
  ) {}

  /** The port it listens on (the one given, or the one the system chose for port 0); null when not running. */
  get port(): number | null {
    const address = this.server?.server.address() as AddressInfo | null | undefined;
    return address?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.INBOUND_SMTP_URL) return;
    const url = new URL(this.config.INBOUND_SMTP_URL);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port);
    const server = new SMTPServer({
      name: hostname(),
      banner: 'Compact Cases reply receiver',
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_INBOUND_BYTES,
      rejectOversized: true,
      maxClients: MAX_CLIENTS,
      socketTimeout: 60_000,
      closeTimeout: Math.min(this.config.WORKER_SHUTDOWN_TIMEOUT_MS, 30_000),
      logger: false,
      onRcptTo: (address, session, callback) => {
        if (!this.replyAddresses.isAtReplyDomain(address.address)) {
          this.logger.warn({ rcptTo: address.address, remote: session.remoteAddress }, 'Inbound SMTP: recipient refused, not at the reply domain');
          return callback(smtpError(550, '5.1.1 No such recipient here: this server takes replies only'));
        }
        if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, '4.5.3 Too many recipients'));
        callback();
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    server.on('error', (err) => this.logger.warn({ err: err.message }, 'Inbound SMTP: connection error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log({ host, port: this.port, replyDomain: this.replyAddresses.replyTo.split('@')[1] }, 'Inbound SMTP receiver listening');
  }

  /** Stops taking connections; messages being received are answered first (up to closeTimeout). */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, answer: (err?: Error | null, message?: string) => void): void {
    // One answer per message, whichever of 'error' and 'end' comes first.
    let answered = false;
    const callback = (err?: Error | null, message?: string) => {
      if (answered) return;
      answered = true;
      answer(err, message);
    };
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      // Past the limit nothing more is kept: the server answers 552 whatever we say.
      if (bytes + chunk.length > MAX_INBOUND_BYTES) {
        bytes = MAX_INBOUND_BYTES + 1;
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
    });
    stream.once('error', (err) => callback(smtpError(451, `4.3.0 Could not read the message (${err.message}); try again later`)));
    stream.once('end', () => {
      if (stream.sizeExceeded || bytes > MAX_INBOUND_BYTES) {
        this.logger.warn({ remote: session.remoteAddress, limit: MAX_INBOUND_BYTES }, 'Inbound SMTP: message refused, too big');
        return callback(smtpError(552, `5.3.4 Message too big: at most ${MAX_INBOUND_BYTES} bytes`));
      }
      const raw = Buffer.concat(chunks, bytes);
      const via = {
        transport: 'smtp' as const,
        envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
        envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      };
      withTimeout(this.mailbox.accept(raw, via), ACCEPT_TIMEOUT_MS).then(
        (stored) => callback(null, `2.0.0 ${stored.duplicate ? 'Already have it' : 'Stored'} as ${stored.id}`),
        (err: unknown) => callback(this.refusal(err, session)),
      );
    });
  }

  private refusal(err: unknown, session: SMTPServerSession): Error {
    if (err instanceof DomainError && err.kind === 'tooLarge') return smtpError(552, `5.3.4 Message too big: at most ${MAX_INBOUND_BYTES} bytes`);
    if (err instanceof DomainError && err.kind === 'invalid') return smtpError(554, `5.6.0 ${err.message}`);
    // Anything else (the database away, a timeout) is temporary: the sender keeps the message and tries again.
    this.logger.error({ err: err instanceof Error ? err.message : String(err), remote: session.remoteAddress }, 'Inbound SMTP: could not store a message; answered 451 so the sender tries again');
    return smtpError(451, '4.3.0 Cannot store the message just now; try again later');
  }
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
