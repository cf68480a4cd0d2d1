import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The public body's side (workflow version 2):
 * - respondent contacts: people at a public body, kept in the registry; each has an account of the
 *   `respondent` role that signs in only by single-use links (no password: its hash is '!', which
 *   no password can match);
 * - sign-in links: only the hash of a link's token is kept, like password resets;
 * - the contacts named on a case: a respondent sees only cases on which they are named;
 * - whether the public body may be told who reported (`reporter_named`; cases filed before this
 *   were handled as named, so they keep that);
 * - evidence shared with the public body (a reporter's uploads are private to the reporter and
 *   staff until a caseworker shares them);
 * - two more audiences for notes and messages: `parties` (reporter, public body and staff) and
 *   `respondent` (public body and staff only).
 */
export class RespondentSide1764900000000 implements MigrationInterface {
  name = 'RespondentSide1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('reporter', 'caseworker', 'mediator', 'administrator', 'respondent'))`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT respondents_belong_to_an_organisation CHECK (role <> 'respondent' OR organisation_id IS NOT NULL)`);

    await q.query(`
      CREATE TABLE respondent_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL UNIQUE REFERENCES users(id),
        name text NOT NULL,
        email text NOT NULL,
        job_title text,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX respondent_contacts_email_key ON respondent_contacts (lower(email))`);
    await q.query(`CREATE INDEX respondent_contacts_organisation_idx ON respondent_contacts (organisation_id, lower(name))`);

    await q.query(`
      CREATE TABLE sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        purpose text NOT NULL CHECK (purpose IN ('requested', 'caseEmail')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX sign_in_links_user_idx ON sign_in_links (user_id)`);

    await q.query(`
      CREATE TABLE case_contacts (
        case_id uuid NOT NULL REFERENCES cases(id),
        contact_id uuid NOT NULL REFERENCES respondent_contacts(id),
        named_by uuid REFERENCES users(id),
        named_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, contact_id)
      )`);
    await q.query(`CREATE INDEX case_contacts_contact_idx ON case_contacts (contact_id)`);

    await q.query(`ALTER TABLE cases ADD COLUMN reporter_named boolean NOT NULL DEFAULT true`);

    await q.query(`ALTER TABLE evidence ADD COLUMN shared_with_respondent boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE evidence ADD COLUMN shared_at timestamptz`);
    await q.query(`ALTER TABLE evidence ADD COLUMN shared_by uuid REFERENCES users(id)`);

    await q.query(`ALTER TABLE case_notes DROP CONSTRAINT IF EXISTS case_notes_visibility_check`);
    await q.query(`ALTER TABLE case_notes ADD CONSTRAINT case_notes_visibility_check CHECK (visibility IN ('shared', 'internal', 'mediator', 'parties', 'respondent'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_notes DROP CONSTRAINT IF EXISTS case_notes_visibility_check`);
    await q.query(`DELETE FROM case_notes WHERE visibility IN ('parties', 'respondent')`);
    await q.query(`ALTER TABLE case_notes ADD CONSTRAINT case_notes_visibility_check CHECK (visibility IN ('shared', 'internal', 'mediator'))`);
    await q.query(`ALTER TABLE evidence DROP COLUMN IF EXISTS shared_by, DROP COLUMN IF EXISTS shared_at, DROP COLUMN IF EXISTS shared_with_respondent`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS reporter_named`);
    await q.query(`DROP TABLE IF EXISTS case_contacts`);
    await q.query(`DROP TABLE IF EXISTS sign_in_links`);
    await q.query(`DROP TABLE IF EXISTS respondent_contacts`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS respondents_belong_to_an_organisation`);
    await q.query(`DELETE FROM users WHERE role = 'respondent'`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('reporter', 'caseworker', 'mediator', 'administrator'))`);
  }
}
