import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql, rawSql, runSql, sql } from '@cc/persistence';
import { beginAnonymising, pruneSearchWords } from '../anonymise/case-anonymiser';

/** The person an erasure is about: an account, the public body contact records behind it, or only an address. */
export interface ErasureSubject {
  email: string;
  userId: string | null;
  role: string | null;
  displayName: string | null;
  contactIds: string[];
  contactNames: string[];
}

export type ErasureRefusalCode = 'OPEN_CASE' | 'LEGAL_HOLD' | 'OWN_ACCOUNT' | 'LAST_ADMINISTRATOR';

/** Why a person cannot be erased now, in words an administrator can act on, with the cases concerned. */
export interface ErasureRefusal {
  code: ErasureRefusalCode;
  reason: string;
  cases: string[];
}

/** How many records an erasure changes (or would), by kind. */
export interface ErasureCounts {
  account: number;
  contactRecords: number;
  casesNamedOn: number;
  textsMentioning: number;
  emails: number;
  inboundMail: number;
  sessions: number;
}

const LABELS: Record<string, string> = {
  reporter: 'Former reporter',
  caseworker: 'Former caseworker',
  mediator: 'Former mediator',
  administrator: 'Former administrator',
  respondent: 'Former contact',
};

/** The neutral label that replaces a person's name: who they were to the service, not who they are. */
export function erasureLabel(role: string | null): string {
  return (role && LABELS[role]) || 'Former correspondent';
}

/**
 * The words searched for in free text: the address always; a name only when it has two words or
 * more (a full name), as a single word ("Sam", "Council") is too likely to be an ordinary word.
 */
function termsOf(subject: ErasureSubject): string[] {
  const names = [subject.displayName, ...subject.contactNames].filter((n): n is string => !!n && n.trim().split(/\s+/).length >= 2);
  return [...new Set([subject.email.toLowerCase(), encodeURIComponent(subject.email).toLowerCase(), ...names.map((n) => n.trim())])].filter((t) => t.length >= 3);
}

/** Texts on a case under legal hold are left as they are: the hold says the record must be kept. */
const NOT_HELD = (caseColumn: Sql) => sql`NOT EXISTS (SELECT FROM legal_holds h WHERE h.case_id = ${caseColumn} AND h.lifted_at IS NULL)`;

/**
 * The work of erasing a person, shared by the administrator's erasure (ErasePerson) and the
 * retention rule for accounts never used. Statistics are untouched: no case's public body,
 * Compact, commitments, dates, states or outcome changes, and the cases stay where they were.
 */
@Injectable()
export class PersonErasure {
  async subject(m: EntityManager, email: string): Promise<ErasureSubject> {
    const address = email.trim().toLowerCase();
    const [user] = await runSql<{ id: string; role: string; displayName: string }>(
      m,
      sql`SELECT id, role, display_name AS "displayName" FROM users WHERE lower(email) = ${address} AND erased_at IS NULL`,
    );
    const contacts = await runSql<{ id: string; name: string }>(
      m,
      sql`SELECT id, name FROM respondent_contacts WHERE lower(email) = ${address} OR user_id = ${user?.id ?? null}`,
    );
    return { email: address, userId: user?.id ?? null, role: user?.role ?? null, displayName: user?.displayName ?? null, contactIds: contacts.map((c) => c.id), contactNames: contacts.map((c) => c.name) };
  }

  async subjectByUser(m: EntityManager, userId: string): Promise<ErasureSubject | null> {
    const [user] = await runSql<{ email: string }>(m, sql`SELECT email FROM users WHERE id = ${userId} AND erased_at IS NULL`);
    return user ? this.subject(m, user.email) : null;
  }

  /** Whether the subject holds anything at all: an account, a contact record, or their address on an e-mail or message. */
  async holdsAnything(m: EntityManager, s: ErasureSubject): Promise<boolean> {
    if (s.userId || s.contactIds.length) return true;
    const [row] = await runSql<{ any: boolean }>(
      m,
      sql`SELECT EXISTS (SELECT FROM notifications WHERE lower(recipient_email) = ${s.email})
              OR EXISTS (SELECT FROM inbound_mail WHERE lower(from_address) = ${s.email}) AS any`,
    );
    return row.any;
  }

