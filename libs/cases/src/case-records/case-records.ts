import type { EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/**
 * Things on a case's timeline that are not workflow transitions (the event log is the machine's:
 * only a transition writes there). Each kind's details are written by its owner, in words and
 * ids only; the timeline shows them to caseworkers and administrators.
 */
export type CaseRecordKind = 'letter_sent';

/** The timeline's type for a record: the kind as the log's event types are written ('LETTER_SENT'). */
export const caseRecordType = (kind: CaseRecordKind) => kind.toUpperCase();

export interface CaseRecordInput {
  caseId: string;
  kind: CaseRecordKind;
  actorId: string | null;
  details: Record<string, unknown>;
  /** Defaults to the transaction's time. */
  at?: Date;
}

/**
 * Writes one record with the manager of the caller's transaction, so the record exists if and only
 * if what it records was committed with it.
 */
export async function writeCaseRecord(manager: EntityManager, record: CaseRecordInput): Promise<string> {
  const [row] = await runSql<{ id: string }>(
    manager,
    sql`INSERT INTO case_records (case_id, kind, actor_id, at, details)
        VALUES (${record.caseId}, ${record.kind}, ${record.actorId}, coalesce(${record.at?.toISOString() ?? null}::timestamptz, now()), ${JSON.stringify(record.details)}::jsonb)
        RETURNING id`,
  );
  return row.id;
}
