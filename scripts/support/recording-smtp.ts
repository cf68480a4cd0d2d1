import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server (the smtp-server package) for the fault benchmarks, after the idea of
 * test/support/test-smtp.ts: it records the Message-ID of every message it accepts (so doubles
 * show), can take `delayMs` before answering each message's DATA, can hold every answer until
 * released (a message is then on the wire: its DATA received, no answer yet), and can be stopped
 * outright (open connections cut, as when a mail server goes away) and started on the same port.
 */
export class RecordingSmtp {
  /** Acceptances per Message-ID. */
  readonly accepted = new Map<string, number>();
  acceptedTotal = 0;
  firstAcceptedAt = 0;
  lastAcceptedAt = 0;
  /** Messages whose DATA has arrived and whose answer has not been given yet. */
  awaitingAnswer = 0;
  /** Mail transactions begun (MAIL FROM) and not yet answered or abandoned. */
  transactionsOpen = 0;
  delayMs = 0;
  port = 0;
  private server?: SMTPServer;
  private readonly sockets = new Set<Socket>();
  private holding = false;
  /** Bumped at every stop, so an answer timed before a stop is never given after it. */
  private generation = 0;
  private readonly held: Array<() => void> = [];

  constructor(delayMs = 0) {
    this.delayMs = delayMs;
  }

  async start(port = this.port): Promise<this> {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1000,
      // Long enough for the slowest answer the scenarios give.
      socketTimeout: 10 * 60_000,
      onMailFrom: (_address, _session, callback) => {
        this.transactionsOpen++;
        callback();
      },
      onData: (stream, _session, callback) => {
        let head = '';
        stream.on('data', (c: Buffer) => {
          if (head.length < 8192) head += c.toString('utf8');
        });
        stream.on('end', () => {
          const messageId = /^Message-ID:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? '?';
          this.awaitingAnswer++;
          const generation = this.generation;
          const answer = () => {
            if (generation !== this.generation) return;
            this.awaitingAnswer--;
            this.transactionsOpen = Math.max(0, this.transactionsOpen - 1);
            this.accepted.set(messageId, (this.accepted.get(messageId) ?? 0) + 1);
            this.acceptedTotal++;
            this.lastAcceptedAt = Date.now();
            if (!this.firstAcceptedAt) this.firstAcceptedAt = this.lastAcceptedAt;
            callback(null, `queued as ${this.acceptedTotal}`);
          };
          setTimeout(() => (this.holding ? this.held.push(answer) : answer()), this.delayMs);
        });
      },
      onClose: () => {
        // A connection gone mid-transaction leaves nothing open behind it.
      },
    });
    // A client that goes away mid-message resets its connection; that is a scenario, not a failure.
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(port, '127.0.0.1');
    await once(server.server, 'listening');
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  /** From now on, answers wait (the messages stay on the wire) until release(). */
  hold(): void {
    this.holding = true;
  }

  /** Answers being held back (their message's delay has passed). */
  get heldCount(): number {
    return this.held.length;
  }

  /** Gives every held answer (250) and stops holding. */
  release(): number {
    this.holding = false;
    const answers = this.held.splice(0);
    for (const answer of answers) answer();
    return answers.length;
  }

  /** Stops listening and cuts every open connection at once. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    this.generation++;
    this.held.splice(0);
    this.holding = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.awaitingAnswer = 0;
    this.transactionsOpen = 0;
    await closed;
  }

  get running(): boolean {
    return !!this.server;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Distinct Message-IDs accepted. */
  get distinct(): number {
    return this.accepted.size;
  }

  /** Message-IDs accepted more than once, and the extra copies. */
  duplicates(): { ids: number; extraCopies: number; examples: string[] } {
    let ids = 0;
    let extraCopies = 0;
    const examples: string[] = [];
    for (const [id, n] of this.accepted) {
      if (n > 1) {
        ids++;
        extraCopies += n - 1;
        if (examples.length < 3) examples.push(`${id} x${n}`);
      }
    }
    return { ids, extraCopies, examples };
  }
}
