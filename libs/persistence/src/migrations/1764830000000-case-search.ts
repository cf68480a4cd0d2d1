import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case search over the names people know a case by: the reporting organisation's and the public
 * body's names and the reporter's name and e-mail, besides the reference, title and account.
 *
 * Those names live in other tables, so a generated column cannot hold them: `cases.search` is kept
 * by triggers instead (on the case, and on a rename of an organisation or a person). One tsvector
 * with one GIN index, so a search of several words is one index condition, each word free to match
 * any field. Weights tell the fields apart: A reference and organisation names, B title, C account,
 * D the reporter's name and e-mail, which only staff may match on (a reporter's query is limited to
 * A-C, so nobody finds a case by a person's name they could not see).
 *
 * Names and references go in unstemmed ('simple'), so a partial name typed as a prefix matches;
 * the title and account are stemmed ('english'). Numbers are matched by `cases_reference_number_idx`
 * on the digits at the end of the reference without leading zeros, so "00002", "2" and "cb-2026-2"
 * find CB-2026-00002 whatever the padding.
 */
export class CaseSearch1764830000000 implements MigrationInterface {
  name = 'CaseSearch1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION case_search_document(p_reference text, p_title text, p_what_happened text, p_reporting uuid, p_respondent uuid, p_reporter uuid)
      RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', coalesce(p_reference, '') || ' ' ||
                 coalesce((SELECT string_agg(name, ' ') FROM organisations WHERE id IN (p_reporting, p_respondent)), '')), 'A')
            || setweight(to_tsvector('english', coalesce(p_title, '')), 'B')
            || setweight(to_tsvector('english', coalesce(p_what_happened, '')), 'C')
            -- The e-mail's parts as words too, so "rita" or "demo.compact.test" find it.
            || setweight(to_tsvector('simple', coalesce(
                 (SELECT display_name || ' ' || email || ' ' || translate(email, '@._-+', '     ') FROM users WHERE id = p_reporter), '')), 'D')
      $$`);
    await q.query(`ALTER TABLE cases DROP COLUMN search`);
    await q.query(`ALTER TABLE cases ADD COLUMN search tsvector`);
    await q.query(`
      CREATE FUNCTION cases_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search := case_search_document(NEW.reference, NEW.title, NEW.what_happened, NEW.reporting_organisation_id, NEW.respondent_organisation_id, NEW.reported_by);
        RETURN NEW;
      END $$`);
    // Transitions set none of these columns, so they never pay for the lookups.
    await q.query(`
      CREATE TRIGGER cases_search_fill BEFORE INSERT OR UPDATE OF reference, title, what_happened, reporting_organisation_id, respondent_organisation_id, reported_by
      ON cases FOR EACH ROW EXECUTE FUNCTION cases_search_fill()`);
    await q.query(`
      CREATE FUNCTION cases_search_refresh_names() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'organisations' THEN
          UPDATE cases SET search = case_search_document(reference, title, what_happened, reporting_organisation_id, respondent_organisation_id, reported_by)
           WHERE reporting_organisation_id = NEW.id OR respondent_organisation_id = NEW.id;
        ELSE
          UPDATE cases SET search = case_search_document(reference, title, what_happened, reporting_organisation_id, respondent_organisation_id, reported_by)
           WHERE reported_by = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER organisations_search_names AFTER UPDATE OF name ON organisations
      FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION cases_search_refresh_names()`);
    await q.query(`
      CREATE TRIGGER users_search_names AFTER UPDATE OF display_name, email ON users
      FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.email IS DISTINCT FROM NEW.email)
      EXECUTE FUNCTION cases_search_refresh_names()`);
    // A person's cases are found by reported_by when they are renamed (and for their own data).
    await q.query(`CREATE INDEX IF NOT EXISTS cases_reported_by_idx ON cases (reported_by)`);

    await q.query(`UPDATE cases SET search = case_search_document(reference, title, what_happened, reporting_organisation_id, respondent_organisation_id, reported_by)`);
    await q.query(`CREATE INDEX cases_search_idx ON cases USING gin (search)`);
    // Text, not a number: a reference ending in more digits than an integer holds must still insert.
    await q.query(`CREATE INDEX cases_reference_number_idx ON cases ((ltrim(substring(reference from '([0-9]+)$'), '0')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS cases_reference_number_idx`);
    await q.query(`DROP TRIGGER IF EXISTS users_search_names ON users`);
    await q.query(`DROP TRIGGER IF EXISTS organisations_search_names ON organisations`);
    await q.query(`DROP TRIGGER IF EXISTS cases_search_fill ON cases`);
    await q.query(`DROP FUNCTION IF EXISTS cases_search_refresh_names()`);
    await q.query(`DROP FUNCTION IF EXISTS cases_search_fill()`);
    await q.query(`ALTER TABLE cases DROP COLUMN search`);
    await q.query(`
      ALTER TABLE cases ADD COLUMN search tsvector GENERATED ALWAYS AS (
        to_tsvector('english', reference || ' ' || title || ' ' || what_happened)
      ) STORED`);
    await q.query(`CREATE INDEX cases_search_idx ON cases USING gin (search)`);
    await q.query(`DROP FUNCTION IF EXISTS case_search_document(text, text, text, uuid, uuid, uuid)`);
  }
}
