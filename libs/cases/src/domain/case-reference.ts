import type { EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/**
 * Allocates the next reference for the year inside the caller's transaction. The counter row stays
 * locked until commit, and a rolled-back report gives its number back, so references have no gaps.
 */
export async function allocateCaseReference(manager: EntityManager, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const [row] = await runSql<{ last_number: number }>(
    manager,
    sql`INSERT INTO case_reference_counters (year, last_number) VALUES (${year}, 1)
        ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counters.last_number + 1
        RETURNING last_number`,
  );
  return formatCaseReference(year, Number(row.last_number));
}

export function formatCaseReference(year: number, n: number): string {
  return `CB-${year}-${String(n).padStart(5, '0')}`;
}
