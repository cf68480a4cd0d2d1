import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';

/** What staff can filter the case list by: the states and public bodies cases have reached, and the active caseworkers. */
export interface CaseListFilterChoices {
  states: string[];
  respondents: Array<{ id: string; name: string }>;
  caseworkers: Array<{ id: string; name: string }>;
}

/*
 * The states and public bodies cases have reached are a few dozen values among every case there
 * is. SELECT DISTINCT reads all the cases (an index-only scan of every entry, then a join and a
 * sort for the bodies), on every view of the list. Instead each next value is one probe of the
 * index (cases_state_list_idx, cases_respondent_idx): the first value above the last one found,
 * until there is none. That costs one probe per value, however many cases there are.
 */
const STATES_REACHED = sql`
  WITH RECURSIVE reached(state) AS (
    (SELECT state FROM cases ORDER BY state LIMIT 1)
    UNION ALL
    SELECT (SELECT c.state FROM cases c WHERE c.state > reached.state ORDER BY c.state LIMIT 1)
      FROM reached WHERE reached.state IS NOT NULL
  )
  SELECT state FROM reached WHERE state IS NOT NULL ORDER BY state`;

const RESPONDENTS_REACHED = sql`
  WITH RECURSIVE reached(id) AS (
    (SELECT respondent_organisation_id FROM cases ORDER BY respondent_organisation_id LIMIT 1)
    UNION ALL
    SELECT (SELECT c.respondent_organisation_id FROM cases c WHERE c.respondent_organisation_id > reached.id
             ORDER BY c.respondent_organisation_id LIMIT 1)
      FROM reached WHERE reached.id IS NOT NULL
  )
  SELECT o.id, o.name FROM reached JOIN organisations o ON o.id = reached.id ORDER BY o.name, o.id`;

const ACTIVE_CASEWORKERS = sql`SELECT id, display_name AS name FROM users WHERE role = 'caseworker' AND active ORDER BY display_name`;

/** The choices offered beside the staff case list (the page's selects), read in one place. */
@Injectable()
export class CaseListFilters {
  constructor(private readonly dataSource: DataSource) {}

  async choices(): Promise<CaseListFilterChoices> {
    const manager = this.dataSource.manager;
    const [states, respondents, caseworkers] = await Promise.all([
      runPrepared<{ state: string }>(manager, STATES_REACHED),
      runPrepared<{ id: string; name: string }>(manager, RESPONDENTS_REACHED),
      runPrepared<{ id: string; name: string }>(manager, ACTIVE_CASEWORKERS),
    ]);
    return { states: states.map((s) => s.state), respondents, caseworkers };
  }
}
