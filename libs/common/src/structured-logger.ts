import { format } from 'node:util';
import type { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino } from 'pino';

/** One pino instance per process: JSON lines on stdout, secrets redacted. */
export function createPino(level: string): Pino {
  return pino({
    level,
    redact: ['req.headers.authorization', 'password', '*.password'],
    base: { pid: process.pid },
    // People watching a terminal get readable lines; files and log collectors get JSON.
    ...(process.stdout.isTTY && process.env.NODE_ENV !== 'production' && canLoad('pino-pretty')
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}

function canLoad(module: string): boolean {
  try {
    require.resolve(module);
    return true;
  } catch {
    return false;
  }
}

/**
 * Nest's logger interface over pino, so `new Logger(Context).log({ caseId }, 'Case event applied')`
 * anywhere in the code becomes one structured line: `{ context, caseId, msg }`.
 */
export class StructuredLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]) {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]) {
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest passes the logger's context as the last argument; an optional text may come before it.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const text = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    if (message instanceof Error) this.pino[level]({ context, err: message }, text ?? message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...message }, text);
    else this.pino[level]({ context }, String(message));
  }
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const CONSOLE_LEVELS: Record<ConsoleMethod, 'info' | 'warn' | 'error' | 'debug'> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'debug',
};
let restoreCaptured: (() => void) | undefined;

/**
 * Makes everything a process prints a pino line. Libraries write to the console on their own
 * (ioredis's "Unhandled error event", BullMQ's connection errors, Node's warnings), often with a
 * stack over many lines; a log collector reading JSON lines would split or drop those. Each
 * console call becomes one line: its first line of text is the message, an Error is the `err`
 * field and any further lines (a stack printed as text) are the `detail` field.
 *
 * Also logs an uncaught exception as one fatal line and exits (the process is in an unknown
 * state), and an unhandled rejection as one error line (the process carries on: a stray promise,
 * such as a Redis command during an outage, must not take the API down).
 *
 * Returns a function that puts the console and the process handlers back (for tests). Calling it
 * again replaces the earlier capture.
 */
export function captureConsole(pino: Pino): () => void {
  restoreCaptured?.();
  const log = pino.child({ context: 'console' });
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  let writing = false;
  for (const method of Object.keys(CONSOLE_LEVELS) as ConsoleMethod[]) {
    const original = console[method];
    originals.set(method, original);
    console[method] = (...args: unknown[]) => {
      // A failure inside pino must not loop back through the console it replaced.
      if (writing) return original.apply(console, args);
      writing = true;
      try {
        const level = CONSOLE_LEVELS[method];
        if (!log.isLevelEnabled(level)) return;
        const fields = consoleFields(args);
        if (method === 'trace') fields.detail = [fields.detail, new Error('console.trace').stack?.split('\n').slice(2).join('\n')].filter(Boolean).join('\n');
        const { msg, ...rest } = fields;
        log[level](rest, msg);
      } catch {
        original.apply(console, args);
      } finally {
        writing = false;
      }
    };
  }

  const processLog = pino.child({ context: 'process' });
  const onUncaught = (err: unknown, origin: string) => {
    processLog.fatal({ err, origin }, `Uncaught exception, stopping: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  };
  const onRejection = (reason: unknown) => {
    processLog.error({ err: reason }, `Unhandled promise rejection: ${reason instanceof Error ? reason.message : String(reason)}`);
  };
  // Node prints its own warnings (deprecations, listener leaks) over several lines; log them instead.
  const defaultWarningHandlers = process.listeners('warning');
  const onWarning = (warning: Error) => {
    log.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code, stack: warning.stack } }, warning.message);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  process.removeAllListeners('warning');
  process.on('warning', onWarning);

  const restore = () => {
    for (const [method, original] of originals) console[method] = original;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
    process.off('warning', onWarning);
    for (const handler of defaultWarningHandlers) process.on('warning', handler as (warning: Error) => void);
    if (restoreCaptured === restore) restoreCaptured = undefined;
  };
  restoreCaptured = restore;
  return restore;
}

/** A console call's arguments as pino fields: `msg`, `err` for the first Error, `detail` for extra lines. */
function consoleFields(args: unknown[]): { msg: string; err?: Error; detail?: string; [field: string]: unknown } {
  const err = args.find((a): a is Error => a instanceof Error);
  const rest = args.filter((a) => a !== err);
  // An Error alone still needs a message; its stack goes in `err`, not in the text.
  const text = rest.length ? format(...rest) : err ? err.message : '';
  const [first, ...more] = text.split('\n');
  const fields: { msg: string; err?: Error; detail?: string } = { msg: err && rest.length ? `${first} ${err.message}`.trim() : first };
  if (err) fields.err = err;
  if (more.length) fields.detail = more.join('\n');
  return fields;
}
