/**
 * E-mails about a person's account rather than a case: a link to choose a new password. They
 * carry no case facts. Pure, no I/O; the link's token is minted by the sender just before.
 */
import { formatDateTime } from './render-email';
import type { RenderedEmail } from './render-email';

export const ACCOUNT_EMAIL_TEMPLATES = ['passwordReset', 'accountInvitation'] as const;
export type AccountEmailTemplate = (typeof ACCOUNT_EMAIL_TEMPLATES)[number];

export const isAccountEmailTemplate = (value: unknown): value is AccountEmailTemplate => (ACCOUNT_EMAIL_TEMPLATES as readonly unknown[]).includes(value);

export interface AccountEmailData {
  recipientName: string;
  /** The one-time link, with its token. */
  link: string;
  /** ISO time the link stops working. */
  expiresAt: string;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const WORDS: Record<AccountEmailTemplate, { subject: string; intro: string; button: string }> = {
  passwordReset: {
    subject: 'Choose a new password for Compact Cases',
    intro: 'Someone asked to reset the password of your Compact Cases account. If it was you, use this link to choose a new password.',
    button: 'Choose a new password',
  },
  accountInvitation: {
    subject: 'Your Compact Cases account is ready',
    intro: 'An administrator has made you an account on Compact Cases. Use this link to choose your password, then sign in with your e-mail address.',
    button: 'Choose your password',
  },
};

export function renderAccountEmail(template: AccountEmailTemplate, data: AccountEmailData): RenderedEmail {
  const words = WORDS[template];
  const until = formatDateTime(data.expiresAt) ?? 'a short time';
  const greeting = data.recipientName?.trim() ? `Dear ${oneLine(data.recipientName)},` : 'Hello,';
  const lines = [
    words.intro,
    `The link works once, until ${until}.`,
    template === 'passwordReset'
      ? 'If you did not ask for this, you can ignore this e-mail: your password has not changed. If you get these e-mails without asking, tell an administrator.'
      : 'If you were not expecting this, you can ignore this e-mail.',
    'We will never ask you for your password by e-mail or on the phone.',
  ];
  const text = [words.subject, '', greeting, '', lines[0], '', `${words.button}: ${data.link}`, '', ...lines.slice(1).flatMap((l) => [l, '']), 'Compact Cases', ''].join('\n');
  const e = escapeHtml;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(words.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c; margin: 0; padding: 16px;">',
    `<h1 style="font-size: 27px; margin: 0 0 20px 0;">${e(words.subject)}</h1>`,
    `<p>${e(greeting)}</p>`,
    `<p>${e(lines[0])}</p>`,
    `<p><a href="${e(data.link)}" style="color: #1d70b8;">${e(words.button)}</a></p>`,
    ...lines.slice(1).map((l) => `<p>${e(l)}</p>`),
    '<p>Compact Cases</p>',
    '</body>',
    '</html>',
  ].join('\n');
  return { subject: words.subject, text, html };
}
