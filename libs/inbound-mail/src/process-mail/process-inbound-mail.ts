import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { type CheckedAttachment, EvidenceFromMail, type RefusedAttachment } from '@cc/evidence';
import { ReplyAddresses } from '@cc/notifications';
import { runSql, sql } from '@cc/persistence';
import type { WhyToSort } from '@cc/wording';
import type { Role } from '@cc/workflows';
import { canSeeCaseColumn } from '../file-reply/can-see-case';
import { ReplyFiling } from '../file-reply/reply-filing';
import { type ReadMessage, readMessage } from '../read-mail/read-message';
import { REPLY_MAX_LENGTH, replyAudience, visibleReply } from '../read-mail/reply-text';
import { headerValue } from '../receive/message-identity';

/** Tries at one message before it is put in "mail to sort" for a person (it is kept whole either way). */
export const MAX_PROCESSING_ATTEMPTS = 5;
/** The longest wait between two tries at a message that failed. */
const MAX_RETRY_WAIT_SECONDS = 300;

interface Picked {
  id: string;
  raw: Buffer;
  attempts: number;
  envelope: { from?: string; to?: string[] };
  receivedAt: Date;
}

/** The e-mail of ours a reply answers, with what the checks need, read with the case locked FOR SHARE. */
interface Answered {
  notificationId: string;
  createdAt: Date;
  recipientEmail: string;
  recipientUserId: string | null;
  userRole: Role | null;
  userActive: boolean | null;
  caseId: string;
  caseOpen: boolean;
  /** Whether that person can still see the case (their organisation's, their mediation, named on it, or staff). */
  canSee: boolean;
}

type TokenReading = { notificationId: string } | { why: WhyToSort };

export type InboundOutcome =
  | { status: 'bounce'; marked: number }
  | { status: 'auto_reply' }
  | { status: 'to_sort'; why: WhyToSort; caseId?: string | null; notificationId?: string | null }
  | { status: 'filed'; caseId: string; noteId: string; notificationId: string };

/**
 * What becomes of each received message, worked out from the database alone: rows 'received' are
 * taken one at a time (FOR UPDATE SKIP LOCKED, so several workers share the work and none takes
 * a row another holds), read, and settled in one transaction with no network call inside. A worker
 * that stops half way leaves the row 'received' and nothing of it written, so the next pass takes it
 * again; a row is settled once (its status is checked under the lock), so a message is filed once.
 */
