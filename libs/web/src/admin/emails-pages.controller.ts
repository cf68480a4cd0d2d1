import { Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FailedEmails } from '@cc/notifications';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from './admin-page';

/** E-mails that could not be delivered, each with a button to send it again; and the queues. */
@WebPages('admin')
@PageRoles('administrator')
export class EmailsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly emails: FailedEmails,
  ) {}

  @Get('emails')
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const failed = await this.emails.list('failed', 200);
    const flash = await takeFlash(this.sessions, session);
    sendPage(reply, this.renderer.render('admin/emails.njk', pageContext(session, { title: 'Failed e-mails', currentPath: '/admin/emails', failed, flash })));
  }

  @Post('emails/:id/retry')
  async retry(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.emails.retry(id);
    await setFlash(this.sessions, session, 'The e-mail is queued to be sent again. If it fails again it will come back to this list.');
    redirect(reply, '/admin/emails');
  }
}
