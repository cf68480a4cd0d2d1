import { randomUUID } from 'node:crypto';
import { Body, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CaseAccess } from '@cc/cases';
import { DomainError, FieldError, Forbidden, ValidationFailed, isUuid } from '@cc/common';
import { LetterPreviewView, SentLetters, WriteLetter, attachment, letterBlocks, textToSegments } from '@cc/letters';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';

type Form = Record<string, string | string[] | undefined>;

const ADDRESSED: Record<string, string> = { respondent: 'To the public body', reporter: 'To the reporting organisation', parties: 'To both sides' };

/** The words a field's refusal is shown with on this page. */
const FIELD_IDS: Record<string, string> = { subject: 'letter-subject', body: 'letter-body', recipients: 'letter-recipients', templateId: 'letter-template', requestId: 'letter-body' };

/**
 * A caseworker's letter on a case: pick a template (/cases/:id/letters/new), see it filled in with
 * its gaps marked and edit it (/cases/:id/letters/write), then send it by e-mail and/or keep it on
 * the case to post, or download it as a PDF. Letters are for caseworkers and administrators.
 */
@WebPages('cases')
export class LetterPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly access: CaseAccess,
    private readonly write: WriteLetter,
    private readonly sent: SentLetters,
  ) {}

  @Get(':id/letters/new')
  async pick(@CurrentSession() session: WebSession, @Param('id') id: string, @Res() reply: FastifyReply, error?: string): Promise<void> {
    const seen = await this.access.visible(session.caller, id);
    const choices = await this.write.choices(session.caller, id);
    // The letters the case has everything for come first: they are the ones a caseworker writes now.
    const suggested = choices.filter((x) => x.suggested);
    const others = choices.filter((x) => !x.suggested);
    const item = (x: (typeof choices)[number]) => ({
      value: x.template.id,
      text: x.template.name,
      hint: {
        text: `${ADDRESSED[x.template.addressedTo]}. ${x.template.purpose} ${x.gaps.length ? `Not ready yet: the case does not have ${x.gaps.length === 1 ? x.gaps[0] : `${x.gaps.length} things it needs`}.` : x.suggested ? 'Ready: the case has everything it needs.' : ''}`.trim(),
      },
    });
    const c = seen.row;
    sendPage(
      reply,
      this.renderer.render(
        'letters/pick.njk',
        pageContext(session, {
          title: `Write a letter: ${c.reference}`,
          c: { id: c.id, reference: c.reference, title: c.title },
          choices: [...suggested.map(item), ...others.map(item)],
          any: choices.length > 0,
          errorList: error ? [{ text: error, href: '#letter-template' }] : undefined,
          fieldError: error ? { text: error } : undefined,
        }),
      ),
      error ? 400 : 200,
    );
  }

  @Post(':id/letters/new')
  async picked(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const template = typeof form?.template === 'string' ? form.template : '';
    if (!isUuid(template)) return this.pick(session, id, reply, 'Select the letter to write');
    const seen = await this.access.visible(session.caller, id);
    redirect(reply, `/cases/${seen.row.id}/letters/write?template=${template}`);
  }

  @Get(':id/letters/write')
  async writePage(@CurrentSession() session: WebSession, @Param('id') id: string, @Query('template') template: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (!template || !isUuid(template)) return redirect(reply, `/cases/${encodeURIComponent(id)}/letters/new`);
    const preview = await this.previewOr404(session, id, { templateId: template });
    await this.page(reply, session, id, preview, { requestId: randomUUID(), byEmail: 'yes' });
  }

  @Post(':id/letters/write')
  async submit(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const templateId = one(form?.templateId);
    if (!isUuid(templateId)) return redirect(reply, `/cases/${encodeURIComponent(id)}/letters/new`);
    const requestId = isUuid(one(form?.requestId)) ? one(form?.requestId) : randomUUID();
    const recipients = many(form?.recipients);
    const subject = one(form?.subject);
    const body = one(form?.body);
    const byEmail = one(form?.byEmail) !== 'no';
    const action = one(form?.action);
    const kept = { requestId, byEmail: byEmail ? 'yes' : 'no' };
    const edited = { templateId, recipients, subject, body };
    try {
      if (action === 'pdf') {
        const { pdf, fileName } = await this.write.draftPdf(session.caller, id, edited);
        reply.status(200).headers({ 'content-type': 'application/pdf', 'content-disposition': attachment(fileName), 'cache-control': 'no-store' }).send(pdf);
        return;
      }
      if (action === 'send') {
        const problems: FieldError[] = [];
        if (!recipients.length) problems.push({ field: 'recipients', reason: 'Select who the letter is to' });
        if (!subject.trim()) problems.push({ field: 'subject', reason: 'Enter the subject of the letter' });
        if (!body.trim()) problems.push({ field: 'body', reason: 'Enter the letter' });
        if (problems.length) return this.refused(reply, session, id, edited, kept, problems, 400);
        const sent = await this.write.send(session.caller, id, { ...edited, requestId, byEmail });
        return redirect(reply, `/cases/${sent.caseId}/letters/${sent.id}`);
      }
      // "Check the letter": the edited text again, with what is still missing marked.
      await this.page(reply, session, id, await this.write.preview(session.caller, id, edited), kept);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound' || err.kind === 'forbidden') throw err;
      if (err instanceof ValidationFailed) return this.refused(reply, session, id, edited, kept, err.errors.map((e) => ({ field: e.field.split('.')[0], reason: sentence(e.field, e.reason) })), 400);
      if (err.code === 'LETTER_HAS_GAPS') {
        const gaps = Array.isArray(err.details.gaps) ? err.details.gaps.map(String) : [];
        return this.refused(reply, session, id, edited, kept, gaps.map((g) => ({ field: 'body', reason: `Fill in ${g}` })), 409);
      }
      throw err;
    }
  }

  @Get(':id/letters/:letterId')
  async sentPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('letterId') letterId: string, @Res() reply: FastifyReply): Promise<void> {
    const seen = await this.access.visible(session.caller, id);
    const letter = (await this.sent.of(seen)).find((l) => l.id === letterId);
    if (!letter) throw new DomainError('notFound', 'LETTER_NOT_FOUND', 'That letter was not found.');
    sendPage(
      reply,
      this.renderer.render(
        'letters/sent.njk',
        pageContext(session, {
          title: `${letter.byEmail ? 'Letter sent' : 'Letter kept on the case'}: ${seen.row.reference}`,
          c: { id: seen.row.id, reference: seen.row.reference, title: seen.row.title },
          letter,
          blocks: letterBlocks(letter.body),
        }),
      ),
    );
  }

  /** The preview; a caller who may see the case but not write letters gets the 403 page. */
  private async previewOr404(session: WebSession, id: string, request: { templateId: string }): Promise<LetterPreviewView> {
    try {
      return await this.write.preview(session.caller, id, request);
    } catch (err) {
      // A template that is gone or archived: back to choosing one, said as a 404 page.
      if (err instanceof ValidationFailed && err.errors.some((e) => e.field === 'templateId')) throw new DomainError('notFound', 'LETTER_TEMPLATE_NOT_FOUND', 'That letter template was not found.');
      throw err;
    }
  }

  private async refused(reply: FastifyReply, session: WebSession, id: string, edited: { templateId: string; recipients: string[]; subject: string; body: string }, kept: Record<string, string>, problems: FieldError[], status: number): Promise<void> {
    // The page as the writer left it: their text, their choice of recipients, with each problem at its field.
    let preview: LetterPreviewView;
    try {
      preview = await this.write.preview(session.caller, id, { ...edited, recipients: edited.recipients.length ? edited.recipients : undefined });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      preview = await this.write.preview(session.caller, id, { templateId: edited.templateId, subject: edited.subject, body: edited.body });
    }
    if (!edited.recipients.length) preview = { ...preview, chosen: [] };
    await this.page(reply, session, id, preview, kept, problems, status);
  }

  private async page(reply: FastifyReply, session: WebSession, id: string, preview: LetterPreviewView, kept: Record<string, string>, problems: FieldError[] = [], status = 200): Promise<void> {
    if (session.caller.role !== 'caseworker' && session.caller.role !== 'administrator') throw new Forbidden('LETTERS_STAFF_ONLY', 'Only caseworkers and administrators write letters.');
    const seen = await this.access.visible(session.caller, id);
    const fieldErrors: Record<string, { text: string }> = {};
    for (const p of problems) fieldErrors[p.field] = { text: fieldErrors[p.field] ? `${fieldErrors[p.field].text}. ${p.reason}` : p.reason };
    const marked = (text: string) => textToSegments(text).map((s) => ('gap' in s ? { gap: s.gap } : { text: s.text }));
    sendPage(
      reply,
      this.renderer.render(
        'letters/write.njk',
        pageContext(session, {
          title: `${preview.templateName}: ${seen.row.reference}`,
          c: { id: seen.row.id, reference: seen.row.reference, title: seen.row.title },
          preview,
          addressed: ADDRESSED[preview.addressedTo],
          subjectParts: marked(preview.subject),
          blocks: letterBlocks(preview.body).map((b) => (b.kind === 'list' ? { kind: b.kind, numbered: b.numbered, items: b.items.map(marked) } : { kind: b.kind, parts: marked(b.text) })),
          gapItems: preview.gaps.map((g) => g.charAt(0).toUpperCase() + g.slice(1)),
          recipientItems: preview.recipients.map((r) => ({
            value: r.id,
            text: `${r.name}, ${r.organisation}`,
            hint: { text: [r.jobTitle, r.side === 'reporter' ? 'The reporter' : 'The public body', r.hasEmail ? null : 'No e-mail address: post the letter'].filter(Boolean).join('. ') },
            checked: preview.chosen.includes(r.id),
          })),
          kept,
          errorList: problems.length ? problems.map((p) => ({ text: p.reason, href: `#${FIELD_IDS[p.field] ?? 'letter-body'}` })) : undefined,
          fieldErrors,
        }),
      ),
      status,
    );
  }
}

const one = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const many = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A service refusal in the page's words, e.g. "Recipients 2 is not someone on this case". */
function sentence(field: string, reason: string): string {
  const name = field.split('.')[0];
  const label: Record<string, string> = { subject: 'The subject', body: 'The letter', recipients: 'One of the people chosen', templateId: 'The letter template', requestId: 'This letter' };
  return `${label[name] ?? 'The letter'} ${reason.replace(/: use 'reporter'.*$/, '')}`;
}
