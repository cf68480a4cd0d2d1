import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PeopleChoices } from './action-forms';

/** Active caseworkers and mediators, for the ASSIGN and APPOINT_MEDIATOR pickers. */
@Injectable()
export class PeopleChoicesLookup {
  constructor(private readonly dataSource: DataSource) {}

  async forActions(types: string[]): Promise<PeopleChoices> {
    const wanted: PeopleChoices = {};
    if (types.includes('ASSIGN')) wanted.caseworkerId = await this.people(['caseworker', 'administrator']);
    if (types.includes('APPOINT_MEDIATOR')) wanted.mediatorId = await this.people(['mediator']);
    return wanted;
  }

  /**
   * Each person with the organisations they are tied to (their own and any declared ties), so the
   * one appointing a mediator sees who is partial: "Sam Patel (tied to Harborough District Council)".
   */
  private async people(roles: string[]) {
    const rows: Array<{ id: string; display_name: string; role: string; ties: string[] }> = await this.dataSource.query(
      `SELECT u.id, u.display_name, u.role,
              ARRAY(SELECT o.name FROM organisations o
                     WHERE o.id = u.organisation_id OR o.id IN (SELECT t.organisation_id FROM user_organisation_ties t WHERE t.user_id = u.id)
                     ORDER BY o.name) AS ties
         FROM users u WHERE u.active AND u.role = ANY($1) ORDER BY u.display_name`,
      [roles],
    );
    return rows.map((r) => {
      const notes = [...(r.role === 'administrator' ? ['administrator'] : []), ...(r.role === 'mediator' && r.ties.length ? [`tied to ${listed(r.ties)}`] : [])];
      return { value: r.id, text: notes.length ? `${r.display_name} (${notes.join('; ')})` : r.display_name };
    });
  }
}

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
