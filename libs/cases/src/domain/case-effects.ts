import type { EntityManager } from 'typeorm';
import type { CaseEffect } from '@cc/workflows';

/**
 * Carries out what a transition asks for (start a deadline, queue an e-mail, ...) inside the
 * transition's own database transaction, so that either all of it is stored or none of it.
 * Modules that own those concerns register a handler under CASE_EFFECT_HANDLERS; the case module
 * does not know them, which keeps the imports one-way.
 */
export interface CaseEffectHandler {
  handle(manager: EntityManager, context: CaseEffectContext, effects: CaseEffect[]): Promise<void>;
}

export interface CaseEffectContext {
  caseId: string;
  reference: string;
  /** Sequence number of the event that produced the effects. */
  eventSeq: number;
  /** When the event happened (ISO). */
  at: string;
  compactId: string;
  /** The event that produced the effects, and its validated payload. */
  eventType: string;
  payload: Record<string, unknown>;
}

export const CASE_EFFECT_HANDLERS = Symbol('CASE_EFFECT_HANDLERS');
