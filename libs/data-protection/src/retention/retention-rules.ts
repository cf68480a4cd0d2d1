import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql, rawSql, runSql, sql } from '@cc/persistence';
import { CaseAnonymiser } from '../anonymise/case-anonymiser';
import { PersonErasure } from '../erase-person/person-erasure';
import type { RetentionKind } from './retention-schedule';

/** One batch of a rule: how many records it dealt with, and whether any are left. */
export interface BatchResult {
  done: number;
  more: boolean;
}

/** A case the next run will anonymise, as the dry run lists it. */
export interface PlannedCase {
  id: string;
  reference: string;
  closedAt: Date;
  outcome: string | null;
}

const NOT_HELD = (caseId: Sql) => sql`NOT EXISTS (SELECT FROM legal_holds h WHERE h.case_id = ${caseId} AND h.lifted_at IS NULL)`;

/** Closed long enough ago, not anonymised yet, not under legal hold. */
const closedCaseDue = (cutoff: Date) =>
  sql`c.stage = 'closed' AND c.closed_at IS NOT NULL AND c.anonymised_at IS NULL AND c.closed_at < ${cutoff} AND ${NOT_HELD(sql`c.id`)}`;

/** Held for a report never sent, and that report not worked on since the cut-off. */
const unsentDocumentDue = (cutoff: Date) =>
  sql`e.case_id IS NULL AND e.held_for IS NOT NULL AND e.created_at < ${cutoff}
      AND NOT EXISTS (SELECT FROM report_drafts d WHERE d.user_id = e.held_for AND d.updated_at >= ${cutoff})`;

/** Never filed on a case: replies nobody sorted, automatic replies, bounces, discarded messages. */
const inboundMailDue = (cutoff: Date) => sql`m.case_id IS NULL AND m.status IN ('to_sort', 'auto_reply', 'bounce', 'discarded') AND m.received_at < ${cutoff}`;

/**
 * An account of someone outside the programme (a reporter, a public body's contact) that nobody
 * has signed in to, changed or worked on a case with since the cut-off, and that is on no open
 * case and none under hold. Staff accounts are left to administrators, who close them by hand.
 */
const unusedAccountDue = (cutoff: Date) =>
  sql`u.role IN ('reporter', 'respondent') AND u.erased_at IS NULL AND u.created_at < ${cutoff}
      AND (u.password_changed_at IS NULL OR u.password_changed_at < ${cutoff})
      AND NOT EXISTS (SELECT FROM web_sessions ws WHERE ws.user_id = u.id AND ws.last_seen_at >= ${cutoff})
      AND NOT EXISTS (SELECT FROM sign_in_links l WHERE l.user_id = u.id AND (l.used_at >= ${cutoff} OR l.created_at >= ${cutoff}))
      AND NOT EXISTS (SELECT FROM password_resets r WHERE r.user_id = u.id AND r.created_at >= ${cutoff})
      AND NOT EXISTS (SELECT FROM account_events a WHERE a.user_id = u.id AND a.at >= ${cutoff})
      AND NOT EXISTS (SELECT FROM report_drafts d WHERE d.user_id = u.id AND d.updated_at >= ${cutoff})
      AND NOT EXISTS (SELECT FROM case_notes n WHERE n.author_id = u.id AND n.created_at >= ${cutoff})
      AND NOT EXISTS (SELECT FROM cases c WHERE c.reported_by = u.id AND (c.stage <> 'closed' OR c.updated_at >= ${cutoff} OR NOT ${NOT_HELD(sql`c.id`)}))
      AND NOT EXISTS (SELECT FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id JOIN cases c ON c.id = cc.case_id
                       WHERE rc.user_id = u.id AND (c.stage <> 'closed' OR c.updated_at >= ${cutoff} OR NOT ${NOT_HELD(sql`c.id`)}))`;

/** The sign-in records: each table with the time that dates its rows. */
const SIGN_IN_TABLES: Array<{ table: string; due: (cutoff: Date) => Sql }> = [
  { table: 'sign_in_links', due: (cutoff) => sql`created_at < ${cutoff}` },
  { table: 'password_resets', due: (cutoff) => sql`created_at < ${cutoff}` },
  { table: 'web_sessions', due: (cutoff) => sql`last_seen_at < ${cutoff}` },
  { table: 'account_events', due: (cutoff) => sql`at < ${cutoff}` },
  // A lock still in force is kept whatever its age: deleting it would unlock the account.
  { table: 'sign_in_throttle', due: (cutoff) => sql`coalesce(last_failure_at, next_allowed_at) < ${cutoff} AND (locked_until IS NULL OR locked_until < now())` },
  { table: 'sign_in_failed_accounts', due: (cutoff) => sql`failed_at < ${cutoff}` },
];

/**
 * What each rule of the schedule selects and does. The dry run counts with the same predicates
 * the run applies, so what the page says the next run will do is what it does. Every predicate
 * excludes what is already done, so a batch repeated after an interruption finds nothing twice.
 */
@Injectable()
export class RetentionRules {
  constructor(
    private readonly anonymiser: CaseAnonymiser,
    private readonly erasure: PersonErasure,
  ) {}

