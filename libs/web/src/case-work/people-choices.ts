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

  private async people(roles: string[]) {
    const rows: Array<{ id: string; display_name: string; role: string }> = await this.dataSource.query(
      `SELECT id, display_name, role FROM users WHERE active AND role = ANY($1) ORDER BY display_name`,
      [roles],
    );
    return rows.map((r) => ({ value: r.id, text: r.role === 'administrator' ? `${r.display_name} (administrator)` : r.display_name }));
  }
}
