/**
 * Renders the e-mail of one notification: picks the message file by the notification's template
 * name (libs/notifications/views/emails/<template>.njk) and lays it out as plain text and HTML.
 * The words are in those files and in @cc/wording; this file only gathers the facts they may use.
 *
 * Rules the e-mails keep:
 * - The case reference is in every subject, and every e-mail links to the case page.
 * - Plain English for a small charity (GOV.UK style): what happened, what you need to do, what
 *   happens next and by when.
 * - Only the facts a template is written to show are ever shown. `details` carries the shared
 *   fields of an event; a file reads them only through detail() and items(), by name, so a new
 *   (possibly internal) field never leaks into an e-mail by accident.
 * - Every value is HTML-escaped in the HTML version (the HTML layout escapes what it writes).
 */
import { feeShares } from '@cc/workflows';
import type { DeadlineKind, NotificationTemplate } from '@cc/workflows';
import {
  CHASE_DAYS,
  REOPEN_DAYS,
  SESSION_REMINDER_DAYS,
  closingOutcome,
  deadlineName,
  deadlineToDo,
  deadlineWaitsOn,
  formatDateTimeWithDay,
  formatDateWithDay,
  formatPence,
  isDeadlineKind,
  mediationResultExplained,
  readerOf,
  rejectionSentence,
  stateName,
  workingDaysFor,
  type Reader,
  type RecipientRole,
  type TimedDeadlineKind,
} from '@cc/wording';
import { caseMessage, layOut } from './email-views';

/** 'letter': a letter written on the case (libs/letters); its words travel in the row's details (subject, paragraphs). */
export type EmailTemplate = NotificationTemplate | 'deadlineReminder' | 'deadlineOverdue' | 'letter';

export type EmailRecipientRole = RecipientRole;

export interface EmailData {
  /** e.g. CB-2026-00042; always in the subject. */
  caseReference: string;
  caseTitle: string;
  /** Link to the case page. */
  caseUrl: string;
  recipientName: string;
  recipientRole: EmailRecipientRole;
  /** The case's state when the e-mail was written, e.g. 'advocacy.reviewing'. */
  stateLabel: string;
  respondentName?: string;
  reportingOrganisationName?: string;
  /**
   * False when the reporter asked not to be named to the public body: an e-mail to the public body
   * then calls the reporter "a voluntary organisation in <area>" (the outbox row for a respondent
   * holds no name then; this is the second line of defence).
   */
  reporterNamed?: boolean;
  /** The reporting organisation's area, for the words above. */
  reportingOrganisationArea?: string;
  /** For the deadline templates. */
  deadlineKind?: DeadlineKind;
  /** ISO 8601; shown as a UK date in Europe/London, e.g. "Monday 7 December 2026". */
  dueAt?: string;
  /** Shared, non-confidential facts of the event. Only the keys a template names are shown. */
  details?: Record<string, string | number | string[] | undefined>;
  /** A respondent's single-use sign-in link, minted as the e-mail is sent; the layouts print it. */
  signInUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Every template there is a message file for: each notification, plus the two deadline notices. Typed, so none can be missed. */
const TEMPLATES: Record<EmailTemplate, true> = {
  caseSubmitted: true,
  caseAssigned: true,
  informationRequested: true,
  informationProvided: true,
  caseAccepted: true,
  caseRejected: true,
  respondentContacted: true,
  responseOverdue: true,
  responseRecorded: true,
  caseResolved: true,
  negotiationOpened: true,
  referredToMediation: true,
  feeQuoted: true,
  feeAgreed: true,
  feeDeclined: true,
  feeWaived: true,
  feePaid: true,
  mediatorAppointed: true,
  sessionScheduled: true,
  outcomeRecorded: true,
  campaignStarted: true,
  caseClosed: true,
  caseWithdrawn: true,
  caseReopened: true,
  notImplementedReported: true,
  extensionRequested: true,
  extensionGranted: true,
  extensionRefused: true,
  feePaymentReported: true,
  sessionTimesProposed: true,
  actionsReportedDone: true,
  reviewRequested: true,
  rejectionUpheld: true,
  reopenedAfterReview: true,
  messageReceived: true,
  deadlineReminder: true,
  deadlineOverdue: true,
  letter: true,
};

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = Object.freeze(Object.keys(TEMPLATES) as EmailTemplate[]);

export function isEmailTemplate(value: unknown): value is EmailTemplate {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEMPLATES, value);
}

