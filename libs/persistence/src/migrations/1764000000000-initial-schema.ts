import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case core: organisations and Compacts (minimal until the registry issue), accounts, cases
 * with their persisted workflow snapshot, the append-only case event log, and case notes.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_settings (
        key text PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        sector text NOT NULL CHECK (sector IN ('voluntary', 'public')),
        body_type text,
        area text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX organisations_name_idx ON organisations (lower(name))`);

    await q.query(`
      CREATE TABLE compacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('national', 'local')),
        area text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('reporter', 'caseworker', 'mediator', 'administrator')),
        organisation_id uuid REFERENCES organisations(id),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reporters_belong_to_an_organisation CHECK (role <> 'reporter' OR organisation_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    // Ties that would make a mediator partial: employment, trusteeship, membership, contracts.
    await q.query(`
      CREATE TABLE user_organisation_ties (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        nature text NOT NULL,
        PRIMARY KEY (user_id, organisation_id)
      )`);

    await q.query(`
      CREATE TABLE case_reference_counters (
        year int PRIMARY KEY,
        last_number int NOT NULL
      )`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        machine_version int NOT NULL,
        snapshot jsonb NOT NULL,
        state text NOT NULL,
        stage text NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        reporting_organisation_id uuid NOT NULL REFERENCES organisations(id),
        respondent_organisation_id uuid NOT NULL REFERENCES organisations(id),
        compact_id uuid NOT NULL REFERENCES compacts(id),
        commitments text[] NOT NULL,
        reported_by uuid NOT NULL REFERENCES users(id),
        assignee_id uuid REFERENCES users(id),
        mediator_id uuid REFERENCES users(id),
        outcome text,
        title text NOT NULL,
        what_happened text NOT NULL,
        happened_on date NOT NULL,
        impact text NOT NULL,
        desired_outcome text NOT NULL,
        evidence text,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('english', reference || ' ' || title || ' ' || what_happened)
        ) STORED,
        submitted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    // Keyset pagination walks (submitted_at, id) newest first; the filters narrow it.
    await q.query(`CREATE INDEX cases_list_idx ON cases (submitted_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_reporting_org_idx ON cases (reporting_organisation_id, submitted_at DESC)`);
    await q.query(`CREATE INDEX cases_state_idx ON cases (state)`);
    await q.query(`CREATE INDEX cases_stage_idx ON cases (stage)`);
    await q.query(`CREATE INDEX cases_respondent_idx ON cases (respondent_organisation_id)`);
    await q.query(`CREATE INDEX cases_compact_idx ON cases (compact_id)`);
    await q.query(`CREATE INDEX cases_assignee_idx ON cases (assignee_id)`);
    await q.query(`CREATE INDEX cases_mediator_idx ON cases (mediator_id)`);
    await q.query(`CREATE INDEX cases_search_idx ON cases USING gin (search)`);

    await q.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        seq int NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid REFERENCES users(id),
        actor_role text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        effects jsonb NOT NULL DEFAULT '[]',
        occurred_at timestamptz NOT NULL,
        CONSTRAINT case_events_seq_key UNIQUE (case_id, seq)
      )`);
    // The event log is the record of who did what: it may only grow.
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_append_only
      BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);

    await q.query(`
      CREATE TABLE case_notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        author_id uuid NOT NULL REFERENCES users(id),
        visibility text NOT NULL CHECK (visibility IN ('shared', 'internal', 'mediator')),
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_notes_case_idx ON case_notes (case_id, created_at)`);

    // Every read an administrator makes is recorded (BRIEF: administrators see everything, audited).
    await q.query(`
      CREATE TABLE access_audit (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        method text NOT NULL,
        path text NOT NULL,
        case_id uuid,
        status int NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX access_audit_user_idx ON access_audit (user_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'access_audit',
      'case_notes',
      'case_events',
      'cases',
      'case_reference_counters',
      'user_organisation_ties',
      'users',
      'compacts',
      'organisations',
      'app_settings',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS case_events_append_only()`);
  }
}