  async count(m: EntityManager, kind: RetentionKind, cutoff: Date): Promise<number> {
    const one = async (statement: Sql) => (await runSql<{ n: number }>(m, statement))[0].n;
    switch (kind) {
      case 'closedCases':
        return one(sql`SELECT count(*)::int AS n FROM cases c WHERE ${closedCaseDue(cutoff)}`);
      case 'unsentReportDocuments':
        return one(sql`SELECT count(*)::int AS n FROM evidence e WHERE ${unsentDocumentDue(cutoff)}`);
      case 'inboundMail':
        return one(sql`SELECT count(*)::int AS n FROM inbound_mail m WHERE ${inboundMailDue(cutoff)}`);
      case 'unusedAccounts':
        return one(sql`SELECT count(*)::int AS n FROM users u WHERE ${unusedAccountDue(cutoff)}`);
      case 'auditEntries':
        return one(sql`SELECT count(*)::int AS n FROM access_audit WHERE at < ${cutoff}`);
      case 'signInRecords': {
        let n = 0;
        for (const t of SIGN_IN_TABLES) n += await one(sql`SELECT count(*)::int AS n FROM ${rawSql(t.table)} WHERE ${t.due(cutoff)}`);
        return n;
      }
    }
  }

  async firstCases(m: EntityManager, cutoff: Date, limit: number): Promise<PlannedCase[]> {
    return runSql<PlannedCase>(
      m,
      sql`SELECT c.id, c.reference, c.closed_at AS "closedAt", c.outcome FROM cases c WHERE ${closedCaseDue(cutoff)} ORDER BY c.closed_at, c.id LIMIT ${limit}`,
    );
  }

  async heldCount(m: EntityManager, cutoff: Date): Promise<number> {
    const [row] = await runSql<{ n: number }>(
      m,
      sql`SELECT count(*)::int AS n FROM cases c WHERE c.stage = 'closed' AND c.anonymised_at IS NULL AND c.closed_at < ${cutoff}
             AND EXISTS (SELECT FROM legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL)`,
    );
    return row.n;
  }

  /** One batch of the rule, in the caller's transaction. */
  async batch(m: EntityManager, kind: RetentionKind, cutoff: Date, size: number): Promise<BatchResult> {
    switch (kind) {
      case 'closedCases': {
        // SKIP LOCKED: a case being moved right now is left for the next batch, not waited on.
        const rows = await runSql<{ id: string }>(
          m,
          sql`SELECT c.id FROM cases c WHERE ${closedCaseDue(cutoff)} ORDER BY c.closed_at, c.id LIMIT ${size} FOR UPDATE SKIP LOCKED`,
        );
        const done = await this.anonymiser.anonymise(
          m,
          rows.map((r) => r.id),
        );
        return { done: done.cases, more: rows.length === size };
      }
      case 'unsentReportDocuments':
        return this.deleteBatch(
          m,
          sql`WITH gone AS (DELETE FROM evidence WHERE id IN (SELECT e.id FROM evidence e WHERE ${unsentDocumentDue(cutoff)} LIMIT ${size}) RETURNING storage_key),
                   queued AS (INSERT INTO retention_file_removals (storage_key) SELECT storage_key FROM gone ON CONFLICT DO NOTHING)
              SELECT count(*)::int AS n FROM gone`,
          size,
        );
      case 'inboundMail':
        return this.deleteBatch(
          m,
          sql`WITH gone AS (DELETE FROM inbound_mail WHERE id IN (SELECT m.id FROM inbound_mail m WHERE ${inboundMailDue(cutoff)} LIMIT ${size}) RETURNING 1)
              SELECT count(*)::int AS n FROM gone`,
          size,
        );
      case 'auditEntries':
        return this.deleteBatch(
          m,
          sql`WITH gone AS (DELETE FROM access_audit WHERE id IN (SELECT id FROM access_audit WHERE at < ${cutoff} LIMIT ${size}) RETURNING 1)
              SELECT count(*)::int AS n FROM gone`,
          size,
        );
      case 'signInRecords': {
        let done = 0;
        for (const t of SIGN_IN_TABLES) {
          const table = rawSql(t.table);
          const [row] = await runSql<{ n: number }>(
            m,
            sql`WITH gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${t.due(cutoff)} LIMIT ${size - done})) RETURNING 1)
                SELECT count(*)::int AS n FROM gone`,
          );
          done += row.n;
          if (done >= size) return { done, more: true };
        }
        return { done, more: false };
      }
      case 'unusedAccounts': {
        const rows = await runSql<{ id: string }>(m, sql`SELECT u.id FROM users u WHERE ${unusedAccountDue(cutoff)} ORDER BY u.created_at, u.id LIMIT ${size} FOR UPDATE SKIP LOCKED`);
        let done = 0;
        for (const { id } of rows) {
          const subject = await this.erasure.subjectByUser(m, id);
          if (!subject || (await this.erasure.refusals(m, subject, null)).length) continue;
          await this.erasure.apply(m, subject, null);
          done += 1;
        }
        return { done, more: rows.length === size };
      }
    }
  }

  private async deleteBatch(m: EntityManager, statement: Sql, size: number): Promise<BatchResult> {
    const [row] = await runSql<{ n: number }>(m, statement);
    return { done: row.n, more: row.n === size };
  }
}
