import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VisibleCase } from '@cc/cases';
import { runPrepared, sql } from '@cc/persistence';
import type { CommitmentRule } from '@cc/registry';

/** What the case file says that no other use case reads: names and the commitments' rules. */
export interface CaseFileFacts {
  callerName: string | null;
  compactName: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  commitments: Array<{ reference: string; text: string; rule: CommitmentRule | null }>;
  /** Display names of users and names of public body contacts, by id. */
  names: Record<string, string>;
}

/** The case file's own reads, in one round trip. */
@Injectable()
export class CaseFileFactsStore {
  constructor(private readonly dataSource: DataSource) {}

  async of(seen: VisibleCase, people: string[]): Promise<CaseFileFacts> {
    const c = seen.row;
    const [row] = await runPrepared<CaseFileFacts>(
      this.dataSource.manager,
      sql`SELECT (SELECT display_name FROM users WHERE id = ${seen.caller.userId}) AS "callerName",
                 (SELECT name FROM compacts WHERE id = ${c.compactId}) AS "compactName",
                 (SELECT display_name FROM users WHERE id = ${c.reportedBy}) AS "reporterName",
                 (SELECT email FROM users WHERE id = ${c.reportedBy}) AS "reporterEmail",
                 COALESCE((SELECT jsonb_agg(jsonb_build_object('reference', reference, 'text', text, 'rule', rule) ORDER BY position, reference)
                             FROM commitments WHERE id = ANY(${c.commitmentIds}::uuid[])), '[]'::jsonb) AS commitments,
                 COALESCE((SELECT jsonb_object_agg(id, display_name) FROM users WHERE id = ANY(${people}::uuid[])), '{}'::jsonb)
                   || COALESCE((SELECT jsonb_object_agg(id, name) FROM respondent_contacts WHERE id = ANY(${people}::uuid[])), '{}'::jsonb) AS names`,
    );
    return row;
  }
}
