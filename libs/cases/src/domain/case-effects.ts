import type { EntityManager } from 'typeorm';
import type { CaseEffect } from '@cc/workflows';
import type { EffectWrite } from './applied-case';

/**
 * Carries out what a transition asks for (start a deadline, queue an e-mail, ...) as part of the
 * transition's own write, so that either all of it is stored or none of it. Modules that own those
 * concerns register a handler under CASE_EFFECT_HANDLERS; the case module does not know them,
 * which keeps the imports one-way.
 */
export interface CaseEffectHandler {
  /**
   * `reader` is where to read anything the plan needs (a policy): the caller's transaction when
   * there is one, since taking a second connection while holding one can exhaust the pool.
   */
  plan(context: CaseEffectContext, effects: CaseEffect[], reader: EntityManager): Promise<EffectPlan>;
}

/**
 * How a handler's effects are written.
 * - `writes`: single data-modifying statements that run inside the transition's own statement
 *   (as CTEs), so a transition is one round trip. Each is given the case as it is after the
 *   transition (`AppliedCase`), which holds no row if the transition did not apply, so they write
 *   nothing then. They all see the database as it was before the statement, so no two may touch
 *   the same row.
 * - `afterwards`: work that must read before it writes (pausing a clock needs its due time). It
 *   runs after that statement in the same transaction, and sees what the statement wrote.
 */
export interface EffectPlan {
  writes: EffectWrite[];
  afterwards?: (manager: EntityManager) => Promise<void>;
}

export interface CaseEffectContext {
  caseId: string;
  reference: string;
  /** Sequence number of the event that produced the effects; null for a write outside any event (a message). */
  eventSeq: number | null;
  /** When the event happened (ISO). */
  at: string;
  compactId: string;
  /** The event that produced the effects, and its validated payload. */
  eventType: string;
  payload: Record<string, unknown>;
}

export const CASE_EFFECT_HANDLERS = Symbol('CASE_EFFECT_HANDLERS');
