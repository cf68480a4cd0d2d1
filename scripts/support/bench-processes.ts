import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** The built entry points (this file is compiled to dist/scripts/support/). */
const DIST = join(__dirname, '..', '..');
export const WORKER_MAIN = join(DIST, 'apps', 'worker', 'src', 'main.js');
export const API_MAIN = join(DIST, 'apps', 'api', 'src', 'main.js');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const LOG_REPEAT_WINDOW_MS = 10_000;

/**
 * A child's log lines (pino JSON), prefixed with its name and kept readable: the same message is
 * printed at most once per 10 s (with how often it came meanwhile), and every message is counted,
 * so a summary can say e.g. how often e-mails were requeued.
 */
export class LogDigest {
  readonly counts = new Map<string, number>();
  private readonly lastPrinted = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly name: string) {}

  follow(stream: Readable | null): void {
    if (!stream) return;
    createInterface({ input: stream }).on('line', (line) => this.line(line));
  }

  /** Whether the last head line (a line not continuing a stack trace) was printed. */
  private printingBlock = false;

  private line(line: string): void {
    // A multi-line message (an error with its stack) is counted once, by its first line, and its
    // other lines are shown only when that first line was.
    if (/^(\s|}|])/.test(line)) {
      if (this.printingBlock) process.stdout.write(`  [${this.name}] ${line.slice(0, 400)}\n`);
      return;
    }
    let key = line.slice(0, 120);
    try {
      const parsed = JSON.parse(line) as { level?: number; msg?: string; err?: string | { message?: string } };
      const err = typeof parsed.err === 'string' ? parsed.err : parsed.err?.message;
      if (parsed.msg) key = `${levelName(parsed.level)} ${parsed.msg}${err ? ` (${err.split('\n')[0].slice(0, 100)})` : ''}`;
    } catch {
      // not JSON: keyed by its start
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const now = Date.now();
    const last = this.lastPrinted.get(key);
    if (last && now - last.at < LOG_REPEAT_WINDOW_MS) {
      last.suppressed++;
      this.printingBlock = false;
      return;
    }
    this.printingBlock = true;
    const repeated = last?.suppressed ? ` (and ${last.suppressed} more like it in the last ${Math.round((now - last.at) / 1000)} s)` : '';
    this.lastPrinted.set(key, { at: now, suppressed: 0 });
    process.stdout.write(`  [${this.name}] ${line.length > 400 ? `${line.slice(0, 400)}...` : line}${repeated}\n`);
  }

  /** The messages seen, most frequent first. */
  summary(limit = 8): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, n]) => `${String(n).padStart(6)} x ${key}`);
  }
}

function levelName(level: number | undefined): string {
  return level === undefined ? '' : ({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[level] ?? String(level);
}

/** A child process of the benchmark's, with a record of how it ended. */
export class BenchProcess {
  exited: { code: number | null; signal: NodeJS.Signals | null; at: number } | null = null;
  /** Set when the benchmark itself stops it, so an exit is not reported as a crash. */
  stopping = false;
  readonly log: LogDigest;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.log = new LogDigest(name);
    this.log.follow(child.stdout);
    this.log.follow(child.stderr);
    child.once('exit', (code, signal) => {
      this.exited = { code, signal, at: Date.now() };
      if (!this.stopping) process.stdout.write(`[bench] !! ${name} (pid ${child.pid}) exited by itself: code ${code}, signal ${signal}\n`);
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** SIGTERM, then SIGKILL if it has not gone within the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    if (!this.alive) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

function spawnNode(name: string, main: string, env: Record<string, string>): BenchProcess {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, NODE_ENV: 'production', AUTH_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new BenchProcess(name, child);
}

/**
 * The worker as production runs it: `node dist/apps/worker/src/main.js`. PGAPPNAME names its
 * connections in pg_stat_activity (pg reads it when the code sets no application_name).
 */
export function spawnWorker(env: Record<string, string>): BenchProcess {
  return spawnNode('worker', WORKER_MAIN, { PGAPPNAME: 'cc-bench-worker', ...env });
}

/** The API in its own process, healthy before this resolves. */
export async function spawnApi(port: number, env: Record<string, string>): Promise<BenchProcess> {
  const api = spawnNode('api', API_MAIN, { PGAPPNAME: 'cc-bench-api', PORT: String(port), API_PROCESSES: '1', ...env });
  for (let i = 0; i < 150; i++) {
    if (!api.alive) throw new Error(`The API exited while starting (code ${api.exited?.code})`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return api;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  await api.stop();
  throw new Error('The API did not become healthy within 30 s');
}

export interface HttpAnswer {
  status: number;
  body: any;
  ms: number;
  error?: string;
}

/**
 * A JSON client over node:http with keep-alive and no timeouts of its own but the one given (the
 * global fetch gives up on headers after 300 s, which would hide how long a request really hung).
 */
export class JsonClient {
  private readonly agent: Agent;

  constructor(
    readonly port: number,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(method: string, path: string, token: string | undefined, body: unknown, timeoutMs = 60_000): Promise<HttpAnswer> {
    const started = performance.now();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve) => {
      let settled = false;
      const done = (answer: Omit<HttpAnswer, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...answer, ms: performance.now() - started });
      };
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON
            }
            done({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', (err) => done({ status: 0, body: undefined, error: err.message }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('error', (err) => done({ status: 0, body: undefined, error: err.message }));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
