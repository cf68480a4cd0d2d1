import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError } from '@cc/common';
import { ManageUsers, USER_ROLES } from '@cc/identity';
import { RegistryQueries } from '@cc/registry';
import { humanise, Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const LABELS: Record<string, string> = { email: 'E-mail address', displayName: 'Name', role: 'Role', organisationId: 'Organisation' };
const ROLE_HINTS: Record<string, string> = {
  reporter: 'Reports breaches for a voluntary or community organisation, and follows its cases',
  caseworker: 'Triages reports and works on cases',
  mediator: 'Sees only the mediations they are appointed to',
  administrator: 'Manages the registry, users and e-mails, and sees everything',
};

/** Accounts: list, add with a temporary password shown once, deactivate and reactivate. */
@WebPages('admin')
@PageRoles('administrator')
export class UsersPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly users: ManageUsers,
    private readonly registry: RegistryQueries,
  ) {}

  @Get('users')
  async list(@CurrentSession() session: WebSession, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, text(q)?.slice(0, 200), { form: {}, flash: await takeFlash(this.sessions, session) });
  }

  @Post('users')
  async add(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const errors: FieldError[] = [];
    if (!text(form.displayName)) errors.push({ field: 'displayName', reason: 'Enter the person’s name' });
    if (!text(form.email)) errors.push({ field: 'email', reason: 'Enter their e-mail address' });
    if (!text(form.role)) errors.push({ field: 'role', reason: 'Select a role' });
    if (form.role === 'reporter' && !text(form.organisationId)) errors.push({ field: 'organisationId', reason: 'Select the organisation a reporter reports for' });
    if (!errors.length) {
      try {
        const created = await this.users.create({ displayName: text(form.displayName), email: text(form.email), role: form.role, organisationId: text(form.organisationId) ?? null });
        // The password goes through the session to a page shown once, so a reload cannot resend the form.
        await this.sessions.setData(session, 'newUserPassword', { userId: created.user.id, password: created.temporaryPassword });
        return redirect(reply, `/admin/users/${created.user.id}/created`);
      } catch (err) {
        errors.push(...formErrors(err, 'email', LABELS));
      }
    }
    await this.render(reply, session, undefined, { form, ...errorView(errors, { role: 'role' }, false) }, 400);
  }

  @Get('users/:id/created')
  async created(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const held = session.data?.newUserPassword as { userId?: string; password?: string } | undefined;
    const password = held?.userId === id ? held.password : undefined;
    if (password) await this.sessions.setData(session, 'newUserPassword', undefined);
    sendPage(reply, this.renderer.render('admin/user-created.njk', pageContext(session, { title: `Account created for ${user.displayName}`, currentPath: '/admin/users', created: user, password })));
  }

  @Post('users/:id/deactivate')
  async deactivate(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.update(session.caller, id, { active: false });
    await setFlash(this.sessions, session, `${user.displayName}’s account is deactivated. They cannot sign in until it is reactivated.`);
    redirect(reply, '/admin/users');
  }

  @Post('users/:id/reactivate')
  async reactivate(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.update(session.caller, id, { active: true });
    await setFlash(this.sessions, session, `${user.displayName}’s account is active again.`);
    redirect(reply, '/admin/users');
  }

  private async render(reply: FastifyReply, session: WebSession, q: string | undefined, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [users, organisations] = await Promise.all([this.users.list({ q, limit: 500 }), this.registry.searchOrganisations({ sector: 'voluntary', limit: 1000 })]);
    sendPage(
      reply,
      this.renderer.render(
        'admin/users.njk',
        pageContext(session, {
          title: 'Users',
          currentPath: '/admin/users',
          q,
          users: users.map((u) => ({ ...u, roleLabel: humanise(u.role), self: u.id === session.user.id })),
          roles: USER_ROLES.map((value) => ({ value, text: humanise(value), hint: ROLE_HINTS[value] })),
          organisationItems: organisations.map((o) => ({ value: o.id, text: `${o.name}${o.area ? ` (${o.area})` : ''}` })),
          ...extra,
        }),
      ),
      status,
    );
  }
}