@Injectable()
export class ProcessInboundMail {
  private readonly logger = new Logger(ProcessInboundMail.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly replyAddresses: ReplyAddresses,
    private readonly filing: ReplyFiling,
    private readonly evidence: EvidenceFromMail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Processes waiting messages until none is ready (or `limit` were taken); returns how many were taken. */
  async processWaiting(limit = 50): Promise<number> {
    let done = 0;
    while (done < limit && (await this.processNext())) done++;
    return done;
  }

  /** Takes the oldest message ready to process and settles it; false when there was none. */
  async processNext(): Promise<boolean> {
    // Counted (and committed) before the work, so a message that kills the worker each time still
    // runs out of tries; a failed message waits 2, 4, 8 … seconds before the next.
    const [picked] = await runSql<Picked>(
      this.dataSource,
      sql`UPDATE inbound_mail m SET attempts = m.attempts + 1, attempted_at = now()
            FROM (SELECT id FROM inbound_mail
                   WHERE status = 'received'
                     AND (attempted_at IS NULL OR attempted_at < now() - least(${MAX_RETRY_WAIT_SECONDS}, power(2, attempts)) * interval '1 second')
                   ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED) AS next
           WHERE m.id = next.id
           RETURNING m.id, m.raw, m.attempts, m.envelope, m.received_at AS "receivedAt"`,
    );
    if (!picked) return false;
    if (picked.attempts > MAX_PROCESSING_ATTEMPTS) {
      await this.settleAlone(picked, { status: 'to_sort', why: 'could-not-process' });
      return true;
    }
    const files: Array<CheckedAttachment | RefusedAttachment> = [];
    let storedKeys: string[] = [];
    try {
      let message: ReadMessage;
      try {
        message = await readMessage(picked.raw);
      } catch (err) {
        this.logger.warn({ inboundMailId: picked.id, err: err instanceof Error ? err.message : String(err) }, 'A received e-mail could not be parsed; it waits to be sorted');
        await this.settleAlone(picked, { status: 'to_sort', why: 'unreadable' });
        return true;
      }
      // What needs no row lock is done before the transaction: the reply token is read, and the
      // attachments of what looks like a reply are checked and staged on local disk.
      const token = message.bounce || message.autoReply ? null : await this.answeredNotification(picked, message);
      if (token && 'notificationId' in token) {
        for (const a of message.attachments) files.push(await this.evidence.check(a.fileName, a.content));
      }
      const outcome = await this.dataSource.transaction(async (m) => {
        const [row] = await runSql<{ status: string }>(m, sql`SELECT status FROM inbound_mail WHERE id = ${picked.id} FOR UPDATE`);
        if (row?.status !== 'received') return null;
        const settled = await this.settle(m, picked, message, token, files, (keys) => (storedKeys = keys));
        await this.record(m, picked.id, settled, message);
        return settled;
      });
      if (outcome) this.logger.log({ inboundMailId: picked.id, ...outcome }, `Received e-mail: ${outcome.status}`);
      return true;
    } catch (err) {
      await this.evidence.forget(storedKeys);
      const text = err instanceof Error ? err.message : String(err);
      this.logger.error({ inboundMailId: picked.id, attempt: picked.attempts, err: text }, 'Processing a received e-mail failed; it will be tried again');
      await runSql(this.dataSource, sql`UPDATE inbound_mail SET last_error = ${text.slice(0, 1000)} WHERE id = ${picked.id}`).catch(() => undefined);
      return true;
    } finally {
      await this.evidence.release(files);
    }
  }

  /**
   * The notification the message answers, from the first of its recipients that is a reply address
   * of ours (the envelope's first: it is what the mail was really delivered to), or why there is none.
   */
  private async answeredNotification(picked: Picked, message: ReadMessage): Promise<TokenReading> {
    const candidates = [...new Set([...(picked.envelope.to ?? []).map((a) => a.toLowerCase()), ...message.headerRecipients])];
    let forged = false;
    for (const address of candidates) {
      const reading = await this.replyAddresses.read(address);
      if (reading.ok) return { notificationId: reading.notificationId };
      if (reading.problem === 'forged') forged = true;
    }
    return { why: forged ? 'forged' : 'no-reply-address' };
  }

  private async settle(
    m: EntityManager,
    picked: Picked,
    message: ReadMessage,
    token: TokenReading | null,
    files: ReadonlyArray<CheckedAttachment | RefusedAttachment>,
    stored: (keys: string[]) => void,
  ): Promise<InboundOutcome> {
    if (message.bounce) return { status: 'bounce', marked: await this.markFailing(m, picked, message) };
    if (message.autoReply) return { status: 'auto_reply' };
    if (!token || 'why' in token) return { status: 'to_sort', why: token?.why ?? 'no-reply-address' };

    const answered = await this.answered(m, token.notificationId);
    if (!answered) return { status: 'to_sort', why: 'unknown-email' };
    const about = { caseId: answered.caseId, notificationId: answered.notificationId };
    const windowEnds = answered.createdAt.getTime() + this.config.REPLY_WINDOW_DAYS * 24 * 60 * 60 * 1000;
    if (picked.receivedAt.getTime() > windowEnds) return { status: 'to_sort', why: 'expired', ...about };
    if (!answered.caseOpen) return { status: 'to_sort', why: 'case-closed', ...about };
    if (!message.from || message.from.address !== answered.recipientEmail.toLowerCase()) return { status: 'to_sort', why: 'wrong-sender', ...about };
    if (!answered.recipientUserId || !answered.userActive || !answered.userRole) return { status: 'to_sort', why: 'no-account', ...about };
    if (!answered.canSee) return { status: 'to_sort', why: 'not-on-case', ...about };

    const { audience, text } = replyAudience(answered.userRole, visibleReply(message.text));
    const filed = await this.filing.file(
      m,
      { id: answered.caseId, open: true },
      { userId: answered.recipientUserId, role: answered.userRole },
      { audience, text, receivedAt: picked.receivedAt, files, notify: true },
    );
    stored(filed.storedKeys);
    // A reply from the address shows the mailbox is there and read: it is no longer failing.
    await runSql(m, sql`UPDATE users SET email_failing_since = NULL, email_failing_reason = NULL WHERE id = ${answered.recipientUserId} AND email_failing_since IS NOT NULL`);
    return { status: 'filed', caseId: answered.caseId, noteId: filed.noteId, notificationId: answered.notificationId };
  }

  /** The answered notification and its case, the case locked FOR SHARE so it cannot close while the reply is filed. */
  private async answered(m: EntityManager, notificationId: string): Promise<Answered | undefined> {
    const [row] = await runSql<Answered>(
      m,
      sql`SELECT n.id AS "notificationId", n.created_at AS "createdAt", n.recipient_email AS "recipientEmail", n.recipient_user_id AS "recipientUserId",
                 u.role AS "userRole", u.active AS "userActive", c.id AS "caseId", (c.state <> 'closed' AND c.closed_at IS NULL) AS "caseOpen",
                 ${canSeeCaseColumn()} AS "canSee"
            FROM notifications n
            JOIN cases c ON c.id = n.case_id
            LEFT JOIN users u ON u.id = n.recipient_user_id
           WHERE n.id = ${notificationId}
             FOR SHARE OF c`,
    );
    return row;
  }

  /**
   * A bounce marks the address that failed: the person the bounced e-mail went to, found by the
   * reply address the bounce came back to, by the Message-ID of the bounced e-mail it quotes (ours
   * name the notification), or by the report's recipient field. A report of delay marks nothing.
   */
  private async markFailing(m: EntityManager, picked: Picked, message: ReadMessage): Promise<number> {
    const bounce = message.bounce!;
    if (!bounce.failed) return 0;
    const notificationIds = new Set<string>();
    for (const address of [...(picked.envelope.to ?? []), ...message.headerRecipients]) {
      const reading = await this.replyAddresses.read(address);
      if (reading.ok) notificationIds.add(reading.notificationId);
    }
    for (const id of bounce.originalMessageIds) {
      const ours = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@compact-cases$/i.exec(id);
      if (ours) notificationIds.add(ours[1].toLowerCase());
    }
    const ids = [...notificationIds];
    const reason = (bounce.status ?? 'The mail system said the message could not be delivered').slice(0, 500);
    const marked = await runSql<{ id: string }>(
      m,
      sql`UPDATE users u SET email_failing_since = coalesce(u.email_failing_since, ${picked.receivedAt.toISOString()}::timestamptz), email_failing_reason = ${reason}
           WHERE u.id IN (SELECT n.recipient_user_id FROM notifications n WHERE n.id = ANY(${ids}::uuid[]))
              OR lower(u.email) IN (SELECT lower(n.recipient_email) FROM notifications n WHERE n.id = ANY(${ids}::uuid[])
                                    UNION SELECT lower(r) FROM unnest(${bounce.recipients}::text[]) AS r)
          RETURNING u.id`,
    );
    if (!marked.length) this.logger.warn({ inboundMailId: picked.id, recipients: bounce.recipients.length }, 'A bounce named no address of ours');
    return marked.length;
  }

  private async record(m: EntityManager, id: string, outcome: InboundOutcome, message: ReadMessage | null): Promise<void> {
    const caseId = outcome.status === 'filed' || outcome.status === 'to_sort' ? (outcome.caseId ?? null) : null;
    const noteId = outcome.status === 'filed' ? outcome.noteId : null;
    const notificationId = outcome.status === 'filed' || outcome.status === 'to_sort' ? (outcome.notificationId ?? null) : null;
    await runSql(
      m,
      sql`UPDATE inbound_mail SET status = ${outcome.status}, why_to_sort = ${outcome.status === 'to_sort' ? outcome.why : null}::text,
                 from_address = coalesce(${message?.from?.address ?? null}::text, from_address), from_name = coalesce(${message?.from?.name || null}::text, from_name),
                 subject = coalesce(${message ? message.subject.slice(0, 500) : null}::text, subject), reply_text = ${message && !message.bounce ? visibleReply(message.text).slice(0, REPLY_MAX_LENGTH) : null}::text,
                 case_id = ${caseId}::uuid, note_id = ${noteId}::uuid, notification_id = ${notificationId}::uuid,
                 processed_at = now(), last_error = NULL
           WHERE id = ${id}`,
    );
  }

  /**
   * Settles, on its own, a message that could not be read or has had all its tries; its sender and
   * subject as its header lines say, so the person sorting it sees who it is from.
   */
  private async settleAlone(picked: Picked, outcome: InboundOutcome): Promise<void> {
    const from = headerValue(picked.raw, 'from');
    const address = from ? (/<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0]) : undefined;
    const subject = headerValue(picked.raw, 'subject');
    await this.dataSource.transaction(async (m) => {
      const [row] = await runSql<{ status: string }>(m, sql`SELECT status FROM inbound_mail WHERE id = ${picked.id} FOR UPDATE`);
      if (row?.status !== 'received') return;
      await this.record(m, picked.id, outcome, null);
      await runSql(
        m,
        sql`UPDATE inbound_mail SET from_address = coalesce(from_address, ${address?.toLowerCase().slice(0, 320) ?? null}::text), subject = coalesce(subject, ${subject?.slice(0, 500) ?? null}::text) WHERE id = ${picked.id}`,
      );
    });
    this.logger.warn({ inboundMailId: picked.id, ...outcome }, 'A received e-mail waits to be sorted');
  }
}
