import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, HTTP_STATUS_OF, TooManyAttempts } from './domain-error';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailability, describeDatabaseError } from './database-unavailable';
import { databaseRefusal } from './database-refusals';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: unknown;
  [detail: string]: unknown;
}

/** The one place where errors become HTTP answers: `{ statusCode, code, message, ...details }`. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const outage = databaseUnavailability(exception);
    if (outage) {
      const request = http.getRequest<RequestSummary>();
      logDatabaseUnavailable(this.logger, exception, request);
      const response = http.getResponse();
      this.adapterHost.httpAdapter.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      this.adapterHost.httpAdapter.reply(response, databaseUnavailableBody(outage), 503);
      return;
    }
    const body = this.toBody(exception);
    if (exception instanceof TooManyAttempts) this.adapterHost.httpAdapter.setHeader(http.getResponse(), 'Retry-After', String(exception.retryAfterSeconds));
    this.adapterHost.httpAdapter.reply(http.getResponse(), body, body.statusCode);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: HTTP_STATUS_OF[exception.kind], code: exception.code, message: exception.message, ...exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      return { statusCode, code: statusCode === 404 ? 'ROUTE_NOT_FOUND' : `HTTP_${statusCode}`, message };
    }
    // A value PostgreSQL refused (a reference to no row, a date that does not exist) is the request's fault.
    const refused = databaseRefusal(exception);
    if (refused) {
      this.logger.warn({ err: exception }, 'Database refused a value the request sent; answered 400');
      return this.toBody(refused);
    }
    // Errors the HTTP layer raises while reading the body (too large, not JSON) carry a status.
    const raised = exception as { statusCode?: number; status?: number; code?: string };
    const status = raised?.statusCode ?? raised?.status;
    if (status === 413) {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large; the limit is 256 kB. Attach documents separately.' };
    }
    if (status === 400 || status === 415) {
      return { statusCode: status, code: 'MALFORMED_BODY', message: 'The body could not be read; send a JSON object with Content-Type: application/json.' };
    }
    this.logger.error({ err: exception }, 'Unhandled error');
    return {
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side. Check whether your change took effect before trying again; if this keeps happening, tell support the time it happened.',
    };
  }
}

/**
 * What a client is told while PostgreSQL cannot be reached. It must be true: a request that never
 * got a connection wrote nothing, so sending it again is safe; one whose connection broke while it
 * ran may have been committed just before, so the client should look before sending it again.
 */
export function databaseUnavailableBody(outage: 'unreachable' | 'interrupted'): ErrorBody {
  return {
    statusCode: 503,
    code: 'SERVICE_UNAVAILABLE',
    message:
      outage === 'unreachable'
        ? 'The service is briefly unavailable: its database is not answering. Please try again in a few seconds; nothing was changed, so sending the same request again is safe.'
        : 'The service is briefly unavailable: its connection to the database broke while your request was being handled. Please try again in a few seconds; if you were changing something, read it back first, as the change may have been saved just before the break (a case event sent with If-Match cannot be applied twice).',
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  };
}

/**
 * One structured warning per request that met an outage: it is expected while the database is
 * away, and the request log line beside it carries the 503.
 */
export function logDatabaseUnavailable(logger: Logger, error: unknown, request: RequestSummary | undefined): void {
  // originalUrl: the address as sent (the pages' URLs are rewritten before routing).
  const url = request?.originalUrl ?? request?.url;
  logger.warn({ reqId: request?.id, method: request?.method, url, database: describeDatabaseError(error) }, 'Database unavailable; answered 503');
}

/** The parts of a Fastify request the warning names. */
interface RequestSummary {
  id?: string;
  method?: string;
  url?: string;
  originalUrl?: string;
}
