/** What INBOUND_IMAP_URL says: where the mailbox is, how to sign in, and what becomes of a message once stored. */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** The folder a stored message is moved to, or 'delete' (flagged \Deleted and expunged). */
  filed: { moveTo: string } | 'delete';
}

/**
 * imap://user:password@host:port/mailbox?filed=Filed (imaps:// for TLS from the start; plain imap://
 * still upgrades with STARTTLS when the server offers it). User and password are URL-encoded
 * (an address as user name is written replies%40example.org). Mailbox default INBOX, port 143 or 993,
 * filed default "Filed".
 */
export function readImapUrl(value: string): ImapSettings {
  const url = new URL(value);
  const secure = url.protocol === 'imaps:';
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const filed = url.searchParams.get('filed') ?? 'Filed';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: path || 'INBOX',
    filed: filed.toLowerCase() === 'delete' ? 'delete' : { moveTo: filed },
  };
}
