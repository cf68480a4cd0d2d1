import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';

/** HTML longer than this is not turned into text (a reply is never this long; a crafted message may be). */
const MAX_HTML_CHARS = 5 * 1024 * 1024;

export interface MessageAttachment {
  fileName: string | undefined;
  contentType: string;
  content: Buffer;
}

/** What the processing needs of a received message, read once from its raw bytes. */
export interface ReadMessage {
  from: { address: string; name: string } | null;
  subject: string;
  /** Every address in To, Cc, Delivered-To and X-Original-To, in that order (lowercased). */
  headerRecipients: string[];
  /** The body as text: the plain part, or the HTML part turned into text (quotes as "> " lines). */
  text: string;
  attachments: MessageAttachment[];
  autoReply: boolean;
  bounce: BounceFacts | null;
  date: Date | null;
}

/** What a delivery failure report says: whom it was for, whether it failed for good, and what bounced. */
export interface BounceFacts {
  /** The addresses the report says could not be reached (Final- or Original-Recipient). */
  recipients: string[];
  /** False for a report that delivery is only delayed or was relayed: not a failure. */
  failed: boolean;
  /** The Message-IDs of the bounced message, where the report quotes it (ours name the notification). */
  originalMessageIds: string[];
  /** The report's status and diagnostic, e.g. "5.1.1 (550 No such user)": kept for staff, never shown raw. */
  status: string | null;
}

export async function readMessage(raw: Buffer): Promise<ReadMessage> {
  const parsed = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepDeliveryStatus: true,
    maxHtmlLengthToParse: MAX_HTML_CHARS,
  });
  const from = addresses(parsed.from)[0] ?? null;
  const subject = (parsed.subject ?? '').trim();
  const headerRecipients = [
    ...addresses(parsed.to),
    ...addresses(parsed.cc),
    ...headerAddresses(parsed, 'delivered-to'),
    ...headerAddresses(parsed, 'x-original-to'),
  ].map((a) => a.address);
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n');
  const bounce = bounceFacts(parsed, from?.address ?? '', subject);
  return {
    from,
    subject,
    headerRecipients: [...new Set(headerRecipients)],
    text,
    // Parts referenced from the HTML (a signature's logo, say) belong to the body, not the case.
    attachments: bounce ? [] : parsed.attachments.filter((a) => !a.related && !isReportPart(a)).map((a) => ({ fileName: a.filename, contentType: a.contentType, content: a.content })),
    autoReply: !bounce && isAutoReply(parsed, subject),
    bounce,
    date: parsed.date ?? null,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const objects = field ? (Array.isArray(field) ? field : [field]) : [];
  const out: Array<{ address: string; name: string }> = [];
  const walk = (values: AddressObject['value']) => {
    for (const v of values) {
      if (v.group) walk(v.group);
      else if (v.address) out.push({ address: v.address.trim().toLowerCase(), name: (v.name ?? '').trim() });
    }
  };
  for (const o of objects) walk(o.value);
  return out;
}

/** Delivered-To and X-Original-To are plain header lines (mailparser keeps them as text). */
function headerAddresses(parsed: ParsedMail, name: string): Array<{ address: string; name: string }> {
  return parsed.headerLines
    .filter((l) => l.key === name)
    .map((l) => l.line.slice(l.line.indexOf(':') + 1).trim().replace(/^<(.*)>$/, '$1').toLowerCase())
    .filter((a) => a.includes('@'))
    .map((address) => ({ address, name: '' }));
}

function header(parsed: ParsedMail, name: string): string {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value.trim().toLowerCase();
  return String(value).trim().toLowerCase();
}

/**
 * Subjects automatic replies start with, in the languages our correspondents' mail systems are
 * likely to use. A person's answer starts "Re:", so a subject is only read at its very start.
 */
