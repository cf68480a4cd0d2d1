/**
 * The words of every e-mail the service sends: one plain-text and one HTML version of the same
 * message. Pure functions, no I/O: the outbox row says which template and which facts, this file
 * turns them into words.
 *
 * Rules the templates keep:
 * - The case reference is in every subject, and every e-mail links to the case page.
 * - Plain English for a small charity (GOV.UK style): what happened, what you need to do, what
 *   happens next and by when.
 * - Only the facts a template is written to show are ever shown. `details` carries the shared
 *   fields of an event; any key a template does not name is ignored, so a new (possibly internal)
 *   field never leaks into an e-mail by accident.
 * - Every value is HTML-escaped in the HTML version.
 */
import { DEADLINE_KINDS, feeShares } from '@cc/workflows';
import type { DeadlineKind, NotificationTemplate } from '@cc/workflows';

export type EmailTemplate = NotificationTemplate | 'deadlineReminder' | 'deadlineOverdue';

export type EmailRecipientRole = 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';

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
  /** For the deadline templates. */
  deadlineKind?: DeadlineKind;
  /** ISO 8601; shown as a UK date in Europe/London, e.g. "Monday 7 December 2026". */
  dueAt?: string;
  /** Shared, non-confidential facts of the event. Only the keys a template names are shown. */
  details?: Record<string, string | number | string[] | undefined>;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

// ---------------------------------------------------------------------------------------------
// Formatting: money, dates, names
// ---------------------------------------------------------------------------------------------

const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 123456 -> "£1,234.56". Undefined for anything that is not a whole number of pence. */
export function formatPence(pence: unknown): string | undefined {
  const n = typeof pence === 'string' && /^-?\d+$/.test(pence.trim()) ? Number(pence) : pence;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) return undefined;
  return GBP.format(n / 100);
}

