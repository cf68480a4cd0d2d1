import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ValidationFailed } from '@cc/common';
import { runSql, sql } from '@cc/persistence';
import { DEADLINE_KINDS, DeadlineKind } from '@cc/workflows';

/** A policy an administrator set (or, isDefault, the BRIEF's length). */
export interface DeadlinePolicyView {
  kind: string;
  compactId: string | null;
  workingDays: number | null;
  reminderAfterWorkingDays: number | null;
  isDefault: boolean;
}

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

  constructor(private readonly dataSource: DataSource) {}

  invalidate(): void {
    this.cache.clear();
  }

  /** The BRIEF's lengths, then every policy an administrator set. */
  async list(): Promise<DeadlinePolicyView[]> {
    const rows = await runSql<Omit<DeadlinePolicyView, 'isDefault'>>(
      this.dataSource,
      sql`SELECT kind, compact_id AS "compactId", working_days AS "workingDays", reminder_after_working_days AS "reminderAfterWorkingDays" FROM deadline_policies ORDER BY kind`,
    );
    const defaults = Object.entries(DEADLINE_KINDS).map(([kind, d]) => ({
      kind,
      compactId: null,
      workingDays: d.workingDays,
      reminderAfterWorkingDays: (d as { reminderAfterWorkingDays?: number }).reminderAfterWorkingDays ?? null,
      isDefault: true,
    }));
    return [...defaults, ...rows.map((r) => ({ ...r, isDefault: false }))];
  }

  /** Sets (or replaces) the policy for a kind, for one Compact or for all; applies at once in this process. */
  async set(
    policy: { kind: DeadlineKind; compactId: string | null; workingDays: number; reminderAfterWorkingDays: number | null },
    updatedBy: string,
  ): Promise<Omit<DeadlinePolicyView, 'isDefault'>> {
    // The Compact is checked in the statement itself, so a policy for one that does not exist is a
    // 400 naming compactId (not a foreign-key error) even if the Compact goes between two statements.
    const [row] = await runSql<Omit<DeadlinePolicyView, 'isDefault'>>(
      this.dataSource,
      sql`INSERT INTO deadline_policies (compact_id, kind, working_days, reminder_after_working_days, updated_by)
          SELECT ${policy.compactId}::uuid, ${policy.kind}, ${policy.workingDays}, ${policy.reminderAfterWorkingDays}, ${updatedBy}
           WHERE ${policy.compactId}::uuid IS NULL OR EXISTS (SELECT 1 FROM compacts WHERE id = ${policy.compactId}::uuid)
          ON CONFLICT (coalesce(compact_id, '00000000-0000-0000-0000-000000000000'::uuid), kind)
          DO UPDATE SET working_days = EXCLUDED.working_days, reminder_after_working_days = EXCLUDED.reminder_after_working_days,
                        updated_by = EXCLUDED.updated_by, updated_at = now()
          RETURNING kind, compact_id AS "compactId", working_days AS "workingDays", reminder_after_working_days AS "reminderAfterWorkingDays"`,
    );
    if (!row) throw new ValidationFailed([{ field: 'compactId', reason: 'is not a Compact in the registry' }]);
    this.invalidate();
    return row;
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
    const [policy] = await runSql<{ workingDays: number | null; reminderAfter: number | null }>(
      manager,
      sql`SELECT working_days AS "workingDays", reminder_after_working_days AS "reminderAfter"
            FROM deadline_policies WHERE kind = ${kind} AND (compact_id = ${compactId} OR compact_id IS NULL)
           ORDER BY compact_id NULLS LAST LIMIT 1`,
    );
    return {
      workingDays: policy?.workingDays ?? defaults.workingDays,
      reminderAfterWorkingDays: policy ? policy.reminderAfter : (defaults.reminderAfterWorkingDays ?? null),
    };
  }
}
