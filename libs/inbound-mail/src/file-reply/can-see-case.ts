import { Sql, rawSql, sql } from '@cc/persistence';

/**
 * Whether the user (alias `u`) can see the case (alias `c`), as CaseAccess decides for a signed-in
 * caller, as a column: a reply is put on a case only as a message from someone who could write it
 * there on the site.
 */
export function canSeeCaseColumn(userAlias = 'u', caseAlias = 'c'): Sql {
  const u = rawSql(userAlias);
  const c = rawSql(caseAlias);
  return sql`CASE ${u}.role
               WHEN 'caseworker' THEN true
               WHEN 'administrator' THEN true
               WHEN 'reporter' THEN coalesce(${u}.organisation_id = ${c}.reporting_organisation_id, false)
               WHEN 'mediator' THEN coalesce(${c}.mediator_id = ${u}.id, false)
               WHEN 'respondent' THEN coalesce(${u}.organisation_id = ${c}.respondent_organisation_id, false) AND EXISTS (
                 SELECT FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id
                  WHERE cc.case_id = ${c}.id AND rc.user_id = ${u}.id AND rc.active AND rc.organisation_id = ${c}.respondent_organisation_id)
               ELSE false
             END`;
}
