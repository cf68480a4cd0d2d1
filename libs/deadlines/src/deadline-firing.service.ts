import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SendCaseEvent } from '@cc/cases';
import { NotificationWriter, Recipients } from '@cc/notifications';
import { queryRows } from '@cc/persistence';
import type { DeadlineKind, SystemEventType } from '@cc/workflows';

/** Clocks whose expiry moves the case; the others only tell people. */
const SYSTEM_EVENT_ON_EXPIRY: Partial<Record<DeadlineKind, SystemEventType>> = {
  informationRequest: 'INFORMATION_OVERDUE',
  respondentReply: 'RESPONSE_OVERDUE',
  feeAgreement: 'FEE_AGREEMENT_OVERDUE',
  feePayment: 'FEE_AGREEMENT_OVERDUE',
};

/** Who hears about a clock that runs out without moving the case. */
const NOTICE_ON_EXPIRY: Partial<Record<DeadlineKind, { template: 'deadlineOverdue' | 'deadlineReminder'; audience: Recipients[] }>> = {
  triage: { template: 'deadlineOverdue', audience: ['staff'] },
  negotiationReview: { template: 'deadlineOverdue', audience: ['staff'] },
  monitoring: { template: 'deadlineOverdue', audience: ['staff'] },
  sessionReminder: { template: 'deadlineReminder', audience: ['reporter', 'mediator', 'respondent'] },
};

interface FiredDeadline {
  id: string;
  caseId: string;
  kind: DeadlineKind;
  dueAt: Date;
}

export type FiringOutcome = 'fired' | 'notDue' | 'alreadyHandled' | 'caseMovedOn';

/**
 * Fires a due deadline, at most once whoever asks (a wake-up job, a retry, the sweeper, another
 * worker): one transaction claims the deadline only while it is still pending and due, sends the
 * case its event (or writes the notices), and marks it fired. If anything fails, all of it rolls
 * back and the deadline is still pending for the next attempt.
 */
@Injectable()
export class DeadlineFiring {
  private readonly logger = new Logger(DeadlineFiring.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SendCaseEvent,
    private readonly notifications: NotificationWriter,
  ) {}

  async fire(deadlineId: string): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    return this.dataSource.transaction(async (manager) => {
      const [deadline] = await queryRows<FiredDeadline>(
        manager,
        `UPDATE deadlines SET status = 'fired', fired_at = now()
          WHERE id = $1 AND status = 'pending' AND due_at <= now()
          RETURNING id, case_id AS "caseId", kind, due_at AS "dueAt", fired_at AS "firedAt"`,
        [deadlineId],
      );
      if (!deadline) return this.whyNot(manager, deadlineId);
      const kind = deadline.kind as DeadlineKind;
      const systemEvent = SYSTEM_EVENT_ON_EXPIRY[kind];
      if (systemEvent) {
        const sent = await this.events.bySystemWithin(manager, deadline.caseId, systemEvent);
        if (!sent) {
          // The case left the state that was waiting; the clock should have ended with it.
          await manager.query(`UPDATE deadlines SET status = 'cancelled', ended_at = now(), fired_at = NULL WHERE id = $1`, [deadline.id]);
          this.logger.warn({ deadlineId, caseId: deadline.caseId, kind }, 'Deadline expired but the case no longer expects it');
          return { outcome: 'caseMovedOn' as const };
        }
      }
      const notice = NOTICE_ON_EXPIRY[kind];
      if (notice) await this.notify(manager, deadline.id, deadline.caseId, kind, notice.template, notice.audience, deadline.dueAt);
      this.logger.log({ deadlineId, caseId: deadline.caseId, kind, lateMs: Date.now() - new Date(deadline.dueAt).getTime() }, 'Deadline fired');
      return { outcome: 'fired' as const };
    });
  }

  /** The reminder some clocks send before they run out (the public body's reply at 15 working days). */
  async remind(deadlineId: string): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    return this.dataSource.transaction(async (manager) => {
      const [deadline] = await queryRows<FiredDeadline>(
        manager,
        `UPDATE deadlines SET reminder_sent_at = now()
          WHERE id = $1 AND status = 'pending' AND reminder_sent_at IS NULL AND reminder_at <= now()
          RETURNING id, case_id AS "caseId", kind, due_at AS "dueAt"`,
        [deadlineId],
      );
      if (!deadline) return { outcome: 'alreadyHandled' as const };
      await this.notify(manager, deadline.id, deadline.caseId, deadline.kind, 'deadlineReminder', ['respondent', 'staff'], deadline.dueAt);
      return { outcome: 'fired' as const };
    });
  }

  private async whyNot(manager: EntityManager, deadlineId: string): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    const [row] = await manager.query(
      `SELECT status, (extract(epoch FROM due_at - now()) * 1000)::bigint AS "dueInMs" FROM deadlines WHERE id = $1`,
      [deadlineId],
    );
    if (row?.status === 'pending') return { outcome: 'notDue', dueInMs: Number(row.dueInMs) };
    return { outcome: 'alreadyHandled' };
  }

  private async notify(
    manager: EntityManager,
    deadlineId: string,
    caseId: string,
    kind: string,
    template: 'deadlineOverdue' | 'deadlineReminder',
    audience: Recipients[],
    dueAt: Date,
  ): Promise<void> {
    await this.notifications.write(manager, { caseId, template, audience, deadlineId, deadlineKind: kind, dueAt: new Date(dueAt).toISOString() });
  }
}
