import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { AuthService, SignInStep } from '@cc/identity';
import { SESSION_COOKIE, STEP_PAGES } from '../web-auth.guard';
import { WebSession, WebSessions } from '../web-sessions.service';
import { redirect, safeNext } from '../page';
import { AFTER_SIGN_IN, HOME_BY_ROLE, cookieOptions } from './sign-in.controller';

/**
 * The pages' side of the sign-in steps: once a step is done (a second factor checked, a new
 * password set up), the half-finished session is replaced by a new one, for the next step or
 * fully signed in, and the person goes on to the next step's page or where they were going.
 * A new session, not the old one updated: a change of privilege gets a new cookie, and a new
 * password has ended every earlier session anyway.
 */
@Injectable()
export class PageSignInSteps {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async finish(session: WebSession, done: SignInStep, reply: FastifyReply): Promise<void> {
    const { user, generation, step } = await this.auth.afterStep(session.user.id, done);
    const destination = safeNext(session.data[AFTER_SIGN_IN]) ?? HOME_BY_ROLE[user.role];
    await this.sessions.endByHash(session.tokenHash);
    const token = await this.sessions.start(user.id, generation, step);
    if (step) {
      const next = await this.sessions.resume(token);
      if (next) await this.sessions.setData(next, AFTER_SIGN_IN, destination);
    }
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(this.config));
    redirect(reply, step ? STEP_PAGES[step] : destination);
  }

  /** After the person changed their own password (which ended every session): a new, full session. */
  async restart(session: WebSession, generation: number, reply: FastifyReply, to: string): Promise<void> {
    const token = await this.sessions.start(session.user.id, generation, null);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(this.config));
    redirect(reply, to);
  }
}
