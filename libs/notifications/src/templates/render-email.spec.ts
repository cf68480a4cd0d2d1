import type { DeadlineKind, NotificationTemplate } from '@cc/workflows';
import { DEADLINE_KINDS } from '@cc/workflows';
import {
  DEADLINE_NAMES,
  EMAIL_TEMPLATES,
  formatDate,
  formatDateTime,
  formatPence,
  formatTime,
  isEmailTemplate,
  renderEmail,
  type EmailData,
  type EmailTemplate,
} from './index';

const URL = 'https://cases.example/cases/2f0c1e7a';

const base: EmailData = {
  caseReference: 'CB-2026-00042',
  caseTitle: 'Grant ended with two weeks notice',
  caseUrl: URL,
  recipientName: 'Rita Reporter',
  recipientRole: 'reporter',
  stateLabel: 'advocacy.reviewing',
  respondentName: 'Harborough District Council',
  reportingOrganisationName: 'Harborough Food Bank',
};

/** Every shared fact any template shows, so each template renders its fullest version. */
const fullDetails: EmailData['details'] = {
  questions: 'When did the council write to you?',
  answer: 'On 1 October.',
  reason: 'notCompactMatter',
  explanation: 'The grant was not made under the Compact.',
  amountPence: 60_000,
  reporterSharePercent: 25,
  agreedActions: ['Restore the grant', 'Give three months notice of any change'],
  monitorUntil: '2026-07-01',
  startsAt: '2026-07-01T09:00:00Z',
  location: 'Civic Centre, Room 2',
  result: 'settled',
  summary: 'Both sides agreed a way forward.',
  outcome: 'resolved',
  plan: 'Write to local councillors.',
  details: 'The grant was not restored.',
  workingDays: 10,
  times: ['2027-01-12T10:00:00Z', '2027-01-14T14:30:00Z'],
  note: 'Paid by BACS, reference 4417.',
  party: 'respondent',
};

const ROLES = ['reporter', 'caseworker', 'mediator', 'administrator', 'respondent'] as const;

/** Compile-time: every notification the workflow can ask for has an e-mail (and nothing else does). */
const NOTIFICATION_TEMPLATES: Record<NotificationTemplate, true> = {
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
};

const textOf = (template: EmailTemplate, data: Partial<EmailData> = {}) => renderEmail(template, { ...base, ...data });

describe('EMAIL_TEMPLATES', () => {
  it('lists every notification template, the two deadline notices and the letter, once each', () => {
    expect([...EMAIL_TEMPLATES].sort()).toEqual([...Object.keys(NOTIFICATION_TEMPLATES), 'deadlineOverdue', 'deadlineReminder', 'letter'].sort());
    expect(new Set(EMAIL_TEMPLATES).size).toBe(EMAIL_TEMPLATES.length);
  });

  it('refuses a template it does not know', () => {
    expect(isEmailTemplate('caseSubmitted')).toBe(true);
    expect(isEmailTemplate('toString')).toBe(false);
    expect(() => renderEmail('noSuchTemplate' as EmailTemplate, base)).toThrow('Unknown e-mail template: noSuchTemplate');
  });
});

