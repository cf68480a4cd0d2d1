import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';

/** An account as a request needs it: may it act, as whom, and which tokens of it still count. */
export interface Standing {
  active: boolean;
  role: Role;
  organisationId: string | null;
  /** Tokens and sessions issued under an older generation no longer count. */
  generation: number;
}

/**
 * The one database fact every authenticated request needs. Bearer tokens are checked by signature
 * alone, so deactivation, a role change and "sign out everywhere" are all read from here.
 *
 * Not cached: a revocation must hold in every API process from the moment it is committed, and
 * any cache shared by notice (LISTEN/NOTIFY, Redis pub/sub) leaves a window in which another
 * process still lets the old token in. One prepared primary-key lookup per request is the price.
 */
@Injectable()
export class AccountStanding {
  constructor(private readonly dataSource: DataSource) {}

  async lookup(userId: string): Promise<Standing | null> {
    const [row] = await runPrepared<Standing>(
      this.dataSource.manager,
      sql`SELECT active, role, organisation_id AS "organisationId", token_generation AS generation FROM users WHERE id = ${userId}`,
    );
    return row ?? null;
  }

  /** Whether an account may still act. */
  async isActive(userId: string): Promise<boolean> {
    return (await this.lookup(userId))?.active === true;
  }
}
