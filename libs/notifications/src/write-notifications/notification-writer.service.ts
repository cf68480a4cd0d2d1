import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppliedCase, EffectWrite, KnownDeadline, visiblePayload } from '@cc/cases';
import { Sql, joinSql, rawSql, runPrepared, sql } from '@cc/persistence';
import type { Audience } from '@cc/workflows';

/** 'staff': the case's caseworker once assigned, until then every caseworker. */
export type Recipients = Audience | 'staff';

export interface NotificationRequest {
  template: string;
  audience: Recipients[];
  eventSeq?: number | null;
  deadlineId?: string | null;
  /** Facts the e-mail may show. Only shared (reporter-visible) fields of an event are ever passed. */
  details?: Record<string, unknown>;
  /** The public body's contact named by the event being written (not yet readable from the log). */
  respondentContact?: { email: string; name?: string | null };
  /**
   * The registry contacts the event being written names on the case (CONTACT_RESPONDENT's
   * contactIds): their case_contacts rows are written by a sibling part of the same statement,
   * which this INSERT cannot see, so they are named here as well.
   */
  respondentContactIds?: string[];
  /**
   * The clock the notice is about: its due time (ISO) when the same change starts or moves it,
   * otherwise read as it runs; a notice whose clock is not running says no date.
   */
  clock?: { kind: string; dueAt?: string };
}

/** E-mails for one case written on their own, outside any change to it. */
export interface CaseNotificationRequest extends NotificationRequest {
  caseId: string;
  /** The deadline they are about, if any (its kind and due time go into every e-mail). */
  deadline?: KnownDeadline;
}

/**
 * Writes outgoing e-mails as rows (the outbox), as part of the change that causes them, so that an
 * e-mail exists if and only if that change was committed. A relay in the worker queues them.
 * The recipients are worked out by the statement itself (one round trip, whatever the audience).
 */
@Injectable()
export class NotificationWriter {
  /** Writes the e-mails for a case as a statement of its own, outside any transition; returns how many. */
  async write(manager: EntityManager, request: CaseNotificationRequest): Promise<number> {
    const { caseId, deadline, ...notice } = request;
    const statement = AppliedCase.asStored(caseId, deadline).statement([this.insertFor(notice)], (_, [written]) => sql`SELECT count(*)::int AS n FROM ${written}`);
    const [{ n }] = await runPrepared<{ n: number }>(manager, statement);
    return n;
  }

  /**
   * One INSERT of the request's e-mails, one per recipient (the first audience that names an
   * address wins), reading the case as it is after the change, and the deadline the change is
   * about when there is one.
   */
  insertFor(request: NotificationRequest): EffectWrite {
    const audience = [...new Set(request.audience)];
    return (applied) => {
      const candidates = audience.map((who, rank) => recipientsOf(applied, who, rank, request));
      const deadline = applied.deadline
        ? sql` || jsonb_build_object('deadlineKind', ${applied.deadline.kind}, 'dueAt', ${applied.deadline.dueAt})`
        : request.clock
          ? sql` || jsonb_strip_nulls(jsonb_build_object('deadlineKind', ${request.clock.kind}::text, 'dueAt', coalesce(${request.clock.dueAt ?? null}::text,
                   (SELECT to_char(d.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM deadlines d
                     WHERE d.case_id = ${applied.col('id')} AND d.kind = ${request.clock.kind}::text AND d.status = 'pending'))))`
          : rawSql('');
      // A reporter who asked not to be named is, to the public body, "a voluntary organisation in <area>":
      // the name is left out of the row itself, so no later change to an e-mail's words can show it.
      const anonymous = sql`(r.role = 'respondent' AND NOT coalesce((SELECT reporter_named FROM cases WHERE id = ${applied.col('id')}), true))`;
      return sql`
      INSERT INTO notifications (id, case_id, event_seq, deadline_id, template, recipient_user_id, recipient_email, recipient_name,
        recipient_role, data, status, message_id)
      SELECT r.id, ${applied.col('id')}, ${request.eventSeq ?? null}::int, ${request.deadlineId ?? null}::uuid, ${request.template}, r.user_id, r.email, r.name, r.role,
             jsonb_build_object('caseReference', ${applied.col('reference')}, 'caseTitle', ${applied.col('title')}, 'stateLabel', ${applied.col('state')},
                                'respondentName', respondent.name, 'reportingOrganisationName', reporting.name)
               - CASE WHEN ${anonymous} THEN 'reportingOrganisationName' ELSE '' END
               || CASE WHEN ${anonymous} THEN jsonb_build_object('reporterNamed', false, 'reportingOrganisationArea', reporting.area) ELSE '{}'::jsonb END
               || ${JSON.stringify({ details: request.details ?? {} })}::jsonb${deadline},
             'pending', ${messageIdOf(sql`r.id`)}
        FROM ${applied.rows}
        JOIN organisations respondent ON respondent.id = ${applied.col('respondentOrganisationId')}
        JOIN organisations reporting ON reporting.id = ${applied.col('reportingOrganisationId')}
        CROSS JOIN LATERAL (
          SELECT gen_random_uuid() AS id, chosen.* FROM (
            SELECT DISTINCT ON (lower(email)) user_id, email, name, role
              FROM (${joinSql(candidates, ' UNION ALL ')}) AS candidate
             ORDER BY lower(email), rank, user_id IS NULL, email) AS chosen) AS r
      ON CONFLICT DO NOTHING
      RETURNING id`;
    };
  }

