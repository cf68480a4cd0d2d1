import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { englandAndWales } from '@cc/calendar';
import type { CaseEffectContext, CaseEffectHandler } from '@cc/cases';
import { CaseEffect, DEADLINE_KINDS } from '@cc/workflows';
import { DeadlinePolicies } from './deadline-policy.service';

/**
 * Carries out a transition's clock effects in its transaction: the deadlines table is the truth,
 * and the worker's relay turns new or moved due times into wake-up jobs afterwards.
 */
@Injectable()
export class DeadlineEffects implements CaseEffectHandler {
  private readonly calendar = englandAndWales;

  constructor(private readonly policies: DeadlinePolicies) {}

  async handle(manager: EntityManager, context: CaseEffectContext, effects: CaseEffect[]): Promise<void> {
    const at = new Date(context.at);
    for (const [i, effect] of effects.entries()) {
      switch (effect.type) {
        case 'startDeadline': {
          // A restart (end, then start, of the same clock) is written as one statement below.
          const previous = effects[i - 1];
          const endStatus = previous?.type === 'endDeadline' && previous.kind === effect.kind ? previous.status : 'cancelled';
          const length = await this.policies.lengthFor(manager, context.compactId, effect.kind);
          // The machine gives the BRIEF's default length; anything else (CHASE's 10 days) is deliberate.
          const isDefaultLength = effect.workingDays === undefined || effect.workingDays === DEADLINE_KINDS[effect.kind].workingDays;
          const days = isDefaultLength ? length.workingDays : effect.workingDays!;
          const dueAt = effect.dueAt ? new Date(effect.dueAt) : this.calendar.addWorkingDays(at, days ?? 0);
          const reminderAt =
            isDefaultLength && length.reminderAfterWorkingDays && !effect.dueAt
              ? this.calendar.addWorkingDays(at, length.reminderAfterWorkingDays)
              : null;
          // One running clock per kind: a start ends whatever clock of that kind still runs, in
          // the same statement (the one-running-clock constraint is checked at commit).
          await manager.query(
            `WITH ended AS (
               UPDATE deadlines SET status = $7, ended_at = $3 WHERE case_id = $1 AND kind = $2 AND status IN ('pending', 'paused') RETURNING id)
             INSERT INTO deadlines (case_id, kind, status, started_at, due_at, reminder_at, started_by_seq)
             VALUES ($1, $2, 'pending', $3, $4, $5, $6)`,
            [context.caseId, effect.kind, at, dueAt, reminderAt, context.eventSeq, endStatus],
          );
          break;
        }
        case 'endDeadline':
          if (effects[i + 1]?.type === 'startDeadline' && (effects[i + 1] as { kind: string }).kind === effect.kind) break;
          // A clock that already fired keeps its 'fired' status.
          await manager.query(
            `UPDATE deadlines SET status = $3, ended_at = $4 WHERE case_id = $1 AND kind = $2 AND status IN ('pending', 'paused')`,
            [context.caseId, effect.kind, effect.status, at],
          );
          break;
        case 'pauseDeadline': {
          const [running] = await manager.query(
            `SELECT id, due_at AS "dueAt" FROM deadlines WHERE case_id = $1 AND kind = $2 AND status = 'pending'`,
            [context.caseId, effect.kind],
          );
          if (!running) break;
          await manager.query(`UPDATE deadlines SET status = 'paused', remaining_ms = $2, wakeup_for = NULL WHERE id = $1`, [
            running.id,
            Math.round(this.calendar.workingMsBetween(at, running.dueAt)),
          ]);
          break;
        }
        case 'resumeDeadline': {
          const [paused] = await manager.query(
            `SELECT id, remaining_ms AS "remainingMs" FROM deadlines WHERE case_id = $1 AND kind = $2 AND status = 'paused'`,
            [context.caseId, effect.kind],
          );
          if (!paused) break;
          await manager.query(`UPDATE deadlines SET status = 'pending', due_at = $2, remaining_ms = NULL WHERE id = $1`, [
            paused.id,
            this.calendar.addWorkingMs(at, Number(paused.remainingMs)),
          ]);
          break;
        }
        default:
          break;
      }
    }
  }
}
