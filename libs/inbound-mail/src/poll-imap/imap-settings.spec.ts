import { readImapUrl } from './imap-settings';

describe('INBOUND_IMAP_URL', () => {
  it('reads the server, the sign-in (URL-encoded), the mailbox and what becomes of a stored message', () => {
    expect(readImapUrl('imaps://replies%40example.org:p%2Fw%40rd@imap.example.org/Replies%2FIn?filed=Done')).toEqual({
      host: 'imap.example.org',
      port: 993,
      secure: true,
      user: 'replies@example.org',
      password: 'p/w@rd',
      mailbox: 'Replies/In',
      filed: { moveTo: 'Done' },
    });
  });

  it('defaults: port 143 for imap://, mailbox INBOX, filed to "Filed"; ?filed=delete deletes', () => {
    expect(readImapUrl('imap://u:p@127.0.0.1')).toMatchObject({ port: 143, secure: false, mailbox: 'INBOX', filed: { moveTo: 'Filed' } });
    expect(readImapUrl('imap://u:p@127.0.0.1:1143/INBOX?filed=delete')).toMatchObject({ port: 1143, filed: 'delete' });
  });
});