  async refusals(m: EntityManager, s: ErasureSubject, by: { userId: string } | null): Promise<ErasureRefusal[]> {
    const refusals: ErasureRefusal[] = [];
    if (by && s.userId === by.userId) refusals.push({ code: 'OWN_ACCOUNT', reason: 'You cannot erase your own account. Ask another administrator.', cases: [] });
    if (s.role === 'administrator') {
      const [row] = await runSql<{ others: number }>(m, sql`SELECT count(*)::int AS others FROM users WHERE role = 'administrator' AND active AND erased_at IS NULL AND id <> ${s.userId}`);
      if (row.others === 0) refusals.push({ code: 'LAST_ADMINISTRATOR', reason: 'This is the only administrator. Make someone else an administrator first.', cases: [] });
    }
    const involved = await runSql<{ reference: string; open: boolean; held: boolean }>(
      m,
      sql`SELECT c.reference, c.stage <> 'closed' AS open,
                 EXISTS (SELECT FROM legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL) AS held
            FROM cases c
           WHERE ${this.involvedIn(s, sql`c`)}
           ORDER BY c.submitted_at, c.reference`,
    );
    const open = involved.filter((c) => c.open).map((c) => c.reference);
    const held = involved.filter((c) => c.held).map((c) => c.reference);
    if (open.length) {
      refusals.push({
        code: 'OPEN_CASE',
        reason: `They are on ${open.length === 1 ? 'a case that is still open' : `${open.length} cases that are still open`}. Their details are needed until ${open.length === 1 ? 'it closes' : 'they close'}${s.role === 'caseworker' || s.role === 'mediator' ? ', or give the cases to someone else first' : ''}.`,
        cases: open,
      });
    }
    if (held.length) {
      refusals.push({
        code: 'LEGAL_HOLD',
        reason: `They are on ${held.length === 1 ? 'a case' : `${held.length} cases`} under legal hold. Nothing on ${held.length === 1 ? 'it' : 'them'} may be changed until the hold is lifted.`,
        cases: held,
      });
    }
    return refusals;
  }

  /** The cases a person is on: as reporter, caseworker, mediator or a named contact of the public body. */
  private involvedIn(s: ErasureSubject, c: Sql): Sql {
    return sql`(${c}.reported_by = ${s.userId} OR ${c}.assignee_id = ${s.userId} OR ${c}.mediator_id = ${s.userId}
               OR EXISTS (SELECT FROM case_contacts cc WHERE cc.case_id = ${c}.id AND cc.contact_id = ANY(${s.contactIds}::uuid[])))`;
  }

  private mentions(column: Sql, terms: string[]): Sql {
    return sql`${column} ILIKE ANY (SELECT '%' || replace(replace(replace(t, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' FROM unnest(${terms}::text[]) t)`;
  }

  async counts(m: EntityManager, s: ErasureSubject): Promise<ErasureCounts> {
    const terms = termsOf(s);
    const [row] = await runSql<ErasureCounts>(
      m,
      sql`SELECT (SELECT count(*) FROM users WHERE id = ${s.userId})::int AS account,
                 cardinality(${s.contactIds}::uuid[]) AS "contactRecords",
                 (SELECT count(*) FROM cases c WHERE ${this.involvedIn(s, sql`c`)})::int AS "casesNamedOn",
                 ((SELECT count(*) FROM cases c WHERE ${NOT_HELD(sql`c.id`)}
                     AND (${this.mentions(sql`c.title`, terms)} OR ${this.mentions(sql`c.what_happened`, terms)} OR ${this.mentions(sql`c.impact`, terms)}
                          OR ${this.mentions(sql`c.desired_outcome`, terms)} OR ${this.mentions(sql`coalesce(c.evidence, '')`, terms)}))
                  + (SELECT count(*) FROM case_notes n WHERE ${NOT_HELD(sql`n.case_id`)} AND ${this.mentions(sql`n.body`, terms)})
                  + (SELECT count(*) FROM case_events e WHERE ${NOT_HELD(sql`e.case_id`)} AND ${this.mentions(sql`e.payload::text`, terms)}))::int AS "textsMentioning",
                 (SELECT count(*) FROM notifications WHERE recipient_user_id = ${s.userId} OR lower(recipient_email) = ${s.email})::int AS emails,
                 (SELECT count(*) FROM inbound_mail WHERE lower(from_address) = ${s.email})::int AS "inboundMail",
                 (SELECT count(*) FROM web_sessions WHERE user_id = ${s.userId})::int AS sessions`,
    );
    return row;
  }

