import type { EntityManager } from 'typeorm';

/**
 * Allocates the next reference for the year inside the caller's transaction. The counter row stays
 * locked until commit, and a rolled-back report gives its number back, so references have no gaps.
 */
export async function allocateCaseReference(manager: EntityManager, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const [row] = await manager.query(
    `INSERT INTO case_reference_counters (year, last_number) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counters.last_number + 1
     RETURNING last_number`,
    [year],
  );
  return formatCaseReference(year, Number(row.last_number));
}

export function formatCaseReference(year: number, n: number): string {
  return `CB-${year}-${String(n).padStart(5, '0')}`;
}
