import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden } from '@cc/common';
import type { Role } from '@cc/workflows';
import type { SignInStep } from '@cc/identity';
import { SignInRequired, StepRequired } from './sign-in-required';
import { WebSession, WebSessions, tokensEqual } from './web-sessions.service';

export const SESSION_COOKIE = 'cc_session';
export const PRE_SESSION_COOKIE = 'cc_csrf';

const WEB_ROLES = 'web:roles';
const WEB_OPEN = 'web:open';
const WEB_MULTIPART = 'web:multipart';
const WEB_DURING_STEP = 'web:during-step';
/** Pages that open while a sign-in step is still to do (the step's own pages, signing out). */
export const PageDuringStep = (...steps: SignInStep[]) => SetMetadata(WEB_DURING_STEP, steps);
/** Where each sign-in step is done; any other page sends the person there until it is. */
export const STEP_PAGES: Record<SignInStep, string> = {
  'second-factor': '/sign-in/two-factor',
  'change-password': '/account/new-password',
  'set-up-two-factor': '/account/two-factor/set-up',
};
/** Pages for some roles only. */
export const PageRoles = (...roles: Role[]) => SetMetadata(WEB_ROLES, roles);
/** Pages anyone may open (sign-in, public statistics). */
export const OpenPage = () => SetMetadata(WEB_OPEN, true);
/**
 * A file upload form. Its body is streamed after the guard has run, so the guard cannot read the
 * CSRF token: the handler must check it, sent as the form's first field, before reading any file.
 */
export const MultipartForm = () => SetMetadata(WEB_MULTIPART, true);

export interface WebRequest {
  webSession?: WebSession;
  caller?: WebSession['caller'];
  cookies: Record<string, string | undefined>;
  body?: unknown;
}

export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): WebSession => ctx.switchToHttp().getRequest().webSession);

/**
 * The pages' guard: finds the session from the cookie, checks the role, and checks the CSRF token
 * on every POST (the session's token, or before sign-in the token in the pre-session cookie).
 */
@Injectable()
export class WebAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<FastifyRequest & WebRequest>();
    const resumed = await this.sessions.resume(request.cookies[SESSION_COOKIE]);
    const open = this.reflector.getAllAndOverride<boolean>(WEB_OPEN, targets);
    // Half signed in (a second factor or a new password still to come): the step's own pages see
    // the session; open pages see nobody; every other page sends the person to the step.
    const step = resumed?.pendingStep;
    const stepAllows = !step || (this.reflector.getAllAndOverride<SignInStep[] | undefined>(WEB_DURING_STEP, targets) ?? []).includes(step);
    if (step && !stepAllows && !open) throw new StepRequired(STEP_PAGES[step]);
    const session = stepAllows ? resumed : null;
    if (session) {
      request.webSession = session;
      request.caller = session.caller;
    }
    const isPost = request.method !== 'GET' && request.method !== 'HEAD';
    // A form sent after the session lapsed: the person is asked to sign in again (and told why),
    // rather than shown a refusal. Nothing of the form is used, so the CSRF check can wait.
    if (isPost && !session && !open) throw new SignInRequired();
    const submitted = csrfFrom(request);
    const checkedByHandler = this.reflector.getAllAndOverride<boolean>(WEB_MULTIPART, targets) && request.isMultipart();
    if (isPost && !checkedByHandler) {
      const expected = session?.csrfToken ?? request.cookies[PRE_SESSION_COOKIE];
      if (!expected || !tokensEqual(expected, submitted)) {
        throw new Forbidden('CSRF_TOKEN_INVALID', 'This form has expired or did not come from this service. Go back, reload the page and submit it again.');
      }
    }
    if (open) return true;
    if (!session) throw new SignInRequired();
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(WEB_ROLES, targets);
    if (roles && !roles.includes(session.caller.role)) throw new Forbidden('ROLE_NOT_ALLOWED', 'This page is for other roles.');
    return true;
  }
}

function csrfFrom(request: FastifyRequest & WebRequest): unknown {
  const body = request.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && '_csrf' in body) {
    const v = body._csrf;
    // Multipart fields arrive as objects with a value.
    return typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
  }
  return request.headers['x-csrf-token'];
}
