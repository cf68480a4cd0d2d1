import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runPrepared, sql } from '@cc/persistence';
import { MailTransport } from './mail-transport.service';
import { EmailTemplate, renderEmail } from './templates';

export type DeliveryOutcome = 'sent' | 'skipped';

interface ClaimedNotification {
  id: string;
  template: string;
  to: string;
  name: string;
  role: 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';
  data: Record<string, unknown> & { caseReference: string; caseTitle: string; stateLabel: string };
  messageId: string;
  caseId: string;
}

/**
 * Delivers one outbox row. Exactly once as far as we control it: a row is claimed before sending
 * (so two workers never send it together), the SMTP answer is recorded the moment it arrives (so a
 * retry never resends what the server accepted), and the Message-ID is the row's, so the one case
 * we cannot rule out (a crash between the server's "250 OK" and that record) resends the very same
 * message, which mail systems recognise.
 */
@Injectable()
export class EmailDelivery {
  private readonly logger = new Logger(EmailDelivery.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(notificationId: string, isLastAttempt: boolean): Promise<DeliveryOutcome> {
    const [row] = await runPrepared<ClaimedNotification>(
      this.dataSource.manager,
      sql`UPDATE notifications
             SET status = 'sending', attempts = attempts + 1, sending_started_at = now()
           WHERE id = ${notificationId}
             AND (status IN ('pending', 'queued')
                  OR (status = 'sending' AND sending_started_at < now() - ${this.config.EMAIL_CLAIM_TIMEOUT_MS} * interval '1 millisecond'))
           RETURNING id, template, recipient_email AS "to", recipient_name AS "name", recipient_role AS "role", data, message_id AS "messageId", case_id AS "caseId"`,
    );
    // Sent already, failed (waiting for an administrator), or being sent by another worker.
    if (!row) return 'skipped';
    try {
      const email = renderEmail(row.template as EmailTemplate, {
        ...row.data,
        caseUrl: `${this.config.PUBLIC_BASE_URL}/cases/${row.caseId}`,
        recipientName: row.name,
        recipientRole: row.role,
      });
      const response = await this.transport.send({ messageId: row.messageId, to: row.to, ...email });
      await runPrepared(
        this.dataSource.manager,
        sql`UPDATE notifications SET status = 'sent', sent_at = now(), smtp_response = ${response.slice(0, 1000)}, last_error = NULL WHERE id = ${row.id}`,
      );
      return 'sent';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.dataSource.query(
        `UPDATE notifications SET status = $2, last_error = $3, failed_at = CASE WHEN $2 = 'failed' THEN now() END WHERE id = $1`,
        [row.id, isLastAttempt ? 'failed' : 'queued', message.slice(0, 1000)],
      );
      this.logger.warn({ notificationId, attempt: isLastAttempt ? 'last' : 'will retry', err: message}, 'E-mail not delivered');
      throw err;
    }
  }
}
