import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APPLIED_CASE_COLUMNS, visiblePayload } from '@cc/cases';
import { Sql, joinSql, rawSql, runPrepared, sql } from '@cc/persistence';
import type { Audience } from '@cc/workflows';

/** 'staff': the case's caseworker once assigned, until then every caseworker. */
export type Recipients = Audience | 'staff';

export interface NotificationRequest {
  caseId: string;
  template: string;
  audience: Recipients[];
  eventSeq?: number | null;
  deadlineId?: string | null;
  /** Facts the e-mail may show. Only shared (reporter-visible) fields of an event are ever passed. */
  details?: Record<string, unknown>;
  /** These two may be SQL expressions over `applied`, when the statement itself finds the deadline. */
  deadlineKind?: string | Sql;
  /** ISO time. */
  dueAt?: string | Sql;
  /** The public body's contact named by the event being written (not yet readable from the log). */
  respondentContact?: { email: string; name?: string | null };
}

/**
 * Writes outgoing e-mails as rows (the outbox), as part of the change that causes them, so that an
 * e-mail exists if and only if that change was committed. A relay in the worker queues them.
 * The recipients are worked out by the statement itself (one round trip, whatever the audience).
 */
@Injectable()
export class NotificationWriter {
  /** Writes the e-mails for a case as a statement of its own, outside any transition; returns how many. */
  async write(manager: EntityManager, request: NotificationRequest): Promise<number> {
    const statement = sql`WITH applied AS (SELECT ${rawSql(APPLIED_CASE_COLUMNS)} FROM cases WHERE id = ${request.caseId}),
                          written AS (${this.insertFor(request)}) SELECT count(*)::int AS n FROM written`;
    const [{ n }] = await runPrepared<{ n: number }>(manager, statement);
    return n;
  }

  /**
   * One INSERT of the request's e-mails, one per recipient (the first audience that names an
   * address wins), reading the case as it is after the change from the relation `applied`.
   */
  insertFor(request: Omit<NotificationRequest, 'caseId'>): Sql {
    const audience = [...new Set(request.audience)];
    const candidates = audience.map((who, rank) => recipientsOf(who, rank, request.respondentContact));
    const fromStatement = (['deadlineKind', 'dueAt'] as const).flatMap((key) => (request[key] instanceof Sql ? [sql` || jsonb_build_object(${key}::text, ${request[key]})`] : []));
    const fromValues = (key: 'deadlineKind' | 'dueAt') => (request[key] instanceof Sql ? undefined : request[key]);
    const extra = { deadlineKind: fromValues('deadlineKind'), dueAt: fromValues('dueAt'), details: request.details ?? {} };
    return sql`
      INSERT INTO notifications (id, case_id, event_seq, deadline_id, template, recipient_user_id, recipient_email, recipient_name,
        recipient_role, data, status, message_id)
      SELECT r.id, applied.id, ${request.eventSeq ?? null}::int, ${request.deadlineId ?? null}::uuid, ${request.template}, r.user_id, r.email, r.name, r.role,
             jsonb_build_object('caseReference', applied.reference, 'caseTitle', applied.title, 'stateLabel', applied.state,
                                'respondentName', respondent.name, 'reportingOrganisationName', reporting.name) || ${JSON.stringify(extra)}::jsonb${joinSql(fromStatement, '')},
             'pending', ${rawSql(MESSAGE_ID_SQL('r.id'))}
        FROM applied
        JOIN organisations respondent ON respondent.id = applied.respondent_organisation_id
        JOIN organisations reporting ON reporting.id = applied.reporting_organisation_id
        CROSS JOIN LATERAL (
          SELECT gen_random_uuid() AS id, chosen.* FROM (
            SELECT DISTINCT ON (lower(email)) user_id, email, name, role
              FROM (${joinSql(candidates, ' UNION ALL ')}) AS candidate
             ORDER BY lower(email), rank, email) AS chosen) AS r
      ON CONFLICT DO NOTHING
      RETURNING id`;
  }

  /** Only the fields of an event payload that the reporter may see go into any e-mail. */
  sharedDetails(eventType: string, payload: Record<string, unknown>): Record<string, unknown> {
    return visiblePayload('reporter', eventType, payload);
  }
}

/** Candidate recipients for one audience, as (rank, user_id, email, name, role) rows; `applied` and `respondent` are in scope. */
function recipientsOf(who: Recipients, rank: number, respondentContact: NotificationRequest['respondentContact']): Sql {
  const user = (where: Sql) =>
    sql`SELECT ${rank}::int AS rank, u.id AS user_id, u.email, u.display_name AS name, u.role FROM users u WHERE u.active AND ${where}`;
  switch (who) {
    case 'reporter':
      return user(sql`u.id = applied.reported_by`);
    case 'caseworkers':
      return user(sql`u.role = 'caseworker'`);
    case 'assignee':
      return user(sql`u.id = applied.assignee_id`);
    case 'mediator':
      return user(sql`u.id = applied.mediator_id`);
    case 'staff':
      return user(sql`(u.id = applied.assignee_id OR (applied.assignee_id IS NULL AND u.role = 'caseworker'))`);
    case 'respondent':
      // The public body's contact is whoever the caseworker last wrote to.
      return sql`
        (SELECT ${rank}::int AS rank, NULL::uuid AS user_id, contact.email, coalesce(contact.name, respondent.name) AS name, 'respondent' AS role
           FROM (SELECT ${respondentContact?.email ?? null}::text AS email, ${respondentContact?.name ?? null}::text AS name, 0 AS newest
                  WHERE ${respondentContact?.email ?? null}::text IS NOT NULL
                 UNION ALL
                 (SELECT payload->>'contactEmail', payload->>'contactName', 1 FROM case_events
                   WHERE case_id = applied.id AND type = 'CONTACT_RESPONDENT' AND payload ? 'contactEmail' ORDER BY seq DESC LIMIT 1)
                 ORDER BY newest LIMIT 1) AS contact
          WHERE contact.email IS NOT NULL)`;
  }
}

/** The Message-ID is fixed by the notification, so any resend after a crash is recognisably the same message. */
export function messageIdFor(notificationId: string): string {
  return `<${notificationId}@compact-cases>`;
}

/** messageIdFor, as SQL over a uuid expression (trusted text). */
const MESSAGE_ID_SQL = (idExpression: string) => `'<' || ${idExpression} || '@compact-cases>'`;
