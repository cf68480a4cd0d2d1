import { Body, Get, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DomainError, TooManyAttempts } from '@cc/common';
import { AuthService, SIGN_IN_STEPS } from '@cc/identity';
import { Renderer } from '../renderer';
import { CurrentSession, OpenPage, PRE_SESSION_COOKIE, PageDuringStep, SESSION_COOKIE, STEP_PAGES, WebRequest } from '../web-auth.guard';
import { WebSession, WebSessions } from '../web-sessions.service';
import { DRAFT_KEPT_DAYS, ReportDrafts } from '../report/report-drafts.store';
import { WebPages } from '../web-pages.decorator';
import { errorView, pageContext, redirect, safeNext, sendPage } from '../page';

export const HOME_BY_ROLE = { reporter: '/cases', caseworker: '/triage', mediator: '/mediations', administrator: '/cases', respondent: '/cases' } as const;

@WebPages()
export class SignInController {
  private readonly logger = new Logger(SignInController.name);

  constructor(
    private readonly renderer: Renderer,
    private readonly auth: AuthService,
    private readonly sessions: WebSessions,
    private readonly drafts: ReportDrafts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @OpenPage()
  home(@Req() req: FastifyRequest & WebRequest, @Res() reply: FastifyReply): void {
    redirect(reply, req.webSession ? HOME_BY_ROLE[req.webSession.user.role] : '/sign-in');
  }

  @Get('sign-in')
  @OpenPage()
  form(@Req() req: FastifyRequest & WebRequest, @Res() reply: FastifyReply, @Query('next') next?: string, @Query('signedOut') signedOut?: string): void {
    if (req.webSession) return redirect(reply, safeNext(next) ?? HOME_BY_ROLE[req.webSession.user.role]);
    // The cookie outlives its session: when it is still here, the session lapsed (signing out clears it).
    this.renderForm(reply, { next: safeNext(next), signedOut: signedOut === '1' ? true : signedOut === 'everywhere' || signedOut === 'reset' ? signedOut : false, expired: req.cookies[SESSION_COOKIE] !== undefined });
  }

  @Post('sign-in')
  @OpenPage()
  async signIn(@Req() req: FastifyRequest & WebRequest, @Res() reply: FastifyReply, @Body() body: Record<string, string | undefined>): Promise<void> {
    const email = (body.email ?? '').trim();
    const password = body.password ?? '';
    const next = safeNext(body.next);
    const missing = [
      ...(email ? [] : [{ field: 'email', reason: 'Enter your e-mail address' }]),
      ...(password ? [] : [{ field: 'password', reason: 'Enter your password' }]),
    ];
    if (missing.length) return this.renderForm(reply, { email, next, ...errorView(missing, {}, false) }, 400);
    try {
      const { user, generation, step } = await this.auth.authenticate(email, password, req.ip);
      const lapsed = req.cookies[SESSION_COOKIE] !== undefined;
      const token = await this.sessions.start(user.id, generation, step);
      // Sweeping old drafts belongs to no request in particular; a sign-in is a cheap, regular moment (as for sessions).
      await this.drafts.forgetExpired().catch((err: unknown) => this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Could not remove expired report drafts'));
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(this.config));
      reply.clearCookie(PRE_SESSION_COOKIE, { path: '/' });
      const destination = next ?? (lapsed ? await this.whereTheyWere(user) : undefined) ?? HOME_BY_ROLE[user.role];
      if (step) {
        // Where to go once the step is done: kept with the half-finished session.
        const session = await this.sessions.resume(token);
        if (session) await this.sessions.setData(session, AFTER_SIGN_IN, destination);
        return redirect(reply, STEP_PAGES[step]);
      }
      redirect(reply, destination);
    } catch (err) {
      if (err instanceof TooManyAttempts) {
        reply.header('retry-after', String(err.retryAfterSeconds));
        return this.renderForm(reply, { email, next, errorList: [{ text: err.message, href: '#email' }] }, 429);
      }
      if (!(err instanceof DomainError)) throw err;
      this.renderForm(reply, { email, next, errorList: [{ text: err.message, href: '#email' }], fieldErrors: { email: { text: 'Check your e-mail address and password' } } }, 401);
    }
  }

  /**
   * The timeout warning's "Stay signed in": the idle clock starts again. A lapsed session never
   * reaches here (the guard sends it to sign in), so the script knows by the answer not being JSON.
   */
  @Post('session/keep-alive')
  @HttpCode(200)
  @PageDuringStep(...SIGN_IN_STEPS)
  async keepAlive(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const secondsLeft = await this.sessions.touch(session);
    reply.header('cache-control', 'no-store').send({ secondsLeft });
  }

  /** Not an open page: signing out of a session that already lapsed just goes to sign-in, which says so. */
  @Post('sign-out')
  @PageDuringStep(...SIGN_IN_STEPS)
  async signOut(@Req() req: FastifyRequest & WebRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.end(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    redirect(reply, '/sign-in?signedOut=1');
  }

  /** After a timeout, a reporter goes back to the report page they were on, with their answers. */
  private async whereTheyWere(user: { id: string; role: string }): Promise<string | undefined> {
    if (user.role !== 'reporter') return undefined;
    const draft = await this.drafts.get(user.id);
    return Object.keys(draft).length ? (safeNext(draft.lastPage) ?? '/report') : undefined;
  }

  private renderForm(reply: FastifyReply, context: Record<string, unknown>, status = 200): void {
    // Before sign-in there is no session to hold the CSRF token: a cookie holds it, the form repeats it.
    const csrfToken = randomBytes(24).toString('base64url');
    reply.setCookie(PRE_SESSION_COOKIE, csrfToken, { ...cookieOptions(this.config), maxAge: 60 * 60 });
    sendPage(reply, this.renderer.render('sign-in.njk', { ...pageContext(undefined), idleMinutes: this.config.SESSION_IDLE_MINUTES, keptDays: DRAFT_KEPT_DAYS, ...context, csrfToken }), status);
  }
}

/** The session cookie's options: never readable by scripts, not sent by other sites' forms, Secure over https. */
export function cookieOptions(config: AppConfig) {
  const secure = config.COOKIE_SECURE ? config.COOKIE_SECURE === 'true' : config.PUBLIC_BASE_URL.startsWith('https:');
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/' };
}

/** The session data key for where to go once the sign-in steps are done. */
export const AFTER_SIGN_IN = 'afterSignIn';
