import { createHash } from 'node:crypto';

/** The longest Message-ID kept as it is; a longer one (no real mailer writes one) is kept by its hash. */
const MAX_MESSAGE_ID_LENGTH = 500;
/** How far into a message its header may go; a message whose header is longer is odd but still kept. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The key a message is stored once under: its Message-ID (angle brackets and whitespace dropped),
 * or `sha256:<hex of the raw bytes>` when it has none, so the same bytes received twice are still
 * one row. Read from the header alone, without parsing the body: accept() must stay cheap.
 */
export function messageIdentity(raw: Buffer): string {
  const id = headerValue(raw, 'message-id');
  const cleaned = id?.replace(/\s+/g, '').replace(/^<+/, '').replace(/>+$/, '');
  if (cleaned && cleaned.length <= MAX_MESSAGE_ID_LENGTH && /^[\x21-\x7e]+$/.test(cleaned)) return cleaned;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/** The first header field of that name, unfolded; undefined when absent. */
export function headerValue(raw: Buffer, name: string): string | undefined {
  const head = headerText(raw);
  const lines = head.split(/\r?\n/);
  const wanted = name.toLowerCase();
  for (let i = 0; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0 || lines[i].slice(0, colon).trim().toLowerCase() !== wanted) continue;
    let value = lines[i].slice(colon + 1);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) value += ` ${lines[++i].trim()}`;
    return value.trim();
  }
  return undefined;
}

function headerText(raw: Buffer): string {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0 && i < limit);
  const end = ends.length ? Math.min(...ends) : limit;
  return raw.subarray(0, end).toString('latin1');
}
