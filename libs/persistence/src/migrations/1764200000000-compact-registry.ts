import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Compact registry: Compacts with their sections (outcomes, codes of practice, groups of
 * undertakings) and commitments, each commitment optionally carrying a checkable rule as data;
 * who signed which Compact; each sector's lead contact. Cases gain the commitments they name
 * (by id), the facts the rules check, the triage hints worked out at filing, and links between
 * cases that caseworkers see as one group.
 */
export class CompactRegistry1764200000000 implements MigrationInterface {
  name = 'CompactRegistry1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE compacts
        ADD COLUMN adopted_on date,
        ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('draft', 'active', 'under_review', 'archived')),
        ADD COLUMN source_url text,
        ADD COLUMN summary text,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT compacts_local_have_an_area CHECK (scope = 'national' OR area IS NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX compacts_name_key ON compacts (lower(name))`);
    await q.query(`CREATE INDEX compacts_area_idx ON compacts (lower(area))`);

    await q.query(`
      CREATE TABLE compact_sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compact_id uuid NOT NULL REFERENCES compacts(id) ON DELETE CASCADE,
        code text NOT NULL,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('outcome', 'code_of_practice', 'undertakings', 'section')),
        position int NOT NULL DEFAULT 0,
        wording text NOT NULL DEFAULT 'summary' CHECK (wording IN ('official', 'summary')),
        CONSTRAINT compact_sections_code_key UNIQUE (compact_id, code)
      )`);

    await q.query(`
      CREATE TABLE commitments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        compact_id uuid NOT NULL REFERENCES compacts(id) ON DELETE CASCADE,
        section_id uuid REFERENCES compact_sections(id) ON DELETE SET NULL,
        reference text NOT NULL,
        text text NOT NULL,
        binds text NOT NULL CHECK (binds IN ('public', 'voluntary', 'both')),
        wording text NOT NULL CHECK (wording IN ('official', 'summary')),
        rule jsonb,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT commitments_reference_key UNIQUE (compact_id, reference)
      )`);
    await q.query(`CREATE INDEX commitments_section_idx ON commitments (section_id)`);

    await q.query(`
      ALTER TABLE organisations
        ADD COLUMN charity_number text,
        ADD COLUMN website text,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT organisations_body_type_known CHECK (
          (sector = 'voluntary' AND body_type IS NULL)
          OR (sector = 'public' AND body_type IN ('council', 'nhs', 'police', 'fire_rescue', 'pcc', 'lep', 'government_department', 'other')))`);
    await q.query(`CREATE INDEX organisations_area_idx ON organisations (lower(area))`);

    await q.query(`
      CREATE TABLE compact_signatories (
        compact_id uuid NOT NULL REFERENCES compacts(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        signed_on date,
        PRIMARY KEY (compact_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX compact_signatories_organisation_idx ON compact_signatories (organisation_id)`);

    await q.query(`
      CREATE TABLE compact_lead_contacts (
        compact_id uuid NOT NULL REFERENCES compacts(id) ON DELETE CASCADE,
        sector text NOT NULL CHECK (sector IN ('voluntary', 'public')),
        name text NOT NULL,
        email text,
        phone text,
        organisation_id uuid REFERENCES organisations(id),
        PRIMARY KEY (compact_id, sector)
      )`);

    await q.query(`
      ALTER TABLE cases
        ADD COLUMN commitment_ids uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN facts jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN triage_hints jsonb NOT NULL DEFAULT '[]'`);
    // Related-case flagging looks for recent reports against the same respondent.
    await q.query(`CREATE INDEX cases_respondent_submitted_idx ON cases (respondent_organisation_id, submitted_at DESC)`);

    // One row per linked pair, stored once (lower id first); the group is the connected set.
    await q.query(`
      CREATE TABLE case_links (
        case_id uuid NOT NULL REFERENCES cases(id),
        linked_case_id uuid NOT NULL REFERENCES cases(id),
        reason text,
        linked_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, linked_case_id),
        CONSTRAINT case_links_ordered CHECK (case_id < linked_case_id)
      )`);
    await q.query(`CREATE INDEX case_links_linked_idx ON case_links (linked_case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS case_links`);
    await q.query(`DROP INDEX IF EXISTS cases_respondent_submitted_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS commitment_ids, DROP COLUMN IF EXISTS facts, DROP COLUMN IF EXISTS triage_hints`);
    await q.query(`DROP TABLE IF EXISTS compact_lead_contacts`);
    await q.query(`DROP TABLE IF EXISTS compact_signatories`);
    await q.query(`DROP INDEX IF EXISTS organisations_area_idx`);
    await q.query(`ALTER TABLE organisations DROP CONSTRAINT IF EXISTS organisations_body_type_known, DROP COLUMN IF EXISTS charity_number, DROP COLUMN IF EXISTS website, DROP COLUMN IF EXISTS updated_at`);
    await q.query(`DROP TABLE IF EXISTS commitments`);
    await q.query(`DROP TABLE IF EXISTS compact_sections`);
    await q.query(`DROP INDEX IF EXISTS compacts_area_idx`);
    await q.query(`DROP INDEX IF EXISTS compacts_name_key`);
    await q.query(`ALTER TABLE compacts DROP CONSTRAINT IF EXISTS compacts_local_have_an_area, DROP COLUMN IF EXISTS adopted_on, DROP COLUMN IF EXISTS status, DROP COLUMN IF EXISTS source_url, DROP COLUMN IF EXISTS summary, DROP COLUMN IF EXISTS updated_at`);
  }
}
