import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict } from '@cc/common';
import type { CaseEffect, CaseStateView } from '@cc/workflows';
import { CASE_EFFECT_HANDLERS, CaseEffectContext, CaseEffectHandler } from './case-effects';

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
 * Moves the case from the version it was read at to the next and appends the event, in one
 * statement: the update names the version it read, so of two writers that read the same version
 * only one can succeed, and the event is inserted only from the row that update returned. The
 * event's sequence number is the case's new version, so the log can have neither gaps nor twins.
 */
export const TRANSITION_SQL = `
  WITH updated AS (
    UPDATE cases
       SET snapshot = $3, state = $4, stage = $5, version = version + 1,
           assignee_id = $6, mediator_id = $7, outcome = $8, closed_at = $9, updated_at = $10
     WHERE id = $1 AND version = $2
     RETURNING id, version
  ), appended AS (
    INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
    SELECT id, version, $11, $12, $13, $14, $15, $4, $16, $10 FROM updated
  )
  SELECT version FROM updated`;

/** Writes transitions: the case row, its event and its effects, all or nothing. */
@Injectable()
export class CaseStore {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(CASE_EFFECT_HANDLERS) private readonly handlers: CaseEffectHandler[] = [],
  ) {}

  /**
   * Commits a transition on its own. With no effect handlers the single statement is atomic by
   * itself, so it goes without BEGIN/COMMIT (two fewer round trips on the hottest path).
   */
  async commit(target: TransitionTarget, next: AppliedTransition, event: EventRecord): Promise<number> {
    if (this.handlers.length === 0) return this.writeTransition(this.dataSource.manager, target, next, event);
    return this.dataSource.transaction((manager) => this.writeTransition(manager, target, next, event));
  }

  /** Writes a transition inside the caller's transaction; throws CONCURRENT_MODIFICATION when the version moved. */
  async writeTransition(manager: EntityManager, target: TransitionTarget, next: AppliedTransition, event: EventRecord): Promise<number> {
    const ctx = next.context;
    const rows: Array<{ version: number }> = await manager.query(TRANSITION_SQL, [
      target.id,
      target.expectedVersion,
      JSON.stringify(next.snapshot),
      next.state,
      next.stage,
      ctx.assigneeId,
      ctx.mediatorId,
      ctx.outcome,
      ctx.closedAt,
      event.at,
      event.type,
      JSON.stringify(event.payload),
      event.actorId,
      event.actorRole,
      target.fromState,
      JSON.stringify(next.effects),
    ]);
    if (rows.length !== 1) {
      throw new Conflict(
        'CONCURRENT_MODIFICATION',
        'Someone else changed this case at the same moment, so your action was not applied. Reload the case and try again.',
      );
    }
    const seq = rows[0].version;
    await this.runEffects(
      manager,
      { caseId: target.id, reference: target.reference, eventSeq: seq, at: event.at, compactId: target.compactId, eventType: event.type, payload: event.payload },
      next.effects,
    );
    return seq;
  }

  /** The first event of a new case (the row was inserted by the caller in the same transaction). */
  async appendFirstEvent(manager: EntityManager, caseId: string, next: AppliedTransition, event: EventRecord): Promise<void> {
    await manager.query(
      `INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
       VALUES ($1, 1, $2, $3, $4, $5, NULL, $6, $7, $8)`,
      [caseId, event.type, JSON.stringify(event.payload), event.actorId, event.actorRole, next.state, JSON.stringify(next.effects), event.at],
    );
  }

  async runEffects(manager: EntityManager, context: CaseEffectContext, effects: CaseEffect[]): Promise<void> {
    for (const handler of this.handlers) await handler.handle(manager, context, effects);
  }
}
