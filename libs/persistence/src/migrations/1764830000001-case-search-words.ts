import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The words of every case's search document, so a search word can be matched as the start of a
 * word by looking up the whole words it starts ("harboro" -> harborough) and searching for those.
 * A tsquery prefix (harboro:*) makes the GIN index gather every match of the prefix into a bitmap
 * before it can combine them; whole words let it skip through the long lists of common words
 * ("council", "group") to the few cases the rare word is in, which is what keeps a search of a
 * million cases fast. Words are never removed: one no case holds any more only finds nothing.
 *
 * The reference and the whole e-mail address leave the document: numbers are found through
 * cases_reference_number_idx, and a reference is one word per case that no search for words needs;
 * an address is searched by its parts, as a search splits it.
 */
export class CaseSearchWords1764830000001 implements MigrationInterface {
  name = 'CaseSearchWords1764830000001';

  async up(q: QueryRunner): Promise<void> {
    // "C": byte order, so a prefix is one range of the primary key.
    await q.query(`CREATE TABLE case_search_words (word text COLLATE "C" PRIMARY KEY)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_search_document(p_reference text, p_title text, p_what_happened text, p_reporting uuid, p_respondent uuid, p_reporter uuid)
      RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', coalesce((SELECT string_agg(name, ' ') FROM organisations WHERE id IN (p_reporting, p_respondent)), '')), 'A')
            || setweight(to_tsvector('english', coalesce(p_title, '')), 'B')
            || setweight(to_tsvector('english', coalesce(p_what_happened, '')), 'C')
            -- The e-mail as its parts ("rita", "reporter", "demo", ...), which is how a search splits it
            -- too; whole, it would be a word that every search starting "rita" or "bench" must list.
            || setweight(to_tsvector('simple', coalesce(
                 (SELECT display_name || ' ' || translate(email, '@._-+', '     ') FROM users WHERE id = p_reporter), '')), 'D')
      $$`);
    await q.query(`
      CREATE FUNCTION case_search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO case_search_words (word) SELECT unnest(tsvector_to_array(NEW.search)) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER case_search_words_add AFTER INSERT OR UPDATE OF search ON cases
      FOR EACH ROW EXECUTE FUNCTION case_search_words_add()`);
    await q.query(`UPDATE cases SET search = case_search_document(reference, title, what_happened, reporting_organisation_id, respondent_organisation_id, reported_by)`);
    await q.query(`INSERT INTO case_search_words (word) SELECT word FROM ts_stat('SELECT search FROM cases') ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS case_search_words_add ON cases`);
    await q.query(`DROP FUNCTION IF EXISTS case_search_words_add()`);
    await q.query(`DROP TABLE IF EXISTS case_search_words`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_search_document(p_reference text, p_title text, p_what_happened text, p_reporting uuid, p_respondent uuid, p_reporter uuid)
      RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', coalesce(p_reference, '') || ' ' ||
                 coalesce((SELECT string_agg(name, ' ') FROM organisations WHERE id IN (p_reporting, p_respondent)), '')), 'A')
            || setweight(to_tsvector('english', coalesce(p_title, '')), 'B')
            || setweight(to_tsvector('english', coalesce(p_what_happened, '')), 'C')
            || setweight(to_tsvector('simple', coalesce(
                 (SELECT display_name || ' ' || email || ' ' || translate(email, '@._-+', '     ') FROM users WHERE id = p_reporter), '')), 'D')
      $$`);
  }
}
