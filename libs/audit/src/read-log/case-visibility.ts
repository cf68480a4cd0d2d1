import type { Caller } from '@cc/identity';

/**
 * Whether the caller may see a case (and which case an id or reference names): CaseAccess in
 * @cc/cases, handed in by whoever composes the API (ReadLogApiModule.forRoot), since the audit
 * sits below the cases library so that anything may record into it.
 */
export interface CaseVisibility {
  visible(caller: Caller, idOrReference: string): Promise<{ row: { id: string } }>;
}

export const CASE_VISIBILITY = Symbol('CASE_VISIBILITY');
