import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { englandAndWales } from '@cc/calendar';
import type { CaseEffectContext, CaseEffectHandler, EffectPlan, EffectWrite } from '@cc/cases';
import { runSql, sql } from '@cc/persistence';
import { CaseEffect, DEADLINE_KINDS } from '@cc/workflows';
import { DeadlinePolicies } from '../deadline-policy/deadline-policy.service';

/**
 * Carries out a transition's clock effects as part of its write: the deadlines table is the truth,
 * and the worker's relay turns new or moved due times into wake-up jobs afterwards. Starting and
 * ending clocks go into the transition's own statement; pausing and resuming read the clock first,
 * so they run after it in the same transaction.
 */
@Injectable()
export class DeadlineEffects implements CaseEffectHandler {
  private readonly calendar = englandAndWales;

  constructor(private readonly policies: DeadlinePolicies) {}

  async plan(context: CaseEffectContext, effects: CaseEffect[], reader: EntityManager): Promise<EffectPlan> {
    const at = new Date(context.at);
    const writes: EffectWrite[] = [];
    const readFirst: Array<Extract<CaseEffect, { type: 'pauseDeadline' | 'resumeDeadline' }>> = [];
    for (const [i, effect] of effects.entries()) {
      switch (effect.type) {
        case 'startDeadline': {
          // A restart (end, then start, of the same clock) ends the old one with the status it asked for.
          const previous = effects[i - 1];
          const endStatus = previous?.type === 'endDeadline' && previous.kind === effect.kind ? previous.status : 'cancelled';
          // The policy is configuration, read (and cached) before the transition's statement.
          const length = await this.policies.lengthFor(reader, context.compactId, effect.kind);
          // The machine gives the BRIEF's default length; anything else (CHASE's 10 days) is deliberate.
          const isDefaultLength = effect.workingDays === undefined || effect.workingDays === DEADLINE_KINDS[effect.kind].workingDays;
          const days = isDefaultLength ? length.workingDays : effect.workingDays!;
          const dueAt = effect.dueAt ? new Date(effect.dueAt) : this.calendar.addWorkingDays(at, days ?? 0);
          const reminderAt =
            isDefaultLength && length.reminderAfterWorkingDays && !effect.dueAt ? this.calendar.addWorkingDays(at, length.reminderAfterWorkingDays) : null;
          writes.push(...startClockWrites({ caseId: context.caseId, kind: effect.kind, at, dueAt, reminderAt, eventSeq: context.eventSeq, endRunningAs: endStatus }));
          break;
        }
        case 'endDeadline':
          if (effects[i + 1]?.type === 'startDeadline' && (effects[i + 1] as { kind: string }).kind === effect.kind) break;
          writes.push(endClockWrite(context.caseId, effect.kind, effect.status, at));
          break;
        case 'pauseDeadline':
        case 'resumeDeadline':
          readFirst.push(effect);
          break;
        default:
          break;
      }
    }
    return { writes, afterwards: readFirst.length ? (manager) => this.pauseOrResume(manager, context.caseId, at, readFirst) : undefined };
  }

  private async pauseOrResume(manager: EntityManager, caseId: string, at: Date, effects: Array<Extract<CaseEffect, { type: 'pauseDeadline' | 'resumeDeadline' }>>) {
    for (const effect of effects) {
      if (effect.type === 'pauseDeadline') {
        const [running] = await runSql<{ id: string; dueAt: Date }>(
          manager,
          sql`SELECT id, due_at AS "dueAt" FROM deadlines WHERE case_id = ${caseId} AND kind = ${effect.kind} AND status = 'pending'`,
        );
        if (!running) continue;
        const remainingMs = Math.round(this.calendar.workingMsBetween(at, running.dueAt));
        await runSql(manager, sql`UPDATE deadlines SET status = 'paused', remaining_ms = ${remainingMs}, wakeup_for = NULL WHERE id = ${running.id}`);
      } else {
        const [paused] = await runSql<{ id: string; remainingMs: string }>(
          manager,
          sql`SELECT id, remaining_ms AS "remainingMs" FROM deadlines WHERE case_id = ${caseId} AND kind = ${effect.kind} AND status = 'paused'`,
        );
        if (!paused) continue;
        const dueAt = this.calendar.addWorkingMs(at, Number(paused.remainingMs));
        await runSql(manager, sql`UPDATE deadlines SET status = 'pending', due_at = ${dueAt}, remaining_ms = NULL WHERE id = ${paused.id}`);
      }
    }
  }
}

/**
 * One running clock per kind: a start ends whatever clock of that kind still runs (the
 * one-running-clock constraint is checked at the end of the statement, when both are done).
 */
export function startClockWrites(clock: {
  caseId: string;
  kind: string;
  at: Date;
  dueAt: Date;
  reminderAt: Date | null;
  eventSeq: number;
  endRunningAs: string;
}): EffectWrite[] {
  return [
    endClockWrite(clock.caseId, clock.kind, clock.endRunningAs, clock.at),
    (applied) => sql`INSERT INTO deadlines (case_id, kind, status, started_at, due_at, reminder_at, started_by_seq)
        SELECT ${applied.col('id')}, ${clock.kind}, 'pending', ${clock.at}, ${clock.dueAt}, ${clock.reminderAt}, ${clock.eventSeq} FROM ${applied.rows}`,
  ];
}

/**
 * A clock that already fired keeps its 'fired' status. The case is named by value, not joined
 * from the case after the change, so the lookup uses the (case, kind) index instead of scanning
 * every running clock; it still ends nothing if the transition did not apply.
 */
export function endClockWrite(caseId: string, kind: string, status: string, at: Date): EffectWrite {
  return (applied) => sql`UPDATE deadlines SET status = ${status}, ended_at = ${at}
              WHERE case_id = ${caseId} AND kind = ${kind} AND status IN ('pending', 'paused') AND ${applied.exists}`;
}
