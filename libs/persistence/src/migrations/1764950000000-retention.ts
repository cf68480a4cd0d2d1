import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data kept no longer than the retention schedule says (UK GDPR storage limitation), and
 * erased on request, without changing a single statistic.
 *
 * - `retention_schedule`: how long each kind of personal data is kept (administrators edit it).
 * - `retention_runs`: the daily job's runs. A run fixes its `as_of` time when it starts, so a run
 *   interrupted and resumed (a killed worker) decides with the same cut-offs; `kinds_done` is its
 *   cursor and `counts` what it has done so far. One open run at a time; the lease lets another
 *   worker take over a run whose worker died.
 * - `retention_file_removals`: evidence files to delete from storage. The row that says "file
 *   removed" and this entry are written in one transaction; the file itself is removed after the
 *   commit (no transaction held across storage calls), and a removal interrupted is done again.
 * - `legal_holds`: a case under hold (a legal dispute) is skipped by retention and erasure.
 * - `cases.anonymised_at`, `evidence.file_removed_at`, `users.erased_at`: what has been done.
 */
export class Retention1764950000000 implements MigrationInterface {
  name = 'Retention1764950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retention_schedule (
        kind text PRIMARY KEY CHECK (kind IN ('closedCases', 'signInRecords', 'auditEntries', 'unsentReportDocuments', 'unusedAccounts', 'inboundMail')),
        period_count int NOT NULL CHECK (period_count BETWEEN 1 AND 36500),
        period_unit text NOT NULL CHECK (period_unit IN ('days', 'months')),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The defaults: mySociety's settled approach for cases (six years after closing, the limitation
    // period for most claims), two years for sign-in and audit records, a week for documents of a
    // report never sent, a year for accounts never used, three months for mail nobody sorted.
    await q.query(`
      INSERT INTO retention_schedule (kind, period_count, period_unit) VALUES
        ('closedCases', 72, 'months'),
        ('signInRecords', 24, 'months'),
        ('auditEntries', 24, 'months'),
        ('unsentReportDocuments', 7, 'days'),
        ('unusedAccounts', 12, 'months'),
        ('inboundMail', 90, 'days')`);

    await q.query(`
      CREATE TABLE retention_runs (
        id bigserial PRIMARY KEY,
        as_of timestamptz NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        lease_until timestamptz NOT NULL,
        kinds_done text[] NOT NULL DEFAULT '{}',
        counts jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE UNIQUE INDEX retention_runs_one_open ON retention_runs ((true)) WHERE finished_at IS NULL`);

    await q.query(`
      CREATE TABLE retention_file_removals (
        storage_key text PRIMARY KEY,
        queued_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE legal_holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        reason text NOT NULL,
        placed_by uuid NOT NULL REFERENCES users(id),
        placed_at timestamptz NOT NULL DEFAULT now(),
        lifted_by uuid REFERENCES users(id),
        lifted_at timestamptz,
        lift_reason text,
        CONSTRAINT legal_holds_lifted_whole CHECK ((lifted_at IS NULL) = (lifted_by IS NULL) AND (lifted_at IS NULL) = (lift_reason IS NULL))
      )`);
    // A case is on hold or not: one hold in force at a time; lifted ones stay as its history.
    await q.query(`CREATE UNIQUE INDEX legal_holds_one_in_force ON legal_holds (case_id) WHERE lifted_at IS NULL`);
    await q.query(`CREATE INDEX legal_holds_case_idx ON legal_holds (case_id, placed_at DESC)`);

    await q.query(`ALTER TABLE cases ADD COLUMN anonymised_at timestamptz`);
    // The job's candidates: closed cases not yet anonymised, oldest closing first.
    await q.query(`CREATE INDEX cases_retention_idx ON cases (closed_at, id) WHERE anonymised_at IS NULL AND closed_at IS NOT NULL`);
    await q.query(`ALTER TABLE evidence ADD COLUMN file_removed_at timestamptz`);
    await q.query(`ALTER TABLE users ADD COLUMN erased_at timestamptz`);
    await q.query(`CREATE INDEX IF NOT EXISTS access_audit_at_idx ON access_audit (at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS account_events_at_idx ON account_events (at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbound_mail_received_idx ON inbound_mail (received_at)`);

    // The event log stays the record of what happened and when: rows are never deleted, and only
    // the payload (and who is named as the actor) may change, and only inside a transaction that
    // has declared itself an anonymisation (SET LOCAL cc.anonymising = 'on', which ends with the
    // transaction). Retention and erasure must be able to remove the free text people wrote into
    // events and put "Former reporter" where a reporter was named; without this opening the log
    // would keep every name forever. Type, states and time, which the statistics and the history
    // are built from, can still never change.
    await q.query(`
      CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('cc.anonymising', true) = 'on'
           AND (NEW.id, NEW.case_id, NEW.seq, NEW.type, NEW.actor_role, NEW.from_state, NEW.to_state, NEW.effects, NEW.occurred_at)
               IS NOT DISTINCT FROM (OLD.id, OLD.case_id, OLD.seq, OLD.type, OLD.actor_role, OLD.from_state, OLD.to_state, OLD.effects, OLD.occurred_at) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP;
      END $$`);

