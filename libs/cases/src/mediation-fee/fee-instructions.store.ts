import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, runSql, sql } from '@cc/persistence';

export const FEE_INSTRUCTIONS_MAX = 5000;

export interface FeeInstructions {
  body: string;
  /** The text split at blank lines, to show as paragraphs. */
  paragraphs: string[];
  updatedAt: string;
  updatedBy: string | null;
}

/** The administrators' text on paying a mediation fee (one row; see its migration). */
@Injectable()
export class FeeInstructionsStore {
  constructor(private readonly dataSource: DataSource) {}

  async current(): Promise<FeeInstructions | null> {
    // Asked on the page of every case with a fee: prepared, planned once per connection.
    const [row] = await runPrepared<{ body: string; updatedAt: Date; updatedBy: string | null }>(
      this.dataSource.manager,
      sql`SELECT f.body, f.updated_at AS "updatedAt", u.display_name AS "updatedBy"
            FROM fee_payment_instructions f LEFT JOIN users u ON u.id = f.updated_by WHERE f.id = 1`,
    );
    if (!row) return null;
    return { body: row.body, paragraphs: paragraphsOf(row.body), updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
  }

  async set(body: string, userId: string): Promise<void> {
    await runSql(
      this.dataSource,
      sql`INSERT INTO fee_payment_instructions (id, body, updated_by, updated_at) VALUES (1, ${body}, ${userId}, now())
          ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    );
  }
}

export function paragraphsOf(body: string): string[] {
  return body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