describe('renderEmail: every template for every role', () => {
  const cases = EMAIL_TEMPLATES.flatMap((template) =>
    ROLES.flatMap((role) => [
      [template, role, 'all facts'] as const,
      [template, role, 'no facts'] as const,
    ]),
  );

  it.each(cases)('%s for a %s (%s): reference in the subject, link in text and HTML, nothing missing', (template, role, facts) => {
    const email = renderEmail(template, {
      ...base,
      recipientRole: role,
      details: facts === 'all facts' ? fullDetails : undefined,
      deadlineKind: facts === 'all facts' ? 'respondentReply' : undefined,
      dueAt: facts === 'all facts' ? '2026-12-07T17:00:00Z' : undefined,
    });
    expect(email.subject.startsWith('[CB-2026-00042] ')).toBe(true);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain(URL);
    expect(email.html).toContain(`href="${URL}"`);
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(email.html).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
    expect(email.html).toContain('<title>[CB-2026-00042] ');
    // Descriptive link text, never the bare URL or "click here".
    const link = /<a href="[^"]*"[^>]*>([^<]+)<\/a>/.exec(email.html)?.[1] ?? '';
    expect(link.length).toBeGreaterThan(10);
    expect(link).not.toMatch(/click here|https?:/i);
    for (const out of [email.subject, email.text, email.html]) expect(out).not.toMatch(/undefined|NaN|\[object|null/);
  });

  it('greets the reader by name and names the case in the body', () => {
    const email = textOf('caseAccepted');
    expect(email.text).toContain('Dear Rita Reporter,');
    expect(email.text).toContain('Case CB-2026-00042: Grant ended with two weeks notice');
    expect(email.html).toContain('<p>Dear Rita Reporter,</p>');
  });

  it('says what to do and what happens next, with the date when it is known', () => {
    const email = textOf('informationRequested', { details: { questions: 'Do you have the letter?' }, dueAt: '2026-12-07T17:00:00Z' });
    expect(email.text).toContain('What you need to do');
    expect(email.text).toContain('Answer our questions on the case page by Monday 7 December 2026.');
    expect(email.text).toContain('What happens next');
    expect(email.html).toContain('<h2');
    // Without a date the default length is given instead.
    expect(textOf('informationRequested').text).toContain('within 10 working days');
  });
});

describe('exact subjects', () => {
  it('puts the reference first and a short title after the subject line', () => {
    expect(textOf('informationRequested').subject).toBe('[CB-2026-00042] Information requested: Grant ended with two weeks notice');
    expect(textOf('caseSubmitted').subject).toBe('[CB-2026-00042] Report received: Grant ended with two weeks notice');
    expect(textOf('caseSubmitted', { recipientRole: 'caseworker' }).subject).toBe('[CB-2026-00042] New report: Grant ended with two weeks notice');
    expect(textOf('deadlineOverdue', { recipientRole: 'caseworker', deadlineKind: 'triage', dueAt: '2026-12-07T17:00:00Z' }).subject).toBe(
      '[CB-2026-00042] Overdue: triage of the report',
    );
    expect(textOf('deadlineReminder', { recipientRole: 'respondent', deadlineKind: 'respondentReply', dueAt: '2026-12-07T17:00:00Z' }).subject).toBe(
      '[CB-2026-00042] Reminder: your reply is due by Monday 7 December 2026',
    );
  });

  it('shortens a long title at a word and keeps line breaks out of the subject', () => {
    const caseTitle = 'The council cut our youth work grant with two weeks notice\nand without any consultation of the groups affected';
    const { subject, text } = textOf('caseAccepted', { caseTitle });
    expect(subject).toBe('[CB-2026-00042] We are taking up your case: The council cut our youth work grant with two weeks notice…');
    // The body keeps the whole title.
    expect(text).toContain('without any consultation of the groups affected');
  });
});

