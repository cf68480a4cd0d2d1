import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@cc/common';
import { runPrepared, sql } from '@cc/persistence';
import type { ReadEntry } from './read-entry';

/** An entry with the moment its response went out: a batch written late keeps the real time. */
export interface StampedEntry extends ReadEntry {
  at: Date;
}

/** Writes a batch of audit entries. */
@Injectable()
export class ReadAuditStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One statement for the whole batch, whatever its size: each column goes as one array, so the
   * text never changes and is planned once per connection. The case named by id or by reference
   * is looked up in the same statement; one that does not exist (a mistyped URL) is kept as none.
   */
  async insert(entries: readonly StampedEntry[]): Promise<void> {
    const ids = entries.map((e) => (e.caseRef && isUuid(e.caseRef) ? e.caseRef.toLowerCase() : null));
    const references = entries.map((e, i) => (e.caseRef && !ids[i] ? e.caseRef.toUpperCase() : null));
    await runPrepared(
      this.dataSource.manager,
      sql`INSERT INTO access_audit (user_id, role, method, path, case_id, what, via, status, at)
          SELECT e.user_id, e.role, e.method, e.path, COALESCE(by_id.id, by_reference.id), e.what, e.via, e.status, e.at
            FROM unnest(${entries.map((e) => e.userId)}::uuid[], ${entries.map((e) => e.role)}::text[], ${entries.map((e) => e.method)}::text[],
                        ${entries.map((e) => e.path)}::text[], ${ids}::uuid[], ${references}::text[], ${entries.map((e) => e.what)}::text[],
                        ${entries.map((e) => e.via)}::text[], ${entries.map((e) => e.status)}::int[], ${entries.map((e) => e.at)}::timestamptz[])
                 AS e(user_id, role, method, path, case_uuid, case_reference, what, via, status, at)
            LEFT JOIN cases by_id ON by_id.id = e.case_uuid
            LEFT JOIN cases by_reference ON by_reference.reference = e.case_reference`,
    );
  }
}
