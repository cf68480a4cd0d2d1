import { Writable } from 'node:stream';
import pino from 'pino';
import { captureConsole } from './structured-logger';

/** A real pino writing into memory, one entry per line it wrote. */
function memoryPino() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('captureConsole', () => {
  const before = { log: console.log, error: console.error, warn: console.warn };
  let restore: (() => void) | undefined;

  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('makes each console call one JSON line: the first line is the message, an Error and a printed stack are fields', () => {
    const { logger, lines, parsed } = memoryPino();
    restore = captureConsole(logger);
    console.log('hello %s', 'world');
    console.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    console.error('[ioredis] Unhandled error event:', new Error('read ECONNRESET').stack);
    console.warn('It is highly recommended to use a minimum Redis version of 6.2.0\n             Current: 5.0.0');
    console.debug({ some: 'object' });
    restore();
    restore = undefined;

    expect(lines).toHaveLength(5);
    const [hello, error, printedStack, warning, debug] = parsed();
    expect(hello).toMatchObject({ level: 30, context: 'console', msg: 'hello world' });
    expect(error).toMatchObject({ level: 50, msg: 'connect ECONNREFUSED 127.0.0.1:6379', err: { type: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:6379' } });
    expect(error.err.stack).toMatch(/^Error: connect ECONNREFUSED[^\n]*\n\s+at /);
    expect(printedStack.msg).toBe('[ioredis] Unhandled error event: Error: read ECONNRESET');
    expect(printedStack.detail).toMatch(/^\s+at /);
    expect(warning).toMatchObject({ level: 40, msg: 'It is highly recommended to use a minimum Redis version of 6.2.0' });
    expect(warning.detail).toMatch(/Current: 5\.0\.0/);
    expect(debug).toMatchObject({ level: 20, msg: "{ some: 'object' }" });
  });

  it('puts the console back when restored, and a second capture replaces the first', () => {
    const first = memoryPino();
    const second = memoryPino();
    captureConsole(first.logger);
    restore = captureConsole(second.logger);
    console.warn('to the second');
    expect(first.lines).toHaveLength(0);
    expect(second.lines).toHaveLength(1);
    restore();
    restore = undefined;
    expect({ log: console.log, error: console.error, warn: console.warn }).toEqual(before);
    expect(process.listenerCount('uncaughtException')).toBe(0);
  });

  it('logs an unhandled rejection as one error line and carries on; an uncaught exception as one fatal line, then exits 1', () => {
    const { logger, parsed } = memoryPino();
    restore = captureConsole(logger);
    process.emit('unhandledRejection', new Error('stray Redis command'), Promise.resolve());
    const exit = process.exit;
    let exitCode: number | string | null | undefined;
    // Standing in for process.exit so the test runner survives; the handler's own call is what is checked.
    process.exit = ((code?: number | string | null) => {
      exitCode = code;
    }) as typeof process.exit;
    try {
      // What Node passes its listeners: the error and where it came from.
      (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', new Error('bug'), 'uncaughtException');
    } finally {
      process.exit = exit;
    }
    const [rejection, uncaught] = parsed();
    expect(rejection).toMatchObject({ level: 50, context: 'process', msg: 'Unhandled promise rejection: stray Redis command', err: { message: 'stray Redis command' } });
    expect(uncaught).toMatchObject({ level: 60, context: 'process', origin: 'uncaughtException', err: { message: 'bug' } });
    expect(exitCode).toBe(1);
  });
});
