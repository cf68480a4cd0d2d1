import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UUID_TEXT } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';

const CASE_PATH = new RegExp(`/cases/(${UUID_TEXT}|CB-\\d{4}-\\d+)`, 'i');

/**
 * Administrators see everything, so every request they make is recorded: who, what, which case,
 * and the answer. Called once the response has gone, so it never slows or fails the request.
 */
@Injectable()
export class AdminAudit {
  private readonly logger = new Logger('AdminAudit');

  constructor(private readonly dataSource: DataSource) {}

  record(caller: Caller | undefined, method: string, url: string, status: number): void {
    if (caller?.role !== 'administrator') return;
    const caseRef = CASE_PATH.exec(url)?.[1] ?? null;
    runSql(
      this.dataSource,
      sql`INSERT INTO access_audit (user_id, method, path, case_id, status)
          VALUES (${caller.userId}, ${method}, ${url.slice(0, 500)}, (SELECT id FROM cases WHERE id::text = ${caseRef} OR reference = upper(${caseRef})), ${status})`,
    ).catch((err) =>
      // One line, no stack: while the database is away this happens on every administrator request.
      this.logger.error({ err: err instanceof Error ? err.message : String(err), userId: caller.userId, method, path: url.slice(0, 200), status }, 'Could not record an administrator access'),
    );
  }
}
