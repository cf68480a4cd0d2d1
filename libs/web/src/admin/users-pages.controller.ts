import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError, UuidParam } from '@cc/common';
import { AccountEvents, ManageUsers, ManagedUser, TwoFactor, USER_ROLES } from '@cc/identity';
import { FailingAddresses } from '@cc/inbound-mail';
import { RegistryQueries } from '@cc/registry';
import { humanise, Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const LABELS: Record<string, string> = { email: 'E-mail address', displayName: 'Name', role: 'Role', organisationId: 'Organisation', active: 'Whether they can sign in', nature: 'How they are tied' };
const ROLE_HINTS: Record<string, string> = {
  reporter: 'Reports breaches for a voluntary or community organisation, and follows its cases',
  caseworker: 'Triages reports and works on cases',
  mediator: 'Sees only the mediations they are appointed to',
  administrator: 'Manages the registry, users and e-mails, and sees everything',
};

/** The person's details as the form sent them, with what to correct in words. */
function detailsFrom(form: Form, forEdit: boolean): { body: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!text(form.displayName)) errors.push({ field: 'displayName', reason: 'Enter the person’s name' });
  if (!text(form.email)) errors.push({ field: 'email', reason: 'Enter their e-mail address' });
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text(form.email)!)) errors.push({ field: 'email', reason: 'Enter an e-mail address in the correct format, like name@example.org' });
  if (!text(form.role) || !(USER_ROLES as readonly string[]).includes(form.role!)) errors.push({ field: 'role', reason: 'Select a role' });
  if (form.role === 'reporter' && !text(form.organisationId)) errors.push({ field: 'organisationId', reason: 'Select the organisation a reporter reports for' });
  if (forEdit && form.active !== undefined && form.active !== 'yes' && form.active !== 'no') errors.push({ field: 'active', reason: 'Select whether they can sign in' });
  const body: Record<string, unknown> = { displayName: text(form.displayName), email: text(form.email), role: form.role, organisationId: text(form.organisationId) ?? null };
  if (forEdit && form.active !== undefined) body.active = form.active === 'yes';
  return { body, errors };
}

/** How a 404 names an account asked for by id (as the account service does). */
const USER = (id: string) => `User ${id}`;

