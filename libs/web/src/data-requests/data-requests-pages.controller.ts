import { Body, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, NotFound, UuidParam, ValidationFailed } from '@cc/common';
import { CarryOutErasure, DataProtectionRequest, ErasurePreview, DataProtectionRequests, GatherPersonalData, REQUEST_KIND_WORDS, REQUEST_STATUS_WORDS } from '@cc/data-protection';
import { formatDate } from '@cc/wording';
import { Renderer } from '../renderer';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { DateParts, datePartsFrom, readDate, setFlash, takeFlash } from '../admin/admin-page';

type Form = Record<string, string | undefined>;
const REQUEST = 'This request';
const KIND_ITEMS = (chosen?: string) => Object.entries(REQUEST_KIND_WORDS).map(([value, w]) => ({ value, text: w.option, hint: { text: w.hint }, checked: chosen === value }));
const STATUS_TAG: Record<string, string> = { open: 'govuk-tag--yellow', done: 'govuk-tag--green', refused: 'govuk-tag--grey' };

/** Only administrators handle requests; to anyone else these pages do not exist. */
function administratorsOnly(session: WebSession): void {
  if (session.caller.role !== 'administrator') throw new NotFound('This page', 'NOT_FOUND');
}

function view(r: DataProtectionRequest) {
  const whoAsked = r.requestedBy
    ? `${r.requestedBy}${r.requestedByOrganisation ? ` of ${r.requestedByOrganisation}` : ''}, signed in, on the website`
    : `Recorded by ${r.recordedBy ?? 'an administrator'} on ${formatDate(r.createdAt) ?? ''}`;
  return { ...r, whoAsked, kindName: REQUEST_KIND_WORDS[r.kind].name, statusText: REQUEST_STATUS_WORDS[r.status], statusClass: STATUS_TAG[r.status] ?? '' };
}

/** What erasing the person would change, as lines to read. */
function erasureView(p: ErasurePreview) {
  const n = (count: number, one: string, many: string) => (count ? [`${count} ${count === 1 ? one : many}`] : []);
  return {
    ...p,
    changes: [
      ...(p.changes.account ? ['their account is closed, and they are signed out everywhere'] : []),
      ...n(p.changes.contactRecords, 'record of them as a public body’s contact', 'records of them as a public body’s contact'),
      ...n(p.changes.casesNamedOn, 'case they are named on', 'cases they are named on'),
      ...n(p.changes.textsMentioning, 'text that mentions them', 'texts that mention them'),
      ...n(p.changes.emails, 'e-mail sent to them', 'e-mails sent to them'),
      ...n(p.changes.inboundMail, 'e-mail from them', 'e-mails from them'),
    ],
  };
}

/**
 * Requests about a person's data: administrators record, gather, answer and close them
 * (/admin/data-requests); anyone signed in can ask for their own (/account/data-request).
 */
