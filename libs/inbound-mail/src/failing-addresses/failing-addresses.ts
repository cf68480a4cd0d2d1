import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/** Since when e-mails to a person's address have been bouncing (set by a bounce, cleared by a reply from it). */
export interface FailingAddress {
  userId: string;
  since: string;
}

/** Which of these people's addresses are failing, for the pages that list them (admin users, public body contacts). */
@Injectable()
export class FailingAddresses {
  constructor(private readonly dataSource: DataSource) {}

  async of(userIds: readonly string[]): Promise<Map<string, FailingAddress>> {
    const ids = [...new Set(userIds)].filter(Boolean);
    if (!ids.length) return new Map();
    const rows = await runSql<{ userId: string; since: Date }>(
      this.dataSource,
      sql`SELECT id AS "userId", email_failing_since AS since FROM users WHERE id = ANY(${ids}::uuid[]) AND email_failing_since IS NOT NULL`,
    );
    return new Map(rows.map((r) => [r.userId, { userId: r.userId, since: r.since.toISOString() }]));
  }
}
