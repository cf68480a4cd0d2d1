import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError, UuidParam, ValidationFailed } from '@cc/common';
import { BODY_TYPES, BODY_TYPE_LABELS, RegistryEditor, RegistryQueries } from '@cc/registry';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const LABELS: Record<string, string> = { name: 'Name', sector: 'Kind of organisation', bodyType: 'Kind of organisation', area: 'Area', charityNumber: 'Charity or company number', website: 'Website' };

/**
 * One question, "what kind of organisation is it?", answers both sector and type of public body.
 * (A sector question revealing a type question would need GOV.UK's conditional reveal, which puts
 * aria-expanded on a radio: not allowed there, and flagged by axe.)
 */
const KINDS = [{ value: 'voluntary', text: 'Voluntary or community organisation', hint: 'A charity, community group or social enterprise' }, ...BODY_TYPES.map((b) => ({ value: b, text: BODY_TYPE_LABELS[b] }))];

function organisationFrom(form: Form): { body: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(form.name);
  const kind = KINDS.some((k) => k.value === form.kind) ? form.kind : undefined;
  if (!name) errors.push({ field: 'name', reason: 'Enter the organisation’s name' });
  else if (name.length < 2 || name.length > 200) errors.push({ field: 'name', reason: 'The name must be 2 to 200 characters' });
  if (!kind) errors.push({ field: 'kind', reason: 'Select what kind of organisation it is: voluntary or community, or the kind of public body' });
  const charityNumber = text(form.charityNumber);
  if (charityNumber && !/^[0-9A-Za-z-]{4,20}$/.test(charityNumber)) errors.push({ field: 'charityNumber', reason: 'Enter the charity or company number as it is registered, like 1092345 or SC012345' });
  const website = text(form.website);
  if (website && !/^https?:\/\/\S+\.\S+$/i.test(website)) errors.push({ field: 'website', reason: 'Enter the website in full, starting https://, or leave it empty' });
  const area = text(form.area);
  if (area && area.length > 120) errors.push({ field: 'area', reason: 'The area must be 120 characters or fewer' });
  const sector = kind === 'voluntary' ? 'voluntary' : 'public';
  return { body: { name, sector, bodyType: kind && kind !== 'voluntary' ? kind : null, area: area ?? null, charityNumber: charityNumber ?? null, website: website ?? null }, errors };
}

/** The registry's sector and body type back as the one answer the form asks for. */
const kindOf = (o: { sector: string; bodyType: string | null }) => (o.sector === 'voluntary' ? 'voluntary' : (o.bodyType ?? 'other'));

/** How a 404 names an organisation asked for by id (as the registry does). */
const ORGANISATION = (id: string) => `Organisation ${id}`;

/** Organisations: voluntary groups who report, and the public bodies reported. */
@WebPages('admin')
@PageRoles('administrator')
export class OrganisationsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly queries: RegistryQueries,
    private readonly editor: RegistryEditor,
  ) {}

  @Get('organisations')
  async list(@CurrentSession() session: WebSession, @Query() query: Form, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, query, { form: {}, flash: await takeFlash(this.sessions, session) });
  }

  @Post('organisations')
  async add(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = organisationFrom(form);
    if (!errors.length) {
      try {
        await this.editor.createOrganisation(body);
        await setFlash(this.sessions, session, `${String(body.name)} added.`);
        return redirect(reply, `/admin/organisations?q=${encodeURIComponent(String(body.name))}`);
      } catch (err) {
        errors.push(...placed(formErrors(err, 'name', LABELS)));
      }
    }
    await this.render(reply, session, {}, { form, ...errorView(errors, { kind: 'kind' }, false) }, 400);
  }

  @Get('organisations/:id')
  async editForm(@CurrentSession() session: WebSession, @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const o = await this.editor.organisationForEdit(id);
    this.renderEdit(reply, session, o, { name: o.name, kind: kindOf(o), area: o.area ?? '', charityNumber: o.charityNumber ?? '', website: o.website ?? '' });
  }

  @Post('organisations/:id')
  async edit(@CurrentSession() session: WebSession, @UuidParam('id', ORGANISATION, 'ORGANISATION_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const o = await this.editor.organisationForEdit(id);
    const { body, errors } = organisationFrom(form);
    if (!errors.length) {
      try {
        await this.editor.updateOrganisation(id, body);
        await setFlash(this.sessions, session, `${String(body.name)} saved.`);
        return redirect(reply, `/admin/organisations?q=${encodeURIComponent(String(body.name))}`);
      } catch (err) {
        if (err instanceof ValidationFailed && err.errors.some((e) => e.field === 'sector')) {
          errors.push({ field: 'kind', reason: `The kind of organisation ${err.errors.find((e) => e.field === 'sector')!.reason}` });
        } else {
          errors.push(...placed(formErrors(err, 'name', LABELS)));
        }
      }
    }
    this.renderEdit(reply, session, o, form, errorView(errors, { kind: 'kind' }, false), 400);
  }

  private renderEdit(reply: FastifyReply, session: WebSession, o: { id: string; name: string }, form: Form, errors: Record<string, unknown> = {}, status = 200): void {
    sendPage(
      reply,
      this.renderer.render('admin/organisation.njk', pageContext(session, { title: `Edit ${o.name}`, currentPath: '/admin/organisations', organisation: o, form, kinds: KINDS, ...errors })),
      status,
    );
  }

  private async render(reply: FastifyReply, session: WebSession, query: Form, extra: Record<string, unknown>, status = 200): Promise<void> {
    const q = text(query.q)?.slice(0, 200);
    const sector = query.sector === 'voluntary' || query.sector === 'public' ? query.sector : undefined;
    const organisations = await this.queries.searchOrganisations({ q, sector, limit: 200 });
    sendPage(
      reply,
      this.renderer.render(
        'admin/organisations.njk',
        pageContext(session, {
          title: 'Organisations',
          currentPath: '/admin/organisations',
          q,
          sector,
          kinds: KINDS,
          organisations: organisations.map((o) => ({ ...o, kindText: o.sector === 'public' ? (o.bodyTypeLabel ?? 'Public body') : 'Voluntary or community' })),
          ...extra,
        }),
      ),
      status,
    );
  }
}

/** The registry's sector and body type problems belong to the form's one kind question. */
function placed(errors: FieldError[]): FieldError[] {
  return errors.map((e) => (e.field === 'sector' || e.field === 'bodyType' ? { ...e, field: 'kind' } : e));
}

