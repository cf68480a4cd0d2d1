import { Body, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DomainError, TooManyAttempts, ValidationFailed, isUuid } from '@cc/common';
import { SIGN_IN_LINK_MINUTES, SignInLinks } from '@cc/identity';
import { Renderer } from '../renderer';
import { OpenPage, PRE_SESSION_COOKIE, SESSION_COOKIE, WebRequest } from '../web-auth.guard';
import { WebSessions } from '../web-sessions.service';
import { WebPages } from '../web-pages.decorator';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { HOME_BY_ROLE, cookieOptions } from './sign-in.controller';

/**
 * Signing in by link, for people at public bodies (they have no password): ask for a link, open
 * it, press Continue. Opening a link only shows a page (mail scanners follow links); the button's
 * POST uses it up and starts a normal page session.
 */
@WebPages('sign-in/link')
export class SignInLinkController {
  constructor(
    private readonly renderer: Renderer,
    private readonly links: SignInLinks,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @OpenPage()
  form(@Res() reply: FastifyReply): void {
    this.renderOpen(reply, 'sign-in/link-request.njk', {});
  }

  @Post()
  @OpenPage()
  async request(@Req() req: FastifyRequest, @Body() body: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    const email = (body.email ?? '').trim();
    try {
      await this.links.request(email, req.ip);
    } catch (err) {
      if (err instanceof TooManyAttempts) {
        reply.header('retry-after', String(err.retryAfterSeconds));
        return this.renderOpen(reply, 'sign-in/link-request.njk', { email, errorList: [{ text: err.message, href: '#email' }] }, 429);
      }
      if (err instanceof ValidationFailed) return this.renderOpen(reply, 'sign-in/link-request.njk', { email, ...errorView(err.errors, {}, false) }, 400);
      throw err;
    }
    this.renderOpen(reply, 'sign-in/link-sent.njk', { email, minutes: SIGN_IN_LINK_MINUTES.requested });
  }

  @Get(':token')
  @OpenPage()
  async open(@Param('token') token: string, @Query('case') caseId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    // Only looks: a mail scanner opening the link must not use it up.
    if (!(await this.links.isUsable(token))) return this.renderOpen(reply, 'sign-in/link-expired.njk', {}, 400);
    this.renderOpen(reply, 'sign-in/link-continue.njk', { token, caseId: isUuid(caseId ?? '') ? caseId : null });
  }

  @Post(':token')
  @OpenPage()
  async use(@Req() req: FastifyRequest & WebRequest, @Param('token') token: string, @Query('case') caseId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    let signIn;
    try {
      signIn = await this.links.consume(token, req.ip);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      signIn = null;
    }
    if (!signIn) return this.renderOpen(reply, 'sign-in/link-expired.njk', {}, 400);
    // Whoever was signed in in this browser before is signed out: the link names the person now.
    await this.sessions.end(req.cookies[SESSION_COOKIE]);
    const session = await this.sessions.start(signIn.user.id, signIn.generation, null);
    reply.setCookie(SESSION_COOKIE, session, cookieOptions(this.config));
    reply.clearCookie(PRE_SESSION_COOKIE, { path: '/' });
    // A link from a case's e-mail opens that case (only ever a case page: never a redirect elsewhere;
    // the case page itself decides whether they may see it).
    redirect(reply, isUuid(caseId ?? '') ? `/cases/${caseId}` : HOME_BY_ROLE[signIn.user.role]);
  }

  /** Signed out, the form's CSRF token goes in a cookie as on the sign-in page; signed in, the session's serves. */
  private renderOpen(reply: FastifyReply, view: string, context: Record<string, unknown>, status = 200): void {
    const request = reply.request as FastifyRequest & WebRequest;
    const session = request.webSession;
    let csrfToken = session?.csrfToken;
    if (!csrfToken) {
      // Kept while it lasts: a page in another tab (the request form, the link's Continue) still posts.
      const held = request.cookies[PRE_SESSION_COOKIE];
      csrfToken = held && /^[A-Za-z0-9_-]{32}$/.test(held) ? held : randomBytes(24).toString('base64url');
      reply.setCookie(PRE_SESSION_COOKIE, csrfToken, { ...cookieOptions(this.config), maxAge: 60 * 60 });
    }
    // The link's token must not leak to other sites through the Referer header.
    reply.header('referrer-policy', 'no-referrer');
    sendPage(reply, this.renderer.render(view, { ...pageContext(session), ...context, csrfToken }), status);
  }
}
