import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict } from '@cc/common';
import type { CaseEffect, CaseStateView } from '@cc/workflows';
import { Sql, runPrepared, sql } from '@cc/persistence';
import { AppliedCase, EffectWrite } from './applied-case';
import { CASE_EFFECT_HANDLERS, CaseEffectContext, CaseEffectHandler, EffectPlan } from './case-effects';

export interface AppliedTransition extends CaseStateView {
  snapshot: unknown;
  effects: CaseEffect[];
}

export interface EventRecord {
  type: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  actorRole: string;
  at: string;
}

export interface TransitionTarget {
  id: string;
  reference: string;
  compactId: string;
  fromState: string;
  /** The version the decision was made on. */
  expectedVersion: number;
}

/**
 * Moves the case from the version it was read at to the next, appends the event and writes the
 * effects, in one statement: the update names the version it read, so of two writers that read
 * the same version only one can succeed, and the event and effects are written only from the row
 * that update returned (`AppliedCase`). The event's sequence number is the case's new version, so
 * the log can have neither gaps nor twins. One statement is atomic by itself, so a transition whose
 * effects need no reads costs one round trip and no BEGIN/COMMIT.
 */
export function transitionStatement(target: TransitionTarget, next: AppliedTransition, event: EventRecord, effectWrites: readonly EffectWrite[] = []): Sql {
  const ctx = next.context;
  const applied = AppliedCase.afterUpdate(sql`
    UPDATE cases
       SET snapshot = ${JSON.stringify(next.snapshot)}, state = ${next.state}, stage = ${next.stage}, version = version + 1,
           assignee_id = ${ctx.assigneeId}, mediator_id = ${ctx.mediatorId}, outcome = ${ctx.outcome}, closed_at = ${ctx.closedAt},
           updated_at = ${event.at}
     WHERE id = ${target.id} AND version = ${target.expectedVersion}`);
  return applied.statement([appendedEvent(event, next, target.fromState), ...effectWrites], (c) => sql`SELECT ${c.col('version')} FROM ${c.rows}`);
}

/** The event, numbered by the case's version after it, so the log has no gaps. */
function appendedEvent(event: EventRecord, next: AppliedTransition, fromState: string | null): EffectWrite {
  return (applied) => sql`
    INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
    SELECT ${applied.col('id')}, ${applied.col('version')}, ${event.type}, ${JSON.stringify(event.payload)}, ${event.actorId}, ${event.actorRole}, ${fromState}::text,
           ${applied.col('state')}, ${JSON.stringify(next.effects)}, ${event.at}
      FROM ${applied.rows}`;
}

/** Writes transitions: the case row, its event and its effects, all or nothing. */
@Injectable()
export class CaseStore {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(CASE_EFFECT_HANDLERS) private readonly handlers: CaseEffectHandler[] = [],
  ) {}

  /**
   * Commits a transition on its own: one statement when its effects need no reads, otherwise
   * that statement and the rest in one transaction.
   */
  async commit(target: TransitionTarget, next: AppliedTransition, event: EventRecord, ownWrites: readonly EffectWrite[] = []): Promise<number> {
    // `ownWrites`: the case library's own writes that go with this event (the contacts it names).
    const effects = await this.plan(this.effectContext(target, event), next.effects, this.dataSource.manager);
    const plan = { ...effects, writes: [...ownWrites, ...effects.writes] };
    if (!plan.afterwards) return this.write(this.dataSource.manager, target, next, event, plan);
    return this.dataSource.transaction((manager) => this.write(manager, target, next, event, plan));
  }

  /** Writes a transition inside the caller's transaction; throws CONCURRENT_MODIFICATION when the version moved. */
  async writeTransition(manager: EntityManager, target: TransitionTarget, next: AppliedTransition, event: EventRecord): Promise<number> {
    return this.write(manager, target, next, event, await this.plan(this.effectContext(target, event), next.effects, manager));
  }

  /**
   * The first event of a new case and its effects (the row was inserted by the caller in the same
   * transaction, so the case after the change is read from it).
   */
  async writeFirstEvent(manager: EntityManager, caseRow: { id: string; reference: string; compactId: string }, next: AppliedTransition, event: EventRecord): Promise<void> {
    const context: CaseEffectContext = { caseId: caseRow.id, reference: caseRow.reference, eventSeq: 1, at: event.at, compactId: caseRow.compactId, eventType: event.type, payload: event.payload };
    const plan = await this.plan(context, next.effects, manager);
    const statement = AppliedCase.newCase(caseRow.id).statement([appendedEvent(event, next, null), ...plan.writes], (c) => sql`SELECT ${c.col('id')} FROM ${c.rows}`);
    const rows = await runPrepared(manager, statement);
    if (rows.length !== 1) throw new Error(`The new case ${caseRow.reference} was not found in its own transaction`);
    await plan.afterwards?.(manager);
  }

  /**
   * A write on a case outside any transition (a message) with the e-mails `notices` ask for, in one
   * statement: the e-mails exist if and only if the write was committed. `what` names the write for
   * the handlers (its type and the facts an e-mail may show).
   */
  async writeWithNotices<T>(
    c: { id: string; reference: string; compactId: string },
    what: { type: string; payload: Record<string, unknown>; at: string },
    write: EffectWrite,
    notices: CaseEffect[],
  ): Promise<T> {
    const context: CaseEffectContext = { caseId: c.id, reference: c.reference, eventSeq: null, at: what.at, compactId: c.compactId, eventType: what.type, payload: what.payload };
    const plan = await this.plan(context, notices, this.dataSource.manager);
    if (plan.afterwards) throw new Error(`Notices for ${what.type} must be written in one statement`);
    const [row] = await runPrepared<T>(this.dataSource.manager, AppliedCase.asStored(c.id).statement([write, ...plan.writes], (_, [written]) => sql`SELECT * FROM ${written}`));
    return row;
  }

  private async write(manager: EntityManager, target: TransitionTarget, next: AppliedTransition, event: EventRecord, plan: EffectPlan): Promise<number> {
    const rows = await runPrepared<{ version: number }>(manager, transitionStatement(target, next, event, plan.writes));
    if (rows.length !== 1) {
      throw new Conflict(
        'CONCURRENT_MODIFICATION',
        'Someone else changed this case at the same moment, so your action was not applied. Reload the case and try again.',
      );
    }
    await plan.afterwards?.(manager);
    return rows[0].version;
  }

  /** Every handler's plan, as one. */
  private async plan(context: CaseEffectContext, effects: AppliedTransition['effects'], reader: EntityManager): Promise<EffectPlan> {
    // One after another: a transaction's connection takes one query at a time.
    const plans: EffectPlan[] = [];
    for (const handler of this.handlers) plans.push(await handler.plan(context, effects, reader));
    const afterwards = plans.flatMap((p) => (p.afterwards ? [p.afterwards] : []));
    return {
      writes: plans.flatMap((p) => p.writes),
      afterwards: afterwards.length
        ? async (manager) => {
            for (const step of afterwards) await step(manager);
          }
        : undefined,
    };
  }

  private effectContext(target: TransitionTarget, event: EventRecord): CaseEffectContext {
    // The update raises the version by one, so the event's sequence number is known beforehand.
    const eventSeq = target.expectedVersion + 1;
    return { caseId: target.id, reference: target.reference, eventSeq, at: event.at, compactId: target.compactId, eventType: event.type, payload: event.payload };
  }
}
