import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runPrepared, sql } from '@cc/persistence';
import { EmailLeases } from './email-leases.service';
import { MailTransport } from './mail-transport.service';
import { unsafeHeaderReason } from './safe-headers';
import { SendSlots, SlotsClosed } from './send-slots';
import { SIGN_IN_LINK_MINUTES, SIGN_IN_LINK_TEMPLATE, mintResetToken, mintSignInLink } from '@cc/identity';
import { renderSignInLinkEmail } from './sign-in-link-email';
import { EmailTemplate, isAccountEmailTemplate, renderAccountEmail, renderEmail } from '../templates';
import { ReplyAddresses } from '../reply-address/reply-address';

export type DeliveryOutcome =
  | { result: 'sent' | 'skipped' | 'refused' | 'failed' | 'released' }
  /** A temporary failure (or the database away before the claim): try again after this long. */
  | { result: 'retry'; inMs: number };

interface ClaimedNotification {
  id: string;
  template: string;
  to: string;
  name: string;
  role: 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';
  data: Record<string, unknown> & { caseReference: string; caseTitle: string; stateLabel: string };
  messageId: string;
  caseId: string | null;
  /** The recipient's account, when they have one (a respondent's case e-mails carry a sign-in link for it). */
  userId: string | null;
  /** An account e-mail's reset: its link is minted as it is sent. */
  passwordResetId: string | null;
  attempts: number;
}

/**
 * Delivers one outbox row, exactly once as far as SMTP allows:
 * - the row is claimed only once a connection to the mail server is free, as a lease in this
 *   worker's name that is renewed while the send lasts (EmailLeases), so a slow server never makes
 *   another worker take over a live send;
 * - the server's answer is recorded the moment it arrives, and if the database cannot take it the
 *   outcome is kept in this process until it can: a message whose 250 we saw is never sent again;
 * - the Message-ID is the row's, so the one case we cannot rule out (this process killed between the
 *   server's 250 and that record) resends the very same message, which mail systems recognise.
 * Temporary failures (4xx, connection errors) are retried with backoff for EMAIL_RETRY_HOURS, as mail
 * servers do; a permanent refusal (5xx) or a message unsafe to send fails the row at once.
 */
