import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, DomainError, NOT_AN_OBJECT_REASON, NUL_REASON, SURROGATE_REASON, TOO_DEEP_REASON, TooManyAttempts, ValidationFailed, HTTP_STATUS_OF, isDatabaseUnavailable, logDatabaseUnavailable } from '@cc/common';
import type { WebRequest } from './web-auth.guard';
import { pageContext } from './page';
import { Renderer } from './renderer';
import { SignInRequired, StepRequired } from './sign-in-required';


const TITLES: Record<number, { title: string; advice: string }> = {
  400: { title: 'Something in the request was not right', advice: 'Go back, check what you entered and try again.' },
  403: { title: 'You cannot do that', advice: 'Your account does not allow this. If you think it should, ask an administrator.' },
  404: { title: 'Page not found', advice: 'If you typed the web address, check it is correct. If you followed a link to a case, it may belong to another organisation.' },
  409: { title: 'That cannot be done now', advice: 'The case may have moved on. Open the case again to see what you can do now.' },
  429: { title: 'Too many tries', advice: 'For your security, wait a while before you try again.' },
  500: { title: 'Sorry, there is a problem with the service', advice: 'Try again later. What you entered has not been saved.' },
  // The database is away for a moment (a restart, a failover): nothing is wrong with what they did.
  503: {
    title: 'Sorry, the service is briefly unavailable',
    advice: 'Please try again in a minute. What you entered may not have been saved, so check it is there before you enter it again.',
  },
};

/**
 * A refusal that reached no form's own error messages (the checks every request passes), in words
 * for the person: the API's wording names fields and characters by their codes.
 */
function inWords(error: ValidationFailed): string | undefined {
  if (error.errors.some((e) => e.reason === NUL_REASON || e.reason === SURROGATE_REASON)) {
    return 'Something you entered has a character we cannot store: an invisible control character, or part of an emoji or symbol that was cut in half when it was copied. Type that part again instead of pasting it, then send the form again.';
  }
  if (error.errors.some((e) => e.reason === TOO_DEEP_REASON || e.reason === NOT_AN_OBJECT_REASON)) {
    return 'The form was sent in a shape this service does not understand. Go back, reload the page and fill it in again.';
  }
  return undefined;
}

/**
 * Errors on the pages become pages: a sign-in redirect, or an error page that says what to do
 * next. (Forms catch their own validation errors and show them beside the fields.)
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(WebErrorFilter.name);

  constructor(private readonly renderer: Renderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest & WebRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.originalUrl ?? request.url)}` : '';
      reply.status(303).header('location', `/sign-in${next}`).send();
      return;
    }
    if (error instanceof StepRequired) {
      reply.status(303).header('location', error.page).send();
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logDatabaseUnavailable(this.logger, error, request);
      reply
        .status(503)
        .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(this.renderer.render('error.njk', pageContext(request.webSession, { ...TITLES[503], status: 503 })));
      return;
    }
    const status =
      error instanceof DomainError
        ? HTTP_STATUS_OF[error.kind]
        : error instanceof HttpException
          ? error.getStatus()
          : 500;
    if (status >= 500) this.logger.error({ err: error instanceof Error ? error.stack : String(error), url: request.url }, 'Page failed');
    const known = TITLES[status] ?? TITLES[status >= 500 ? 500 : 400];
    const detail = error instanceof ValidationFailed ? inWords(error) : error instanceof DomainError && status < 500 ? error.message : undefined;
    if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds));
    reply
      .status(status === 401 ? 403 : status)
      .type('text/html; charset=utf-8')
      .send(this.renderer.render('error.njk', pageContext(request.webSession, { ...known, detail, status })));
  }
}
