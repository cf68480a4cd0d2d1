import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What staff can filter the case list by: the states and public bodies cases have reached, and the active caseworkers. */
export interface CaseListFilterChoices {
  states: string[];
  respondents: Array<{ id: string; name: string }>;
  caseworkers: Array<{ id: string; name: string }>;
}

/** The choices offered beside the staff case list (the page's selects), read in one place. */
@Injectable()
export class CaseListFilters {
  constructor(private readonly dataSource: DataSource) {}

  async choices(): Promise<CaseListFilterChoices> {
    const [states, respondents, caseworkers] = await Promise.all([
      this.dataSource.query(`SELECT DISTINCT state FROM cases ORDER BY state`) as Promise<Array<{ state: string }>>,
      this.dataSource.query(
        `SELECT DISTINCT o.id, o.name FROM cases c JOIN organisations o ON o.id = c.respondent_organisation_id ORDER BY o.name`,
      ) as Promise<Array<{ id: string; name: string }>>,
      this.dataSource.query(`SELECT id, display_name AS name FROM users WHERE role = 'caseworker' AND active ORDER BY display_name`) as Promise<
        Array<{ id: string; name: string }>
      >,
    ]);
    return { states: states.map((s) => s.state), respondents, caseworkers };
  }
}
