import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/** What stands where personal data was: the same words everywhere, so a reader knows why. */
export const REMOVED_TEXT = '[removed under the retention schedule]';
export const REMOVED_FILE_NAME = 'File removed under the retention schedule';
/** Addresses that can never receive mail (.invalid is reserved for that, RFC 2606). */
export const ANONYMISED_ADDRESS = 'former-recipient@anonymised.invalid';

/** What anonymising some cases changed, by record. */
export interface AnonymisedCounts {
  cases: number;
  events: number;
  notes: number;
  evidenceFiles: number;
  emails: number;
  inboundMail: number;
}

/**
 * Declares the transaction an anonymisation, the one kind allowed to rewrite case_events (see
 * the retention migration). SET LOCAL ends with the transaction, so it never leaks to the next
 * user of the pooled connection.
 */
export async function beginAnonymising(m: EntityManager): Promise<void> {
  await m.query(`SET LOCAL cc.anonymising = 'on'`);
}

/**
 * The search's word list (case_search_words) keeps every word any case's search ever held, names
 * among them. Once texts change, the words no case holds any more are removed. Only plain words
 * are checked (the list's names and ordinary words); one with other characters stays, harmless.
 */
export async function pruneSearchWords(m: EntityManager, words: string[]): Promise<void> {
  if (words.length === 0) return;
  await runSql(
    m,
    sql`DELETE FROM case_search_words w
         WHERE w.word = ANY(${words}::text[]) AND w.word ~ '^[[:alnum:]]+$'
           AND NOT EXISTS (SELECT FROM cases c WHERE c.search @@ (quote_literal(w.word)::tsquery))`,
  );
}

/**
 * Anonymises closed cases in the caller's transaction: the people on them (reporter and the public
 * body's contacts) become neutral accounts, every text that could name someone is replaced,
 * evidence files are queued for removal (the rows stay, "file removed"), and the e-mails and
 * inbound mail of the case lose their addresses and bodies. What the statistics count (public
 * body, Compact, commitments, area, dates, states, outcome, fee) is not touched, and no column the
 * statistics trigger watches changes, so no rollup is even marked for refresh.
 *
 * Idempotent: every statement skips what is already anonymised, so a batch repeated after an
 * interruption changes nothing twice.
 */
