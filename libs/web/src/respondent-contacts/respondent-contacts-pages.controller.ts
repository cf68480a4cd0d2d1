import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError, UuidParam } from '@cc/common';
import { FailingAddresses } from '@cc/inbound-mail';
import { RegistryQueries, RespondentContacts } from '@cc/registry';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, takeFlash, text } from '../admin/admin-page';

type Form = Record<string, string | undefined>;

const ORGANISATION = (id: string) => `Organisation ${id}`;
const CONTACT = (id: string) => `Contact ${id}`;
const LABELS: Record<string, string> = { name: 'Name', email: 'E-mail address', jobTitle: 'Job title' };

/** The form as the registry takes it; the page's own checks say what to do, in the form's words. */
function contactFrom(form: Form): { body: { name?: string; email?: string; jobTitle: string | null }; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(form.name);
  const email = text(form.email);
  const jobTitle = text(form.jobTitle) ?? null;
  if (!name) errors.push({ field: 'name', reason: 'Enter the contact’s full name' });
  if (!email) errors.push({ field: 'email', reason: 'Enter the contact’s work e-mail address, like name@council.gov.uk' });
  return { body: { name, email, jobTitle }, errors };
}

/**
 * The people at a public body who answer for it (its respondent contacts), for caseworkers and
 * administrators: list, add, edit, deactivate. Each contact signs in only by e-mailed link.
 */
@WebPages('public-bodies')
@PageRoles('caseworker', 'administrator')
export class RespondentContactsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly queries: RegistryQueries,
    private readonly contacts: RespondentContacts,
    private readonly failingAddresses: FailingAddresses,
  ) {}

  @Get()
  async bodies(@CurrentSession() session: WebSession, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const search = text(q)?.slice(0, 200);
    const bodies = await this.queries.searchOrganisations({ q: search, sector: 'public', limit: 200 });
    sendPage(reply, this.renderer.render('respondent-contacts/public-bodies.njk', pageContext(session, { title: 'Public bodies and their contacts', currentPath: '/public-bodies', q: search, bodies })));
  }

  @Get(':id/contacts')
  async list(@CurrentSession() session: WebSession, @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.renderList(reply, session, id, { form: {}, flash: await takeFlash(this.sessions, session) });
  }

  @Post(':id/contacts')
  async add(@CurrentSession() session: WebSession, @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = contactFrom(form);
    if (!errors.length) {
      try {
        const added = await this.contacts.add(session.user.id, id, body);
        await setFlash(this.sessions, session, `${added.name} added. They can now sign in with a link sent to ${added.email}.`);
        return redirect(reply, `/public-bodies/${id}/contacts`);
      } catch (err) {
        errors.push(...formErrors(err, 'email', LABELS));
      }
    }
    await this.renderList(reply, session, id, { form, ...errorView(errors, {}, false) }, 400);
  }

  @Get(':id/contacts/:contactId')
  async editForm(
    @CurrentSession() session: WebSession,
    @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string,
    @UuidParam('contactId', CONTACT, 'CONTACT_NOT_FOUND') contactId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const contact = await this.contacts.get(id, contactId);
    await this.renderEdit(reply, session, id, contact, { name: contact.name, email: contact.email, jobTitle: contact.jobTitle ?? '' });
  }

  @Post(':id/contacts/:contactId')
  async edit(
    @CurrentSession() session: WebSession,
    @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string,
    @UuidParam('contactId', CONTACT, 'CONTACT_NOT_FOUND') contactId: string,
    @Body() form: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const contact = await this.contacts.get(id, contactId);
    const { body, errors } = contactFrom(form);
    if (!errors.length) {
      try {
        const saved = await this.contacts.update(session.user.id, id, contactId, body);
        await setFlash(this.sessions, session, `${saved.name} saved.`);
        return redirect(reply, `/public-bodies/${id}/contacts`);
      } catch (err) {
        errors.push(...formErrors(err, 'email', LABELS));
      }
    }
    await this.renderEdit(reply, session, id, contact, form, errorView(errors, {}, false), 400);
  }

  /** Deactivating ends the contact's sign-ins at once; reactivating lets them sign in by link again. */
  @Post(':id/contacts/:contactId/active')
  async setActive(
    @CurrentSession() session: WebSession,
    @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string,
    @UuidParam('contactId', CONTACT, 'CONTACT_NOT_FOUND') contactId: string,
    @Body() form: Form,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const active = form.active === 'true';
    const saved = await this.contacts.update(session.user.id, id, contactId, { active });
    await setFlash(this.sessions, session, active ? `${saved.name} can sign in again.` : `${saved.name} has been deactivated and signed out. They can no longer sign in.`);
    redirect(reply, `/public-bodies/${id}/contacts`);
  }

  private async renderList(reply: FastifyReply, session: WebSession, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const body = await this.contacts.publicBody(id);
    const contacts = await this.contacts.listFor(id);
    const failing = await this.failingAddresses.of(contacts.map((c) => c.userId));
    const failingSince = Object.fromEntries([...failing].map(([userId, f]) => [userId, f.since]));
    sendPage(
      reply,
      this.renderer.render('respondent-contacts/contacts.njk', pageContext(session, { title: `Contacts at ${body.name}`, currentPath: '/public-bodies', body, contacts, failingSince, isAdmin: session.user.role === 'administrator', ...extra })),
      status,
    );
  }

  private async renderEdit(reply: FastifyReply, session: WebSession, id: string, contact: { id: string; name: string; active: boolean }, form: Form, errors: Record<string, unknown> = {}, status = 200): Promise<void> {
    const body = await this.contacts.publicBody(id);
    sendPage(reply, this.renderer.render('respondent-contacts/contact.njk', pageContext(session, { title: `Edit ${contact.name}`, currentPath: '/public-bodies', body, contact, form, ...errors })), status);
  }
}
