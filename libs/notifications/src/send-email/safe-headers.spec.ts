import { unsafeHeaderReason } from './safe-headers';

describe('unsafeHeaderReason', () => {
  const safe = { to: 'officer@harborough.gov.uk', subject: 'Case CB-2026-00001: we have your report', messageId: '<abc@compact-cases>' };

  it('lets a plain message through', () => {
    expect(unsafeHeaderReason(safe)).toBeUndefined();
    expect(unsafeHeaderReason({ ...safe, to: 'first.last+tag@sub.example.org' })).toBeUndefined();
  });

  it.each([
    ['CRLF and a Bcc in the address', { to: 'a@b.test\r\nBcc: evil@x.test' }, 'recipient address contains a line break'],
    ['a bare LF in the address', { to: 'a@b.test\nBcc: evil@x.test' }, 'recipient address contains a line break'],
    ['a NUL in the address', { to: 'a@b.test\u0000' }, 'recipient address contains a line break'],
    ['a line break in the subject', { subject: 'Hello\r\nBcc: evil@x.test' }, 'subject contains a line break'],
    ['a line separator in the subject', { subject: 'Hello\u2028Bcc: evil@x.test' }, 'subject contains a line break'],
    ['a second recipient after a comma', { to: 'a@b.test, evil@x.test' }, 'is not a single e-mail address'],
    ['a second recipient after a semicolon', { to: 'a@b.test;evil@x.test' }, 'is not a single e-mail address'],
    ['a display name with brackets', { to: 'Evil <evil@x.test>' }, 'is not a single e-mail address'],
    ['no domain', { to: 'nobody' }, 'is not a single e-mail address'],
  ])('refuses %s', (_what, change, reason) => {
    expect(unsafeHeaderReason({ ...safe, ...change })).toContain(reason);
  });
});
