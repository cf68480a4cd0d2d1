/**
 * Rows of any statement. TypeORM's `query()` returns the rows of a SELECT but `[rows, count]` for
 * UPDATE/DELETE ... RETURNING; this always gives the rows, so `const [row] = ...` means one thing.
 */
export async function queryRows<T = Record<string, unknown>>(
  runner: { query(sql: string, params?: unknown[]): Promise<unknown> },
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = (await runner.query(sql, params)) as unknown[];
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