describe('HTML escaping', () => {
  it('escapes every value: title, names, facts and the link', () => {
    const email = renderEmail('informationRequested', {
      ...base,
      caseTitle: '<script>alert("x")</script>',
      recipientName: 'Rita <b>Reporter</b>',
      respondentName: 'Smith & Sons "Council"',
      caseUrl: 'https://cases.example/cases/1?a=1&b="2"',
      details: { questions: "a < b & 'c'" },
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('Rita &lt;b&gt;Reporter&lt;/b&gt;');
    expect(email.html).toContain('a &lt; b &amp; &#39;c&#39;');
    expect(email.html).toContain('href="https://cases.example/cases/1?a=1&amp;b=&quot;2&quot;"');
    // Plain text and the subject are not HTML: they keep the characters as written.
    expect(email.subject).toBe('[CB-2026-00042] Information requested: <script>alert("x")</script>');
    expect(email.text).toContain("a < b & 'c'");
  });

  it('escapes list items and names in facts', () => {
    const email = renderEmail('caseResolved', {
      ...base,
      respondentName: '<i>Council</i>',
      details: { agreedActions: ['<img src=x onerror=alert(1)>'], monitorUntil: '2026-07-01' },
    });
    expect(email.html).not.toMatch(/<img|<i>/);
    expect(email.html).toContain('<li>&lt;img src=x onerror=alert(1)&gt;</li>');
  });
});

describe('money', () => {
  it('formats pence as pounds', () => {
    expect(formatPence(123456)).toBe('£1,234.56');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(60000)).toBe('£600.00');
    expect(formatPence(100_000_000)).toBe('£1,000,000.00');
    expect(formatPence('2500')).toBe('£25.00');
    expect(formatPence(12.5)).toBeUndefined();
    expect(formatPence('a lot')).toBeUndefined();
  });

  it('shows the fee and each side’s share in the fee e-mail', () => {
    const email = textOf('feeQuoted', { details: { amountPence: 123456, reporterSharePercent: 25 } });
    expect(email.text).toContain('Mediation fee:\n£1,234.56');
    expect(email.text).toContain('Your organisation pays:\n£308.64 (25%)');
    expect(email.text).toContain('Harborough District Council pays:\n£925.92 (75%)');
    expect(email.html).toContain('£1,234.56');
    const toCouncil = textOf('feeQuoted', { recipientRole: 'respondent', details: { amountPence: 123456, reporterSharePercent: 25 } });
    expect(toCouncil.text).toContain('Harborough Food Bank pays:\n£308.64 (25%)');
    expect(toCouncil.text).toContain('You pay:\n£925.92 (75%)');
  });
});

describe('dates in Europe/London', () => {
  it('formats a GMT date', () => {
    expect(formatDate('2026-12-07T10:00:00Z')).toBe('Monday 7 December 2026');
    expect(formatDate('2026-12-31T23:30:00Z')).toBe('Thursday 31 December 2026');
    expect(formatDateTime('2026-12-10T14:30:00Z')).toBe('Thursday 10 December 2026 at 2:30pm');
  });

  it('formats a BST date: late evening UTC is already the next day in London', () => {
    expect(formatDate('2026-06-30T23:30:00Z')).toBe('Wednesday 1 July 2026');
    expect(formatDateTime('2026-07-01T09:00:00Z')).toBe('Wednesday 1 July 2026 at 10am');
    expect(formatTime('2026-07-01T11:00:00Z')).toBe('midday');
    expect(formatTime('2026-06-30T23:00:00Z')).toBe('midnight');
  });

  it('takes a plain calendar date as that day, and ignores what is not a date', () => {
    expect(formatDate('2026-07-01')).toBe('Wednesday 1 July 2026');
    expect(formatDate('2026-12-07')).toBe('Monday 7 December 2026');
    expect(formatDateTime('2026-07-01')).toBe('Wednesday 1 July 2026');
    expect(formatDate('soon')).toBeUndefined();
    expect(formatDate(undefined)).toBeUndefined();
  });

  it('renders the due date and session time in the e-mails', () => {
    expect(textOf('deadlineReminder', { deadlineKind: 'informationRequest', dueAt: '2026-06-30T23:30:00Z' }).text).toContain(
      'Answer our questions on the case page by Wednesday 1 July 2026.',
    );
    const session = textOf('sessionScheduled', { details: { startsAt: '2026-12-10T14:30:00Z', location: 'Civic Centre' } });
    expect(session.text).toContain('When:\nThursday 10 December 2026 at 2:30pm');
    expect(session.text).toContain('Where:\nCivic Centre');
  });
});

describe('only the facts a template is designed to show', () => {
  const SECRET = 'INTERNAL-NOTE-7f3a';
  const leaky = { ...fullDetails, note: SECRET, internalNote: SECRET, mediatorNote: SECRET, contactEmail: `${SECRET}@council.example`, mediatorId: SECRET };

  // These name `note` on purpose: it is a field their own event shares (the caseworker's note with
  // an extension, a party's note with its times or its payment); every other template must ignore it.
  const SHOWS_NOTE: readonly EmailTemplate[] = ['extensionGranted', 'sessionTimesProposed', 'feePaymentReported'];

  it.each(EMAIL_TEMPLATES.flatMap((t) => ROLES.map((r) => [t, r] as const)))('%s for a %s ignores unknown detail keys', (template, role) => {
    const details = SHOWS_NOTE.includes(template) ? { ...leaky, note: 'Shared note' } : leaky;
    const email = renderEmail(template, { ...base, recipientRole: role, details, deadlineKind: 'triage', dueAt: '2026-12-07T17:00:00Z' });
    expect(email.text).not.toContain(SECRET);
    expect(email.html).not.toContain(SECRET);
  });

  it('shows the facts a template names', () => {
    const email = textOf('informationRequested', { details: { questions: 'Do you have the letter?', note: SECRET } });
    expect(email.text).toContain('Our questions:\nDo you have the letter?');
    expect(email.text).not.toContain(SECRET);
  });

  it('does not show facts that belong to another template', () => {
    // caseAccepted shows no facts at all, even shared ones from other events.
    const email = textOf('caseAccepted', { details: { questions: 'Do you have the letter?', reason: 'duplicate' } });
    expect(email.text).not.toContain('Do you have the letter?');
    expect(email.text).not.toContain('duplicate');
  });

  it("keeps a party's reason for declining the fee to staff", () => {
    const details = { party: 'reporter', reason: 'We cannot afford it this year' };
    expect(textOf('feeDeclined', { recipientRole: 'respondent', details }).text).not.toContain('cannot afford');
    expect(textOf('feeDeclined', { recipientRole: 'caseworker', details }).text).toContain('cannot afford');
  });

  it('maps coded values to words and drops unknown codes', () => {
    expect(textOf('caseRejected', { details: { reason: 'respondentNotSignatory' } }).text).toContain('The public body has not signed this Compact.');
    expect(textOf('caseRejected', { details: { reason: 'someNewInternalCode' } }).text).not.toContain('someNewInternalCode');
    expect(textOf('outcomeRecorded', { details: { result: 'partiallySettled' } }).text).toContain('Partly settled');
  });
});

describe('deadline notices', () => {
  it('names every kind of deadline in plain words', () => {
    expect(Object.keys(DEADLINE_NAMES).sort()).toEqual(Object.keys(DEADLINE_KINDS).sort());
    expect(DEADLINE_NAMES).toMatchObject({
      respondentReply: "the public body's reply",
      informationRequest: 'your answer to our questions',
      feeAgreement: 'agreeing the mediation fee',
      sessionReminder: 'the mediation session',
      triage: 'triage of the report',
      negotiationReview: 'the negotiation review',
      feePayment: 'paying the mediation fee',
      monitoring: 'checking the agreed actions',
    });
  });

  it.each(Object.keys(DEADLINE_KINDS) as DeadlineKind[])('words %s differently for a reporter and a caseworker', (deadlineKind) => {
    for (const template of ['deadlineReminder', 'deadlineOverdue'] as const) {
      const data = { deadlineKind, dueAt: '2026-12-07T17:00:00Z' };
      const reporter = textOf(template, { ...data, recipientRole: 'reporter' });
      const caseworker = textOf(template, { ...data, recipientRole: 'caseworker' });
      expect(reporter.text).not.toBe(caseworker.text);
    }
  });

  it('tells a reporter what to do when the clock waits on them, and a caseworker what to do when it waits on them', () => {
    const reporter = textOf('deadlineReminder', { deadlineKind: 'informationRequest', dueAt: '2026-12-07T17:00:00Z' });
    expect(reporter.subject).toBe('[CB-2026-00042] Reminder: your answer to our questions is due by Monday 7 December 2026');
    expect(reporter.text).toContain('If we do not hear from you by then, we will close your case.');
    const caseworker = textOf('deadlineOverdue', { recipientRole: 'caseworker', deadlineKind: 'triage', dueAt: '2026-12-07T17:00:00Z' });
    expect(caseworker.text).toContain('The deadline for triage of the report was Monday 7 December 2026.');
    expect(caseworker.text).toContain('Triage the report: accept it, reject it, or ask the reporter for more information.');
    expect(caseworker.text).toContain('Where the case is now:\nAdvocacy: deciding the next step');
  });

  it('reassures a reporter when the clock waits on someone else', () => {
    const email = textOf('deadlineOverdue', { deadlineKind: 'triage', dueAt: '2026-12-07T17:00:00Z' });
    expect(email.text).toContain('We are sorry this is taking longer than planned.');
    expect(email.text).toContain('Your caseworker will tell you what happens next.');
    expect(email.text).toContain('You do not need to do anything now.');
    expect(email.text).not.toContain('Where the case is now');
  });

  it('asks the public body for its reply', () => {
    const email = textOf('deadlineReminder', { recipientRole: 'respondent', deadlineKind: 'respondentReply', dueAt: '2026-12-07T17:00:00Z' });
    expect(email.text).toContain('Please reply to our letter about this case by Monday 7 December 2026.');
    expect(email.text).toContain('a report from Harborough Food Bank that Harborough District Council has not kept a commitment');
  });

  it('reminds about a mediation session without mistaking the reminder time for the session time', () => {
    const email = textOf('deadlineReminder', { recipientRole: 'mediator', deadlineKind: 'sessionReminder', dueAt: '2026-12-08T14:30:00Z' });
    expect(email.subject).toMatch(/reminder/i);
    expect(email.text).toContain('the mediation session for this case is in 2 days');
    expect(email.text).not.toContain('8 December');
  });

  it('keeps "overdue" and "reminder" in the subjects the worker tests look for', () => {
    for (const kind of Object.keys(DEADLINE_KINDS) as DeadlineKind[]) {
      for (const role of ROLES) {
        expect(textOf('deadlineOverdue', { recipientRole: role, deadlineKind: kind }).subject).toMatch(/overdue|session/i);
        expect(textOf('deadlineReminder', { recipientRole: role, deadlineKind: kind }).subject).toMatch(/reminder/i);
      }
    }
  });
});

describe('a message between the caseworker and the public body', () => {
  it('tells the other side there is a message, in their words, without copying the message', () => {
    const fromBody = { fromRole: 'respondent' };
    const staff = textOf('messageReceived', { recipientRole: 'caseworker', details: fromBody });
    expect(staff.subject).toBe('[CB-2026-00042] Harborough District Council has sent a message: Grant ended with two weeks notice');
    expect(staff.text).toContain('Read the message on the case page, and answer it there if it needs an answer.');
    const reporter = textOf('messageReceived', { recipientRole: 'reporter', details: fromBody });
    expect(reporter.text).toContain('Your caseworker will answer it if it needs an answer.');
    const fromCaseworker = { fromRole: 'caseworker' };
    const council = textOf('messageReceived', { recipientRole: 'respondent', details: fromCaseworker });
    expect(council.subject).toBe('[CB-2026-00042] A message from the caseworker: Grant ended with two weeks notice');
    const reporterToo = textOf('messageReceived', { recipientRole: 'reporter', details: fromCaseworker });
    expect(reporterToo.subject).toBe('[CB-2026-00042] Your caseworker has written to Harborough District Council: Grant ended with two weeks notice');
  });
});

describe('version 2 notices', () => {
  const V2: readonly EmailTemplate[] = [
    'extensionRequested',
    'extensionGranted',
    'extensionRefused',
    'feePaymentReported',
    'sessionTimesProposed',
    'actionsReportedDone',
    'reviewRequested',
    'rejectionUpheld',
    'reopenedAfterReview',
  ];
  const DUE = '2027-01-29T17:00:00Z';

  it.each(V2)('%s reads differently for the reporter, staff and the public body', (template) => {
    const [reporter, staff, respondent] = (['reporter', 'caseworker', 'respondent'] as const).map((recipientRole) => textOf(template, { recipientRole, details: fullDetails, dueAt: DUE }).text);
    expect(staff).not.toBe(reporter);
    expect(staff).not.toBe(respondent);
    // Both sides are asked the same thing when times are offered; everywhere else they read differently.
    if (template !== 'sessionTimesProposed') expect(respondent).not.toBe(reporter);
  });

  it('asks the public body for its request, says when its reply is due meanwhile, and tells staff what to decide', () => {
    const details = { reason: 'Our grants officer is on leave.', workingDays: 10 };
    const council = textOf('extensionRequested', { recipientRole: 'respondent', details, dueAt: DUE });
    expect(council.subject).toBe('[CB-2026-00042] Your request for more time: Grant ended with two weeks notice');
    expect(council.text).toContain('Extra time asked for:\n10 working days');
    expect(council.text).toContain('Until we tell you otherwise, please reply by Friday 29 January 2027.');
    const staff = textOf('extensionRequested', { recipientRole: 'caseworker', details, dueAt: DUE });
    expect(staff.subject).toBe('[CB-2026-00042] Harborough District Council has asked for more time: Grant ended with two weeks notice');
    expect(staff.text).toContain('Their reason:\nOur grants officer is on leave.');
    expect(staff.text).toContain('Grant the extension or refuse it on the case page.');
    expect(textOf('extensionRequested', { recipientRole: 'respondent', details: { workingDays: 1 } }).text).toContain('Extra time asked for:\n1 working day\n');
  });

  it('gives the public body its new date when more time is granted, and the date that stands when it is refused', () => {
    const granted = textOf('extensionGranted', { recipientRole: 'respondent', details: { workingDays: 5 }, dueAt: DUE });
    expect(granted.text).toContain('We have given you 5 working days more to reply');
    expect(granted.text).toContain('Your reply is now due:\nFriday 29 January 2027');
    expect(granted.text).toContain('Please reply by Friday 29 January 2027.');
    expect(textOf('extensionGranted', { details: { workingDays: 5 }, dueAt: DUE }).text).toContain('We have given Harborough District Council 5 working days more to reply.');
    const refused = textOf('extensionRefused', { recipientRole: 'respondent', details: { reason: 'The reply is already late.' }, dueAt: DUE });
    expect(refused.text).toContain('We cannot give you more time.');
    expect(refused.text).toContain('Please reply by Friday 29 January 2027.');
    // The clock has run out (no running clock, no date): as soon as possible.
    expect(textOf('extensionRefused', { recipientRole: 'respondent' }).text).toContain('Please reply as soon as possible.');
  });

  it('says who reported paying the fee, in the words each side uses', () => {
    expect(textOf('feePaymentReported', { recipientRole: 'respondent', details: { party: 'respondent' } }).text).toContain('Thank you for telling us that you have paid your share');
    expect(textOf('feePaymentReported', { recipientRole: 'caseworker', details: { party: 'respondent', note: 'BACS ref 4417' } }).text).toContain(
      'Harborough District Council says it has paid its share of the mediation fee.',
    );
    expect(textOf('feePaymentReported', { recipientRole: 'caseworker', details: { party: 'respondent', note: 'BACS ref 4417' } }).text).toContain('What they told us:\nBACS ref 4417');
    expect(textOf('feePaymentReported', { recipientRole: 'respondent', details: { party: 'reporter' } }).text).toContain('Harborough Food Bank says it has paid');
    // A code never shows, even one the template does not know.
    expect(textOf('feePaymentReported', { details: { party: 'someoneElse' } }).text).toContain('We have been told that a share of the mediation fee has been paid.');
  });

  it('lists the times offered for a session as people write them, for the mediator to pick', () => {
    const email = textOf('sessionTimesProposed', { recipientRole: 'mediator', details: { times: ['2027-01-12T10:00:00Z', 'not a time', '2027-06-14T13:30:00Z'] } });
    expect(email.text).toContain('Times offered:\n- Tuesday 12 January 2027 at 10am\n- Monday 14 June 2027 at 2:30pm\n');
    expect(email.text).toContain('Pick a time that suits both sides');
  });

  it('tells the reporter what the review decided and that it is final', () => {
    const upheld = textOf('rejectionUpheld', { details: { explanation: 'The grant was not made under the Compact.' } });
    expect(upheld.text).toContain('your case stays closed');
    expect(upheld.text).toContain('it cannot be reviewed again');
    expect(upheld.text).toContain('Explanation:\nThe grant was not made under the Compact.');
    expect(textOf('reopenedAfterReview', { dueAt: '2027-01-08T17:00:00Z' }).text).toContain('A caseworker will look at your report again by Friday 8 January 2027');
    expect(textOf('reviewRequested', { recipientRole: 'caseworker', details: { reason: 'You missed our evidence.' } }).text).toContain('A caseworker who did not reject the report should review it');
  });
});

describe('a reporter who asked not to be named', () => {
  const anonymous = { reporterNamed: false, reportingOrganisationName: undefined, reportingOrganisationArea: 'Harborough' } as const;

  it.each(EMAIL_TEMPLATES)('%s to the public body calls the reporter "a voluntary organisation in <area>"', (template) => {
    // Even if a name reached the renderer, it is not used for the public body.
    const email = renderEmail(template, { ...base, ...anonymous, reportingOrganisationName: 'Harborough Food Bank', recipientRole: 'respondent', details: fullDetails, dueAt: '2026-12-07T17:00:00Z', deadlineKind: 'respondentReply' });
    for (const out of [email.subject, email.text, email.html]) expect(out).not.toContain('Food Bank');
  });

  it('words the report from an unnamed organisation naturally, with or without an area', () => {
    expect(textOf('respondentContacted', { ...anonymous, recipientRole: 'respondent' }).text).toContain('A voluntary organisation in Harborough has reported that Harborough District Council has not kept');
    expect(textOf('respondentContacted', { ...anonymous, reportingOrganisationArea: undefined, recipientRole: 'respondent' }).text).toContain(
      'A voluntary organisation has reported that',
    );
    expect(textOf('feeQuoted', { ...anonymous, recipientRole: 'respondent', details: { amountPence: 60_000, reporterSharePercent: 50 } }).text).toContain('A voluntary organisation in Harborough pays:\n£300.00 (50%)');
  });

  it('still names the reporter to staff and to the reporter', () => {
    expect(textOf('caseSubmitted', { ...anonymous, reportingOrganisationName: 'Harborough Food Bank', recipientRole: 'caseworker' }).text).toContain('Harborough Food Bank has reported');
  });

  it('carries the sign-in link the send path mints for a public body\'s contact', () => {
    const signInUrl = 'https://cases.example/sign-in/link/tok_123';
    const email = textOf('respondentContacted', { recipientRole: 'respondent', signInUrl });
    expect(email.text).toContain(`Sign in to see the case and reply: ${signInUrl}`);
    expect(email.html).toContain(`href="${signInUrl}"`);
    expect(textOf('respondentContacted', { recipientRole: 'respondent' }).text).not.toContain('Sign in to see the case');
  });

  it('asks the public body to reply by a date when the date is known', () => {
    expect(textOf('respondentContacted', { recipientRole: 'respondent', dueAt: '2027-01-29T17:00:00Z' }).text).toContain('Please reply to us by Friday 29 January 2027.');
  });
});

describe('a letter', () => {
  it('is the letter as written: its subject, its paragraphs with their line breaks, no second greeting, then the case link', () => {
    const email = textOf('letter', { recipientRole: 'respondent', details: { subject: 'Our letter about the grant', paragraphs: ['Dear Colin Council,', 'First line\nsecond line', '- one\n- two'] } });
    expect(email.subject).toBe('[CB-2026-00042] Our letter about the grant');
    expect(email.text).toMatch(/^Dear Colin Council,\n\nFirst line\nsecond line\n\n- one\n- two\n\n--\nCase CB-2026-00042/);
    expect(email.text.match(/Dear /g)).toHaveLength(1);
    expect(email.html).toContain('<p>First line<br />\nsecond line</p>');
  });
});
