import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, FieldError, UuidParam } from '@cc/common';
import {
  BOOLEAN_FACT_CHOICES,
  COMPACT_CSV_COLUMNS,
  COMPACT_CSV_GUIDE,
  CompactDetail,
  CompactImporter,
  DATE_FACT_CHOICES,
  RULE_KINDS,
  RegistryEditor,
  RegistryQueries,
  describeRule,
  ruleFromForm,
  ruleToForm,
} from '@cc/registry';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { dateParts, datePartsFrom, formErrors, readDate, setFlash, statusTag, takeFlash, text } from './admin-page';

type Form = Record<string, string | undefined>;

const COMMITMENT_LABELS: Record<string, string> = { reference: 'Reference', section: 'Section', text: 'Text', binds: 'Who it binds', wording: 'Wording', rule: 'Rule' };
const COMPACT_LABELS: Record<string, string> = { name: 'Name', scope: 'Scope', area: 'Area', adoptedOn: 'Date adopted', status: 'Status', sourceUrl: 'Where it is published', summary: 'Summary' };
const SECTION_LABELS: Record<string, string> = { code: 'Code', title: 'Title', kind: 'Kind of section' };

const STATUSES = [
  { value: 'active', text: 'Active', hint: 'In force' },
  { value: 'draft', text: 'Draft', hint: 'Not yet agreed' },
  { value: 'under_review', text: 'Under review' },
  { value: 'archived', text: 'Archived', hint: 'No longer in force; kept for the cases that name it' },
];
export const SECTION_KINDS = [
  { value: 'section', text: 'Section' },
  { value: 'undertakings', text: 'A group of undertakings', hint: 'As local Compacts often list them, like Funding and Accountability' },
  { value: 'code_of_practice', text: 'A code of good practice', hint: 'As the 1998 Compact had, like the Funding code' },
  { value: 'outcome', text: 'An outcome', hint: 'As the 2010 Compact is arranged' },
];
const SECTION_KIND_TEXT = new Map(SECTION_KINDS.map((k) => [k.value, k.text.replace(/^An? /, '').replace(/^./, (c) => c.toUpperCase())]));

const RULE_CHOICES = { kinds: RULE_KINDS, dateFacts: DATE_FACT_CHOICES, yesNoFacts: BOOLEAN_FACT_CHOICES };

/** The commitment form's fields as the registry takes them; the rule comes from its own fields. */
function commitmentBody(form: Form, forEdit: boolean): { body: Record<string, unknown>; errors: FieldError[] } {
  const { rule, errors: ruleErrors } = ruleFromForm(form);
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
  if (!text(form.section)) errors.push({ field: 'section', reason: 'Select the section the commitment is in' });
  if (!text(form.text)) errors.push({ field: 'text', reason: 'Enter the text of the commitment' });
  if (!form.binds) errors.push({ field: 'binds', reason: 'Select who the commitment binds' });
  if (!form.wording) errors.push({ field: 'wording', reason: 'Select whether the text is the official wording or a summary' });
  return { body, errors: [...errors, ...ruleErrors] };
}

/** The Compact form's fields, checked with the words a person needs; the registry checks the rest. */
function compactBody(form: Form): { body: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = text(form.name);
  const scope = form.scope === 'national' || form.scope === 'local' ? form.scope : undefined;
  const area = text(form.area);
  if (!name) errors.push({ field: 'name', reason: 'Enter the Compact’s name' });
  else if (name.length > 200) errors.push({ field: 'name', reason: 'The name must be 200 characters or fewer' });
  if (!scope) errors.push({ field: 'scope', reason: 'Select whether it is a local Compact or the national Compact' });
  if (scope === 'local' && !area) errors.push({ field: 'area', reason: 'Enter the area the local Compact covers, like Blaby' });
  if (scope === 'national' && area) errors.push({ field: 'area', reason: 'Leave the area empty for the national Compact, or choose a local Compact' });
  if (area && area.length > 120) errors.push({ field: 'area', reason: 'The area must be 120 characters or fewer' });
  const adopted = readDate(datePartsFrom(form, 'adoptedOn'), 'adoptedOn', 'Date adopted', { notFuture: true });
  if (adopted.error) errors.push(adopted.error);
  const status = STATUSES.some((s) => s.value === form.status) ? form.status : undefined;
  if (!status) errors.push({ field: 'status', reason: 'Select the Compact’s status' });
  const sourceUrl = text(form.sourceUrl);
  if (sourceUrl && !/^https?:\/\/\S+\.\S+$/i.test(sourceUrl)) errors.push({ field: 'sourceUrl', reason: 'Enter the web address in full, starting https://, or leave it empty' });
  const summary = text(form.summary);
  if (summary && summary.length > 2000) errors.push({ field: 'summary', reason: 'The summary must be 2,000 characters or fewer' });
  return { body: { name, scope, area, adoptedOn: adopted.value, status, sourceUrl, summary }, errors };
}

