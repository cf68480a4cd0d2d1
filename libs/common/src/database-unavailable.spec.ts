import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Server, Socket, createServer } from 'node:net';
import { Client, DatabaseError, Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { NotFound } from './domain-error';
import { databaseUnavailability, isDatabaseUnavailable } from './database-unavailable';

/** An error as node-postgres builds one from the server's ErrorResponse. */
function serverError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection, as node-postgres raises it', async () => {
    const server = createServer();
    const port = await listening(server);
    await new Promise((resolve) => server.close(resolve));
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres' });
    const error = await client.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    expect(databaseUnavailability(error)).toBe('unreachable');
  });

  it('recognises connect timeouts: a server that never answers, a pool with no free connection', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listening(silent);
    try {
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres', connectionTimeoutMillis: 100 });
      const clientTimeout = await client.connect().catch((err: unknown) => err);
      expect((clientTimeout as Error).message).toBe('timeout expired');
      expect(databaseUnavailability(clientTimeout)).toBe('unreachable');
      // What TypeORM's pool says when a new connection does not come up in time.
      const newConnection = new Pool({ host: '127.0.0.1', port, user: 'postgres', connectionTimeoutMillis: 100 });
      const poolTimeout = await newConnection.query('SELECT 1').catch((err: unknown) => err);
      await newConnection.end();
      expect((poolTimeout as Error).message).toBe('Connection terminated due to connection timeout');
      expect(databaseUnavailability(poolTimeout)).toBe('unreachable');

      // Waiting for one of the pool's connections: its only one is taken by a connect that hangs.
      const pool = new Pool({ host: '127.0.0.1', port, user: 'postgres', max: 1, connectionTimeoutMillis: 200 });
      const first = pool.connect().catch((err: unknown) => err);
      const waiting = await pool.connect().catch((err: unknown) => err);
      expect((waiting as Error).message).toMatch(/^timeout exceeded when trying to connect/);
      expect(databaseUnavailability(waiting)).toBe('unreachable');
      await first;
      await pool.end();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('recognises a connection the server hangs up on', async () => {
    const hangUp = createServer((socket) => socket.destroy());
    const port = await listening(hangUp);
    try {
      const client = new Client({ host: '127.0.0.1', port, user: 'postgres' });
      client.on('error', () => undefined);
      const terminated = await client.connect().catch((err: unknown) => err);
      expect((terminated as Error).message).toMatch(/^Connection terminated/);
      expect(databaseUnavailability(terminated)).toBe('interrupted');
    } finally {
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });

  it('looks inside TypeORM QueryFailedError (driverError), cause chains and AggregateError', () => {
    const shutdown = new QueryFailedError('SELECT 1', [], serverError('57P01', 'terminating connection due to administrator command'));
    expect(databaseUnavailability(shutdown)).toBe('interrupted');
    const terminated = new QueryFailedError('UPDATE cases SET ...', [], new Error('Connection terminated unexpectedly'));
    expect(databaseUnavailability(terminated)).toBe('interrupted');
    expect(isDatabaseUnavailable(new Error('could not load the case', { cause: shutdown }))).toBe(true);
    // Node tries each address of a name (IPv6 and IPv4 for localhost) and reports them together.
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(databaseUnavailability(new AggregateError([refused, refused]))).toBe('unreachable');
  });

  it('knows the SQLSTATEs of a server that is going away or not taking connections', () => {
    expect(databaseUnavailability(serverError('57P02', 'terminating connection because of crash of another server process'))).toBe('interrupted');
    expect(databaseUnavailability(serverError('57P03', 'the database system is shutting down'))).toBe('unreachable');
    expect(databaseUnavailability(serverError('57P03', 'the database system is starting up'))).toBe('unreachable');
    expect(databaseUnavailability(serverError('08006', 'connection failure'))).toBe('interrupted');
    expect(databaseUnavailability(serverError('08001', 'could not connect'))).toBe('unreachable');
    expect(databaseUnavailability(serverError('08P01', 'protocol violation'))).toBe('interrupted');
    expect(databaseUnavailability(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }))).toBe('interrupted');
    expect(databaseUnavailability(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }))).toBe('interrupted');
    expect(databaseUnavailability(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT', syscall: 'connect' }))).toBe('unreachable');
    expect(databaseUnavailability(Object.assign(new Error('connect ENOENT /run/postgresql/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' }))).toBe('unreachable');
  });

  it('leaves alone what the database refused and every other error', async () => {
    expect(isDatabaseUnavailable(new QueryFailedError('INSERT ...', [], serverError('23505', 'duplicate key value violates unique constraint')))).toBe(false);
    expect(isDatabaseUnavailable(new QueryFailedError('SELECT ...', [], serverError('42P01', 'relation "nope" does not exist')))).toBe(false);
    expect(isDatabaseUnavailable(serverError('P0001', 'refused by test'))).toBe(false);
    expect(isDatabaseUnavailable(serverError('57014', 'canceling statement due to statement timeout'))).toBe(false);
    // A missing file is ENOENT too, but not a connect: evidence that is not on disk is no outage.
    expect(isDatabaseUnavailable(await readFile('/nonexistent/evidence.pdf').catch((err: unknown) => err))).toBe(false);
    expect(isDatabaseUnavailable(new NotFound('The case'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection to the SMTP server refused'))).toBe(false);
    for (const value of [undefined, null, 'ECONNREFUSED', 42, {}]) expect(isDatabaseUnavailable(value)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
