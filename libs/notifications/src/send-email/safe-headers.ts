/**
 * The worker is the last line before a message leaves: whatever wrote the outbox row, an address or
 * header value carrying a line break could add headers of its own (a `Bcc:` to someone else), and a
 * comma or semicolon could add recipients. Such a row is refused, never "cleaned" and sent.
 */

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u0080-\u009f\u2028\u2029]/;
/** One plain address: local@domain, no spaces, brackets, quotes, commas or semicolons. */
const SINGLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/;

export interface HeaderValues {
  to: string;
  subject: string;
  messageId: string;
}

/** Why a message must not be sent as it stands, in words for the administrator; undefined when it is safe. */
export function unsafeHeaderReason(headers: HeaderValues): string | undefined {
  for (const [field, value] of Object.entries(headers) as Array<[keyof HeaderValues, string]>) {
    if (CONTROL_CHARACTERS.test(value)) {
      return `Not sent: the ${FIELD_WORDS[field]} contains a line break or another control character, which could add headers or recipients. Correct the address and retry.`;
    }
  }
  if (!SINGLE_ADDRESS.test(headers.to)) {
    return `Not sent: "${headers.to.slice(0, 200)}" is not a single e-mail address. Correct the address and retry.`;
  }
  return undefined;
}

const FIELD_WORDS: Record<keyof HeaderValues, string> = { to: 'recipient address', subject: 'subject', messageId: 'Message-ID' };
