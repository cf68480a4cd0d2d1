import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import type { EffectWrite } from '../domain/applied-case';

/**
 * The public body's contacts named on a case. Until the registry's RespondentContacts lands, the
 * cases library reads respondent_contacts itself, with only what naming a contact needs.
 */
@Injectable()
export class CaseContactsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Of these ids, those that are not active contacts at this public body. */
  async notUsable(organisationId: string, contactIds: readonly string[]): Promise<string[]> {
    const found = await runPrepared<{ id: string }>(
      this.dataSource.manager,
      sql`SELECT id FROM respondent_contacts WHERE id = ANY(${[...contactIds]}::uuid[]) AND organisation_id = ${organisationId} AND active`,
    );
    const usable = new Set(found.map((r) => r.id));
    return contactIds.filter((id) => !usable.has(id));
  }
}

/**
 * Names the contacts on the case in the transition's own statement: only contacts still active at
 * the case's public body (checked again here, so a contact deactivated meanwhile is not named), and
 * a contact named already stays as first named.
 */
export function nameContactsWrite(contactIds: readonly string[], namedBy: string, at: string): EffectWrite {
  return (applied) => sql`
    INSERT INTO case_contacts (case_id, contact_id, named_by, named_at)
    SELECT ${applied.col('id')}, rc.id, ${namedBy}::uuid, ${at}::timestamptz
      FROM ${applied.rows} JOIN respondent_contacts rc
        ON rc.id = ANY(${[...contactIds]}::uuid[]) AND rc.organisation_id = ${applied.col('respondentOrganisationId')} AND rc.active
    ON CONFLICT (case_id, contact_id) DO NOTHING`;
}
