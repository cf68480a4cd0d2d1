import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LinkRespondent } from '@cc/cases';
import { DomainError, ValidationFailed } from '@cc/common';
import { OrganisationView, RegistryQueries } from '@cc/registry';
import { pageContext, redirect, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';

const SEARCH_LIMIT = 25;

/**
 * A case filed against a public body the reporter typed (not in the registry): staff find the
 * registry's organisation and link the case to it. The case page shows the start of this
 * (case-work/_unlisted-body.njk); the same use case as POST /api/cases/:id/respondent decides, so
 * who may do it is decided there (404 for a case one may not see, 403 for reporters and mediators).
 */
@WebPages('cases')
export class UnlistedBodyPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly link: LinkRespondent,
    private readonly registry: RegistryQueries,
  ) {}

  @Get(':id/public-body')
  async choose(@CurrentSession() session: WebSession, @Param('id') id: string, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, id, { q: typeof q === 'string' ? q.trim().slice(0, 200) : undefined });
  }

  @Post(':id/public-body')
  async linkIt(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const organisationId = typeof body.organisationId === 'string' ? body.organisationId : '';
    const q = typeof body.q === 'string' ? body.q.trim().slice(0, 200) : undefined;
    if (!organisationId) return this.render(reply, session, id, { q, error: 'Select the public body in the registry that the reporter meant' }, 400);
    try {
      await this.link.execute(session.caller, id, { organisationId });
    } catch (err) {
      if (err instanceof ValidationFailed) return this.render(reply, session, id, { q, error: 'Select a public body from the list' }, 400);
      if (err instanceof DomainError && err.code === 'RESPONDENT_IN_REGISTRY') return redirect(reply, `/cases/${id}#report`);
      throw err;
    }
    redirect(reply, `/cases/${id}#report`);
  }

  private async render(reply: FastifyReply, session: WebSession, id: string, state: { q?: string; error?: string }, status = 200): Promise<void> {
    const found = await this.link.unlistedBodyOf(session.caller, id);
    // Already linked (or never unlisted): nothing to do here, so the case page.
    if (!found) return redirect(reply, `/cases/${id}#report`);
    let searched = state.q !== undefined && state.q !== '';
    let bodies: OrganisationView[] = searched ? await this.registry.searchOrganisations({ q: state.q, sector: 'public', limit: SEARCH_LIMIT }) : [];
    // Nothing by the whole name (the reporter's spelling, say): the bodies sharing a word or the area.
    const noMatch = searched && bodies.length === 0;
    if (!searched || noMatch) {
      bodies = await this.registry.publicBodiesLike(state.q || found.body.name, found.body.area, SEARCH_LIMIT);
      searched = false;
    }
    const html = this.renderer.render(
      'unlisted-bodies/link.njk',
      pageContext(session, {
        title: `Find the public body for ${found.reference}`,
        currentPath: `/cases/${found.caseId}`,
        found,
        q: state.q ?? found.body.name,
        searched,
        noMatch,
        bodies,
        ...(state.error ? { errorList: [{ text: state.error, href: '#organisationId' }], fieldErrors: { organisationId: { text: state.error } } } : {}),
      }),
    );
    sendPage(reply, html, status);
  }
}
