import { Get, Post, Res } from '@nestjs/common';
import { UuidParam } from '@cc/common';
import type { FastifyReply } from 'fastify';
import { ManageUsers, TwoFactor } from '@cc/identity';
import { humanise, Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash } from '../admin/admin-page';

/** How a 404 names an account asked for by id (as the account service does). */
const USER = (id: string) => `User ${id}`;

/** An administrator resets someone's two-factor sign-in (a lost phone, no recovery codes left), after saying what it does. */
@WebPages('admin')
@PageRoles('administrator')
export class TwoFactorAdminPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly users: ManageUsers,
    private readonly twoFactor: TwoFactor,
  ) {}

  @Get('users/:id/two-factor/reset')
  async confirmReset(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const status = await this.twoFactor.status(id);
    sendPage(
      reply,
      this.renderer.render(
        'two-factor/admin-reset.njk',
        pageContext(session, { title: `Reset ${user.displayName}’s two-factor sign-in`, currentPath: '/admin/users', account: { ...user, roleLabel: humanise(user.role), self: id === session.user.id }, status }),
      ),
    );
  }

  @Post('users/:id/two-factor/reset')
  async reset(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    await this.twoFactor.resetFor(session.caller, id);
    const then =
      user.role === 'administrator'
        ? 'They must set it up again the next time they sign in.'
        : 'They can sign in with their password alone, and set it up again from their account page.';
    await setFlash(this.sessions, session, `${user.displayName}’s two-factor sign-in is reset. ${then}`);
    redirect(reply, `/admin/users/${id}#two-factor`);
  }
}