  /**
   * Erases the subject in the caller's transaction. `byUserId` is the administrator, or null for
   * the retention job. The account keeps its id (so what they did still counts and still reads
   * "Former caseworker did this"), but nothing that says who they are is left on it.
   */
  async apply(m: EntityManager, s: ErasureSubject, byUserId: string | null): Promise<ErasureCounts> {
    const counts = await this.counts(m, s);
    await beginAnonymising(m);
    const label = erasureLabel(s.role);
    const terms = termsOf(s);
    for (const term of terms) {
      const has = (column: Sql) => this.mentions(column, [term]);
      await runSql(
        m,
        sql`UPDATE cases c SET title = dp_replace_text(title, ${term}, ${label}), what_happened = dp_replace_text(what_happened, ${term}, ${label}),
                   impact = dp_replace_text(impact, ${term}, ${label}), desired_outcome = dp_replace_text(desired_outcome, ${term}, ${label}),
                   evidence = dp_replace_text(evidence, ${term}, ${label})
             WHERE ${NOT_HELD(sql`c.id`)} AND (${has(sql`c.title`)} OR ${has(sql`c.what_happened`)} OR ${has(sql`c.impact`)} OR ${has(sql`c.desired_outcome`)} OR ${has(sql`coalesce(c.evidence, '')`)})`,
      );
      await runSql(m, sql`UPDATE case_notes n SET body = dp_replace_text(body, ${term}, ${label}) WHERE ${NOT_HELD(sql`n.case_id`)} AND ${has(sql`n.body`)}`);
      await runSql(m, sql`UPDATE case_events e SET payload = dp_replace_jsonb(payload, ${term}, ${label}) WHERE ${NOT_HELD(sql`e.case_id`)} AND ${has(sql`e.payload::text`)}`);
      await runSql(m, sql`UPDATE cases c SET snapshot = dp_replace_jsonb(snapshot, ${term}, ${label}) WHERE ${NOT_HELD(sql`c.id`)} AND ${has(sql`c.snapshot::text`)}`);
      await runSql(m, sql`UPDATE case_links l SET reason = dp_replace_text(reason, ${term}, ${label}) WHERE ${has(sql`coalesce(l.reason, '')`)}`);
      await runSql(m, sql`UPDATE notifications SET data = dp_replace_jsonb(data, ${term}, ${label}) WHERE ${has(sql`data::text`)}`);
      await runSql(m, sql`UPDATE inbound_mail SET subject = dp_replace_text(subject, ${term}, ${label}) WHERE ${has(sql`coalesce(subject, '')`)}`);
      await runSql(m, sql`UPDATE account_events SET details = dp_replace_jsonb(details, ${term}, ${label}) WHERE ${has(sql`details::text`)}`);
      await runSql(m, sql`UPDATE access_audit SET path = dp_replace_text(path, ${term}, 'erased') WHERE ${has(sql`path`)}`);
    }
    const address = `erased+${s.userId ?? 'address'}@erased.invalid`;
    await runSql(
      m,
      sql`UPDATE notifications SET recipient_email = ${address}, recipient_name = ${label}, smtp_response = NULL, last_error = NULL
           WHERE recipient_user_id = ${s.userId} OR lower(recipient_email) = ${s.email}`,
    );
    // A message they sent is theirs whole: its words and headers go, the record of it stays.
    await runSql(
      m,
      sql`UPDATE inbound_mail SET from_address = NULL, raw = convert_to(${`[removed: sent by a person since erased]`}, 'UTF8'), envelope = '{}'::jsonb
           WHERE lower(from_address) = ${s.email}`,
    );
    await runSql(
      m,
      sql`UPDATE respondent_contacts SET name = 'Former contact', email = 'erased+' || id || '@erased.invalid', job_title = NULL, active = false
           WHERE id = ANY(${s.contactIds}::uuid[])`,
    );
    if (s.userId) {
      // Files they were holding for a report never sent are theirs alone: gone with the account.
      await runSql(
        m,
        sql`WITH gone AS (DELETE FROM evidence WHERE held_for = ${s.userId} AND case_id IS NULL RETURNING storage_key)
            INSERT INTO retention_file_removals (storage_key) SELECT storage_key FROM gone ON CONFLICT DO NOTHING`,
      );
      for (const table of ['web_sessions', 'sign_in_links', 'password_resets', 'two_factor_recovery_codes', 'report_drafts', 'user_organisation_ties']) {
        await runSql(m, sql`DELETE FROM ${rawSql(table)} WHERE user_id = ${s.userId}`);
      }
      // A new generation ends every bearer token and page session at once, in every process.
      await runSql(
        m,
        sql`UPDATE users SET email = ${address}, display_name = ${label}, password_hash = '!', active = false, token_generation = token_generation + 1,
                   must_change_password = false, totp_secret = NULL, totp_confirmed_at = NULL, totp_pending_secret = NULL, totp_pending_at = NULL,
                   email_failing_since = NULL, email_failing_reason = NULL, erased_at = now()
             WHERE id = ${s.userId}`,
      );
      await runSql(
        m,
        sql`INSERT INTO account_events (user_id, kind, by_user_id, details) VALUES (${s.userId}, 'erased', ${byUserId}, ${JSON.stringify({ label, by: byUserId ? 'administrator' : 'retention schedule' })})`,
      );
    }
    // The words of their name and address, once no case's search holds them.
    await pruneSearchWords(m, [...new Set(terms.flatMap((term) => term.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 1))]);
    await runSql(m, sql`DELETE FROM sign_in_throttle WHERE position(${s.email} in lower(key)) > 0`);
    await runSql(m, sql`DELETE FROM sign_in_failed_accounts WHERE lower(account) = ${s.email}`);
    return counts;
  }
}