  /** Only the fields of an event payload that the reporter may see go into any e-mail. */
  sharedDetails(eventType: string, payload: Record<string, unknown>): Record<string, unknown> {
    return visiblePayload('reporter', eventType, payload);
  }
}

/** Candidate recipients for one audience, as (rank, user_id, email, name, role) rows; `respondent` is in scope. */
function recipientsOf(applied: AppliedCase, who: Recipients, rank: number, request: NotificationRequest): Sql {
  const user = (where: Sql) =>
    sql`SELECT ${rank}::int AS rank, u.id AS user_id, u.email, u.display_name AS name, u.role FROM users u WHERE u.active AND ${where}`;
  switch (who) {
    case 'reporter':
      return user(sql`u.id = ${applied.col('reportedBy')}`);
    case 'caseworkers':
      return user(sql`u.role = 'caseworker'`);
    case 'assignee':
      return user(sql`u.id = ${applied.col('assigneeId')}`);
    case 'mediator':
      return user(sql`u.id = ${applied.col('mediatorId')}`);
    case 'staff':
      return user(sql`(u.id = ${applied.col('assigneeId')} OR (${applied.col('assigneeId')} IS NULL AND u.role = 'caseworker'))`);
    case 'respondent':
      return respondentRecipients(applied, rank, request);
  }
}

/**
 * The public body's people: the contacts named on the case (registry contacts of the case's public
 * body, with their accounts, both active), those named by the event being written included; the
 * person the event itself writes to by address, if any; and only when no contact is named, whoever
 * the caseworker last wrote to by address (no account), as before contacts were kept.
 */
function respondentRecipients(applied: AppliedCase, rank: number, request: NotificationRequest): Sql {
  const contact = request.respondentContact;
  const ids = (request.respondentContactIds ?? []).filter((id) => UUID.test(id));
  const named = sql`
    SELECT u.id AS user_id, u.email, coalesce(nullif(rc.name, ''), u.display_name) AS name
      FROM respondent_contacts rc
      JOIN users u ON u.id = rc.user_id
     WHERE rc.active AND u.active AND u.role = 'respondent'
       AND rc.organisation_id = ${applied.col('respondentOrganisationId')}
       AND (rc.id = ANY(${ids}::uuid[])
            OR EXISTS (SELECT FROM case_contacts cc WHERE cc.case_id = ${applied.col('id')} AND cc.contact_id = rc.id))`;
  return sql`
    (SELECT ${rank}::int AS rank, named.user_id, named.email, named.name, 'respondent' AS role FROM (${named}) AS named)
    UNION ALL
    (SELECT ${rank}::int AS rank, NULL::uuid AS user_id, contact.email, coalesce(contact.name, respondent.name) AS name, 'respondent' AS role
       FROM (SELECT ${contact?.email ?? null}::text AS email, ${contact?.name ?? null}::text AS name, 0 AS newest
              WHERE ${contact?.email ?? null}::text IS NOT NULL
             UNION ALL
             (SELECT payload->>'contactEmail', payload->>'contactName', 1 FROM case_events
               WHERE case_id = ${applied.col('id')} AND type = 'CONTACT_RESPONDENT' AND payload ? 'contactEmail' ORDER BY seq DESC LIMIT 1)
             ORDER BY newest LIMIT 1) AS contact
      WHERE contact.email IS NOT NULL
        AND (contact.newest = 0 OR NOT EXISTS (${named})))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Message-ID, <notification id@compact-cases>: fixed by the notification, so any resend after
 * a crash is recognisably the same message.
 */
function messageIdOf(notificationId: Sql): Sql {
  return sql`'<' || ${notificationId} || '@compact-cases>'`;
}
