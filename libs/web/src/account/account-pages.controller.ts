import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DomainError, FieldError, TooManyAttempts, ValidationFailed } from '@cc/common';
import { AccountPasswords, AuthService, PASSWORD_MIN_LENGTH, RESET_LINK_MINUTES, SIGN_IN_STEPS } from '@cc/identity';
import { Renderer } from '../renderer';
import { CurrentSession, OpenPage, PRE_SESSION_COOKIE, PageDuringStep, SESSION_COOKIE, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { cookieOptions } from '../sign-in/sign-in.controller';
import { PageSignInSteps } from '../sign-in/sign-in-steps.page';

type Form = Record<string, string | undefined>;

const FIELD_IDS = { currentPassword: 'current-password', newPassword: 'new-password', email: 'email', token: 'new-password' };

/** Errors beside the fields, without the field's name in front (the reasons are whole sentences). */
const fieldErrorsOf = (errors: FieldError[]) => errorView(errors, FIELD_IDS, false);

/**
 * A person's own account: change the password, sign out on every device, and (before signing in)
 * the forgotten-password journey. The pages call the same services as the API.
 */
@WebPages()
export class AccountPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly auth: AuthService,
    private readonly passwords: AccountPasswords,
    private readonly steps: PageSignInSteps,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('account')
  overview(@CurrentSession() session: WebSession, @Query('changed') changed: string | undefined, @Res() reply: FastifyReply): void {
    sendPage(reply, this.renderer.render('account/account.njk', pageContext(session, { passwordChanged: changed === 'password' })));
  }

  @Get('account/password')
  passwordForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    this.renderPassword(reply, session, 'account/change-password.njk');
  }

  @Post('account/password')
  async changePassword(@CurrentSession() session: WebSession, @Req() req: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    try {
      const generation = await this.passwords.change(session.caller, form.currentPassword ?? '', form.newPassword ?? '', req.ip);
      // Every session ended with the old password, this one too: carry on in a new one.
      await this.steps.restart(session, generation, reply, '/account?changed=password');
    } catch (err) {
      if (!(err instanceof ValidationFailed) && !(err instanceof TooManyAttempts)) throw err;
      this.renderPassword(reply, session, 'account/change-password.njk', err, err instanceof TooManyAttempts ? 429 : 400);
    }
  }

  /** First sign-in with a temporary password: a new one before anything else. */
  @Get('account/new-password')
  @PageDuringStep('change-password')
  newPasswordForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    if (session.pendingStep !== 'change-password') return redirect(reply, '/account/password');
    this.renderPassword(reply, session, 'account/new-password.njk');
  }

  @Post('account/new-password')
  @PageDuringStep('change-password')
  async setNewPassword(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    if (session.pendingStep !== 'change-password') return redirect(reply, '/account/password');
    try {
      await this.passwords.replaceTemporary(session.caller.userId, form.newPassword ?? '');
      await this.steps.finish(session, 'change-password', reply);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      this.renderPassword(reply, session, 'account/new-password.njk', err, 400);
    }
  }

  @Post('account/sign-out-everywhere')
  @PageDuringStep(...SIGN_IN_STEPS)
  async signOutEverywhere(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    await this.auth.signOutEverywhere(session.caller.userId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    redirect(reply, '/sign-in?signedOut=everywhere');
  }

  @Get('sign-in/forgotten-password')
  @OpenPage()
  forgottenForm(@Res() reply: FastifyReply): void {
    this.renderOpen(reply, 'account/forgotten-password.njk', {});
  }

  @Post('sign-in/forgotten-password')
  @OpenPage()
  async requestReset(@Req() req: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const email = (form.email ?? '').trim();
    try {
      await this.passwords.requestReset(email, req.ip);
    } catch (err) {
      if (err instanceof TooManyAttempts) reply.header('retry-after', String(err.retryAfterSeconds));
      if (err instanceof ValidationFailed || err instanceof TooManyAttempts) {
        return this.renderOpen(reply, 'account/forgotten-password.njk', { email, ...this.errorsOf(err) }, err instanceof TooManyAttempts ? 429 : 400);
      }
      throw err;
    }
    // The same page whether or not the address has an account.
    this.renderOpen(reply, 'account/reset-link-sent.njk', { email, minutes: RESET_LINK_MINUTES });
  }

  @Get('reset-password')
  @OpenPage()
  resetForm(@Query('token') token: string | undefined, @Res() reply: FastifyReply): void {
    // The token is in the address: no other site may be told it in a Referer header.
    reply.header('referrer-policy', 'no-referrer');
    this.renderOpen(reply, 'account/reset-password.njk', { token: typeof token === 'string' ? token.slice(0, 200) : '' });
  }

  @Post('reset-password')
  @OpenPage()
  async completeReset(@Req() req: FastifyRequest & WebRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    reply.header('referrer-policy', 'no-referrer');
    try {
      await this.passwords.completeReset(form.token ?? '', form.newPassword ?? '', req.ip);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const expired = err.errors.some((e) => e.field === 'token');
      return this.renderOpen(reply, expired ? 'account/reset-link-expired.njk' : 'account/reset-password.njk', { token: form.token, ...this.errorsOf(err) }, 400);
    }
    // Any session this browser had ended with the old password.
    if (req.cookies[SESSION_COOKIE]) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    redirect(reply, '/sign-in?signedOut=reset');
  }

  private errorsOf(err: DomainError) {
    return err instanceof ValidationFailed ? fieldErrorsOf(err.errors) : { errorList: [{ text: err.message, href: '#email' }] };
  }

  private renderPassword(reply: FastifyReply, session: WebSession, view: string, err?: DomainError, status = 200): void {
    sendPage(reply, this.renderer.render(view, pageContext(session, { minLength: PASSWORD_MIN_LENGTH, ...(err ? this.errorsOf(err) : {}) })), status);
  }

  /**
   * A page open to anyone. Signed out, its form's CSRF token goes in a cookie, as on the sign-in
   * page; signed in (a reset link opened in a signed-in browser), the session's token serves.
   */
  private renderOpen(reply: FastifyReply, view: string, context: Record<string, unknown>, status = 200): void {
    const session = (reply.request as FastifyRequest & WebRequest).webSession;
    let csrfToken = session?.csrfToken;
    if (!csrfToken) {
      csrfToken = randomBytes(24).toString('base64url');
      reply.setCookie(PRE_SESSION_COOKIE, csrfToken, { ...cookieOptions(this.config), maxAge: 60 * 60 });
    }
    sendPage(reply, this.renderer.render(view, { ...pageContext(session), minLength: PASSWORD_MIN_LENGTH, ...context, csrfToken }), status);
  }
}
