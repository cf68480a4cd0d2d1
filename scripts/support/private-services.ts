import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

/**
 * Servers of a test's or benchmark's own, for what must stop PostgreSQL or Redis: the machine's
 * shared ones are never stopped. Kept here, not in test/support (which re-exports it), because
 * the build compiles scripts and not tests. Each lives in a temporary folder and on a free port,
 * and is removed at the end.
 */

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A redis-server of its own; stop() and start() again keep the port (data is not kept). */
export class PrivateRedis {
  private child?: ChildProcess;
  port = 0;

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
      stdio: 'ignore',
    });
    await until(`redis-server on ${this.port}`, async () => {
      const client = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    });
    return this;
  }

  /** Stops the server at once (SIGKILL): an outage, not a tidy shutdown. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  get running(): boolean {
    return !!this.child;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
}

const PG_BIN = (() => {
  const found = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  return found || '/usr/lib/postgresql/15/bin';
})();

/**
 * A PostgreSQL cluster of its own (initdb in a temporary folder, trust authentication),
 * run as the postgres user when run as root (PostgreSQL refuses to run as root).
 */
export class PrivatePostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cc-bench-pg-'));
  private readonly dataDir = join(this.dir, 'data');
  port = 0;

  private run(args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    const command = asRoot ? 'runuser' : args[0];
    const argv = asRoot ? ['-u', 'postgres', '--', ...args] : args.slice(1);
    const result = spawnSync(command, argv, { encoding: 'utf8', cwd: this.dir });
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }

  /** Creates the cluster and starts it. */
  async init(): Promise<this> {
    this.port = await freePort();
    chmodSync(this.dir, 0o777);
    this.run([`${PG_BIN}/initdb`, '-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await this.start();
    return this;
  }

  async start(): Promise<void> {
    this.run([
      `${PG_BIN}/pg_ctl`,
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      '-w',
      'start',
    ]);
    await until(`PostgreSQL on ${this.port}`, async () => {
      const client = new Client({ connectionString: this.serverUrl });
      await client.connect();
      await client.end();
      return true;
    });
  }

  /** Stops the server now (fast shutdown: sessions are ended, as in a real outage or restart). */
  async stop(): Promise<void> {
    this.run([`${PG_BIN}/pg_ctl`, '-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  /** The server's URL (its `postgres` database), for createScratchDatabase. */
  get serverUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async destroy(): Promise<void> {
    try {
      this.run([`${PG_BIN}/pg_ctl`, '-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
