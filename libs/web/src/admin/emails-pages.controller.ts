import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isEmail } from 'class-validator';
import { FieldError, UuidParam, ValidationFailed } from '@cc/common';
import { EMAIL_TEMPLATES, EmailFilter, EmailTemplate, FailedEmails, isEmailTemplate } from '@cc/notifications';
import { humanise, Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { readDateParts } from '../statistics/statistics.controller';
import { setFlash, takeFlash, text } from './admin-page';

/**
 * What each e-mail is, as an administrator would say it. A Record over every template, so a new
 * template cannot be added without a name here (the compiler says so).
 */
export const EMAIL_NAMES: Record<EmailTemplate, string> = {
  caseSubmitted: 'Report received',
  caseAssigned: 'Caseworker assigned',
  informationRequested: 'More information asked for',
  informationProvided: 'More information given',
  caseAccepted: 'Case taken up',
  caseRejected: 'Report not taken up',
  respondentContacted: 'Public body contacted',
  responseOverdue: 'Public body’s reply overdue',
  responseRecorded: 'Public body replied',
  caseResolved: 'Agreement reached',
  negotiationOpened: 'Negotiation started',
  referredToMediation: 'Referred to mediation',
  feeQuoted: 'Mediation fee quoted',
  feeAgreed: 'Mediation fee agreed',
  feeDeclined: 'Mediation fee declined',
  feeWaived: 'Mediation fee waived',
  feePaid: 'Mediation fee paid',
  mediatorAppointed: 'Mediator appointed',
  sessionScheduled: 'Mediation session arranged',
  outcomeRecorded: 'Mediation outcome',
  campaignStarted: 'Wider campaigning started',
  caseClosed: 'Case closed',
  caseWithdrawn: 'Case withdrawn',
  caseReopened: 'Case reopened',
  notImplementedReported: 'Agreed actions not carried out',
  extensionRequested: 'Public body asked for more time',
  extensionGranted: 'More time given to the public body',
  extensionRefused: 'More time refused',
  feePaymentReported: 'Fee share reported paid',
  sessionTimesProposed: 'Session times offered',
  actionsReportedDone: 'Agreed actions reported done',
  reviewRequested: 'Review of a rejection asked for',
  rejectionUpheld: 'Rejection upheld on review',
  reopenedAfterReview: 'Case reopened after review',
  messageReceived: 'New message about a case',
  deadlineReminder: 'Deadline coming up',
  deadlineOverdue: 'Deadline passed',
  letter: 'Letter from a caseworker',
};

const ACCOUNT_EMAIL_NAMES: Record<string, string> = { passwordReset: 'Link to choose a new password', accountInvitation: 'Invitation to a new account', signInLink: 'Link to sign in (public bodies)' };
const nameOf = (template: string) => (isEmailTemplate(template) ? EMAIL_NAMES[template] : (ACCOUNT_EMAIL_NAMES[template] ?? humanise(template)));

const SHOWN = 200;
/** The service's word on a field the form's own checks let through (a year before 100, say). */
const PLAIN: Record<string, string> = {
  template: 'Select an e-mail from the list',
  caseReference: 'Enter the case reference, like CB-2026-00042',
  recipient: 'Enter the e-mail address in the correct format, like name@example.org',
  failedFrom: 'The failed from date must be a real date, like 1 12 2026',
  failedTo: 'The failed to date must be a real date, like 31 12 2026',
};
const plainly = (err: ValidationFailed): FieldError[] => err.errors.map((e) => ({ field: e.field, reason: PLAIN[e.field] ?? `${e.field} ${e.reason}` }));
const FIELD_IDS = { failedFrom: 'failedFrom-day', failedTo: 'failedTo-day' };

type DateParts = { day: string; month: string; year: string };
type Input = Record<string, unknown>;
interface FilterForm {
  template?: string;
  caseReference?: string;
  recipient?: string;
  failedFrom: DateParts;
  failedTo: DateParts;
}

/** The day, month and year boxes; or YYYY-MM-DD, as the retry form and the redirect after it carry the dates. */
function dateParts(input: Input, field: 'failedFrom' | 'failedTo'): DateParts {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof input[field] === 'string' ? (input[field] as string) : '');
  if (iso) return { day: String(Number(iso[3])), month: String(Number(iso[2])), year: iso[1] };
  const pick = (k: string) => (typeof input[`${field}-${k}`] === 'string' ? (input[`${field}-${k}`] as string).slice(0, 10) : '');
  return { day: pick('day'), month: pick('month'), year: pick('year') };
}