const LONDON_DATE_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const UTC_DATE_PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_TIME_PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): { date: Date; dateOnly: boolean } | undefined {
  if (typeof value !== 'string') return undefined;
  const plain = DATE_ONLY.exec(value.trim());
  if (plain) {
    const date = new Date(Date.UTC(Number(plain[1]), Number(plain[2]) - 1, Number(plain[3])));
    return Number.isNaN(date.getTime()) ? undefined : { date, dateOnly: true };
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : { date: new Date(ms), dateOnly: false };
}

/**
 * GOV.UK style date in Europe/London: "Monday 7 December 2026" (no comma). A plain calendar date
 * ("2026-12-07") is that day, whatever the time zone.
 */
export function formatDate(value: unknown): string | undefined {
  const parsed = parseDate(value);
  if (!parsed) return undefined;
  const parts = (parsed.dateOnly ? UTC_DATE_PARTS : LONDON_DATE_PARTS).formatToParts(parsed.date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** GOV.UK style time in Europe/London: "10am", "2:30pm", "midday", "midnight". */
export function formatTime(value: unknown): string | undefined {
  const parsed = parseDate(value);
  if (!parsed || parsed.dateOnly) return undefined;
  const parts = LONDON_TIME_PARTS.formatToParts(parsed.date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour'));
  const minute = part('minute');
  const period = part('dayPeriod').toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  if (hour === 12 && minute === '00') return period === 'am' ? 'midnight' : 'midday';
  return `${hour}${minute === '00' ? '' : `:${minute}`}${period}`;
}

/** "Wednesday 1 July 2026 at 10am" in Europe/London. */
export function formatDateTime(value: unknown): string | undefined {
  const date = formatDate(value);
  const time = formatTime(value);
  return date && time ? `${date} at ${time}` : date;
}

/** What each clock is called in an e-mail. */
export const DEADLINE_NAMES: Readonly<Record<DeadlineKind, string>> = {
  triage: 'triage of the report',
  informationRequest: 'your answer to our questions',
  respondentReply: "the public body's reply",
  negotiationReview: 'the negotiation review',
  feeAgreement: 'agreeing the mediation fee',
  feePayment: 'paying the mediation fee',
  sessionReminder: 'the mediation session',
  monitoring: 'checking the agreed actions',
};

const REJECTION_REASONS: Record<string, string> = {
  notCompactMatter: 'The report is not about something the Compact covers.',
  respondentNotSignatory: 'The public body has not signed this Compact.',
  outOfTime: 'The report was made too long after the events.',
  insufficientEvidence: 'There is not enough evidence yet to take the case up.',
  duplicate: 'The same matter is already being dealt with in another case.',
};

const MEDIATION_RESULTS: Record<string, string> = {
  settled: 'Settled: the parties reached an agreement',
  partiallySettled: 'Partly settled: the parties agreed some things',
  notSettled: 'Not settled: the parties did not reach an agreement',
};

const CLOSING_OUTCOMES: Record<string, string> = {
  resolved: 'Resolved',
  unresolved: 'Not resolved',
};

/** Where a case is, in words, for staff e-mails. */
const STAGE_NAMES: Record<string, string> = {
  submitted: 'New report, waiting for a caseworker',
  triage: 'Triage',
  'triage.reviewing': 'Triage',
  'triage.awaitingInformation': 'Triage: waiting for information from the reporter',
  advocacy: 'Advocacy',
  'advocacy.preparing': 'Advocacy: preparing to contact the public body',
  'advocacy.awaitingResponse': "Advocacy: waiting for the public body's reply",
  'advocacy.responseOverdue': "Advocacy: the public body's reply is overdue",
  'advocacy.reviewing': 'Advocacy: deciding the next step',
  negotiation: 'Negotiation',
  mediation: 'Mediation',
  'mediation.feeQuoting': 'Mediation: setting the fee',
  'mediation.feeAgreement': 'Mediation: waiting for both sides to agree the fee',
  'mediation.payment': 'Mediation: waiting for the fee to be paid',
  'mediation.appointment': 'Mediation: appointing a mediator',
  'mediation.scheduling': 'Mediation: arranging a session',
  'mediation.sessionScheduled': 'Mediation: session arranged',
  'mediation.sessionHeld': 'Mediation: session held, waiting for the outcome',
  campaigning: 'Wider campaigning',
  resolved: 'Resolved: checking the agreed actions',
  closed: 'Closed',
};

function stageName(label: string): string | undefined {
  if (!label) return undefined;
  if (STAGE_NAMES[label]) return STAGE_NAMES[label];
  const words = label
    .split('.')
    .map((s) => s.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())
    .join(': ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** Who is reading, as the wording needs it. Administrators read what caseworkers read. */
type Reader = 'reporter' | 'staff' | 'mediator' | 'respondent';

const READERS: Record<EmailRecipientRole, Reader> = {
  reporter: 'reporter',
  caseworker: 'staff',
  administrator: 'staff',
  mediator: 'mediator',
  respondent: 'respondent',
};

type FactValue = string | string[] | undefined;

interface Message {
  /** Without the reference; renderEmail puts "[reference] " in front. */
  subject: string;
  /** What happened. */
  intro: string[];
  /** Facts shown as a list of label and value; empty values are left out. */
  facts?: Array<[label: string, value: FactValue]>;
  /** "What you need to do" */
  todo?: string[];
  /** "What happens next" */
  next?: string[];
  /** Descriptive link text; defaults to "View case <reference>". */
  linkText?: string;
}

interface Ctx {
  data: EmailData;
  reader: Reader;
  title: string;
  /** The public body's name, or "the public body". */
  body: string;
  /** The reporting organisation's name, or "the voluntary organisation". */
  org: string;
  /** Formatted dueAt, if given. */
  due?: string;
  /** Read one shared fact of the event: only ever through these helpers. */
  text(key: string): string | undefined;
  list(key: string): string[] | undefined;
}

const REOPEN_NOTE = 'If you think the case should not have been closed, or something changes, contact your caseworker within 90 days. They can reopen it.';
const NOTHING_TO_DO = 'You do not need to do anything now.';

/** Reporters have a caseworker; to everyone else it is "the caseworker". Capitalised: starts a sentence. */
const Caseworker = (c: Ctx) => (c.reader === 'reporter' ? 'Your caseworker' : 'The caseworker');

/** "by Monday 7 December 2026" when the date is known, otherwise the default length. */
const byWhen = (c: Ctx, workingDays: number) => (c.due ? `by ${c.due}` : `within ${workingDays} working days`);

/** The case as the reader knows it. */
const theReport = (c: Ctx) => (c.reader === 'reporter' ? 'your report' : `the report from ${c.org}`);

/** The other side, as the reader knows it, in mediation e-mails. */
const bothSides = (c: Ctx) =>
  c.reader === 'reporter' ? `your organisation and ${c.body}` : c.reader === 'respondent' ? `${c.body} and ${c.org}` : `${c.org} and ${c.body}`;

function feeFacts(c: Ctx): Array<[string, FactValue]> {
  const amount = Number(c.text('amountPence'));
  const percent = Number(c.text('reporterSharePercent'));
  const facts: Array<[string, FactValue]> = [['Mediation fee', formatPence(amount)]];
  if (formatPence(amount) && Number.isInteger(percent) && percent >= 0 && percent <= 100) {
    const shares = feeShares({ amountPence: amount, reporterSharePercent: percent });
    facts.push(
      [c.reader === 'reporter' ? 'Your organisation pays' : `${c.org} pays`, `${formatPence(shares.reporter)} (${percent}%)`],
      [c.reader === 'respondent' ? 'You pay' : `${c.body} pays`, `${formatPence(shares.respondent)} (${100 - percent}%)`],
    );
  }
  return facts;
}

const MESSAGES: Record<EmailTemplate, (c: Ctx) => Message> = {
  caseSubmitted: (c) =>
    c.reader === 'reporter'
      ? {
          subject: `Report received: ${c.title}`,
          intro: [`We have received your report about ${c.body}.`, `Your case reference is ${c.data.caseReference}. Please quote it if you contact us.`],
          next: [
            `A caseworker will look at your report ${byWhen(c, 5)}. They will tell you if we can take it up, or if we need more information from you.`,
          ],
          todo: [NOTHING_TO_DO],
          linkText: `View your case ${c.data.caseReference}`,
        }
      : {
          subject: `New report: ${c.title}`,
          intro: [`${c.org} has reported that ${c.body} has broken a commitment in the Compact.`],
          todo:
            c.reader === 'staff'
              ? [`Assign a caseworker and triage the report ${byWhen(c, 5)}: accept it, reject it, or ask the reporter for more information.`]
              : undefined,
        },

  caseAssigned: (c) =>
    c.reader === 'reporter'
      ? {
          subject: `A caseworker is looking after your case: ${c.title}`,
          intro: ['A caseworker is now looking after your case.'],
          next: ['They will contact you about what happens next.'],
          todo: [NOTHING_TO_DO],
          linkText: `View your case ${c.data.caseReference}`,
        }
      : {
          subject: `Case assigned to you: ${c.title}`,
          intro: [`You are now the caseworker for this case: ${theReport(c)} about ${c.body}.`],
          todo: ['Read the case and take the next step. You will be told about deadlines on this case.'],
        },

  informationRequested: (c) => {
    const questions = c.text('questions');
    return c.reader === 'reporter'
      ? {
          subject: `Information requested: ${c.title}`,
          intro: ['We need more information before we can decide whether to take up your report.'],
          facts: [['Our questions', questions]],
          todo: [`Answer our questions on the case page ${byWhen(c, 10)}.`],
          next: [
            'When you have answered, your caseworker will carry on looking at your report.',
            'If we do not hear from you in time, we will close your case.',
          ],
          linkText: 'Answer the questions on the case page',
        }
      : {
          subject: `Information requested: ${c.title}`,
          intro: [`We have asked ${c.org} for more information about their report.`],
          facts: [['Our questions', questions]],
          next: [`They have ${c.due ? `until ${c.due}` : '10 working days'} to answer. If they do not, the case will close as lapsed.`],
        };
  },

  informationProvided: (c) =>
    c.reader === 'reporter'
      ? {
          subject: `Information received: ${c.title}`,
          intro: ['Thank you. We have received your answer to our questions.'],
          next: ['Your caseworker will carry on looking at your report and tell you what happens next.'],
          todo: [NOTHING_TO_DO],
          linkText: `View your case ${c.data.caseReference}`,
        }
      : {
          subject: `Information provided: ${c.title}`,
          intro: [`${c.org} has answered our questions.`],
          facts: [['Their answer', c.text('answer')]],
          todo: c.reader === 'staff' ? ['Read the answer and finish triage. The triage clock has started again.'] : undefined,
        },

  caseAccepted: (c) =>
    c.reader === 'reporter'
      ? {
          subject: `We are taking up your case: ${c.title}`,
          intro: ['We have looked at your report and we will take it up.'],
          next: [`Your caseworker will contact ${c.body} about it. We will tell you when they reply.`],
          todo: [NOTHING_TO_DO],
          linkText: `View your case ${c.data.caseReference}`,
        }
      : {
          subject: `Case accepted: ${c.title}`,
          intro: [`The report from ${c.org} has been accepted.`],
          next: [`The caseworker will contact ${c.body} about it.`],
        },

  caseRejected: (c) => {
    const facts: Array<[string, FactValue]> = [
      ['Reason', REJECTION_REASONS[c.text('reason') ?? ''] ?? undefined],
      ['Explanation', c.text('explanation')],
      ['Other case', c.text('duplicateOfReference')],
    ];
    return c.reader === 'reporter'
      ? {
          subject: `We cannot take up your report: ${c.title}`,
          intro: ['We have looked at your report carefully. We cannot take it further, so we have closed the case.'],
          facts,
          next: [REOPEN_NOTE],
          linkText: `View your case ${c.data.caseReference}`,
        }
      : {
          subject: `Report rejected: ${c.title}`,
          intro: [`The report from ${c.org} about ${c.body} has been rejected and the case is closed.`],
          facts,
          next: ['It can be reopened within 90 days.'],
        };
  },

  respondentContacted: (c) =>
    c.reader === 'respondent'
      ? {
          subject: `Report of a Compact breach: ${c.title}`,
          intro: [`${c.org} has reported that ${c.body} has not kept a commitment in the Compact. We would like to work with you to resolve it.`],
          todo: [`Please reply to us ${byWhen(c, 20)}.`],
        }
      : {
          subject: `We have contacted ${c.body}: ${c.title}`,
          intro: [`We have written to ${c.body} about ${theReport(c)}.`],
          next: [
            `They have ${c.due ? `until ${c.due}` : '20 working days'} to reply. We will tell you what they say.`,
            'If they do not reply in time, we will chase them.',
          ],
          todo: c.reader === 'reporter' ? [NOTHING_TO_DO] : undefined,
        },

  responseOverdue: (c) =>
    c.reader === 'staff'
      ? {
          subject: `Reply overdue from ${c.body}: ${c.title}`,
          intro: [`${c.body} has not replied in time.`],
          todo: ['Chase them (this gives them 10 more working days), or choose another step.'],
        }
      : c.reader === 'respondent'
        ? {
            subject: `Your reply is overdue: ${c.title}`,
            intro: ['We have not received your reply about this case, and the time to reply has passed.'],
            todo: ['Please reply to us as soon as possible.'],
          }
        : {
            subject: `Reply overdue from ${c.body}: ${c.title}`,
            intro: [`${c.body} has not replied to us in time.`],
            next: [`${Caseworker(c)} will chase them and tell you what happens next.`],
            todo: c.reader === 'reporter' ? [NOTHING_TO_DO] : undefined,
          },

  responseRecorded: (c) => ({
    subject: `${c.body} has replied: ${c.title}`,
    intro: [`${c.body} has replied to us about ${theReport(c)}.`],
    ...(c.reader === 'staff'
      ? { todo: ['Review the reply and choose the next step.'] }
      : { next: [`${Caseworker(c)} will look at the reply, decide the next step and tell you what it is.`], todo: c.reader === 'reporter' ? [NOTHING_TO_DO] : undefined }),
  }),

  caseResolved: (c) => {
    const until = formatDate(c.text('monitorUntil'));
    return {
      subject: `Agreement reached: ${c.title}`,
      intro: [`An agreement has been reached with ${c.body}.`],
      facts: [
        ['Agreed actions', c.list('agreedActions')],
        ['We will check the actions are done by', until],
      ],
      ...(c.reader === 'staff'
        ? { todo: [`Check the agreed actions are carried out${until ? ` by ${until}` : ''}, then record it on the case.`] }
        : {
            next: [
              `We will check that the agreed actions are carried out${until ? ` by ${until}` : ''}.`,
              c.reader === 'reporter' ? 'If they are not carried out, tell your caseworker.' : 'If they are not carried out, we may take the case up again.',
            ],
          }),
    };
  },

  negotiationOpened: (c) => ({
    subject: `Negotiation started: ${c.title}`,
    intro: [`We have started talks with ${c.body} to resolve ${c.reader === 'reporter' ? 'your case' : 'this case'}.`],
    ...(c.reader === 'staff'
      ? { todo: [`Record meetings as they happen. Review the negotiation ${byWhen(c, 30)}.`] }
      : { next: [`We will review how the talks are going ${byWhen(c, 30)} and tell you.`], todo: c.reader === 'reporter' ? [NOTHING_TO_DO] : undefined }),
  }),

  referredToMediation: (c) => ({
    subject: `Referred to mediation: ${c.title}`,
    intro: [
      'This case has been referred to mediation.',
      `A neutral mediator will help ${bothSides(c)} to reach an agreement. The mediator is not connected to either side.`,
    ],
    next: ['Mediation has a fee. We will send both sides the fee and how it is shared. Both sides then have 10 working days to agree it.'],
    todo: c.reader === 'staff' ? ['Quote the mediation fee, or waive it.'] : [NOTHING_TO_DO],
  }),

  feeQuoted: (c) =>
    c.reader === 'staff' || c.reader === 'mediator'
      ? {
          subject: `Mediation fee quoted: ${c.title}`,
          intro: ['The mediation fee has been sent to both sides to agree.'],
          facts: feeFacts(c),
          next: [`Both sides have ${c.due ? `until ${c.due}` : '10 working days'} to agree it.`],
        }
      : {
          subject: `Mediation fee to agree: ${c.title}`,
          intro: ['Here is the fee for mediating this case, and how it is shared between both sides.'],
          facts: feeFacts(c),
          todo: [
            c.reader === 'reporter'
              ? `Agree or decline the fee on the case page ${byWhen(c, 10)}.`
              : `Tell us whether you agree the fee ${byWhen(c, 10)}.`,
          ],
          next: [
            'When both sides have agreed, each side pays its share. Then we appoint a mediator.',
            `If either side declines, or does not answer in time, mediation will not go ahead. ${Caseworker(c)} will then look at other ways forward.`,
          ],
          linkText: c.reader === 'reporter' ? 'Agree or decline the fee on the case page' : undefined,
        },

  feeAgreed: (c) => ({
    subject: `Mediation fee agreed: ${c.title}`,
    intro: ['Both sides have agreed the mediation fee.'],
    ...(c.reader === 'staff'
      ? { todo: [`Record each payment as it arrives. The fee is due in full ${byWhen(c, 10)}.`] }
      : c.reader === 'mediator'
        ? { next: ['A mediator will be appointed when the fee has been paid.'] }
        : {
            todo: [`Pay your share of the fee ${byWhen(c, 10)}. ${Caseworker(c)} will tell you how to pay.`],
            next: ['When the fee has been paid in full, we will appoint a mediator.'],
          }),
  }),

  feeDeclined: (c) => ({
    subject: `Mediation fee declined: ${c.title}`,
    intro: ['The mediation fee has been declined, so mediation will not go ahead for now.'],
    // The reason may be one side's own affairs: only staff see it.
    facts: c.reader === 'staff' ? [['Reason given', c.text('reason')]] : undefined,
    ...(c.reader === 'staff'
      ? { todo: ['Review the case and choose the next step.'] }
      : { next: [`${Caseworker(c)} will look at other ways to resolve the case and tell you what happens next.`] }),
  }),

  feeWaived: (c) => ({
    subject: `Mediation fee waived: ${c.title}`,
    intro: ['The mediation fee has been waived. Nobody needs to pay it.'],
    ...(c.reader === 'staff' ? { todo: ['Appoint a mediator.'] } : { next: ['We will now appoint a neutral mediator, who will contact you to arrange a session.'] }),
  }),

  feePaid: (c) => ({
    subject: `Mediation fee paid: ${c.title}`,
    intro: ['The mediation fee has now been paid in full. Thank you.'],
    ...(c.reader === 'staff' ? { todo: ['Appoint a mediator.'] } : { next: ['We will now appoint a neutral mediator, who will contact you to arrange a session.'] }),
  }),

  mediatorAppointed: (c) =>
    c.reader === 'mediator'
      ? {
          subject: `You are the mediator: ${c.title}`,
          intro: [`You have been appointed as the mediator for this case between ${c.org} and ${c.body}.`],
          todo: ['Arrange a mediation session with both sides and record it on the case page.'],
        }
      : {
          subject: `Mediator appointed: ${c.title}`,
          intro: ['A neutral mediator has been appointed. They are not connected to either side.'],
          next: [c.reader === 'staff' ? 'The mediator will arrange a session with both sides.' : 'The mediator will contact you to arrange a session.'],
          todo: c.reader === 'staff' ? undefined : [NOTHING_TO_DO],
        },

  sessionScheduled: (c) => ({
    subject: `Mediation session arranged: ${c.title}`,
    intro: ['A mediation session has been arranged for this case. If it replaces an earlier date, the new details are below.'],
    facts: [
      ['When', formatDateTime(c.text('startsAt'))],
      ['Where', c.text('location')],
      ['Reason for the change', c.text('reason')],
    ],
    todo:
      c.reader === 'mediator'
        ? ['If the session cannot go ahead, change it on the case page.']
        : c.reader === 'staff'
          ? undefined
          : ['Put the date in your diary. If you cannot attend, tell the mediator as soon as possible.'],
    next: ['We will send a reminder 2 days before the session.'],
  }),

  outcomeRecorded: (c) => {
    const result = c.text('result');
    const until = formatDate(c.text('monitorUntil'));
    const next =
      result === 'notSettled'
        ? c.text('next') === 'close'
          ? 'The case will now be closed.'
          : `${Caseworker(c)} will look at other ways to resolve the case and tell you what happens next.`
        : result
          ? `We will check that the agreed actions are carried out${until ? ` by ${until}` : ''}.`
          : undefined;
    return {
      subject: `Mediation outcome: ${c.title}`,
      intro: ['The mediator has recorded the outcome of the mediation.'],
      facts: [
        ['Outcome', MEDIATION_RESULTS[result ?? ''] ?? undefined],
        ['Summary', c.text('summary')],
        ['Agreed actions', c.list('agreedActions')],
        ['We will check the actions are done by', until],
      ],
      next: next ? [next] : undefined,
    };
  },

  campaignStarted: (c) => ({
    subject: `Wider campaigning: ${c.title}`,
    intro: [`We are taking ${c.reader === 'reporter' ? 'your case' : 'this case'} further through wider campaigning and lobbying.`],
    facts: [['Our plan', c.text('plan')]],
    next: [c.reader === 'staff' ? 'Record campaign activity on the case as it happens.' : `${Caseworker(c)} will keep you up to date and tell you if you can help.`],
  }),

  caseClosed: (c) => ({
    subject: `Case closed: ${c.title}`,
    intro: [c.reader === 'reporter' ? 'Your case is now closed.' : 'This case is now closed.'],
    facts: [
      ['Outcome', CLOSING_OUTCOMES[c.text('outcome') ?? ''] ?? undefined],
      ['Summary', c.text('summary') ?? c.text('reason')],
    ],
    next: [c.reader === 'staff' ? 'It can be reopened within 90 days.' : REOPEN_NOTE],
    todo: c.reader === 'reporter' ? [NOTHING_TO_DO] : undefined,
  }),

  caseWithdrawn: (c) =>
    c.reader === 'reporter'
      ? {
          subject: `Case withdrawn: ${c.title}`,
          intro: ['Your case has been withdrawn, so we have closed it.'],
          facts: [['Your reason', c.text('reason')]],
          next: ['If you change your mind, contact your caseworker within 90 days. They can reopen it.'],
          todo: [NOTHING_TO_DO],
        }
      : {
          subject: `Case withdrawn: ${c.title}`,
          intro: [`${c.org} has withdrawn this case. It is now closed.`],
          facts: [['Their reason', c.text('reason')]],
          next: ['It can be reopened within 90 days.'],
        },

  caseReopened: (c) => ({
    subject: `Case reopened: ${c.title}`,
    intro: [c.reader === 'reporter' ? 'Your case has been reopened.' : 'This case has been reopened.'],
    facts: [['Reason', c.text('reason')]],
    ...(c.reader === 'staff'
      ? { todo: [`Triage the case again ${byWhen(c, 5)}.`] }
      : { next: [`A caseworker will look at it again ${byWhen(c, 5)} and tell you what happens next.`] }),
  }),

  notImplementedReported: (c) => ({
    subject: `Agreed actions not carried out: ${c.title}`,
    intro: [`We have been told that ${c.body} has not carried out the agreed actions.`],
    facts: [['What we were told', c.text('details')]],
    ...(c.reader === 'staff'
      ? { todo: ['The case is back in advocacy review. Review it and choose the next step.'] }
      : { next: [`${Caseworker(c)} will look at the case again and tell you what happens next.`] }),
  }),

  deadlineReminder: (c) => deadlineMessage(c, 'reminder'),
  deadlineOverdue: (c) => deadlineMessage(c, 'overdue'),
};

// ---------------------------------------------------------------------------------------------
// Deadline notices
// ---------------------------------------------------------------------------------------------

/** What the person a clock waits on has to do, as an instruction. */
const ACTIONS: Partial<Record<DeadlineKind, Partial<Record<Reader, string>>>> = {
  triage: { staff: 'Triage the report: accept it, reject it, or ask the reporter for more information.' },
  informationRequest: { reporter: 'Answer our questions on the case page.' },
  respondentReply: {
    respondent: 'Please reply to our letter about this case.',
    staff: 'Chase the public body (this gives them 10 more working days), or choose another step.',
  },
  negotiationReview: { staff: 'Review the negotiation: record a meeting or an agreement, refer the case to mediation, or close it.' },
  feeAgreement: { reporter: 'Agree or decline the mediation fee on the case page.', respondent: 'Tell us whether you agree the mediation fee.' },
  feePayment: { reporter: 'Pay your share of the mediation fee.', respondent: 'Pay your share of the mediation fee.' },
  monitoring: { staff: 'Check whether the agreed actions have been carried out, and record it on the case.' },
};

/** True when the clock waits on the person reading. */
function waitsOnReader(kind: DeadlineKind, reader: Reader): boolean {
  const waitsOn: string = DEADLINE_KINDS[kind].waitsOn;
  if (waitsOn === 'caseworker') return reader === 'staff';
  if (waitsOn === 'parties') return reader === 'reporter' || reader === 'respondent';
  return waitsOn === reader;
}

/** The clock's name as this reader would say it. */
function deadlineName(kind: DeadlineKind | undefined, c: Ctx): string {
  if (!kind) return 'a deadline on this case';
  if (kind === 'informationRequest' && c.reader !== 'reporter') return "the reporter's answer to our questions";
  if (kind === 'respondentReply' && c.reader === 'respondent') return 'your reply';
  return DEADLINE_NAMES[kind] ?? 'a deadline on this case';
}

function deadlineMessage(c: Ctx, notice: 'reminder' | 'overdue'): Message {
  const raw = c.data.deadlineKind;
  const kind = raw && Object.prototype.hasOwnProperty.call(DEADLINE_KINDS, raw) ? raw : undefined;
  const name = deadlineName(kind, c);
  const due = c.due;
  const stage: Array<[string, FactValue]> = c.reader === 'staff' ? [['Where the case is now', stageName(c.data.stateLabel)]] : [];
  const action = kind ? ACTIONS[kind]?.[c.reader] : undefined;
  const mine = kind ? waitsOnReader(kind, c.reader) : false;

  if (kind === 'sessionReminder') {
    // The clock's due time is the moment of the reminder, not the session itself.
    const when = formatDateTime(c.text('startsAt'));
    return {
      subject: notice === 'reminder' ? `Reminder: mediation session in 2 days: ${c.title}` : `Mediation session: ${c.title}`,
      intro: [`This is a reminder that the mediation session for this case is ${when ? `on ${when}` : 'in 2 days'}.`],
      todo:
        c.reader === 'mediator'
          ? ['If the session cannot go ahead, change it on the case page and tell both sides.']
          : c.reader === 'staff'
            ? undefined
            : ['Check the time and place on the case page. If you cannot attend, tell the mediator as soon as possible.'],
      linkText: 'See the time and place on the case page',
    };
  }

  if (notice === 'reminder') {
    const intro = [due ? `This is a reminder that the deadline for ${name} is ${due}.` : `This is a reminder that the deadline for ${name} is coming up.`];
    if (mine && action) {
      return {
        subject: `Reminder: ${name} is due ${due ? `by ${due}` : 'soon'}`,
        intro: c.reader === 'respondent' && kind === 'respondentReply'
          ? [`We wrote to you about a report from ${c.org} that ${c.body} has not kept a commitment in the Compact. We have not yet had your reply.`, ...intro]
          : intro,
        facts: stage,
        todo: [due ? `${action.replace(/\.$/, '')} by ${due}.` : action, ...(c.reader === 'staff' ? [] : ['If you have already done this, thank you: you do not need to do anything.'])],
        next: c.reader === 'reporter' && kind === 'informationRequest' ? ['If we do not hear from you by then, we will close your case.'] : undefined,
      };
    }
    return {
      subject: `Reminder: ${name} is due ${due ? `by ${due}` : 'soon'}`,
      intro,
      facts: stage,
      todo:
        c.reader === 'staff'
          ? [kind === 'respondentReply' ? `If ${c.body} has not replied by then, you will be told and can chase them.` : 'Check the case is on track.']
          : [NOTHING_TO_DO],
      next: c.reader === 'staff' ? undefined : [`${Caseworker(c)} will tell you what happens next.`],
    };
  }

  // Overdue.
  const passed = due ? `The deadline for ${name} was ${due}. It has now passed.` : `The deadline for ${name} has passed.`;
  if (c.reader === 'staff') {
    return { subject: `Overdue: ${name}`, intro: [passed], facts: stage, todo: [action ?? 'Check the case and take the next step.'] };
  }
  if (c.reader === 'reporter') {
    if (kind === 'informationRequest') {
      return {
        subject: `Overdue: ${name}`,
        intro: [passed, 'We cannot look at your report further without your answer, so your case will be closed.'],
        next: ['If you still want us to look at it, contact your caseworker within 90 days. They can reopen it.'],
      };
    }
    return {
      subject: `Overdue: ${name}`,
      intro: [passed, ...(mine ? [] : ['We are sorry this is taking longer than planned.'])],
      todo: mine && action ? [`${action.replace(/\.$/, '')} as soon as possible.`] : [NOTHING_TO_DO],
      next: ['Your caseworker will tell you what happens next.'],
    };
  }
  return {
    subject: `Overdue: ${name}`,
    intro: [passed],
    todo: mine && action ? [`${action.replace(/\.$/, '')} as soon as possible.`] : undefined,
    next: ['The caseworker will be in touch about what happens next.'],
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** Every template this module renders: each notification, plus the two deadline notices. */
export const EMAIL_TEMPLATES: readonly EmailTemplate[] = Object.freeze(Object.keys(MESSAGES) as EmailTemplate[]);

export function isEmailTemplate(value: unknown): value is EmailTemplate {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, value);
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** One line: no line breaks or runs of spaces (a subject is a header). */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const SHORT_TITLE = 60;
function shortTitle(title: string): string {
  const t = oneLine(title);
  if (t.length <= SHORT_TITLE) return t;
  const cut = t.slice(0, SHORT_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > SHORT_TITLE / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:-]+$/, '')}…`;
}

function context(data: EmailData): Ctx {
  const details = data.details ?? {};
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(details, key) ? details[key] : undefined);
  return {
    data,
    reader: READERS[data.recipientRole] ?? 'reporter',
    title: shortTitle(data.caseTitle ?? ''),
    body: data.respondentName?.trim() || 'the public body',
    org: data.reportingOrganisationName?.trim() || 'the voluntary organisation',
    due: formatDate(data.dueAt),
    text: (key) => {
      const v = own(key);
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
      return typeof v === 'string' && v.trim() ? v.trim() : undefined;
    },
    list: (key) => {
      const v = own(key);
      const items = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');
      return items.length ? items.map((x) => x.trim()) : undefined;
    },
  };
}

/**
 * Renders one e-mail. Throws for a template it does not know (the caller records the failure
 * rather than sending something wrong).
 */
export function renderEmail(template: EmailTemplate, data: EmailData): RenderedEmail {
  if (!isEmailTemplate(template)) throw new Error(`Unknown e-mail template: ${String(template)}`);
  const c = context(data);
  const message = MESSAGES[template](c);
  const reference = oneLine(data.caseReference);
  const heading = oneLine(message.subject);
  const subject = `[${reference}] ${heading}`;
  const facts = (message.facts ?? []).filter((f): f is [string, string | string[]] => (Array.isArray(f[1]) ? f[1].length > 0 : !!f[1]));
  const greeting = data.recipientName?.trim() ? `Dear ${oneLine(data.recipientName)},` : 'Hello,';
  const linkText = message.linkText ?? `View case ${reference}`;
  const sections: Array<[string, string[] | undefined]> = [
    ['What you need to do', message.todo],
    ['What happens next', message.next],
  ];
  const caseLine = `Case ${reference}: ${oneLine(data.caseTitle ?? '')}`;

  const text = [
    heading,
    '',
    greeting,
    '',
    ...message.intro.flatMap((p) => [p, '']),
    ...facts.flatMap(([label, value]) => [`${label}:`, ...(Array.isArray(value) ? value.map((v) => `- ${v}`) : [value]), '']),
    ...sections.flatMap(([title, paragraphs]) => (paragraphs?.length ? [title, '', ...paragraphs.flatMap((p) => [p, ''])] : [])),
    caseLine,
    `${linkText}: ${data.caseUrl}`,
    '',
    'Compact Cases',
    '',
  ].join('\n');

  const e = escapeHtml;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c; margin: 0; padding: 16px;">',
    `<h1 style="font-size: 27px; margin: 0 0 20px 0;">${e(heading)}</h1>`,
    `<p>${e(greeting)}</p>`,
    ...message.intro.map((p) => `<p>${e(p)}</p>`),
    ...(facts.length
      ? [
          '<dl>',
          ...facts.map(
            ([label, value]) =>
              `<dt style="font-weight: bold;">${e(label)}</dt><dd style="margin: 0 0 15px 0; white-space: pre-line;">${
                Array.isArray(value) ? `<ul>${value.map((v) => `<li>${e(v)}</li>`).join('')}</ul>` : e(value)
              }</dd>`,
          ),
          '</dl>',
        ]
      : []),
    ...sections.flatMap(([title, paragraphs]) =>
      paragraphs?.length ? [`<h2 style="font-size: 22px; margin: 25px 0 10px 0;">${e(title)}</h2>`, ...paragraphs.map((p) => `<p>${e(p)}</p>`)] : [],
    ),
    `<p>${e(caseLine)}</p>`,
    `<p><a href="${e(data.caseUrl)}" style="color: #1d70b8;">${e(linkText)}</a></p>`,
    '<p>Compact Cases</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
