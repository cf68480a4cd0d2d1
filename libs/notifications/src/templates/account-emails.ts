/**
 * E-mails about a person's account rather than a case: a link to choose a new password. They
 * carry no case facts. Pure, no I/O beyond reading their files in
 * libs/notifications/views/emails; the link's token is minted by the sender just before.
 */
import { formatDateTimeWithDay } from '@cc/wording';
import { accountMessage, layOut } from './email-views';
import { oneLine, type RenderedEmail } from './render-email';

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

export function renderAccountEmail(template: AccountEmailTemplate, data: AccountEmailData): RenderedEmail {
  if (!isAccountEmailTemplate(template)) throw new Error(`Unknown e-mail template: ${String(template)}`);
  const message = accountMessage(template, { until: formatDateTimeWithDay(data.expiresAt) ?? 'a short time' });
  const subject = oneLine(message.subject);
  const { text, html } = layOut('account', { ...message, subject, recipientName: oneLine(data.recipientName ?? ''), link: data.link });
  return { subject, text, html };
}