/** The filter form (query or posted) as the service's filter, with problems in plain words. */
function readFilter(input: Input): { form: FilterForm; filter: EmailFilter; errors: FieldError[] } {
  const form: FilterForm = {
    template: text(input.template),
    caseReference: text(input.caseReference)?.slice(0, 200),
    recipient: text(input.recipient)?.slice(0, 400),
    failedFrom: dateParts(input, 'failedFrom'),
    failedTo: dateParts(input, 'failedTo'),
  };
  const errors: FieldError[] = [];
  if (form.template && !isEmailTemplate(form.template)) errors.push({ field: 'template', reason: 'Select an e-mail from the list' });
  if (form.caseReference && form.caseReference.length > 40) errors.push({ field: 'caseReference', reason: 'The case reference must be 40 characters or fewer, like CB-2026-00042' });
  if (form.recipient && !isEmail(form.recipient)) errors.push({ field: 'recipient', reason: 'Enter the e-mail address in the correct format, like name@example.org' });
  const from = readDateParts(form.failedFrom, 'from', 'The failed from date');
  const to = readDateParts(form.failedTo, 'to', 'The failed to date');
  if (from.error) errors.push({ field: 'failedFrom', reason: from.error.reason });
  if (to.error) errors.push({ field: 'failedTo', reason: to.error.reason });
  if (from.value && to.value && from.value > to.value) errors.push({ field: 'failedFrom', reason: 'The failed from date must be the same as or before the failed to date' });
  const filter: EmailFilter = { template: form.template, caseReference: form.caseReference, recipient: form.recipient, failedFrom: from.value, failedTo: to.value };
  return { form, filter, errors };
}

/** The filter's non-empty values, for the retry form's hidden fields and the address after it. */
function filterFields(filter: EmailFilter): Array<{ name: string; value: string }> {
  return Object.entries(filter)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .map(([name, value]) => ({ name, value }));
}

/** E-mails that could not be delivered: filter them, send one or all matching again; and the queues. */
@WebPages('admin')
@PageRoles('administrator')
export class EmailsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly emails: FailedEmails,
  ) {}

  @Get('emails')
  async list(@CurrentSession() session: WebSession, @Query() query: Input, @Res() reply: FastifyReply): Promise<void> {
    await this.page(reply, session, readFilter(query ?? {}), await takeFlash(this.sessions, session));
  }

  @Post('emails/retry')
  async retryAll(@CurrentSession() session: WebSession, @Body() body: Input, @Res() reply: FastifyReply): Promise<void> {
    const read = readFilter(body ?? {});
    if (read.errors.length) return this.page(reply, session, read);
    let retried: number;
    try {
      ({ retried } = await this.emails.retryAll(read.filter));
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return this.page(reply, session, { ...read, errors: plainly(err) });
    }
    await setFlash(
      this.sessions,
      session,
      retried === 0
        ? 'No failed e-mails matched, so none were sent again.'
        : `${retried} ${retried === 1 ? 'e-mail' : 'e-mails'} will be sent again. If any fail again, they will come back to this list.`,
    );
    const search = new URLSearchParams(filterFields(read.filter).map((f): [string, string] => [f.name, f.value])).toString();
    redirect(reply, `/admin/emails${search ? `?${search}` : ''}`);
  }

  @Post('emails/:id/retry')
  async retry(@CurrentSession() session: WebSession, @UuidParam('id', (id) => `Notification ${id}`) id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.emails.retry(id);
    await setFlash(this.sessions, session, 'The e-mail is queued to be sent again. If it fails again it will come back to this list.');
    redirect(reply, '/admin/emails');
  }

  private async page(reply: FastifyReply, session: WebSession, read: ReturnType<typeof readFilter>, flash?: string): Promise<void> {
    const { form, filter } = read;
    let errors = read.errors;
    let found: Awaited<ReturnType<FailedEmails['search']>> = { items: [], total: 0 };
    if (!errors.length) {
      try {
        found = await this.emails.search('failed', SHOWN, filter);
      } catch (err) {
        if (!(err instanceof ValidationFailed)) throw err;
        errors = plainly(err);
      }
    }
    const templateItems = [
      { value: '', text: 'Any e-mail', selected: !form.template },
      ...EMAIL_TEMPLATES.map((t) => ({ value: t, text: EMAIL_NAMES[t], selected: form.template === t })).sort((a, b) => a.text.localeCompare(b.text, 'en-GB')),
    ];
    const fields = filterFields(filter);
    sendPage(
      reply,
      this.renderer.render(
        'admin/emails.njk',
        pageContext(session, {
          title: 'Failed e-mails',
          currentPath: '/admin/emails',
          flash,
          form,
          templateItems,
          filter: { ...filter, templateName: filter.template ? nameOf(filter.template) : undefined },
          filtered: fields.length > 0,
          hiddenFields: fields,
          failed: found.items.map((e) => ({ ...e, what: nameOf(e.template) })),
          total: found.total,
          ...(errors.length ? errorView(errors, FIELD_IDS, false) : {}),
        }),
      ),
      errors.length ? 400 : 200,
    );
  }
}
