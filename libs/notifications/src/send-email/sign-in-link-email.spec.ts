import { layOut } from '../templates/email-views';
import { renderSignInLinkEmail } from './sign-in-link-email';

describe('sign-in links in e-mails', () => {
  const view = { subject: '[CB-1] Hello', heading: 'Hello', reference: 'CB-1', recipientName: 'Priya', caseTitle: 'Grant', caseUrl: 'http://x/cases/1', intro: ['Hi'], facts: [], todo: [], next: [] };

  it('the case layouts print the sign-in line, as text and HTML, only when a link is given', () => {
    const url = 'http://cases.test/sign-in/link/abc_DEF-123';
    const withLink = layOut('case', { ...view, signInUrl: url });
    expect(withLink.text).toContain(`Sign in to see the case and reply: ${url}`);
    expect(withLink.html).toContain(`Sign in to see the case and reply: <a href="${url}"`);
    const without = layOut('case', view);
    expect(without.text).not.toContain('Sign in to see the case');
    expect(without.html).not.toContain('Sign in to see the case');
  });

  it('the requested link e-mail says what it is for, until when, and escapes in HTML', () => {
    const mail = renderSignInLinkEmail({ recipientName: 'Priya <Shah>', link: 'http://cases.test/sign-in/link/tok', expiresAt: '2026-12-01T17:30:00Z' });
    expect(mail.subject).toBe('Your link to sign in to Compact Cases');
    expect(mail.text).toContain('Sign in to Compact Cases: http://cases.test/sign-in/link/tok');
    expect(mail.text).toContain('The link works once, until Tuesday 1 December 2026 at 5:30pm');
    expect(mail.html).toContain('Priya &lt;Shah&gt;');
    expect(mail.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
