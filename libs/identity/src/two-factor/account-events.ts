import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/** What happened to an account. Named as facts, so a list of them reads as a history. */
export type AccountEventKind =
  | 'two-factor-set-up'
  | 'two-factor-turned-off'
  | 'two-factor-reset'
  | 'two-factor-recovery-code-used'
  | 'password-changed'
  | 'password-reset-with-link'
  | 'password-link-sent'
  | 'signed-out-everywhere'
  | 'signed-in-with-link';

export interface AccountEvent {
  kind: AccountEventKind;
  at: Date;
  /** Who did it, when someone other than the person did (an administrator). */
  by: { id: string; displayName: string } | null;
  details: Record<string, unknown>;
}

/**
 * The account's own history (account_events): who changed its security and when, kept apart from
 * the request log so it reads as what happened rather than which paths were called. Other account
 * changes (a new password, signing out everywhere) can be recorded here too.
 */
@Injectable()
export class AccountEvents {
  constructor(private readonly dataSource: DataSource) {}

  /** In the caller's transaction when given one, so the event and the change stand or fall together. */
  async record(
    event: { userId: string; kind: AccountEventKind; byUserId?: string | null; details?: Record<string, unknown> },
    manager: Pick<EntityManager, 'query'> = this.dataSource.manager,
  ): Promise<void> {
    await runSql(manager, sql`INSERT INTO account_events (user_id, kind, by_user_id, details) VALUES (${event.userId}, ${event.kind}, ${event.byUserId ?? null}, ${JSON.stringify(event.details ?? {})})`);
  }

  async forUser(userId: string, limit = 20): Promise<AccountEvent[]> {
    return runSql<AccountEvent>(this.dataSource, sql`SELECT e.kind, e.at, e.details,
              CASE WHEN b.id IS NULL THEN NULL ELSE json_build_object('id', b.id, 'displayName', b.display_name) END AS by
         FROM account_events e LEFT JOIN users b ON b.id = e.by_user_id
        WHERE e.user_id = ${userId} ORDER BY e.at DESC, e.id LIMIT ${limit}`);
  }
}
