import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  raw: string;
  /** The envelope's recipients (RCPT TO): who the message really goes to, whatever its headers say. */
  rcpt: string[];
}

/**
 * A real SMTP server for tests (the smtp-server package): records every accepted message, can
 * be stopped and started again on the same port, and can slow down each message.
 */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;
  delayMs = 0;
  /** Messages whose content has arrived and whose answer is still to come (the server is "thinking"). */
  onTheWire = 0;
  /** An SMTP reply code to refuse a recipient with (e.g. 550 permanent, 450 temporary); undefined accepts. */
  refuse: (to: string) => number | undefined = () => undefined;

  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const code = this.refuse(address.address);
        if (code === undefined) return callback();
        callback(Object.assign(new Error(code >= 500 ? 'No such mailbox here' : 'Mailbox busy, try again later'), { responseCode: code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const header = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
          this.onTheWire++;
          setTimeout(() => {
            this.onTheWire--;
            const rcpt = session.envelope.rcptTo.map((r) => r.address);
            this.received.push({ messageId: header('Message-ID'), to: header('To'), subject: header('Subject'), raw, rcpt });
            callback(null, `queued as ${this.received.length}`);
          }, this.delayMs);
        });
      },
    });
    // A client killed mid-message resets its connection; that is the scenario, not a failure.
    this.server.on('error', () => undefined);
    this.server.listen(port, '127.0.0.1');
    await once(this.server.server, 'listening');
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages per Message-ID, to see duplicates. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }
}