/** How a 404 names a Compact asked for by id (as the registry does). */
const COMPACT = (id: string) => `Compact ${id}`;

/** Administrators keep the Compacts: list, add, one Compact's details, sections, commitments and signatories. */
@WebPages('admin')
@PageRoles('administrator')
export class CompactsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly queries: RegistryQueries,
    private readonly editor: RegistryEditor,
    private readonly importer: CompactImporter,
  ) {}

  @Get('compacts')
  async list(@CurrentSession() session: WebSession, @Query('q') q: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const compacts = await this.queries.searchCompacts({ q: text(q)?.slice(0, 200), limit: 500 });
    const flash = await takeFlash(this.sessions, session);
    sendPage(
      reply,
      this.renderer.render(
        'admin/compacts.njk',
        pageContext(session, { title: 'Compacts', currentPath: '/admin/compacts', compacts: compacts.map((c) => ({ ...c, tag: statusTag(c.status) })), q, flash }),
      ),
    );
  }

  @Get('compacts/import')
  importForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    sendPage(reply, this.renderer.render('admin/compact-import.njk', pageContext(session, { title: 'Import a Compact', currentPath: '/admin/compacts', columns: COMPACT_CSV_COLUMNS, guide: COMPACT_CSV_GUIDE })));
  }

  @Get('compacts/new')
  newForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    this.renderCompactForm(reply, session, undefined, { status: 'active' });
  }

  /** A Compact typed in: its details only, as the import writes them; sections and commitments follow on its page. */
  @Post('compacts/new')
  async add(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = compactBody(form);
    if (!errors.length) {
      try {
        const created = await this.importer.importJson(stripEmpty(body));
        await setFlash(this.sessions, session, `${created.name} added. Now add its sections, then its commitments.`);
        return redirect(reply, `/admin/compacts/${created.compactId}`);
      } catch (err) {
        // The importer's words are about a file; on this form the name is what to change.
        if (err instanceof DomainError && err.code === 'COMPACT_EXISTS') errors.push({ field: 'name', reason: `A Compact called ${String(body.name)} already exists. Give this one another name, or edit that one.` });
        else errors.push(...formErrors(err, 'name', COMPACT_LABELS));
      }
    }
    this.renderCompactForm(reply, session, undefined, form, errors, 400);
  }

  @Get('compacts/:id/edit')
  async editForm(@CurrentSession() session: WebSession, @UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const c = await this.queries.compact(id);
    const form: Form = { name: c.name, scope: c.scope, area: c.area ?? '', status: c.status, sourceUrl: c.sourceUrl ?? '', summary: c.summary ?? '' };
    const parts = dateParts(c.adoptedOn);
    Object.assign(form, { 'adoptedOn-day': parts.day, 'adoptedOn-month': parts.month, 'adoptedOn-year': parts.year });
    this.renderCompactForm(reply, session, c, form);
  }

  @Post('compacts/:id/edit')
  async edit(@CurrentSession() session: WebSession, @UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const compact = await this.queries.compact(id);
    const { body, errors } = compactBody(form);
    if (!errors.length) {
      try {
        // An emptied optional field is cleared, not left as it was.
        await this.editor.updateCompact(id, { ...body, area: body.area ?? null, adoptedOn: body.adoptedOn ?? null, sourceUrl: body.sourceUrl ?? null, summary: body.summary ?? null });
        await setFlash(this.sessions, session, `${String(body.name)} saved.`);
        return redirect(reply, `/admin/compacts/${id}`);
      } catch (err) {
        errors.push(...formErrors(err, 'name', COMPACT_LABELS));
      }
    }
    this.renderCompactForm(reply, session, compact, form, errors, 400);
  }

  @Get('compacts/:id')
  async detail(@CurrentSession() session: WebSession, @UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.renderDetail(reply, session, id, { flash: await takeFlash(this.sessions, session) });
  }

  @Post('compacts/:id/sections')
  async addSection(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const errors: FieldError[] = [];
    const code = text(form.code);
    const title = text(form.title);
    if (!code) errors.push({ field: 'code', reason: 'Enter the section’s code, like F or 2' });
    else if (code.length > 20) errors.push({ field: 'code', reason: 'The code must be 20 characters or fewer' });
    if (!title) errors.push({ field: 'title', reason: 'Enter the section’s title, like Funding and Accountability' });
    else if (title.length > 300) errors.push({ field: 'title', reason: 'The title must be 300 characters or fewer' });
    if (!SECTION_KINDS.some((k) => k.value === form.kind)) errors.push({ field: 'kind', reason: 'Select the kind of section' });
    if (!errors.length) {
      try {
        await this.editor.addSection(id, { code, title, kind: form.kind, wording: form.wording === 'summary' ? 'summary' : 'official' });
        await setFlash(this.sessions, session, `Section ${code} added.`);
        return redirect(reply, `/admin/compacts/${id}#sections`);
      } catch (err) {
        errors.push(...formErrors(err, 'code', SECTION_LABELS));
      }
    }
    await this.renderDetail(reply, session, id, { sectionForm: form, openForm: 'section', ...errorView(errors, { kind: 'kind' }, false) }, 400);
  }

  @Post('compacts/:id/commitments')
  async addCommitment(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const { body, errors } = commitmentBody(form, false);
    if (!text(form.reference)) errors.unshift({ field: 'reference', reason: 'Enter the commitment’s reference, like 4.5' });
    if (errors.length) return this.renderDetail(reply, session, id, { form, openForm: 'commitment', ...errorView(errors, ERROR_TARGETS, false) }, 400);
    try {
      await this.editor.addCommitment(id, body);
    } catch (err) {
      return this.renderDetail(reply, session, id, { form, openForm: 'commitment', ...errorView(formErrors(err, 'reference', COMMITMENT_LABELS), ERROR_TARGETS, false) }, 400);
    }
    await setFlash(this.sessions, session, `Commitment ${text(form.reference)} added.`);
    redirect(reply, `/admin/compacts/${id}#commitments`);
  }

  @Get('compacts/:id/commitments/:commitmentId')
  async editCommitmentForm(@CurrentSession() session: WebSession, @UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Param('commitmentId') commitmentId: string, @Res() reply: FastifyReply): Promise<void> {
    const compact = await this.queries.compact(id);
    const commitment = compact.commitments.find((c) => c.id === commitmentId);
    if (!commitment) return this.renderDetail(reply, session, id, {}, 404);
    const form: Form = { section: commitment.sectionCode ?? '', text: commitment.text, binds: commitment.binds, wording: commitment.wording, ...ruleToForm(commitment.rule) };
    this.renderEdit(reply, session, compact, commitment, form);
  }

  @Post('compacts/:id/commitments/:commitmentId')
  async editCommitment(@CurrentSession() session: WebSession, @UuidParam('id', COMPACT, 'COMPACT_NOT_FOUND') id: string, @Param('commitmentId') commitmentId: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const compact = await this.queries.compact(id);
    const commitment = compact.commitments.find((c) => c.id === commitmentId);
    if (!commitment) return this.renderDetail(reply, session, id, {}, 404);
    const { body, errors } = commitmentBody(form, true);
    if (errors.length) return this.renderEdit(reply, session, compact, commitment, form, errorView(errors, ERROR_TARGETS, false), 400);
    try {
      await this.editor.updateCommitment(commitmentId, body);
    } catch (err) {
      return this.renderEdit(reply, session, compact, commitment, form, errorView(formErrors(err, 'text', COMMITMENT_LABELS), ERROR_TARGETS, false), 400);
    }
    await setFlash(this.sessions, session, `Commitment ${commitment.reference} saved.`);
    redirect(reply, `/admin/compacts/${id}#commitments`);
  }

  @Post('compacts/:id/signatories')
  async addSignatory(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const organisationId = text(form.organisationId);
    const signed = readDate(datePartsFrom(form, 'signedOn'), 'signedOn', 'Date signed', { notFuture: true });
    const errors: FieldError[] = [];
    if (!organisationId) errors.push({ field: 'organisationId', reason: 'Select the organisation that signed' });
    if (signed.error) errors.push(signed.error);
    if (!errors.length) {
      try {
        await this.editor.setSignatory(id, organisationId!, { signedOn: signed.value ?? null });
      } catch (err) {
        errors.push(...formErrors(err, 'organisationId', { signedOn: 'Date signed' }));
      }
    }
    if (errors.length) return this.renderDetail(reply, session, id, { signatoryForm: form, openForm: 'signatory', ...errorView(errors, { signedOn: 'signedOn-day' }, false) }, 400);
    await setFlash(this.sessions, session, 'Signatory saved.');
    redirect(reply, `/admin/compacts/${id}#signatories`);
  }

  @Post('compacts/:id/signatories/:organisationId/remove')
  async removeSignatory(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('organisationId') organisationId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.editor.removeSignatory(id, organisationId);
    await setFlash(this.sessions, session, 'Signatory removed.');
    redirect(reply, `/admin/compacts/${id}#signatories`);
  }

  private renderCompactForm(reply: FastifyReply, session: WebSession, compact: CompactDetail | undefined, form: Form, errors: FieldError[] = [], status = 200): void {
    sendPage(
      reply,
      this.renderer.render(
        'admin/compact-form.njk',
        pageContext(session, {
          title: compact ? `Edit the details of ${compact.name}` : 'Add a Compact',
          currentPath: '/admin/compacts',
          compact,
          action: compact ? `/admin/compacts/${compact.id}/edit` : '/admin/compacts/new',
          submitText: compact ? 'Save the details' : 'Add the Compact',
          form: { ...form, adoptedOn: datePartsFrom(form, 'adoptedOn') },
          statusItems: STATUSES.map((s) => ({ value: s.value, text: s.text, hint: s.hint ? { text: s.hint } : undefined, checked: form.status === s.value })),
          ...(errors.length ? errorView(errors, { adoptedOn: 'adoptedOn-day', scope: 'scope', status: 'status' }, false) : {}),
        }),
      ),
      status,
    );
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
          sections: compact.sections.map((s) => ({ ...s, kindText: SECTION_KIND_TEXT.get(s.kind) ?? s.kind })),
          sectionKinds: SECTION_KINDS,
          sectionItems: [{ value: '', text: 'Choose a section' }, ...compact.sections.map((s) => ({ value: s.code, text: `${s.code}: ${s.title}` }))],
          commitments: compact.commitments.map((c) => ({
            ...c,
            sectionText: c.sectionCode ? `${c.sectionCode}${sectionTitles.get(c.sectionCode) ? ` (${sectionTitles.get(c.sectionCode)})` : ''}` : 'No section',
            ruleText: c.rule ? describeRule(c.rule) : 'No rule',
          })),
          ruleChoices: RULE_CHOICES,
          signatories,
          organisationItems: [
            { value: '', text: 'Choose an organisation' },
            ...organisations.filter((o) => !signatories.some((s) => s.organisation.id === o.id)).map((o) => ({ value: o.id, text: `${o.name}${o.area ? ` (${o.area})` : ''}` })),
          ],
          form: { ruleKind: 'none' },
          sectionForm: {},
          signatoryForm: {},
          ...extra,
        }),
      ),
      status,
    );
  }

  private renderEdit(reply: FastifyReply, session: WebSession, compact: CompactDetail, commitment: { id: string; reference: string }, form: Form, errors: Record<string, unknown> = {}, status = 200): void {
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
          ruleChoices: RULE_CHOICES,
          sectionItems: [{ value: '', text: 'Choose a section' }, ...compact.sections.map((s) => ({ value: s.code, text: `${s.code}: ${s.title}` }))],
          ...errors,
        }),
      ),
      status,
    );
  }
}

/** Where each error's link goes: the first input of a group, or the group. */
const ERROR_TARGETS: Record<string, string> = { binds: 'binds', wording: 'wording', ruleKind: 'ruleKind', rulePeriod: 'ruleMonths' };

function stripEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== ''));
}
