import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, UuidParam, ValidationFailed } from '@cc/common';
import { FILE_AS, type FileAs, LISTED_STATUSES, type ListedStatus, MailToSort } from '@cc/inbound-mail';
import { setFlash, takeFlash } from '../admin/admin-page';
import { pageContext, redirect, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';

const MAIL = 'That e-mail';

/** E-mails a page lists; older ones are a link away. */
const MAIL_PAGE = 50;

/** The lists a caseworker can look at, the waiting one first; each name says what is in it. */
const LISTS: Array<{ status: ListedStatus; text: string }> = [
  { status: 'to_sort', text: 'Waiting to be sorted' },
  { status: 'filed', text: 'Put on a case' },
  { status: 'discarded', text: 'Discarded' },
  { status: 'auto_reply', text: 'Automatic replies' },
  { status: 'bounce', text: 'Delivery failures' },
];

interface FileForm {
  values: { caseReference?: string; as?: string };
  errorList?: Array<{ text: string; href: string }>;
  fieldErrors?: Record<string, { text: string }>;
}

/**
 * /mail-to-sort: replies that could not be put on a case by themselves, for caseworkers and
 * administrators to file on a case or discard; the same use case as /api/inbound-mail decides.
 */
@WebPages('mail-to-sort')
@PageRoles('caseworker', 'administrator')
export class MailToSortPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly mail: MailToSort,
  ) {}

  @Get()
  async list(@CurrentSession() session: WebSession, @Query('status') status: string | undefined, @Query('before') before: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const shown: ListedStatus = (LISTED_STATUSES as readonly string[]).includes(status ?? '') && status !== 'received' ? (status as ListedStatus) : 'to_sort';
    const listHref = shown === 'to_sort' ? '/mail-to-sort' : `/mail-to-sort?status=${shown}`;
    // One more than a page, to know whether there are older ones. A "before" that names no e-mail
    // of this list (an old link: the e-mail was sorted since) starts again from the newest.
    const page = (from: string | undefined) => this.mail.list(session.caller, { status: shown, limit: MAIL_PAGE + 1, before: from });
    const [{ rows, restarted }, waiting] = await Promise.all([
      page(before).then(
        (rows) => ({ rows, restarted: false }),
        (err: unknown) => {
          if (!(err instanceof ValidationFailed)) throw err;
          return page(undefined).then((rows) => ({ rows, restarted: true }));
        },
      ),
      this.mail.waiting(session.caller),
    ]);
    const items = rows.slice(0, MAIL_PAGE);
    const older = rows.length > MAIL_PAGE ? `${listHref}${listHref.includes('?') ? '&' : '?'}before=${items[items.length - 1].id}` : null;
    const html = this.renderer.render(
      'mail-to-sort/list.njk',
      pageContext(session, {
        title: 'Mail to sort',
        currentPath: '/mail-to-sort',
        flash: await takeFlash(this.sessions, session),
        items,
        waiting,
        shown,
        older,
        newest: before && !restarted ? listHref : null,
        lists: LISTS.map((l) => ({ ...l, current: l.status === shown, href: l.status === 'to_sort' ? '/mail-to-sort' : `/mail-to-sort?status=${l.status}` })),
        shownText: LISTS.find((l) => l.status === shown)?.text,
      }),
    );
    sendPage(reply, html);
  }

  @Get(':id')
  async show(@CurrentSession() session: WebSession, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, id, { values: { as: 'message' } });
  }

  @Get(':id/original')
  async original(@CurrentSession() session: WebSession, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.mail.original(session.caller, id);
    // A download, never shown as a page: its HTML is whatever the sender wrote.
    reply
      .status(200)
      .headers({ 'content-type': 'message/rfc822', 'content-disposition': `attachment; filename="${file.fileName}"`, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' })
      .send(file.raw);
  }

  @Post(':id/file')
  async file(@CurrentSession() session: WebSession, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const caseReference = typeof body?.caseReference === 'string' ? body.caseReference.trim() : '';
    const as = typeof body?.as === 'string' && (FILE_AS as readonly string[]).includes(body.as) ? (body.as as FileAs) : undefined;
    const values = { caseReference, as: typeof body?.as === 'string' ? body.as : undefined };
    const problems: Array<{ field: string; text: string }> = [];
    if (!caseReference) problems.push({ field: 'caseReference', text: 'Enter the reference of the case to put the e-mail on, like CB-2026-00042' });
    else if (caseReference.length > 40) problems.push({ field: 'caseReference', text: 'A case reference is at most 40 characters, like CB-2026-00042' });
    if (!as) problems.push({ field: 'as', text: 'Choose whether it goes on the case as a message from the sender or as an internal note' });
    if (problems.length) return this.render(reply, session, id, formWith(values, problems), 400);
    try {
      const filed = await this.mail.file(session.caller, id, { caseReference, as: as! });
      const documents = filed.attachmentsKept ? ` ${filed.attachmentsKept === 1 ? 'Its attachment was' : `${filed.attachmentsKept} attachments were`} added to the case's documents.` : '';
      await setFlash(this.sessions, session, `The e-mail was put on ${filed.caseReference} as ${filed.filedAs === 'message' ? 'a message from the sender' : 'an internal note'}.${documents}`);
      return redirect(reply, '/mail-to-sort');
    } catch (err) {
      if (err instanceof ValidationFailed) return this.render(reply, session, id, formWith(values, [{ field: 'caseReference', text: `There is no case with the reference ${caseReference.toUpperCase()}. Check the reference on the case page` }]), 400);
      if (err instanceof DomainError && err.code === 'SENDER_CANNOT_SEE_CASE') return this.render(reply, session, id, formWith(values, [{ field: 'as', text: err.message }]), 409);
      if (err instanceof DomainError && err.code === 'INBOUND_MAIL_ALREADY_SORTED') return this.sorted(reply, session);
      throw err;
    }
  }

  @Get(':id/discard')
  async confirmDiscard(@CurrentSession() session: WebSession, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const mail = await this.mail.get(session.caller, id);
    if (mail.status !== 'to_sort') return this.sorted(reply, session);
    sendPage(reply, this.renderer.render('mail-to-sort/discard.njk', pageContext(session, { title: 'Discard this e-mail?', currentPath: '/mail-to-sort', mail })));
  }

  @Post(':id/discard')
  async discard(@CurrentSession() session: WebSession, @UuidParam('id', MAIL, 'INBOUND_MAIL_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.mail.discard(session.caller, id);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INBOUND_MAIL_ALREADY_SORTED') return this.sorted(reply, session);
      throw err;
    }
    await setFlash(this.sessions, session, 'The e-mail was discarded. It is kept, with who discarded it, under "Discarded".');
    redirect(reply, '/mail-to-sort');
  }

  /** Someone else sorted it first: back to the list, saying so. */
  private async sorted(reply: FastifyReply, session: WebSession): Promise<void> {
    await setFlash(this.sessions, session, 'That e-mail is not waiting to be sorted any more: someone else has filed or discarded it.');
    redirect(reply, '/mail-to-sort');
  }

  private async render(reply: FastifyReply, session: WebSession, id: string, form: FileForm, status = 200): Promise<void> {
    const mail = await this.mail.get(session.caller, id);
    const html = this.renderer.render(
      'mail-to-sort/mail.njk',
      pageContext(session, {
        title: mail.subject ? `E-mail: ${mail.subject}` : 'E-mail with no subject',
        currentPath: '/mail-to-sort',
        mail,
        form,
        ...(form.errorList ? { errorList: form.errorList } : {}),
      }),
    );
    sendPage(reply, html, status);
  }
}

function formWith(values: FileForm['values'], problems: Array<{ field: string; text: string }>): FileForm {
  const ids: Record<string, string> = { caseReference: 'case-reference', as: 'file-as' };
  return {
    values,
    errorList: problems.map((p) => ({ text: p.text, href: `#${ids[p.field]}` })),
    fieldErrors: Object.fromEntries(problems.map((p) => [p.field, { text: p.text }])),
  };
}