    // Free text in JSON (event payloads, the workflow snapshot, facts): every string that could be
    // words a person wrote (it has a space or an @) becomes the placeholder. Codes, ids, dates and
    // times have neither, so the shape every page and the workflow read stays as it was.
    await q.query(`
      CREATE FUNCTION dp_redact_jsonb(j jsonb, placeholder text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        CASE jsonb_typeof(j)
          WHEN 'object' THEN
            RETURN coalesce((SELECT jsonb_object_agg(k, dp_redact_jsonb(v, placeholder)) FROM jsonb_each(j) AS e(k, v)), '{}'::jsonb);
          WHEN 'array' THEN
            RETURN coalesce((SELECT jsonb_agg(dp_redact_jsonb(v, placeholder) ORDER BY i) FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, i)), '[]'::jsonb);
          WHEN 'string' THEN
            IF (j #>> '{}') ~ '[[:space:]@]' THEN RETURN to_jsonb(placeholder); END IF;
            RETURN j;
          ELSE
            RETURN j;
        END CASE;
      END $$`);
    // A person's name or address, wherever it appears in text, case-insensitively (erasure).
    await q.query(`
      CREATE FUNCTION dp_replace_text(t text, find text, replacement text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN t IS NULL OR find IS NULL OR length(find) < 3 THEN t
                    -- ***= makes the rest of the pattern a literal string: a name is never a regular expression.
                    ELSE regexp_replace(t, '***=' || find, replacement, 'gi') END
      $$`);
    await q.query(`
      CREATE FUNCTION dp_replace_jsonb(j jsonb, find text, replacement text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        CASE jsonb_typeof(j)
          WHEN 'object' THEN
            RETURN coalesce((SELECT jsonb_object_agg(k, dp_replace_jsonb(v, find, replacement)) FROM jsonb_each(j) AS e(k, v)), '{}'::jsonb);
          WHEN 'array' THEN
            RETURN coalesce((SELECT jsonb_agg(dp_replace_jsonb(v, find, replacement) ORDER BY i) FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, i)), '[]'::jsonb);
          WHEN 'string' THEN
            RETURN to_jsonb(dp_replace_text(j #>> '{}', find, replacement));
          ELSE
            RETURN j;
        END CASE;
      END $$`);

    // Where a case named a reporter or a public body's contact, an anonymised case names a neutral
    // account instead: one "Former reporter" per reporting organisation and one "Former contact"
    // per public body, inactive and unable to sign in, so every page that joins users still reads
    // (and still shows which side acted). Staff stay named: they acted for the programme.
    await q.query(`
      CREATE FUNCTION dp_placeholder_user(u uuid) RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        address text;
        found_id uuid;
      BEGIN
        IF u IS NULL THEN RETURN NULL; END IF;
        SELECT role, organisation_id INTO r FROM users WHERE id = u;
        IF NOT FOUND OR r.role NOT IN ('reporter', 'respondent') OR r.organisation_id IS NULL THEN RETURN u; END IF;
        address := 'former-' || r.role || '+' || r.organisation_id || '@anonymised.invalid';
        SELECT id INTO found_id FROM users WHERE lower(email) = address;
        IF found_id IS NULL THEN
          INSERT INTO users (email, display_name, role, organisation_id, password_hash, active, erased_at)
          VALUES (address, CASE r.role WHEN 'reporter' THEN 'Former reporter' ELSE 'Former contact' END, r.role, r.organisation_id, '!', false, now())
          ON CONFLICT ((lower(email))) DO NOTHING
          RETURNING id INTO found_id;
          IF found_id IS NULL THEN SELECT id INTO found_id FROM users WHERE lower(email) = address; END IF;
        END IF;
        RETURN found_id;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS dp_placeholder_user(uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS dp_replace_jsonb(jsonb, text, text)`);
    await q.query(`DROP FUNCTION IF EXISTS dp_replace_text(text, text, text)`);
    await q.query(`DROP FUNCTION IF EXISTS dp_redact_jsonb(jsonb, text)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP;
      END $$`);
    await q.query(`DROP INDEX IF EXISTS inbound_mail_received_idx`);
    await q.query(`DROP INDEX IF EXISTS account_events_at_idx`);
    await q.query(`DROP INDEX IF EXISTS access_audit_at_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS erased_at`);
    await q.query(`ALTER TABLE evidence DROP COLUMN IF EXISTS file_removed_at`);
    await q.query(`DROP INDEX IF EXISTS cases_retention_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN IF EXISTS anonymised_at`);
    for (const table of ['legal_holds', 'retention_file_removals', 'retention_runs', 'retention_schedule']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
