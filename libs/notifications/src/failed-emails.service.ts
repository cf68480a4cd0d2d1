import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conflict, NotFound, isUuid } from '@cc/common';

export const NOTIFICATION_STATUSES = ['pending', 'queued', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationRow {
  id: string;
  caseReference: string;
  template: string;
  recipientEmail: string;
  status: string;
  attempts: number;
  lastError: string | null;
  smtpResponse: string | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
}


/** E-mails by status (failed ones, for administrators), and sending a failed one again. */
@Injectable()
export class FailedEmails {
  constructor(private readonly dataSource: DataSource) {}

  async list(status: NotificationStatus = 'failed', limit = 50): Promise<NotificationRow[]> {
    const rows = await this.dataSource.query(
      `SELECT n.id, c.reference AS "caseReference", n.template, n.recipient_email AS "recipientEmail", n.status, n.attempts,
              n.last_error AS "lastError", n.smtp_response AS "smtpResponse", n.created_at AS "createdAt", n.sent_at AS "sentAt",
              n.failed_at AS "failedAt"
         FROM notifications n JOIN cases c ON c.id = n.case_id
        WHERE n.status = $1 ORDER BY n.created_at DESC LIMIT $2`,
      [status, limit],
    );
    return rows.map((r: Record<string, unknown>) => ({
      ...r,
      createdAt: (r.createdAt as Date).toISOString(),
      sentAt: r.sentAt ? (r.sentAt as Date).toISOString() : null,
      failedAt: r.failedAt ? (r.failedAt as Date).toISOString() : null,
    })) as NotificationRow[];
  }

  /** Puts a failed e-mail back in the outbox; the relay queues it again. */
  async retry(id: string): Promise<{ id: string; status: string }> {
    if (!isUuid(id)) throw new NotFound(`Notification ${id}`);
    const [row] = await this.dataSource.query(
      `WITH retried AS (
         UPDATE notifications SET status = 'pending', failed_at = NULL, relay_count = relay_count + 1 WHERE id = $1 AND status = 'failed' RETURNING id, status)
       SELECT id, status FROM retried`,
      [id],
    );
    if (row) return row;
    const [existing] = await this.dataSource.query(`SELECT status FROM notifications WHERE id = $1`, [id]);
    if (!existing) throw new NotFound(`Notification ${id}`);
    throw new Conflict('NOT_FAILED', `Only failed e-mails can be retried; this one is ${existing.status}.`, { status: existing.status });
  }
}