@Injectable()
export class CaseAnonymiser {
  async anonymise(m: EntityManager, caseIds: string[]): Promise<AnonymisedCounts> {
    if (caseIds.length === 0) return { cases: 0, events: 0, notes: 0, evidenceFiles: 0, emails: 0, inboundMail: 0 };
    await beginAnonymising(m);
    const ids = caseIds;
    // The neutral accounts first, in a statement of their own: the one below then only finds them.
    await runSql(
      m,
      sql`SELECT count(dp_placeholder_user(u)) FROM (
            SELECT reported_by AS u FROM cases WHERE id = ANY(${ids}::uuid[])
            UNION SELECT actor_id FROM case_events WHERE case_id = ANY(${ids}::uuid[])
            UNION SELECT author_id FROM case_notes WHERE case_id = ANY(${ids}::uuid[])
            UNION SELECT uploaded_by FROM evidence WHERE case_id = ANY(${ids}::uuid[])
            UNION SELECT recipient_user_id FROM notifications WHERE case_id = ANY(${ids}::uuid[])) people`,
    );
    const words = await runSql<{ word: string }>(
      m,
      sql`SELECT DISTINCT unnest(tsvector_to_array(search)) AS word FROM cases WHERE id = ANY(${ids}::uuid[]) AND anonymised_at IS NULL`,
    );
    const [counts] = await runSql<AnonymisedCounts>(
      m,
      sql`WITH c AS (
            UPDATE cases SET title = ${REMOVED_TEXT}, what_happened = ${REMOVED_TEXT}, impact = ${REMOVED_TEXT},
                   desired_outcome = ${REMOVED_TEXT}, evidence = NULL, facts = dp_redact_jsonb(facts, ${REMOVED_TEXT}),
                   triage_hints = '[]'::jsonb, snapshot = dp_redact_jsonb(snapshot, ${REMOVED_TEXT}),
                   reported_by = dp_placeholder_user(reported_by), anonymised_at = now()
             WHERE id = ANY(${ids}::uuid[]) AND anonymised_at IS NULL
            RETURNING id
          ), e AS (
            UPDATE case_events SET payload = dp_redact_jsonb(payload, ${REMOVED_TEXT}), actor_id = dp_placeholder_user(actor_id)
             WHERE case_id = ANY(${ids}::uuid[])
               AND (payload IS DISTINCT FROM dp_redact_jsonb(payload, ${REMOVED_TEXT}) OR actor_id IS DISTINCT FROM dp_placeholder_user(actor_id))
            RETURNING 1
          ), n AS (
            UPDATE case_notes SET body = ${REMOVED_TEXT}, author_id = dp_placeholder_user(author_id)
             WHERE case_id = ANY(${ids}::uuid[]) AND (body <> ${REMOVED_TEXT} OR author_id IS DISTINCT FROM dp_placeholder_user(author_id))
            RETURNING 1
          ), f AS (
            UPDATE evidence SET file_name = ${REMOVED_FILE_NAME}, description = NULL, sha256 = '', file_removed_at = now(),
                   uploaded_by = dp_placeholder_user(uploaded_by)
             WHERE case_id = ANY(${ids}::uuid[]) AND file_removed_at IS NULL
            RETURNING storage_key
          ), fq AS (
            INSERT INTO retention_file_removals (storage_key) SELECT storage_key FROM f ON CONFLICT DO NOTHING RETURNING 1
          ), mails AS (
            -- An e-mail still to be sent is left to go; one sent or failed is only a record now.
            UPDATE notifications SET recipient_email = ${ANONYMISED_ADDRESS}, recipient_name = 'Former recipient', data = '{}'::jsonb,
                   recipient_user_id = dp_placeholder_user(recipient_user_id), last_error = NULL, smtp_response = NULL
             WHERE case_id = ANY(${ids}::uuid[]) AND status IN ('sent', 'failed') AND recipient_email <> ${ANONYMISED_ADDRESS}
            RETURNING 1
          ), inbound AS (
            UPDATE inbound_mail SET raw = convert_to(${REMOVED_TEXT}, 'UTF8'), from_address = NULL, subject = ${REMOVED_TEXT},
                   envelope = '{}'::jsonb, last_error = NULL
             WHERE case_id = ANY(${ids}::uuid[]) AND (from_address IS NOT NULL OR subject IS DISTINCT FROM ${REMOVED_TEXT})
            RETURNING 1
          ), links AS (
            UPDATE case_links SET reason = NULL WHERE (case_id = ANY(${ids}::uuid[]) OR linked_case_id = ANY(${ids}::uuid[])) AND reason IS NOT NULL RETURNING 1
          ), holds AS (
            UPDATE legal_holds SET reason = ${REMOVED_TEXT}, lift_reason = CASE WHEN lift_reason IS NULL THEN NULL ELSE ${REMOVED_TEXT} END
             WHERE case_id = ANY(${ids}::uuid[]) AND lifted_at IS NOT NULL AND reason <> ${REMOVED_TEXT}
            RETURNING 1
          ), contacts AS (
            -- Which of the public body's people were named on the case is itself personal data.
            DELETE FROM case_contacts WHERE case_id = ANY(${ids}::uuid[]) RETURNING 1
          )
          SELECT (SELECT count(*) FROM c)::int AS cases, (SELECT count(*) FROM e)::int AS events, (SELECT count(*) FROM n)::int AS notes,
                 (SELECT count(*) FROM fq)::int AS "evidenceFiles", (SELECT count(*) FROM mails)::int AS emails,
                 (SELECT count(*) FROM inbound)::int AS "inboundMail",
                 (SELECT count(*) FROM links)::int + (SELECT count(*) FROM holds)::int + (SELECT count(*) FROM contacts)::int AS other`,
    );
    await pruneSearchWords(
      m,
      words.map((w) => w.word),
    );
    return { cases: counts.cases, events: counts.events, notes: counts.notes, evidenceFiles: counts.evidenceFiles, emails: counts.emails, inboundMail: counts.inboundMail };
  }
}
