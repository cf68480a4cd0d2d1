import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEADLINE_KINDS, MEDIATION_RESULTS, REJECTION_REASONS, type DeadlineNoticeTemplate, type NotificationTemplate } from '@cc/workflows';
import type { AccountEmailTemplate as WrittenAccountTemplate } from '@cc/identity';
import { STATE_NAMES } from '@cc/wording';
import { ACCOUNT_EMAIL_TEMPLATES, EMAIL_TEMPLATES, emailFileExists, emailViewsFolder, renderAccountEmail, renderEmail, type AccountEmailTemplate, type EmailData, type EmailTemplate } from './index';

/** Compile-time: every template name the system writes into the outbox is one this module renders. */
const written: Record<NotificationTemplate | DeadlineNoticeTemplate, EmailTemplate> = {} as never;
const writtenAccount: Record<WrittenAccountTemplate, AccountEmailTemplate> = {} as never;
void written;
void writtenAccount;

const base: EmailData = {
  caseReference: 'CB-2026-00042',
  caseTitle: 'Grant ended with two weeks notice',
  caseUrl: 'https://cases.example/cases/2f0c1e7a',
  recipientName: 'Rita Reporter',
  recipientRole: 'reporter',
  stateLabel: 'mediation.feeAgreement',
  respondentName: 'Harborough District Council',
  reportingOrganisationName: 'Harborough Food Bank',
};

const details: EmailData['details'] = {
  questions: 'When did the council write to you?',
  answer: 'On 1 October.',
  reason: 'We cannot afford it this year.',
  explanation: 'The grant was not made under the Compact.',
  amountPence: 60_000,
  reporterSharePercent: 25,
  agreedActions: ['Restore the grant'],
  monitorUntil: '2026-07-01',
  startsAt: '2026-07-01T09:00:00Z',
  location: 'Civic Centre',
  result: 'partiallySettled',
  summary: 'Both sides agreed a way forward.',
  outcome: 'unresolved',
  plan: 'Write to local councillors.',
  details: 'The grant was not restored.',
  next: 'returnToAdvocacy',
  party: 'respondent',
  workingDays: 10,
  times: ['2027-01-12T10:00:00Z', '2027-01-14T14:30:00Z'],
  note: 'Paid by BACS, reference 4417.',
};

const ROLES = ['reporter', 'caseworker', 'mediator', 'administrator', 'respondent'] as const;

