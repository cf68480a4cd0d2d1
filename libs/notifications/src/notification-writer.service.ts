import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { visiblePayload } from '@cc/cases';
import type { Audience } from '@cc/workflows';

/** One person an e-mail goes to. */
interface Recipient {
  userId: string | null;
  email: string;
  name: string;
  role: 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';
}

interface CaseFacts {
  reference: string;
  title: string;
  state: string;
  reportedBy: string;
  assigneeId: string | null;
  mediatorId: string | null;
  respondentName: string;
  reportingOrganisationName: string;
}

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
  deadlineKind?: string;
  dueAt?: string;
}

/**
 * Writes outgoing e-mails as rows (the outbox), inside the caller's transaction, so that an e-mail
 * exists if and only if the change that caused it was committed. A relay in the worker queues them.
 */
@Injectable()
export class NotificationWriter {
  async write(manager: EntityManager, request: NotificationRequest): Promise<number> {
    const facts = await this.caseFacts(manager, request.caseId);
    if (!facts) return 0;
    const recipients = await this.recipients(manager, request.caseId, facts, request.audience);
    let written = 0;
    for (const recipient of recipients) {
      const id = randomUUID();
      const data = {
        caseReference: facts.reference,
        caseTitle: facts.title,
        stateLabel: facts.state,
        respondentName: facts.respondentName,
        reportingOrganisationName: facts.reportingOrganisationName,
        deadlineKind: request.deadlineKind,
        dueAt: request.dueAt,
        details: request.details ?? {},
      };
      const rows = await manager.query(
        `INSERT INTO notifications (id, case_id, event_seq, deadline_id, template, recipient_user_id, recipient_email, recipient_name,
           recipient_role, data, status, message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11)
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          id,
          request.caseId,
          request.eventSeq ?? null,
          request.deadlineId ?? null,
          request.template,
          recipient.userId,
          recipient.email,
          recipient.name,
          recipient.role,
          JSON.stringify(data),
          messageIdFor(id),
        ],
      );
      written += rows.length;
    }
    return written;
  }

  /** Only the fields of an event payload that the reporter may see go into any e-mail. */
  sharedDetails(eventType: string, payload: Record<string, unknown>): Record<string, unknown> {
    return visiblePayload('reporter', eventType, payload);
  }

  private async caseFacts(manager: EntityManager, caseId: string): Promise<CaseFacts | undefined> {
    const [row] = await manager.query(
      `SELECT c.reference, c.title, c.state, c.reported_by AS "reportedBy", c.assignee_id AS "assigneeId", c.mediator_id AS "mediatorId",
              r.name AS "respondentName", o.name AS "reportingOrganisationName"
         FROM cases c
         JOIN organisations r ON r.id = c.respondent_organisation_id
         JOIN organisations o ON o.id = c.reporting_organisation_id
        WHERE c.id = $1`,
      [caseId],
    );
    return row;
  }

  private async recipients(manager: EntityManager, caseId: string, facts: CaseFacts, requested: Recipients[]): Promise<Recipient[]> {
    const audience = requested.map((a): Audience => (a === 'staff' ? (facts.assigneeId ? 'assignee' : 'caseworkers') : a));
    const found = new Map<string, Recipient>();
    const add = (r: Recipient) => found.set(r.email.toLowerCase(), found.get(r.email.toLowerCase()) ?? r);
    const users = async (where: string, params: unknown[]) =>
      (await manager.query(`SELECT id, email, display_name AS name, role FROM users WHERE active AND ${where}`, params)) as Array<{
        id: string;
        email: string;
        name: string;
        role: Recipient['role'];
      }>;
    for (const who of new Set(audience)) {
      if (who === 'reporter') for (const u of await users('id = $1', [facts.reportedBy])) add({ ...u, userId: u.id });
      if (who === 'caseworkers') for (const u of await users(`role = 'caseworker'`, [])) add({ ...u, userId: u.id });
      if (who === 'assignee' && facts.assigneeId) for (const u of await users('id = $1', [facts.assigneeId])) add({ ...u, userId: u.id });
      if (who === 'mediator' && facts.mediatorId) for (const u of await users('id = $1', [facts.mediatorId])) add({ ...u, userId: u.id });
      if (who === 'respondent') {
        // The public body's contact is whoever the caseworker last wrote to.
        const [contact] = await manager.query(
          `SELECT payload->>'contactEmail' AS email, payload->>'contactName' AS name FROM case_events
            WHERE case_id = $1 AND type = 'CONTACT_RESPONDENT' AND payload ? 'contactEmail' ORDER BY seq DESC LIMIT 1`,
          [caseId],
        );
        if (contact?.email) add({ userId: null, email: contact.email, name: contact.name ?? facts.respondentName, role: 'respondent' });
      }
    }
    return [...found.values()];
  }
}

/** The Message-ID is fixed by the notification, so any resend after a crash is recognisably the same message. */
export function messageIdFor(notificationId: string): string {
  return `<${notificationId}@compact-cases>`;
}