const AUTO_REPLY_SUBJECT =
  /^(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response|responder)|autoreply|away from (?:the )?office|on (?:annual )?leave|absence|abwesenheit|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|absent|respuesta autom[áa]tica|fuera de la oficina|risposta automatica)\b/i;

const AUTOMATIC_PRECEDENCE = ['auto_reply', 'bulk', 'junk'];

/**
 * An automatic reply (RFC 3834's Auto-Submitted, the older X-Autoreply/X-Autorespond, a bulk,
 * junk or auto_reply Precedence, or an out-of-office subject such as Exchange writes): it says
 * nothing about the case, so it does not become a message.
 */
function isAutoReply(parsed: ParsedMail, subject: string): boolean {
  const autoSubmitted = header(parsed, 'auto-submitted');
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (header(parsed, 'x-autoreply') || header(parsed, 'x-autorespond') || header(parsed, 'x-autoresponder')) return true;
  if (AUTOMATIC_PRECEDENCE.includes(header(parsed, 'precedence')) || AUTOMATIC_PRECEDENCE.includes(header(parsed, 'x-precedence'))) return true;
  return AUTO_REPLY_SUBJECT.test(subject);
}

const BOUNCE_SENDER = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const BOUNCE_SUBJECT = /^(?:undeliver(?:ed|able)|delivery (?:status notification|failure|has failed)|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice|non[- ]?delivery)/i;

function isReportPart(a: Attachment): boolean {
  return ['message/delivery-status', 'message/global-delivery-status', 'message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(a.contentType);
}

/**
 * A delivery failure report: a multipart/report of report-type delivery-status (RFC 3464), or, from
 * a mail system that does not write one, a message from MAILER-DAEMON or postmaster with a bounce's
 * subject. The failed recipients come from the report's fields; the bounced message's Message-ID
 * from the copy or headers it quotes.
 */
function bounceFacts(parsed: ParsedMail, from: string, subject: string): BounceFacts | null {
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = contentType?.value?.toLowerCase() === 'multipart/report' && (contentType.params?.['report-type'] ?? '').toLowerCase().includes('delivery-status');
  const statusParts = parsed.attachments.filter((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  if (!isReport && !statusParts.length && !(BOUNCE_SENDER.test(from) && BOUNCE_SUBJECT.test(subject))) return null;

  const recipients: string[] = [];
  const actions: string[] = [];
  const statuses: string[] = [];
  for (const part of statusParts) {
    const fields = part.content.toString('utf8').replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
    for (const m of fields.matchAll(/^(final-recipient|original-recipient)\s*:\s*(?:[a-z0-9-]+\s*;\s*)?<?([^\s<>;]+@[^\s<>;]+)>?/gim)) recipients.push(m[2].toLowerCase());
    for (const m of fields.matchAll(/^action\s*:\s*([a-z]+)/gim)) actions.push(m[1].toLowerCase());
    for (const m of fields.matchAll(/^(status|diagnostic-code)\s*:\s*(.+)$/gim)) statuses.push(m[2].trim());
  }
  // Without a machine-readable report (or with one that says "failed"), a bounce is a failure;
  // a report that only says delayed, delivered, relayed or expanded is not.
  const failed = actions.length === 0 || actions.includes('failed');

  const originalMessageIds: string[] = [];
  for (const part of parsed.attachments.filter((a) => ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'].includes(a.contentType))) {
    const head = part.content.toString('latin1').split(/\r?\n\r?\n/)[0];
    for (const m of head.matchAll(/^message-id\s*:\s*<?([^\s<>]+)>?/gim)) originalMessageIds.push(m[1]);
  }
  // Some mail systems quote the bounced message's header in the text of the report itself.
  for (const m of (parsed.text ?? '').matchAll(/^\s*message-id\s*:\s*<([^\s<>]+)>/gim)) originalMessageIds.push(m[1]);

  return { recipients: [...new Set(recipients)], failed, originalMessageIds: [...new Set(originalMessageIds)], status: statuses.join('; ').slice(0, 500) || null };
}