/** Accounts: list, add with a temporary password shown once, change, deactivate and reactivate, and a mediator's ties. */
@WebPages('admin')
@PageRoles('administrator')
export class UsersPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly users: ManageUsers,
    private readonly registry: RegistryQueries,
    private readonly twoFactor: TwoFactor,
    private readonly accountEvents: AccountEvents,
    private readonly failingAddresses: FailingAddresses,
  ) {}

  @Get('users')
  async list(@CurrentSession() session: WebSession, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, text(q)?.slice(0, 200), { form: {}, flash: await takeFlash(this.sessions, session) });
  }

  @Post('users')
  async add(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = detailsFrom(form, false);
    if (!errors.length) {
      try {
        const created = await this.users.create(session.caller, { ...body, sendLink: form.passwordBy !== 'show' });
        // The password goes through the session to a page shown once, so a reload cannot resend the form.
        await this.sessions.setData(session, 'newUserPassword', { userId: created.user.id, password: created.temporaryPassword, linkSent: created.linkSent });
        return redirect(reply, `/admin/users/${created.user.id}/created`);
      } catch (err) {
        errors.push(...formErrors(err, 'email', LABELS));
      }
    }
    await this.render(reply, session, undefined, { form, ...errorView(errors, { role: 'role' }, false) }, 400);
  }

  @Get('users/:id/created')
  async created(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const held = session.data?.newUserPassword as { userId?: string; password?: string; linkSent?: boolean } | undefined;
    const mine = held?.userId === id ? held : undefined;
    if (mine) await this.sessions.setData(session, 'newUserPassword', undefined);
    sendPage(
      reply,
      this.renderer.render(
        'admin/user-created.njk',
        pageContext(session, { title: `Account created for ${user.displayName}`, currentPath: '/admin/users', created: user, password: mine?.password, linkSent: mine?.linkSent === true }),
      ),
    );
  }

  @Get('users/:id')
  async detail(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const form: Form = { displayName: user.displayName, email: user.email, role: user.role, organisationId: user.organisation?.id ?? '', active: user.active ? 'yes' : 'no' };
    await this.renderUser(reply, session, user, { form, tieForm: {}, flash: await takeFlash(this.sessions, session) });
  }

  @Post('users/:id')
  async save(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const self = id === session.user.id;
    // Your own role and standing are not on your form: another administrator changes them.
    const { body, errors } = detailsFrom(self ? { ...form, role: user.role, active: undefined } : form, !self);
    if (!errors.length) {
      try {
        const saved = await this.users.update(session.caller, id, body);
        await setFlash(this.sessions, session, `${saved.displayName}’s account is saved.`);
        return redirect(reply, `/admin/users/${id}`);
      } catch (err) {
        errors.push(...formErrors(err, 'email', LABELS));
      }
    }
    await this.renderUser(reply, session, user, { form, tieForm: {}, ...errorView(errors, { role: 'role', active: 'active' }, false) }, 400);
  }

  @Post('users/:id/ties')
  async addTie(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    const errors: FieldError[] = [];
    if (!text(form.tieOrganisationId)) errors.push({ field: 'tieOrganisationId', reason: 'Select the organisation they are tied to' });
    if (!text(form.nature)) errors.push({ field: 'nature', reason: 'Say how they are tied, like trustee or employee' });
    if (!errors.length) {
      try {
        const ties = await this.users.addTie(session.caller, id, { organisationId: text(form.tieOrganisationId), nature: text(form.nature) });
        const organisation = ties.find((t) => t.organisation.id === text(form.tieOrganisationId))?.organisation.name ?? 'the organisation';
        await setFlash(this.sessions, session, `${user.displayName} is recorded as tied to ${organisation}. They cannot be appointed to mediate its cases.`);
        return redirect(reply, `/admin/users/${id}#ties`);
      } catch (err) {
        errors.push(...formErrors(err, 'tieOrganisationId', { ...LABELS, organisationId: 'Organisation' }).map((e) => (e.field === 'organisationId' ? { ...e, field: 'tieOrganisationId' } : e)));
      }
    }
    const details: Form = { displayName: user.displayName, email: user.email, role: user.role, organisationId: user.organisation?.id ?? '', active: user.active ? 'yes' : 'no' };
    await this.renderUser(reply, session, user, { form: details, tieForm: form, ...errorView(errors, {}, false) }, 400);
  }

  @Post('users/:id/ties/:organisationId/remove')
  async removeTie(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('organisationId') organisationId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.users.removeTie(session.caller, id, organisationId);
    await setFlash(this.sessions, session, 'The tie is removed.');
    redirect(reply, `/admin/users/${id}#ties`);
  }

  @Post('users/:id/password-link')
  async sendPasswordLink(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    await this.users.sendPasswordLink(session.caller, id);
    await setFlash(this.sessions, session, `We have e-mailed ${user.displayName} a link to choose a new password. It works once, for 30 minutes.`);
    redirect(reply, `/admin/users/${id}`);
  }

  @Post('users/:id/sign-out-everywhere')
  async signOutEverywhere(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.get(id);
    await this.users.signOutEverywhere(session.caller, id);
    if (id === session.user.id) return redirect(reply, '/sign-in?signedOut=everywhere');
    await setFlash(this.sessions, session, `${user.displayName} is signed out on every device. They can sign in again with their password.`);
    redirect(reply, `/admin/users/${id}`);
  }

  @Post('users/:id/deactivate')
  async deactivate(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.update(session.caller, id, { active: false });
    await setFlash(this.sessions, session, `${user.displayName}’s account is deactivated. They cannot sign in until it is reactivated.`);
    redirect(reply, '/admin/users');
  }

  @Post('users/:id/reactivate')
  async reactivate(@CurrentSession() session: WebSession, @UuidParam('id', USER, 'USER_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const user = await this.users.update(session.caller, id, { active: true });
    await setFlash(this.sessions, session, `${user.displayName}’s account is active again.`);
    redirect(reply, '/admin/users');
  }

  private async renderUser(reply: FastifyReply, session: WebSession, user: ManagedUser, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [ties, voluntary, everyone, twoFactor, accountEvents, failing] = await Promise.all([
      this.users.ties(user.id),
      this.registry.searchOrganisations({ sector: 'voluntary', limit: 1000 }),
      this.registry.searchOrganisations({ limit: 1000 }),
      this.twoFactor.status(user.id),
      this.accountEvents.forUser(user.id, 5),
      this.failingAddresses.of([user.id]),
    ]);
    const named = (o: { id: string; name: string; area: string | null }) => ({ value: o.id, text: `${o.name}${o.area ? ` (${o.area})` : ''}` });
    sendPage(
      reply,
      this.renderer.render(
        'admin/user.njk',
        pageContext(session, {
          title: user.displayName,
          currentPath: '/admin/users',
          account: { ...user, roleLabel: humanise(user.role), self: user.id === session.user.id },
          roles: USER_ROLES.map((value) => ({ value, text: humanise(value), hint: ROLE_HINTS[value] })),
          organisationItems: voluntary.map(named),
          ties,
          tieOrganisationItems: everyone.filter((o) => !ties.some((t) => t.organisation.id === o.id)).map(named),
          twoFactor,
          accountEvents,
          emailFailing: failing.get(user.id),
          ...extra,
        }),
      ),
      status,
    );
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