/** What must never reach a reader: template syntax left over, a missing value, an ISO time, pence, a code. */
// Only the codes that are not English words too ("triage", "closed" are both): camelCase or dotted.
const codes = [...REJECTION_REASONS, ...MEDIATION_RESULTS, ...Object.keys(DEADLINE_KINDS), ...Object.keys(STATE_NAMES), 'returnToAdvocacy'].filter((c) => /[A-Z.]/.test(c));
function leftovers(out: string): string[] {
  const found = [
    ...(out.match(/\{\{|\}\}|\{%|%\}|\{#|#\}/g) ?? []),
    ...(out.match(/undefined|NaN|\[object|\bnull\b|\bpence\b/gi) ?? []),
    ...(out.match(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/g) ?? []),
  ];
  for (const code of codes) if (new RegExp(`(^|[^\\w.-])${code.replace('.', '\\.')}(?![\\w-])`).test(out.replace(/https?:\/\/\S+/g, ''))) found.push(code);
  return found;
}

describe('e-mail template files', () => {
  it('are found from here, as the built worker finds them from dist/', () => {
    expect(emailViewsFolder()).toMatch(/libs\/notifications\/views$/);
    expect(emailViewsFolder(join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'notifications', 'src', 'templates'))).toBe(emailViewsFolder());
  });

  it('has one file for every template name the system can write, and no file for a name it cannot', () => {
    const names = [...EMAIL_TEMPLATES, ...ACCOUNT_EMAIL_TEMPLATES];
    expect(names.filter((t) => !emailFileExists(t))).toEqual([]);
    const files = readdirSync(join(emailViewsFolder(), 'emails'))
      .filter((f) => f.endsWith('.njk') && !f.startsWith('_'))
      .map((f) => f.replace(/\.njk$/, ''));
    expect(files.sort()).toEqual([...names].sort());
  });

  it.each(EMAIL_TEMPLATES.flatMap((t) => ROLES.flatMap((r) => [[t, r, 'all facts'], [t, r, 'no facts']] as const)))(
    '%s for a %s (%s) renders with no leftover placeholders, codes, ISO times or pence',
    (template, role, facts) => {
      for (const deadlineKind of facts === 'all facts' ? (Object.keys(DEADLINE_KINDS) as Array<keyof typeof DEADLINE_KINDS>) : [undefined]) {
        const email = renderEmail(template, {
          ...base,
          recipientRole: role,
          // A rejection's reason is a code; every other event's reason is what someone wrote.
          details: facts === 'all facts' ? (template === 'caseRejected' ? { ...details, reason: 'respondentNotSignatory' } : details) : undefined,
          deadlineKind,
          dueAt: facts === 'all facts' ? '2026-12-07T17:00:00Z' : undefined,
        });
        for (const out of [email.subject, email.text, email.html.replace(/<[^>]+>/g, ' ')]) expect(leftovers(out)).toEqual([]);
        expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
        expect(email.html).toContain('role="presentation"');
      }
    },
  );

  it.each(ACCOUNT_EMAIL_TEMPLATES)('%s renders with its link and the time it stops working, in words', (template) => {
    const email = renderAccountEmail(template, { recipientName: 'Ann Admin', link: 'https://cases.example/reset-password?token=abc', expiresAt: '2026-07-01T09:30:00Z' });
    for (const out of [email.subject, email.text, email.html.replace(/<[^>]+>/g, ' ')]) expect(leftovers(out.replace(/https:\S+/g, ''))).toEqual([]);
    expect(email.text).toContain('until Wednesday 1 July 2026 at 10:30am.');
    expect(email.text).toContain(': https://cases.example/reset-password?token=abc\n');
    expect(email.html).toContain('href="https://cases.example/reset-password?token=abc"');
    expect(email.text).toMatch(/^[^\n]+\n\nDear Ann Admin,\n\n/);
  });

  it('refuses an account template it does not know', () => {
    expect(() => renderAccountEmail('noSuchTemplate' as AccountEmailTemplate, { recipientName: '', link: 'x', expiresAt: '' })).toThrow('Unknown e-mail template: noSuchTemplate');
  });

  it('lays HTML out in tables with inline styles, and keeps the plain text free of markup', () => {
    const email = renderEmail('feeQuoted', { ...base, details });
    expect(email.html).toMatch(/<table role="presentation"[^>]*style="[^"]+"/);
    expect(email.html).toMatch(/<h1 style="[^"]+">/);
    expect(email.text).not.toMatch(/<[a-z]/i);
    expect(email.text).toContain('Mediation fee:\n£600.00\n\nYour organisation pays:\n£150.00 (25%)\n\nHarborough District Council pays:\n£450.00 (75%)\n');
  });

  it('keeps line breaks in what people wrote, in both versions', () => {
    const email = renderEmail('informationRequested', { ...base, details: { questions: 'First question?\nSecond question?' } });
    expect(email.text).toContain('Our questions:\nFirst question?\nSecond question?\n');
    expect(email.html).toContain('First question?<br />\nSecond question?');
  });

  it('takes its numbers from the workflow', () => {
    expect(renderEmail('respondentContacted', { ...base, recipientRole: 'respondent' }).text).toContain(`within ${DEADLINE_KINDS.respondentReply.workingDays} working days`);
    expect(renderEmail('caseSubmitted', base).text).toContain(`within ${DEADLINE_KINDS.triage.workingDays} working days`);
    expect(renderEmail('negotiationOpened', base).text).toContain(`within ${DEADLINE_KINDS.negotiationReview.workingDays} working days`);
  });
});
