import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError } from '@cc/common';
import { BODY_TYPES, BODY_TYPE_LABELS, RegistryEditor, RegistryQueries } from '@cc/registry';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const LABELS: Record<string, string> = { name: 'Name', sector: 'Sector', bodyType: 'Type of public body', area: 'Area', charityNumber: 'Charity or company number', website: 'Website' };

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
    const errors: FieldError[] = [];
    const name = text(form.name);
    const sector = text(form.sector);
    if (!name) errors.push({ field: 'name', reason: 'Enter the organisation’s name' });
    if (!sector) errors.push({ field: 'sector', reason: 'Select whether it is a voluntary organisation or a public body' });
    if (sector === 'public' && !text(form.bodyType)) errors.push({ field: 'bodyType', reason: 'Select the type of public body' });
    if (!errors.length) {
      const body: Record<string, unknown> = { name, sector };
      if (sector === 'public') body.bodyType = text(form.bodyType);
      for (const key of ['area', 'charityNumber', 'website'] as const) if (text(form[key])) body[key] = text(form[key]);
      try {
        await this.editor.createOrganisation(body);
        await setFlash(this.sessions, session, `${name} added.`);
        return redirect(reply, `/admin/organisations?q=${encodeURIComponent(name!)}`);
      } catch (err) {
        errors.push(...formErrors(err, 'name', LABELS));
      }
    }
    await this.render(reply, session, {}, { form, ...errorView(errors, { sector: 'sector', bodyType: 'bodyType' }, false) }, 400);
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
          bodyTypes: BODY_TYPES.map((value) => ({ value, text: BODY_TYPE_LABELS[value] })),
          rows: organisations.map((o) => [
            { text: o.name },
            { text: o.sector === 'public' ? 'Public body' : 'Voluntary or community' },
            { text: o.bodyTypeLabel ?? '' },
            { text: o.area ?? '' },
            { text: o.charityNumber ?? '' },
          ]),
          ...extra,
        }),
      ),
      status,
    );
  }
}
