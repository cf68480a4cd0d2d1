import { InvalidConfigError, loadConfig } from './app-config';

/** The settings for replies by e-mail, checked at start like every other. */
describe('reply settings', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });
  const problem = (env: Record<string, string>) => {
    try {
      load(env);
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidConfigError);
      return (err as Error).message;
    }
  };

  it('takes the reply address from MAIL_FROM when it is not set', () => {
    expect(load({}).REPLY_TO_ADDRESS).toBe('replies@compact-cases.example');
    expect(load({ MAIL_FROM: 'Advocacy <cases@Advocacy.Example.org>' }).REPLY_TO_ADDRESS).toBe('replies@advocacy.example.org');
    expect(load({ MAIL_FROM: 'cases@example.org' }).REPLY_TO_ADDRESS).toBe('replies@example.org');
    expect(load({ REPLY_TO_ADDRESS: 'Answers@Mail.Example.org' }).REPLY_TO_ADDRESS).toBe('answers@mail.example.org');
    expect(problem({ MAIL_FROM: 'Compact Cases' })).toContain('REPLY_TO_ADDRESS');
  });

  it('refuses a reply address with a +, a display name, or a local part too long for the token', () => {
    expect(problem({ REPLY_TO_ADDRESS: 'replies+x@example.org' })).toContain('REPLY_TO_ADDRESS');
    expect(problem({ REPLY_TO_ADDRESS: 'Replies <replies@example.org>' })).toContain('REPLY_TO_ADDRESS');
    expect(problem({ REPLY_TO_ADDRESS: `${'r'.repeat(22)}@example.org` })).toContain('REPLY_TO_ADDRESS');
    expect(problem({ REPLY_TO_ADDRESS: `${'r'.repeat(21)}@example.org` })).toBeNull();
  });

  it('checks the two inbound URLs', () => {
    expect(load({ INBOUND_SMTP_URL: 'smtp://0.0.0.0:2525' }).INBOUND_SMTP_URL).toBe('smtp://0.0.0.0:2525');
    expect(problem({ INBOUND_SMTP_URL: 'smtp://0.0.0.0' })).toContain('INBOUND_SMTP_URL');
    expect(problem({ INBOUND_SMTP_URL: 'http://0.0.0.0:2525' })).toContain('INBOUND_SMTP_URL');
    expect(problem({ INBOUND_SMTP_URL: 'smtp://user:pw@0.0.0.0:2525' })).toContain('INBOUND_SMTP_URL');
    expect(load({ INBOUND_IMAP_URL: 'imaps://replies%40example.org:p%2Fw@imap.example.org/INBOX?filed=Done' }).INBOUND_IMAP_URL).toBeDefined();
    expect(problem({ INBOUND_IMAP_URL: 'imap://imap.example.org/INBOX' })).toContain('INBOUND_IMAP_URL');
    expect(problem({ INBOUND_IMAP_URL: 'imap://u:p@imap.example.org/INBOX?after=delete' })).toContain('INBOUND_IMAP_URL');
    expect(problem({ INBOUND_IMAP_URL: 'pop3://u:p@mail.example.org' })).toContain('INBOUND_IMAP_URL');
    expect(problem({ INBOUND_IMAP_INTERVAL_MS: '10' })).toContain('INBOUND_IMAP_INTERVAL_MS');
    expect(load({}).REPLY_WINDOW_DAYS).toBe(90);
    expect(problem({ REPLY_WINDOW_DAYS: '0' })).toContain('REPLY_WINDOW_DAYS');
  });
});