@WebPages()
export class DataRequestsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly requests: DataProtectionRequests,
    private readonly gather: GatherPersonalData,
    private readonly erasure: CarryOutErasure,
  ) {}

  @Get('admin/data-requests')
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const requests = await this.requests.list(session.caller);
    sendPage(
      reply,
      this.renderer.render(
        'data-requests/list.njk',
        pageContext(session, { title: 'Data protection requests', currentPath: '/admin/data-requests', requests: requests.map(view), flash: await takeFlash(this.sessions, session) }),
      ),
    );
  }

  @Get('admin/data-requests/new')
  newForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): void {
    administratorsOnly(session);
    this.renderNew(reply, session, {});
  }

  @Post('admin/data-requests')
  async record(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    administratorsOnly(session);
    const parts = datePartsFrom(form, 'receivedOn');
    const date = readDate(parts, 'receivedOn', 'The date the request was received');
    try {
      if (date.error) throw new ValidationFailed([date.error]);
      const { id } = await this.requests.record(session.caller, { kind: form.kind, email: form.email, receivedOn: date.value, details: form.details });
      await setFlash(this.sessions, session, 'Request recorded. Its one-month clock is on the deadlines page.');
      redirect(reply, `/admin/data-requests/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      this.renderNew(reply, session, form, parts, errorView(err.errors, { kind: 'kind', receivedOn: 'receivedOn-day' }, false), 400);
    }
  }

  @Get('admin/data-requests/:id')
  async show(@CurrentSession() session: WebSession, @UuidParam('id', REQUEST, 'REQUEST_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const request = await this.requests.get(session.caller, id);
    await this.renderShow(reply, session, request, {}, {}, 200, await takeFlash(this.sessions, session));
  }

  /** Erases the person (or says why not, with what to do) and answers the request. */
  @Post('admin/data-requests/:id/erase')
  async erase(@CurrentSession() session: WebSession, @UuidParam('id', REQUEST, 'REQUEST_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.erasure.execute(session.caller, id);
    } catch (err) {
      // Refused (an open case, a legal hold...) or nothing held: the page says so, and the request stays open.
      if (!(err instanceof DomainError && (err.code === 'ERASURE_REFUSED' || err.code === 'PERSON_NOT_FOUND'))) throw err;
      const request = await this.requests.get(session.caller, id);
      const message = err.code === 'PERSON_NOT_FOUND' ? 'Nothing is held about this e-mail address, so there is nothing to erase. Tell them, and mark the request as answered.' : err.message;
      return this.renderShow(reply, session, request, {}, { erasureRefused: message }, 409);
    }
    await setFlash(this.sessions, session, 'They have been erased, and the request is marked as answered. Tell them it is done.');
    redirect(reply, `/admin/data-requests/${id}`);
  }

  /** The export, made now and sent straight back: nothing of it is kept on the server. */
  @Post('admin/data-requests/:id/gather')
  async download(@CurrentSession() session: WebSession, @UuidParam('id', REQUEST, 'REQUEST_NOT_FOUND') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { fileName, stream } = await this.gather.zip(session.caller, id);
    reply.status(200).type('application/zip').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(stream);
  }

  /** Two more months for a complex request, with the reason the person must be told. */
  @Post('admin/data-requests/:id/extend')
  async extend(@CurrentSession() session: WebSession, @UuidParam('id', REQUEST, 'REQUEST_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    try {
      const extended = await this.requests.extend(session.caller, id, { reason: form.reason });
      await setFlash(this.sessions, session, `The request now has to be answered by ${formatDate(extended.dueOn)}. Tell them now, and why, if you have not already.`);
      redirect(reply, `/admin/data-requests/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationFailed || (err instanceof DomainError && err.kind === 'conflict'))) throw err;
      const request = await this.requests.get(session.caller, id);
      if (err instanceof ValidationFailed) return this.renderShow(reply, session, request, form, errorView(err.errors, { reason: 'extension-reason' }, false), 400);
      return this.renderShow(reply, session, request, form, { extensionRefused: err.message }, 409);
    }
  }

  @Post('admin/data-requests/:id/close')
  async close(@CurrentSession() session: WebSession, @UuidParam('id', REQUEST, 'REQUEST_NOT_FOUND') id: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    try {
      const done = await this.requests.close(session.caller, id, { outcome: form.outcome, note: form.note });
      await setFlash(this.sessions, session, done.status === 'done' ? 'The request is marked as answered. Its clock has stopped.' : 'The request is marked as refused. Its clock has stopped.');
      redirect(reply, `/admin/data-requests/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const request = await this.requests.get(session.caller, id);
      await this.renderShow(reply, session, request, form, errorView(err.errors, { outcome: 'outcome' }, false), 400);
    }
  }

  @Get('account/data-request')
  async askForm(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    await this.renderAsk(reply, session, {});
  }

  @Post('account/data-request')
  async ask(@CurrentSession() session: WebSession, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    try {
      const asked = await this.requests.ask(session.caller, { kind: form.kind, details: form.details });
      const kind = REQUEST_KIND_WORDS[form.kind as keyof typeof REQUEST_KIND_WORDS].name.toLowerCase();
      await setFlash(
        this.sessions,
        session,
        asked.alreadyAsked ? `You have already asked: your ${kind} is open, and we will answer it by the date shown below.` : `Your ${kind} has been sent. We will answer it within one month.`,
      );
      redirect(reply, '/account/data-request');
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      await this.renderAsk(reply, session, form, errorView(err.errors, { kind: 'kind' }, false), 400);
    }
  }

  private async renderAsk(reply: FastifyReply, session: WebSession, form: Form, errors: Record<string, unknown> = {}, status = 200): Promise<void> {
    const mine = await this.requests.mine(session.caller);
    sendPage(
      reply,
      this.renderer.render(
        'data-requests/ask.njk',
        pageContext(session, {
          title: 'Ask for your data',
          currentPath: '/account',
          form,
          kindItems: [
            { value: 'access', text: 'A copy of the personal data you hold about me', hint: { text: 'Everything about you: your account, the cases you are part of or named in, what you wrote, e-mails to and from you.' }, checked: form.kind === 'access' },
            { value: 'erasure', text: 'Erase my personal data', hint: { text: 'We replace your name and e-mail address on every record and close your account, unless we must keep them, for example while a case you are on is open.' }, checked: form.kind === 'erasure' },
          ],
          mine: mine.map(view),
          flash: await takeFlash(this.sessions, session),
          ...errors,
        }),
      ),
      status,
    );
  }

  private renderNew(reply: FastifyReply, session: WebSession, form: Form, parts?: DateParts, errors: Record<string, unknown> = {}, status = 200): void {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).split('-');
    sendPage(
      reply,
      this.renderer.render(
        'data-requests/new.njk',
        pageContext(session, {
          title: 'Record a data protection request',
          currentPath: '/admin/data-requests',
          form,
          kindItems: KIND_ITEMS(form.kind),
          receivedParts: parts ?? { day: String(Number(today[2])), month: String(Number(today[1])), year: today[0] },
          ...errors,
        }),
      ),
      status,
    );
  }

  private async renderShow(reply: FastifyReply, session: WebSession, request: DataProtectionRequest, form: Form, errors: Record<string, unknown> = {}, status = 200, flash?: string): Promise<void> {
    const preview = await this.erasure.preview(session.caller, request);
    sendPage(
      reply,
      this.renderer.render(
        'data-requests/request.njk',
        pageContext(session, { title: `${REQUEST_KIND_WORDS[request.kind].name} from ${request.email}`, currentPath: '/admin/data-requests', request: view(request), erasure: preview && erasureView(preview), form, flash, ...errors }),
      ),
      status,
    );
  }
}
