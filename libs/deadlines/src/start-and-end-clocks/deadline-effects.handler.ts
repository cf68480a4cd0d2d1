import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { englandAndWales } from '@cc/calendar';
import type { CaseEffectContext, CaseEffectHandler, EffectPlan, EffectWrite } from '@cc/cases';
import { notePlannedDue } from '@cc/notifications';
import { runSql, sql } from '@cc/persistence';
import { CaseEffect, DEADLINE_KINDS } from '@cc/workflows';
import { DeadlinePolicies } from '../deadline-policy/deadline-policy.service';

/**
 * Carries out a transition's clock effects as part of its write: the deadlines table is the truth,
 * and the worker's relay turns new or moved due times into wake-up jobs afterwards. Starting and
 * ending clocks go into the transition's own statement, and so does moving one (an extension: its
 * due time is read first and the new one written guarded by it); pausing and resuming read the
 * clock first, so they run after it in the same transaction. The due times worked out here are
 * noted for the change's notices (notePlannedDue), which say the date.
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
          if (context.eventSeq === null) throw new Error(`A clock is started only by an event of the case (${context.eventType}).`);
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
          notePlannedDue(context, effect.kind, dueAt);
          break;
        }
        case 'extendDeadline': {
          const [running] = await runSql<{ id: string; dueAt: Date; reminderAt: Date | null }>(
            reader,
            sql`SELECT id, due_at AS "dueAt", reminder_at AS "reminderAt" FROM deadlines WHERE case_id = ${context.caseId} AND kind = ${effect.kind} AND status = 'pending'`,
          );
          // No running clock (it fired, or was paused): nothing to move; the machine decides what the event does.
          if (!running) break;
          const moved = {
            id: running.id,
            from: running.dueAt,
            dueAt: this.calendar.addWorkingDays(running.dueAt, effect.workingDays),
            reminderAt: running.reminderAt ? this.calendar.addWorkingDays(running.reminderAt, effect.workingDays) : null,
          };
          writes.push(extendClockWrite(moved));
          notePlannedDue(context, effect.kind, moved.dueAt);
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
 * Moves a running clock's due time (and its reminder, if it has one) later. Guarded by the due time
 * it was worked out from (to the millisecond a JavaScript date keeps), so a clock moved meanwhile
 * is not moved from a stale time. The relay sees the new due time (wakeup_for no longer matches)
 * and queues a new wake-up; the old one, when it comes, finds the clock not yet due, because
 * firing re-reads due_at. A reminder already sent is not sent again.
 */
export function extendClockWrite(clock: { id: string; from: Date; dueAt: Date; reminderAt: Date | null }): EffectWrite {
  return (applied) => sql`UPDATE deadlines SET due_at = ${clock.dueAt}, reminder_at = ${clock.reminderAt}
              WHERE id = ${clock.id} AND status = 'pending' AND ${applied.exists}
                AND due_at > ${clock.from}::timestamptz - interval '1 millisecond' AND due_at < ${clock.from}::timestamptz + interval '1 millisecond'`;
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
