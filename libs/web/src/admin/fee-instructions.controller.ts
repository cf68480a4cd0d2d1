import { Body, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FEE_INSTRUCTIONS_MAX, FeeInstructionsStore } from '@cc/cases';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from './admin-page';

/** GET/POST /admin/fee-instructions: the text telling a reporter how, to whom and by when to pay a mediation fee. */
@WebPages('admin')
@PageRoles('administrator')
export class FeeInstructionsController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly instructions: FeeInstructionsStore,
  ) {}

  @Get('fee-instructions')
  async show(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const current = await this.instructions.current();
    await this.page(reply, session, { body: current?.body ?? '' }, await takeFlash(this.sessions, session));
  }

  @Post('fee-instructions')
  async save(@CurrentSession() session: WebSession, @Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const body = typeof form?.body === 'string' ? form.body.replace(/\r\n/g, '\n').trim() : '';
    const error = !body
      ? 'Enter how to pay the mediation fee'
      : body.length > FEE_INSTRUCTIONS_MAX
        ? `How to pay must be ${FEE_INSTRUCTIONS_MAX.toLocaleString('en-GB')} characters or fewer`
        : undefined;
    if (error) return this.page(reply, session, { body: typeof form?.body === 'string' ? form.body : '' }, undefined, error);
    await this.instructions.set(body, session.caller.userId);
    await setFlash(this.sessions, session, 'The payment instructions were saved. Reporters see them once they agree to pay their share of a fee.');
    redirect(reply, '/admin/fee-instructions');
  }

  private async page(reply: FastifyReply, session: WebSession, values: { body: string }, flash?: string, error?: string): Promise<void> {
    const current = await this.instructions.current();
    sendPage(
      reply,
      this.renderer.render(
        'admin/fee-instructions.njk',
        pageContext(session, {
          title: 'How to pay a mediation fee',
          currentPath: '/admin/fee-instructions',
          flash,
          values,
          current,
          maxLength: FEE_INSTRUCTIONS_MAX,
          errorList: error ? [{ text: error, href: '#fee-instructions' }] : undefined,
          fieldError: error ? { text: error } : undefined,
        }),
      ),
      error ? 400 : 200,
    );
  }
}
