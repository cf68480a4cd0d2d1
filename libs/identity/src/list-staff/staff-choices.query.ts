import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@cc/workflows';
import { runPrepared, sql } from '@cc/persistence';

/** An active person who can be given work, with the names of the organisations they are tied to. */
export interface StaffChoice {
  id: string;
  displayName: string;
  role: Role;
  /** Their own organisation and any declared ties, by name, in name order. */
  ties: string[];
}

/** The people a case can be assigned or a mediation appointed to (the pages' pickers). */
@Injectable()
export class StaffChoices {
  constructor(private readonly dataSource: DataSource) {}

  /** Active people with one of these roles, by display name. */
  withRoles(roles: Role[]): Promise<StaffChoice[]> {
    // Asked on the case page whenever a case can be assigned: prepared, planned once per connection.
    return runPrepared<StaffChoice>(
      this.dataSource.manager,
      sql`SELECT u.id, u.display_name AS "displayName", u.role,
                 ARRAY(SELECT o.name FROM organisations o
                        WHERE o.id = u.organisation_id OR o.id IN (SELECT t.organisation_id FROM user_organisation_ties t WHERE t.user_id = u.id)
                        ORDER BY o.name) AS ties
            FROM users u WHERE u.active AND u.role = ANY(${roles}) ORDER BY u.display_name`,
    );
  }
}
