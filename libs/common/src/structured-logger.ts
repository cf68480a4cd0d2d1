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
