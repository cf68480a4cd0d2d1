import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError, HTTP_STATUS_OF } from './domain-error';

interface ErrorBody {
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
    const body = this.toBody(exception);
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, body.statusCode);
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
