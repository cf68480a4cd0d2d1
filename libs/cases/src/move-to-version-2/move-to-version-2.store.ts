import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { AppliedCase } from '../domain/applied-case';

/** A case as the move reads it: enough to plan it and to say where it is. */
export interface CaseToMove {
  id: string;
  reference: string;
  machineVersion: number;
  snapshot: unknown;
  state: string;
  stage: string;
  version: number;
}

/** What the move writes: the case's new snapshot on version 2, and who moved it when. */
export interface VersionMove {
  snapshot: unknown;
  state: string;
  stage: string;
  actorId: string;
  actorRole: string;
  at: string;
}

export const MOVED_TO_VERSION_2 = 'MOVED_TO_VERSION_2';

const CASE_COLUMNS = sql`id, reference, machine_version AS "machineVersion", snapshot, state, stage, version`;

/** The SQL of moving cases between process versions. */
@Injectable()
export class MoveToVersion2Store {
  constructor(private readonly dataSource: DataSource) {}

  /** The open (not closed) cases still on version 1, oldest first, as the dry run lists them. */
  openVersion1Cases(): Promise<CaseToMove[]> {
    return runSql<CaseToMove>(
      this.dataSource.manager,
      sql`SELECT ${CASE_COLUMNS} FROM cases WHERE machine_version = 1 AND stage <> 'closed' ORDER BY submitted_at, id`,
    );
  }

  /**
   * The case locked for the rest of the caller's transaction: an event sent meanwhile waits for the
   * move, then finds the version moved and decides again on version 2.
   */
  async lock(manager: EntityManager, caseId: string): Promise<CaseToMove | undefined> {
    const [row] = await runSql<CaseToMove>(manager, sql`SELECT ${CASE_COLUMNS} FROM cases WHERE id = ${caseId} FOR UPDATE`);
    return row;
  }

  /**
   * The case row on version 2 and its MOVED_TO_VERSION_2 event, in one statement, from the row as
   * locked: the event's sequence is the new version, as for every event. Clocks, fee and earlier
   * events are other rows and are not touched; updated_at is left alone so the work queues' "last
   * changed" still says when someone last worked on the case. Returns false when the row was not
   * the one locked (it cannot be while the lock holds, but the write never relies on that).
   */
  async move(manager: EntityManager, locked: CaseToMove, to: VersionMove): Promise<boolean> {
    const applied = AppliedCase.afterUpdate(sql`
      UPDATE cases
         SET machine_version = 2, snapshot = ${JSON.stringify(to.snapshot)}, state = ${to.state}, stage = ${to.stage}, version = version + 1
       WHERE id = ${locked.id} AND version = ${locked.version} AND machine_version = 1`);
    const payload = JSON.stringify({ fromVersion: 1, toVersion: 2 });
    const statement = applied.statement(
      [
        (c) => sql`
          INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
          SELECT ${c.col('id')}, ${c.col('version')}, ${MOVED_TO_VERSION_2}, ${payload}, ${to.actorId}, ${to.actorRole}, ${locked.state}::text, ${c.col('state')}, '[]', ${to.at}
            FROM ${c.rows}`,
      ],
      (c) => sql`SELECT ${c.col('version')} FROM ${c.rows}`,
    );
    const rows = await runSql<{ version: number }>(manager, statement);
    return rows.length === 1;
  }
}
