import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEADLINE_KINDS, DeadlineKind } from '@cc/workflows';

export interface DeadlineLength {
  workingDays: number | null;
  reminderAfterWorkingDays: number | null;
}

/** How long a looked-up policy is reused: a change reaches other processes within this time. */
const CACHE_MS = 10_000;

/**
 * Lengths from the BRIEF, unless an administrator set a policy for the Compact (or for all).
 * Looked up on every clock start, so briefly cached; a change made here applies at once.
 */
@Injectable()
export class DeadlinePolicies {
  private readonly cache = new Map<string, { length: DeadlineLength; until: number }>();

  invalidate(): void {
    this.cache.clear();
  }

  async lengthFor(manager: EntityManager, compactId: string, kind: DeadlineKind): Promise<DeadlineLength> {
    const key = `${compactId}:${kind}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.length;
    const length = await this.lookUp(manager, compactId, kind);
    this.cache.set(key, { length, until: Date.now() + CACHE_MS });
    return length;
  }

  private async lookUp(manager: EntityManager, compactId: string, kind: DeadlineKind): Promise<DeadlineLength> {
    const defaults = DEADLINE_KINDS[kind] as { workingDays: number | null; reminderAfterWorkingDays?: number };
    const [policy] = await manager.query(
      `SELECT working_days AS "workingDays", reminder_after_working_days AS "reminderAfter"
         FROM deadline_policies WHERE kind = $1 AND (compact_id = $2 OR compact_id IS NULL)
        ORDER BY compact_id NULLS LAST LIMIT 1`,
      [kind, compactId],
    );
    return {
      workingDays: policy?.workingDays ?? defaults.workingDays,
      reminderAfterWorkingDays: policy ? policy.reminderAfter : (defaults.reminderAfterWorkingDays ?? null),
    };
  }
}
