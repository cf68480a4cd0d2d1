import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError } from '@cc/common';
import { COMPACT_CSV_COLUMNS, COMPACT_CSV_GUIDE, RegistryEditor, RegistryQueries } from '@cc/registry';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { formErrors, setFlash, statusTag, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const COMMITMENT_LABELS: Record<string, string> = { reference: 'Reference', section: 'Section', text: 'Text', binds: 'Who it binds', wording: 'Wording', rule: 'Rule' };

/** Reads the rule textarea: empty is "no rule"; otherwise it must be JSON, checked by the registry. */
function readRule(raw: string | undefined): { rule?: unknown; error?: FieldError } {
  const t = text(raw);
  if (t === undefined) return { rule: null };
  try {
    return { rule: JSON.parse(t) };
  } catch (err) {
    return { error: { field: 'rule', reason: `Rule must be JSON, like {"kind": "minimum_period", ...}, or left empty: ${(err as Error).message}` } };
  }
}

function commitmentBody(form: Form, forEdit: boolean): { body?: Record<string, unknown>; errors: FieldError[] } {
  const { rule, error } = readRule(form.rule);
  if (error) return { errors: [error] };
  const body: Record<string, unknown> = {
    ...(forEdit ? {} : { reference: form.reference ?? '' }),
    section: form.section ?? '',
    text: form.text ?? '',
    binds: form.binds ?? '',
    wording: form.wording ?? '',
  };
  if (forEdit) body.rule = rule;
  else if (rule !== null) body.rule = rule;
  // Missing choices are reported with what to do, rather than as enum errors.
  const errors: FieldError[] = [];
  if (!form.binds) errors.push({ field: 'binds', reason: 'Select who the commitment binds' });
  if (!form.wording) errors.push({ field: 'wording', reason: 'Select whether the text is the official wording or a summary' });
  if (!text(form.section)) errors.push({ field: 'section', reason: 'Select the section the commitment is in' });
  return { body, errors };
}

/** Administrators keep the Compacts: list, one Compact's sections, commitments and signatories. */
@WebPages('admin')
@PageRoles('administrator')
export class CompactsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly queries: RegistryQueries,
    private readonly editor: RegistryEditor,
  ) {}

  @Get('compacts')
  async list(@CurrentSession() session: WebSession, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const compacts = await this.queries.searchCompacts({ q: text(q)?.slice(0, 200), limit: 500 });
    const rows = compacts.map((c) => [
      { html: `<a class="govuk-link" href="/admin/compacts/${c.id}">${escapeHtml(c.name)}</a>` },
      { text: c.scope === 'national' ? 'National' : 'Local' },
      { text: c.area ?? '' },
      { html: `<strong class="govuk-tag ${statusTag(c.status).classes}">${statusTag(c.status).text}</strong>` },
      { text: String(c.commitmentCount), format: 'numeric' },
    ]);
    const flash = await takeFlash(this.sessions, session);
    sendPage(reply, this.renderer.render('admin/compacts.njk', pageContext(session, { title: 'Compacts', currentPath: '/admin/compacts', rows, q, flash })));
  }

  @Get('compacts/import')
  importForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    sendPage(reply, this.renderer.render('admin/compact-import.njk', pageContext(session, { title: 'Import a Compact', currentPath: '/admin/compacts', columns: COMPACT_CSV_COLUMNS, guide: COMPACT_CSV_GUIDE })));
  }

  @Get('compacts/:id')
  async detail(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.renderDetail(reply, session, id, { flash: await takeFlash(this.sessions, session) });
  }

  @Post('compacts/:id/commitments')
  async addCommitment(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = commitmentBody(form, false);
    if (!text(form.reference)) errors.unshift({ field: 'reference', reason: 'Enter the commitment’s reference, like 4.5' });
    if (!text(form.text)) errors.push({ field: 'text', reason: 'Enter the text of the commitment' });
    if (errors.length || !body) return this.renderDetail(reply, session, id, { form, ...errorView(errors, {}, false) }, 400);
    try {
      await this.editor.addCommitment(id, body);
    } catch (err) {
      return this.renderDetail(reply, session, id, { form, ...errorView(formErrors(err, 'reference', COMMITMENT_LABELS), {}, false) }, 400);
    }
    await setFlash(this.sessions, session, `Commitment ${text(form.reference)} added.`);
    redirect(reply, `/admin/compacts/${id}#commitments`);
  }

  @Get('compacts/:id/commitments/:commitmentId')
  async editCommitmentForm(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('commitmentId') commitmentId: string, @Res() reply: FastifyReply): Promise<void> {
    const compact = await this.queries.compact(id);
    const commitment = compact.commitments.find((c) => c.id === commitmentId);
    if (!commitment) return this.renderDetail(reply, session, id, {}, 404);
    const form = {
      section: commitment.sectionCode ?? '',
      text: commitment.text,
      binds: commitment.binds,
      wording: commitment.wording,
      rule: commitment.rule ? JSON.stringify(commitment.rule, null, 2) : '',
    };
    this.renderEdit(reply, session, compact, commitment, form);
  }

  @Post('compacts/:id/commitments/:commitmentId')
  async editCommitment(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('commitmentId') commitmentId: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const compact = await this.queries.compact(id);
    const commitment = compact.commitments.find((c) => c.id === commitmentId);
    if (!commitment) return this.renderDetail(reply, session, id, {}, 404);
    const { body, errors } = commitmentBody(form, true);
    if (!text(form.text)) errors.push({ field: 'text', reason: 'Enter the text of the commitment' });
    if (errors.length || !body) return this.renderEdit(reply, session, compact, commitment, form, errorView(errors, {}, false), 400);
    try {
      await this.editor.updateCommitment(commitmentId, body);
    } catch (err) {
      return this.renderEdit(reply, session, compact, commitment, form, errorView(formErrors(err, 'text', COMMITMENT_LABELS), {}, false), 400);
    }
    await setFlash(this.sessions, session, `Commitment ${commitment.reference} saved.`);
    redirect(reply, `/admin/compacts/${id}#commitments`);
  }

  @Post('compacts/:id/signatories')
  async addSignatory(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const organisationId = text(form.organisationId);
    const signedOn = text(form.signedOn);
    const errors: FieldError[] = [];
    if (!organisationId) errors.push({ field: 'organisationId', reason: 'Select the organisation that signed' });
    if (signedOn && !/^\d{4}-\d{2}-\d{2}$/.test(signedOn)) errors.push({ field: 'signedOn', reason: 'Date signed must be in the form YYYY-MM-DD, like 2012-03-31, or left empty' });
    if (!errors.length) {
      try {
        await this.editor.setSignatory(id, organisationId!, { signedOn: signedOn ?? null });
      } catch (err) {
        errors.push(...formErrors(err, 'organisationId', { signedOn: 'Date signed' }));
      }
    }
    if (errors.length) return this.renderDetail(reply, session, id, { signatoryForm: form, ...errorView(errors, {}, false) }, 400);
    await setFlash(this.sessions, session, 'Signatory saved.');
    redirect(reply, `/admin/compacts/${id}#signatories`);
  }

  @Post('compacts/:id/signatories/:organisationId/remove')
  async removeSignatory(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('organisationId') organisationId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.editor.removeSignatory(id, organisationId);
    await setFlash(this.sessions, session, 'Signatory removed.');
    redirect(reply, `/admin/compacts/${id}#signatories`);
  }

  private async renderDetail(reply: FastifyReply, session: WebSession, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [compact, signatories, organisations] = await Promise.all([
      this.queries.compact(id),
      this.queries.signatories(id),
      this.queries.searchOrganisations({ limit: 1000 }),
    ]);
    const sectionTitles = new Map(compact.sections.map((s) => [s.code, s.title]));
    sendPage(
      reply,
      this.renderer.render(
        'admin/compact.njk',
        pageContext(session, {
          title: compact.name,
          currentPath: '/admin/compacts',
          compact,
          tag: statusTag(compact.status),
          sectionItems: [{ value: '', text: 'Choose a section' }, ...compact.sections.map((s) => ({ value: s.code, text: `${s.code}: ${s.title}` }))],
          commitmentRows: compact.commitments.map((c) => [
            { text: c.reference },
            { text: c.sectionCode ? `${c.sectionCode}${sectionTitles.get(c.sectionCode) ? ` (${sectionTitles.get(c.sectionCode)})` : ''}` : '' },
            { text: c.text },
            { text: c.rule ? 'Yes' : 'No' },
            { html: `<a class="govuk-link" href="/admin/compacts/${compact.id}/commitments/${c.id}">Edit<span class="govuk-visually-hidden"> commitment ${escapeHtml(c.reference)}</span></a>` },
          ]),
          signatories,
          organisationItems: [
            { value: '', text: 'Choose an organisation' },
            ...organisations.filter((o) => !signatories.some((s) => s.organisation.id === o.id)).map((o) => ({ value: o.id, text: `${o.name}${o.area ? ` (${o.area})` : ''}` })),
          ],
          form: {},
          signatoryForm: {},
          ...extra,
        }),
      ),
      status,
    );
  }

  private renderEdit(reply: FastifyReply, session: WebSession, compact: { id: string; name: string; sections: Array<{ code: string; title: string }> }, commitment: { id: string; reference: string }, form: Form, errors: Record<string, unknown> = {}, status = 200): void {
    sendPage(
      reply,
      this.renderer.render(
        'admin/commitment-edit.njk',
        pageContext(session, {
          title: `Edit commitment ${commitment.reference}`,
          currentPath: '/admin/compacts',
          compact,
          commitment,
          form,
          sectionItems: [{ value: '', text: 'Choose a section' }, ...compact.sections.map((s) => ({ value: s.code, text: `${s.code}: ${s.title}` }))],
          ...errors,
        }),
      ),
      status,
    );
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