/** One line: no line breaks or runs of spaces (a subject is a header). */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const SHORT_TITLE = 60;
function shortTitle(title: string): string {
  const t = oneLine(title);
  if (t.length <= SHORT_TITLE) return t;
  const cut = t.slice(0, SHORT_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SHORT_TITLE / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:-]+$/, '')}…`;
}

/** How much the reporting organisation and the public body pay of a quoted fee, when the facts say. */
function feeFor(amount: unknown, sharePercent: unknown) {
  const total = formatPence(amount);
  const percent = Number(sharePercent);
  if (!total) return { total };
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) return { total };
  const shares = feeShares({ amountPence: Number(amount), reporterSharePercent: percent });
  return { total, reporter: `${formatPence(shares.reporter)} (${percent}%)`, respondent: `${formatPence(shares.respondent)} (${100 - percent}%)` };
}

/** What a message file may use: who is reading, the case, the words for its codes, and only the named facts of the event. */
function messageContext(data: EmailData) {
  const details = data.details ?? {};
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(details, key) ? details[key] : undefined);
  const detail = (key: string): string | undefined => {
    const v = own(key);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const items = (key: string): string[] | undefined => {
    const v = own(key);
    const list = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    return list.length ? list.map((x) => x.trim()) : undefined;
  };
  const reader: Reader = readerOf(data.recipientRole);
  const due = formatDateWithDay(data.dueAt);
  const body = data.respondentName?.trim() || 'the public body';
  const anonymous = reader === 'respondent' && data.reporterNamed === false;
  const area = typeof data.reportingOrganisationArea === 'string' ? data.reportingOrganisationArea.trim() : '';
  const org = anonymous ? (area ? `a voluntary organisation in ${area}` : 'a voluntary organisation') : data.reportingOrganisationName?.trim() || 'the voluntary organisation';
  const kind = isDeadlineKind(data.deadlineKind) ? data.deadlineKind : undefined;
  const action = deadlineToDo(kind, reader);
  return {
    reader,
    reference: data.caseReference,
    title: shortTitle(data.caseTitle ?? ''),
    body,
    org,
    /** The same, to start a sentence. */
    Org: org.charAt(0).toUpperCase() + org.slice(1),
    due,
    // Phrases that depend on who is reading.
    /** Reporters have a caseworker; to everyone else it is "the caseworker". Capitalised: it starts a sentence. */
    Caseworker: reader === 'reporter' ? 'Your caseworker' : 'The caseworker',
    theReport: reader === 'reporter' ? 'your report' : `the report from ${org}`,
    bothSides: reader === 'reporter' ? `your organisation and ${body}` : reader === 'respondent' ? `${body} and ${org}` : `${org} and ${body}`,
    /** "by Monday 7 December 2026" when the date is known, otherwise the clock's usual length. */
    byWhen: (clock: TimedDeadlineKind) => (due ? `by ${due}` : `within ${workingDaysFor(clock)} working days`),
    /** "until Monday 7 December 2026", otherwise "10 working days". */
    untilOr: (clock: TimedDeadlineKind) => (due ? `until ${due}` : `${workingDaysFor(clock)} working days`),
    workingDays: workingDaysFor,
    chaseDays: CHASE_DAYS,
    reopenDays: REOPEN_DAYS,
    reminderDays: SESSION_REMINDER_DAYS,
    // The event's facts, by name only.
    detail,
    items,
    fee: feeFor(own('amountPence'), own('reporterSharePercent')),
    /** "1 working day", "5 working days"; nothing when the number is not known. */
    daysText: (n: unknown) => {
      const days = Number(n);
      return typeof n !== 'boolean' && n !== '' && n !== null && Number.isInteger(days) && days > 0 ? `${days} working day${days === 1 ? '' : 's'}` : undefined;
    },
    /** A list of times someone gave (ISO), each as people write it; unreadable ones left out. */
    dateTimes: (key: string) => {
      const list = (items(key) ?? []).map((t) => formatDateTimeWithDay(t)).filter((t): t is string => !!t);
      return list.length ? list : undefined;
    },
    // Codes in words, dates as people write them.
    date: formatDateWithDay,
    dateTime: formatDateTimeWithDay,
    rejectionReason: rejectionSentence,
    mediationResult: mediationResultExplained,
    closingOutcome,
    stage: reader === 'staff' ? stateName(data.stateLabel) : undefined,
    deadline: {
      kind,
      name: deadlineName(kind, reader),
      action,
      /** The action without its full stop, to go on with "by ..." or "as soon as possible". */
      actionStem: action?.replace(/\.$/, ''),
      waitsOnReader: deadlineWaitsOn(kind, reader),
    },
  };
}

/**
 * Renders one e-mail. Throws for a template it does not know (the caller records the failure
 * rather than sending something wrong).
 */
export function renderEmail(template: EmailTemplate, data: EmailData): RenderedEmail {
  if (!isEmailTemplate(template)) throw new Error(`Unknown e-mail template: ${String(template)}`);
  const message = caseMessage(template, messageContext(data));
  const reference = oneLine(data.caseReference);
  const heading = oneLine(message.subject);
  const subject = `[${reference}] ${heading}`;
  const { text, html } = layOut(template === 'letter' ? 'letter' : 'case', {
    ...message,
    subject,
    heading,
    reference,
    recipientName: oneLine(data.recipientName ?? ''),
    caseTitle: oneLine(data.caseTitle ?? ''),
    caseUrl: data.caseUrl,
    signInUrl: typeof data.signInUrl === 'string' && data.signInUrl ? data.signInUrl : undefined,
  });
  return { subject, text, html };
}
