import { Body, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FieldError, ValidationFailed } from '@cc/common';
import { ADDRESSEES, LetterTemplateView, LetterTemplates, TEMPLATE_LIMITS, fieldList } from '@cc/letters';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from '../admin/admin-page';

type Form = Record<string, string | undefined>;

const ADDRESSED_OPTIONS: Record<string, string> = { respondent: 'The public body', reporter: 'The reporting organisation', parties: 'Both sides (for example a mediation fee or an agreement)' };
const FIELD_IDS: Record<string, string> = { name: 'template-name', purpose: 'template-purpose', addressedTo: 'template-addressed-to', subject: 'template-subject', body: 'template-body', archived: 'template-archived' };
const LABELS: Record<string, string> = { name: 'The name', purpose: 'When to use it', addressedTo: 'Who it is to', subject: 'The subject', body: 'The letter' };

/** /admin/letter-templates: the letters caseworkers write from, kept by administrators. */
@WebPages('admin')
@PageRoles('administrator')
export class LetterTemplatesPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly templates: LetterTemplates,
  ) {}

  @Get('letter-templates')
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const all = await this.templates.list(session.caller, { includeArchived: true });
    sendPage(
      reply,
      this.renderer.render(
        'letters/templates.njk',
        pageContext(session, {
          title: 'Letter templates',
          currentPath: '/admin/letter-templates',
          flash: await takeFlash(this.sessions, session),
          rows: all.map((t) => ({ ...t, addressed: ADDRESSED_OPTIONS[t.addressedTo] })),
        }),
      ),
    );
  }

  @Get('letter-templates/new')
  async newForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    await this.form(reply, session, null, { addressedTo: 'respondent', subject: '{{case.reference}}: ', body: 'Dear {{recipient.name}},\n\n\n\nYours sincerely,\n\n{{sender.name}}\n{{sender.role}}, Compact Advocacy' });
  }

  @Post('letter-templates/new')
  async create(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const values = read(form);
    const missing = required(values);
    if (missing.length) return this.form(reply, session, null, values, missing);
    try {
      const made = await this.templates.create(session.caller, { name: values.name!, purpose: values.purpose, addressedTo: values.addressedTo as (typeof ADDRESSEES)[number], subject: values.subject!, body: values.body! });
      await setFlash(this.sessions, session, `The letter “${made.name}” was added. Caseworkers can write it now.`);
      redirect(reply, '/admin/letter-templates');
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return this.form(reply, session, null, values, err.errors);
    }
  }

  @Get('letter-templates/:id')
  async edit(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const t = await this.templates.get(session.caller, id);
    await this.form(reply, session, t, { name: t.name, purpose: t.purpose, addressedTo: t.addressedTo, subject: t.subject, body: t.body, archived: t.archived ? 'yes' : 'no' });
  }

  @Post('letter-templates/:id')
  async save(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const current = await this.templates.get(session.caller, id);
    const values = read(form);
    const missing = required(values);
    if (missing.length) return this.form(reply, session, current, values, missing);
    try {
      const saved = await this.templates.update(session.caller, id, {
        name: values.name,
        purpose: values.purpose ?? '',
        addressedTo: values.addressedTo as (typeof ADDRESSEES)[number],
        subject: values.subject,
        body: values.body,
        archived: values.archived === 'yes',
      });
      await setFlash(this.sessions, session, saved.archived ? `The letter “${saved.name}” was saved. It is archived: caseworkers are not offered it.` : `The letter “${saved.name}” was saved. Letters written from now on use it.`);
      redirect(reply, '/admin/letter-templates');
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return this.form(reply, session, current, values, err.errors);
    }
  }

  private async form(reply: FastifyReply, session: WebSession, template: LetterTemplateView | null, values: Record<string, string | boolean | undefined>, errors: FieldError[] = []): Promise<void> {
    const fieldErrors: Record<string, { text: string }> = {};
    const list = errors.map((e) => {
      const field = e.field.split('.')[0];
      const text = e.reason.startsWith('Enter') ? e.reason : `${LABELS[field] ?? 'The template'} ${e.reason}`;
      fieldErrors[field] = { text: fieldErrors[field] ? `${fieldErrors[field].text}. ${text}` : text };
      return { text, href: `#${FIELD_IDS[field] ?? 'template-body'}` };
    });
    sendPage(
      reply,
      this.renderer.render(
        'letters/template-edit.njk',
        pageContext(session, {
          title: template ? `Change the letter: ${template.name}` : 'Add a letter template',
          currentPath: '/admin/letter-templates',
          template,
          values,
          action: template ? `/admin/letter-templates/${template.id}` : '/admin/letter-templates/new',
          addressedItems: ADDRESSEES.map((a) => ({ value: a, text: ADDRESSED_OPTIONS[a], checked: values.addressedTo === a })),
          fields: fieldList(),
          limits: TEMPLATE_LIMITS,
          errorList: list.length ? list : undefined,
          fieldErrors,
        }),
      ),
      errors.length ? 400 : 200,
    );
  }
}

function read(form: Form): Record<string, string | undefined> {
  const text = (k: string) => (typeof form?.[k] === 'string' ? form[k]!.replace(/\r\n?/g, '\n') : undefined);
  return { name: text('name')?.trim(), purpose: text('purpose')?.trim(), addressedTo: text('addressedTo'), subject: text('subject')?.trim(), body: text('body'), archived: text('archived') };
}

function required(v: Record<string, string | undefined>): FieldError[] {
  const out: FieldError[] = [];
  if (!v.name) out.push({ field: 'name', reason: 'Enter a name for the letter, like “First letter to the public body”' });
  if (!v.addressedTo || !(ADDRESSEES as readonly string[]).includes(v.addressedTo)) out.push({ field: 'addressedTo', reason: 'Enter who the letter is to: select one' });
  if (!v.subject) out.push({ field: 'subject', reason: 'Enter the subject' });
  if (!v.body?.trim()) out.push({ field: 'body', reason: 'Enter the letter' });
  return out;
}