@Injectable()
export class EmailDelivery {
  private readonly logger = new Logger(EmailDelivery.name);
  private readonly slots: SendSlots;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly leases: EmailLeases,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly replyAddresses: ReplyAddresses,
  ) {
    this.slots = new SendSlots(config.SMTP_POOL_SIZE);
  }

  /**
   * `keepAlive` tells the queue this job is still being worked on while it waits for a connection,
   * so the check for jobs lost with a dead worker does not mistake a waiting one for lost.
   */
  async deliver(notificationId: string, keepAlive: () => Promise<unknown> = async () => undefined): Promise<DeliveryOutcome> {
    const delivery = this.deliverOnce(notificationId, keepAlive);
    this.inFlight.add(delivery);
    try {
      return await delivery;
    } finally {
      this.inFlight.delete(delivery);
    }
  }

  /** Resolves once no delivery is in progress in this process. */
  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private readonly inFlight = new Set<Promise<DeliveryOutcome>>();

  private async deliverOnce(notificationId: string, keepAlive: () => Promise<unknown>): Promise<DeliveryOutcome> {
    if (this.leases.holdsOutcomeOf(notificationId)) return { result: 'skipped' };
    if (!(await this.waitForSlot(keepAlive))) return this.releaseUnclaimed(notificationId);
    try {
      let row: ClaimedNotification | undefined;
      try {
        row = await this.claim(notificationId);
        this.leases.noteDatabase(true);
      } catch (err) {
        this.leases.noteDatabase(false);
        this.logger.warn({ notificationId, err: err instanceof Error ? err.message : String(err) }, 'Could not claim an e-mail; will try again');
        return { result: 'retry', inMs: this.config.EMAIL_BACKOFF_MS };
      }
      // Sent already, failed (waiting for an administrator), or being sent by another worker.
      if (!row) return { result: 'skipped' };
      this.leases.hold(row.id);
      try {
        return await this.send(row);
      } finally {
        this.leases.release(row.id);
      }
    } finally {
      this.slots.release();
    }
  }

  /** Stops handing out connections: e-mails waiting for one are put back for another worker at once. */
  stopTakingWork(): void {
    this.slots.close();
  }

  private async waitForSlot(keepAlive: () => Promise<unknown>): Promise<boolean> {
    const timer = setInterval(() => void keepAlive().catch(() => undefined), Math.max(50, Math.floor(this.config.EMAIL_CLAIM_TIMEOUT_MS / 3)));
    try {
      await this.slots.acquire();
      return true;
    } catch (err) {
      if (err instanceof SlotsClosed) return false;
      throw err;
    } finally {
      clearInterval(timer);
    }
  }

  private async claim(notificationId: string): Promise<ClaimedNotification | undefined> {
    const [row] = await runPrepared<ClaimedNotification>(
      this.dataSource.manager,
      sql`UPDATE notifications
             SET status = 'sending', attempts = attempts + 1, sending_started_at = now(),
                 claimed_by = ${this.leases.holder}, claimed_until = now() + ${this.config.EMAIL_CLAIM_TIMEOUT_MS} * interval '1 millisecond',
                 retry_until = coalesce(retry_until, now() + ${this.config.EMAIL_RETRY_HOURS} * interval '1 hour')
           WHERE id = ${notificationId} AND status IN ('pending', 'queued')
           RETURNING id, template, recipient_email AS "to", recipient_name AS "name", recipient_role AS "role", data, message_id AS "messageId",
                     case_id AS "caseId", recipient_user_id AS "userId", password_reset_id AS "passwordResetId", attempts`,
    );
    return row;
  }

  private async send(row: ClaimedNotification): Promise<DeliveryOutcome> {
    let email: ReturnType<typeof renderEmail>;
    // A case e-mail's replies come back to its own address (which names this row: its case and recipient);
    // account e-mails have no case to reply on, so they keep MAIL_FROM alone.
    let replyTo: string | undefined;
    try {
      if (row.template === SIGN_IN_LINK_TEMPLATE) {
        // Minted only now, as it goes, and only its hash kept; a request older than its link's life is not sent.
        const stillWanted = Date.parse(String(row.data.expiresAt ?? '')) > Date.now();
        const token = stillWanted && row.userId ? await mintSignInLink(this.dataSource.manager, row.userId, 'requested') : null;
        if (!token) return this.fail(row, 'Not sent: the sign-in link was asked for too long ago, or the account has been deactivated, before it could be sent.', 'refused');
        email = renderSignInLinkEmail({ recipientName: row.name, link: this.signInUrl(token), expiresAt: new Date(Date.now() + SIGN_IN_LINK_MINUTES.requested * 60_000).toISOString() });
      } else if (isAccountEmailTemplate(row.template)) {
        // The link's token exists only in this e-mail: minted now, only its hash kept.
        const token = row.passwordResetId ? await mintResetToken(this.dataSource.manager, row.passwordResetId) : null;
        if (!token) return this.fail(row, 'Not sent: the link in it had expired, been used or been replaced by a newer one before it could be sent.', 'refused');
        email = renderAccountEmail(row.template, {
          recipientName: row.name,
          link: `${this.config.PUBLIC_BASE_URL}/reset-password?token=${token}`,
          expiresAt: String(row.data.expiresAt ?? ''),
        });
      } else {
        // A public body's contact gets a link that signs them in, minted as the e-mail goes (its hash only is kept).
        const token = row.role === 'respondent' && row.userId ? await mintSignInLink(this.dataSource.manager, row.userId, 'caseEmail') : null;
        if (row.caseId) replyTo = await this.replyAddresses.mint(row.id);
        email = renderEmail(row.template as EmailTemplate, {
          ...row.data,
          ...(token ? { signInUrl: this.signInUrl(token, row.caseId) } : {}),
          caseUrl: `${this.config.PUBLIC_BASE_URL}/cases/${row.caseId}`,
          recipientName: row.name,
          recipientRole: row.role,
        });
      }
    } catch (err) {
      return this.fail(row, `Not sent: the message could not be written (${err instanceof Error ? err.message : String(err)}). Tell support.`, 'refused');
    }
    const unsafe = unsafeHeaderReason({ to: row.to, subject: email.subject, messageId: row.messageId });
    if (unsafe) return this.fail(row, unsafe, 'refused');

    let response: string;
    try {
      response = await this.transport.send({ messageId: row.messageId, to: row.to, replyTo, ...email });
    } catch (err) {
      return this.afterFailedSend(row, err);
    }
    await this.leases.recordSent(row.id, response);
    return { result: 'sent' };
  }

  /** A link in a case's e-mail signs in and opens that case. */
  private signInUrl(token: string, caseId: string | null = null): string {
    return `${this.config.PUBLIC_BASE_URL}/sign-in/link/${token}${caseId ? `?case=${caseId}` : ''}`;
  }

  private async afterFailedSend(row: ClaimedNotification, err: unknown): Promise<DeliveryOutcome> {
    const message = err instanceof Error ? err.message : String(err);
    const responseCode = (err as { responseCode?: number }).responseCode;
    if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
      return this.fail(row, `The mail server refused this message permanently (${message}).`, 'failed');
    }
    const inMs = this.backoffAfter(row.attempts);
    try {
      const [after] = await runPrepared<{ status: string }>(
        this.dataSource.manager,
        sql`UPDATE notifications
               SET status = CASE WHEN now() + ${inMs} * interval '1 millisecond' > retry_until THEN 'failed' ELSE 'queued' END,
                   failed_at = CASE WHEN now() + ${inMs} * interval '1 millisecond' > retry_until THEN now() END,
                   last_error = ${message.slice(0, 1000)}, queued_at = now(), claimed_by = NULL, claimed_until = NULL
             WHERE id = ${row.id}
             RETURNING status`,
      );
      const gaveUp = after?.status === 'failed';
      this.logger.warn(
        { notificationId: row.id, attempt: row.attempts, retryInMs: gaveUp ? undefined : inMs, err: message },
        gaveUp ? `E-mail not delivered after ${this.config.EMAIL_RETRY_HOURS} hours of trying; marked failed` : 'E-mail not delivered; will retry',
      );
      return gaveUp ? { result: 'failed' } : { result: 'retry', inMs };
    } catch (recordErr) {
      // The row stays 'sending'; once this worker's lease on it runs out it is put back and tried again.
      this.logger.error(
        { notificationId: row.id, err: message, recordErr: recordErr instanceof Error ? recordErr.message : String(recordErr) },
        'E-mail not delivered, and the failure could not be recorded; it will be tried again once its lease runs out',
      );
      return { result: 'retry', inMs };
    }
  }

  /** Marks the row failed for good (an administrator may retry it), with the reason in words. */
  private async fail(row: ClaimedNotification, reason: string, result: 'failed' | 'refused'): Promise<DeliveryOutcome> {
    this.logger.warn({ notificationId: row.id, reason }, 'E-mail marked failed');
    await runPrepared(
      this.dataSource.manager,
      sql`UPDATE notifications SET status = 'failed', failed_at = now(), last_error = ${reason.slice(0, 1000)}, claimed_by = NULL, claimed_until = NULL
           WHERE id = ${row.id}`,
    ).catch((err) => {
      this.logger.error({ notificationId: row.id, err: err instanceof Error ? err.message : String(err) }, 'Could not mark an e-mail failed; it will be looked at again once its lease runs out');
    });
    return { result };
  }

  /** Puts a row this worker had taken (but not claimed) back for another worker's relay at once. */
  private async releaseUnclaimed(notificationId: string): Promise<DeliveryOutcome> {
    await runPrepared(
      this.dataSource.manager,
      sql`UPDATE notifications SET status = 'pending', relay_count = relay_count + 1 WHERE id = ${notificationId} AND status = 'queued'`,
    ).catch(() => undefined);
    return { result: 'released' };
  }

  /** Doubling from EMAIL_BACKOFF_MS up to EMAIL_MAX_BACKOFF_MS, with a tenth of jitter so retries do not all arrive together. */
  private backoffAfter(attempts: number): number {
    const base = Math.min(this.config.EMAIL_MAX_BACKOFF_MS, this.config.EMAIL_BACKOFF_MS * 2 ** Math.min(30, Math.max(0, attempts - 1)));
    return Math.round(base * (0.9 + Math.random() * 0.2));
  }
}
