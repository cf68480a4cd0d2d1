import { sql } from '@cc/persistence';
import type { EffectWrite } from '../domain/applied-case';

/**
 * Names the contacts on the case in the transition's own statement: only contacts still active at
 * the case's public body (checked again here, so a contact deactivated meanwhile is not named), and
 * a contact named already stays as first named. Which ids are usable is the registry's answer
 * (RespondentContacts.findActive), asked before the transition so a wrong id is a 400.
 */
export function nameContactsWrite(contactIds: readonly string[], namedBy: string, at: string): EffectWrite {
  return (applied) => sql`
    INSERT INTO case_contacts (case_id, contact_id, named_by, named_at)
    SELECT ${applied.col('id')}, rc.id, ${namedBy}::uuid, ${at}::timestamptz
      FROM ${applied.rows} JOIN respondent_contacts rc
        ON rc.id = ANY(${[...contactIds]}::uuid[]) AND rc.organisation_id = ${applied.col('respondentOrganisationId')} AND rc.active
    ON CONFLICT (case_id, contact_id) DO NOTHING`;
}
