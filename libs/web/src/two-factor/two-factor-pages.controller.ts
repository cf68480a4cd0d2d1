import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Conflict, DomainError, TooManyAttempts, ValidationFailed } from '@cc/common';
import { RECOVERY_CODE_COUNT, SETUP_LAPSES_MINUTES, TwoFactor, TwoFactorSetup } from '@cc/identity';
import { Renderer } from '../renderer';
import { CurrentSession, PageDuringStep } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { PageSignInSteps } from '../sign-in/sign-in-steps.page';

type Form = Record<string, string | undefined>;

/** Set on a half-signed-in session when its own code confirmed the setup: that code was its second factor. */
const CONFIRMED_HERE = 'twoFactorConfirmedHere';

const WRONG_CODE = 'That code is not right. Enter the code your authenticator app shows now. If it has just changed, wait for the next one.';
const WRONG_RECOVERY_CODE = 'That recovery code is not right, or it has been used already. Each recovery code works once.';

/**
 * Two-factor sign-in in the browser: the code after the password, setting it up (a QR code to
 * scan, or the key to type in, then a code to confirm, then the recovery codes shown once), and
 * turning it off (not for administrators, who must use it).
 */
@WebPages()
export class TwoFactorPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly twoFactor: TwoFactor,
    private readonly sessions: WebSessions,
    private readonly steps: PageSignInSteps,
  ) {}

  @Get('sign-in/two-factor')
  @PageDuringStep('second-factor')
  codeForm(@CurrentSession() session: WebSession, @Query('recovery') recovery: string | undefined, @Res() reply: FastifyReply): void {
    if (session.pendingStep !== 'second-factor') return redirect(reply, '/');
    this.renderCode(reply, session, recovery === '1');
  }

  @Post('sign-in/two-factor')
  @PageDuringStep('second-factor')
  async checkCode(@CurrentSession() session: WebSession, @Req() req: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    if (session.pendingStep !== 'second-factor') return redirect(reply, '/');
    const recovery = form.recovery === '1';
    const code = (form.code ?? '').trim().slice(0, 64);
    if (!code) return this.renderCode(reply, session, recovery, recovery ? 'Enter one of your recovery codes' : 'Enter the 6-digit code from your authenticator app', 400);
    let ok: boolean;
    try {
      ok = await this.twoFactor.verify(session.caller.userId, code, req.ip);
    } catch (err) {
      if (!(err instanceof TooManyAttempts)) throw err;
      reply.header('retry-after', String(err.retryAfterSeconds));
      return this.renderCode(reply, session, recovery, err.message, 429);
    }
    if (!ok) return this.renderCode(reply, session, recovery, recovery ? WRONG_RECOVERY_CODE : WRONG_CODE, 401);
    await this.steps.finish(session, 'second-factor', reply);
  }

  @Get('account/two-factor')
  async settings(@CurrentSession() session: WebSession, @Query('changed') changed: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const status = await this.twoFactor.status(session.caller.userId);
    const flash = changed === 'on' ? 'Two-factor sign-in is on. You will need a code from your app each time you sign in.' : changed === 'off' ? 'Two-factor sign-in is off.' : undefined;
    sendPage(reply, this.renderer.render('two-factor/settings.njk', pageContext(session, { title: 'Two-factor sign-in', currentPath: '/account', status, flash, recoveryCodeCount: RECOVERY_CODE_COUNT })));
  }

  @Get('account/two-factor/set-up')
  @PageDuringStep('set-up-two-factor')
  async setUpForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const status = await this.twoFactor.status(session.caller.userId);
    if (status.enabled) return this.afterSetUp(session, reply);
    const setup = (await this.twoFactor.setupInProgress(session.caller.userId)) ?? (await this.twoFactor.beginSetup(session.caller.userId));
    this.renderSetUp(reply, session, setup, status.required);
  }

  @Post('account/two-factor/set-up')
  @PageDuringStep('set-up-two-factor')
  async confirm(@CurrentSession() session: WebSession, @Req() req: FastifyRequest, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const userId = session.caller.userId;
    const status = await this.twoFactor.status(userId);
    if (status.enabled) return this.afterSetUp(session, reply);
    const code = (form.code ?? '').trim().slice(0, 64);
    let codes: string[];
    try {
      if (!code) throw new ValidationFailed([{ field: 'code', reason: 'Enter the 6-digit code from your authenticator app' }]);
      codes = await this.twoFactor.confirmSetup(userId, code, req.ip);
    } catch (err) {
      if (!(err instanceof DomainError) || !(err instanceof ValidationFailed || err instanceof Conflict || err instanceof TooManyAttempts)) throw err;
      if (err instanceof TooManyAttempts) reply.header('retry-after', String(err.retryAfterSeconds));
      // A lapsed setup: a new key to scan, said plainly.
      const lapsed = err instanceof Conflict;
      const setup = (!lapsed && (await this.twoFactor.setupInProgress(userId))) || (await this.twoFactor.beginSetup(userId));
      const message = lapsed
        ? `The code to scan had expired (it lasts ${SETUP_LAPSES_MINUTES} minutes). Here is a new one: remove the old entry from your app, scan this one, then enter its code.`
        : err instanceof TooManyAttempts
          ? err.message
          : code
            ? 'That code is not right. Check your app shows a code for Compact Cases, and that the time on your phone is set automatically, then enter the code it shows now.'
            : 'Enter the 6-digit code from your authenticator app';
      return this.renderSetUp(reply, session, setup, status.required, message, err instanceof TooManyAttempts ? 429 : 400);
    }
    if (session.pendingStep === 'set-up-two-factor') await this.sessions.setData(session, CONFIRMED_HERE, true);
    // Shown in this answer only: the codes are kept nowhere but as hashes, so a reload cannot show them again.
    sendPage(
      reply,
      this.renderer.render('two-factor/recovery-codes.njk', pageContext(session, { title: 'Save your recovery codes', currentPath: '/account', codes, required: status.required, inStep: session.pendingStep === 'set-up-two-factor' })),
    );
  }

  @Post('account/two-factor/set-up/done')
  @PageDuringStep('set-up-two-factor')
  async setUpDone(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    await this.afterSetUp(session, reply);
  }

  @Get('account/two-factor/turn-off')
  async turnOffForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const status = await this.twoFactor.status(session.caller.userId);
    if (!status.enabled) return redirect(reply, '/account/two-factor');
    sendPage(reply, this.renderer.render('two-factor/turn-off.njk', pageContext(session, { title: 'Turn off two-factor sign-in', currentPath: '/account', status })));
  }

  @Post('account/two-factor/turn-off')
  async turnOff(@CurrentSession() session: WebSession, @Req() req: FastifyRequest, @Body() form: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    const status = await this.twoFactor.status(session.caller.userId);
    if (status.required) {
      return sendPage(reply, this.renderer.render('two-factor/turn-off.njk', pageContext(session, { title: 'Turn off two-factor sign-in', currentPath: '/account', status })), 403);
    }
    try {
      await this.twoFactor.turnOff(session.caller.userId, form.code ?? '', req.ip);
    } catch (err) {
      if (!(err instanceof ValidationFailed) && !(err instanceof TooManyAttempts)) throw err;
      const errors = err instanceof ValidationFailed ? err.errors : [{ field: 'code', reason: err.message }];
      const view = errorView(errors, { code: 'code' }, false);
      return sendPage(reply, this.renderer.render('two-factor/turn-off.njk', pageContext(session, { title: 'Turn off two-factor sign-in', currentPath: '/account', status, ...view })), err instanceof TooManyAttempts ? 429 : 400);
    }
    redirect(reply, '/account/two-factor?changed=off');
  }

  /**
   * Two-factor sign-in is on. A half-signed-in session whose own code turned it on has shown its
   * second factor; any other (say, the password alone while the person set it up elsewhere) must
   * now give a code like any sign-in.
   */
  private async afterSetUp(session: WebSession, reply: FastifyReply): Promise<void> {
    if (session.pendingStep !== 'set-up-two-factor') return redirect(reply, '/account/two-factor?changed=on');
    await this.steps.finish(session, session.data[CONFIRMED_HERE] === true ? 'second-factor' : 'set-up-two-factor', reply);
  }

  private renderCode(reply: FastifyReply, session: WebSession, recovery: boolean, error?: string, status = 200): void {
    const errors = error ? { errorList: [{ text: error, href: '#code' }], fieldErrors: { code: { text: error } } } : {};
    sendPage(reply, this.renderer.render('two-factor/sign-in.njk', pageContext(session, { title: recovery ? 'Enter a recovery code' : 'Enter the code from your app', recovery, ...errors })), status);
  }

  private renderSetUp(reply: FastifyReply, session: WebSession, setup: TwoFactorSetup, required: boolean, error?: string, status = 200): void {
    const errors = error ? { errorList: [{ text: error, href: '#code' }], fieldErrors: { code: { text: error } } } : {};
    sendPage(
      reply,
      this.renderer.render(
        'two-factor/set-up.njk',
        pageContext(session, { title: 'Set up two-factor sign-in', currentPath: '/account', setup, required, inStep: session.pendingStep === 'set-up-two-factor', lapseMinutes: SETUP_LAPSES_MINUTES, ...errors }),
      ),
      status,
    );
  }
}
