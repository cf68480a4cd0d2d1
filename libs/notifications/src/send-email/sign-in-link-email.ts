/**
 * The e-mail carrying a sign-in link a public body's contact asked for on /sign-in/link. It is an
 * account e-mail (no case facts), laid out by the shared account layouts.
 */
import { formatDateTimeWithDay } from '@cc/wording';
import { layOut } from '../templates/email-views';
import { oneLine, type RenderedEmail } from '../templates/render-email';

export function renderSignInLinkEmail(data: { recipientName: string; link: string; expiresAt: string }): RenderedEmail {
  const subject = 'Your link to sign in to Compact Cases';
  const until = formatDateTimeWithDay(data.expiresAt) ?? 'a short time';
  const { text, html } = layOut('account', {
    subject,
    recipientName: oneLine(data.recipientName ?? ''),
    intro: ['Someone asked for a link to sign in to Compact Cases with this e-mail address. If it was you, use this link to sign in and see the cases your organisation has been asked about.'],
    linkText: 'Sign in to Compact Cases',
    link: data.link,
    notes: [
      `The link works once, until ${until}. If it has run out, ask for a new one on the sign-in page.`,
      'If you did not ask for this, you can ignore this e-mail: nobody can sign in without the link.',
      'We will never ask you for a password: people at public bodies sign in only with links like this one.',
    ],
  });
  return { subject, text, html };
}
