import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppliedCase, SendCaseEvent } from '@cc/cases';
import { NotificationWriter, Recipients } from '@cc/notifications';
import { Sql, runPrepared, runSql, sql } from '@cc/persistence';
import { ON_EXPIRY, REMINDER_NOTICE, type DeadlineKind, type DeadlineNotice, type DeadlineNoticeTemplate, type ExpiryConsequence } from '@cc/workflows';

/** The workflow's notice in the notification writer's terms (its audiences are the writer's recipients, 'staff' included). */
function noticeOf(notice: DeadlineNotice, deadlineId: string): ClaimNotice {
  const audience: Recipients[] = notice.audience;
  return { template: notice.template, audience, deadlineId };
}

interface ClaimNotice {
  template: DeadlineNoticeTemplate;
  audience: Recipients[];
  deadlineId: string;
}

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

  /**
   * `kind` comes with the wake-up job (a deadline's kind never changes); without it, it is read.
   * A clock that moves the case fires in a transaction with the case's event; one that only tells
   * people is claimed and its notices written in one statement.
   */
  async fire(deadlineId: string, kind?: DeadlineKind): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    kind ??= await this.kindOf(deadlineId);
    if (!kind) return { outcome: 'alreadyHandled' };
    // What running out does is the workflow's to say; this only carries it out. A kind the
    // workflow does not know (a stored row or job from another version) is claimed and says nothing.
    const onExpiry: ExpiryConsequence = ON_EXPIRY[kind] ?? { type: 'nothing' };
    if (onExpiry.type !== 'systemEvent') {
      const claim = sql`UPDATE deadlines SET status = 'fired', fired_at = now()
                         WHERE id = ${deadlineId} AND kind = ${kind} AND status = 'pending' AND due_at <= now()`;
      const fired = await this.claimAndNotify(claim, onExpiry.type === 'notice' ? noticeOf(onExpiry, deadlineId) : undefined);
      if (!fired) return this.whyNot(this.dataSource.manager, deadlineId);
      this.logger.log({ deadlineId, caseId: fired.caseId, kind, lateMs: fired.lateMs }, 'Deadline fired');
      return { outcome: 'fired' };
    }
    return this.dataSource.transaction(async (manager) => {
      const [deadline] = await runSql<FiredDeadline>(
        manager,
        sql`UPDATE deadlines SET status = 'fired', fired_at = now()
             WHERE id = ${deadlineId} AND status = 'pending' AND due_at <= now()
             RETURNING id, case_id AS "caseId", kind, due_at AS "dueAt", fired_at AS "firedAt"`,
      );
      if (!deadline) return this.whyNot(manager, deadlineId);
      const sent = await this.events.bySystemWithin(manager, deadline.caseId, onExpiry.event);
      if (!sent) {
        // The case left the state that was waiting; the clock should have ended with it.
        await runSql(manager, sql`UPDATE deadlines SET status = 'cancelled', ended_at = now(), fired_at = NULL WHERE id = ${deadline.id}`);
        this.logger.warn({ deadlineId, caseId: deadline.caseId, kind }, 'Deadline expired but the case no longer expects it');
        return { outcome: 'caseMovedOn' as const };
      }
      this.logger.log({ deadlineId, caseId: deadline.caseId, kind, lateMs: Date.now() - new Date(deadline.dueAt).getTime() }, 'Deadline fired');
      return { outcome: 'fired' as const };
    });
  }

  /** The reminder some clocks send before they run out (the public body's reply at 15 working days). */
  async remind(deadlineId: string): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    const claim = sql`UPDATE deadlines SET reminder_sent_at = now()
                       WHERE id = ${deadlineId} AND status = 'pending' AND reminder_sent_at IS NULL AND reminder_at <= now()`;
    const fired = await this.claimAndNotify(claim, noticeOf(REMINDER_NOTICE, deadlineId));
    return { outcome: fired ? 'fired' : 'alreadyHandled' };
  }

  /**
   * One statement: the claim (an UPDATE of the deadline) and, only if it claimed, the notices, so a
   * claim is never without its e-mails nor the reverse.
   */
  private async claimAndNotify(claim: Sql, notice: ClaimNotice | undefined): Promise<{ caseId: string; lateMs: number } | undefined> {
    const writes = notice ? [this.notifications.insertFor({ template: notice.template, audience: notice.audience, deadlineId: notice.deadlineId })] : [];
    const statement = AppliedCase.afterDeadlineClaim(claim).statement(
      writes,
      (claimed) => sql`SELECT case_id AS "caseId", (extract(epoch FROM now() - due_at) * 1000)::float8 AS "lateMs" FROM ${claimed.claimedDeadline}`,
    );
    const [row] = await runPrepared<{ caseId: string; lateMs: number }>(this.dataSource.manager, statement);
    return row;
  }

  private async kindOf(deadlineId: string): Promise<DeadlineKind | undefined> {
    const [row] = await runPrepared<{ kind: DeadlineKind }>(this.dataSource.manager, sql`SELECT kind FROM deadlines WHERE id = ${deadlineId}`);
    return row?.kind;
  }

  private async whyNot(manager: EntityManager, deadlineId: string): Promise<{ outcome: FiringOutcome; dueInMs?: number }> {
    const [row] = await runSql<{ status: string; dueInMs: string }>(
      manager,
      sql`SELECT status, (extract(epoch FROM due_at - now()) * 1000)::bigint AS "dueInMs" FROM deadlines WHERE id = ${deadlineId}`,
    );
    if (row?.status === 'pending') return { outcome: 'notDue', dueInMs: Number(row.dueInMs) };
    return { outcome: 'alreadyHandled' };
  }
}
