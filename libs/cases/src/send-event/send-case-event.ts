import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed, isUuid, parseOrThrow } from '@cc/common';
import { Caller, UsersDirectory } from '@cc/identity';
import { RespondentContacts } from '@cc/registry';
import {
  BreachCaseEvent,
  CallerRelation,
  Decision,
  RULES,
  COMMAND_TYPES,
  CommandType,
  SYSTEM_EVENT_TYPES,
  SystemEventType,
  commandSchemas,
  mayRequest,
  workflowFor,
} from '@cc/workflows';
import { runPrepared, sql } from '@cc/persistence';
import { actionsAvailableTo } from '../domain/available-actions';
import { CaseAccess, CaseForAccess, namedContactColumn } from '../domain/case-access.service';
import { englandAndWales } from '@cc/calendar';
import type { EffectWrite } from '../domain/applied-case';
import { CaseStore } from '../domain/case-store.service';
import { nameContactsWrite } from '../respondent/name-contacts';
import { reviewableUntil } from './review-window';

/** Enough of a case to authorise and decide an event on it. */
interface ReadCase extends CaseForAccess {
  id: string;
  reference: string;
  compactId: string;
  state: string;
  version: number;
}

/** What authorising an event gives: its validated payload, the facts added for the machine, and writes that go with it. */
interface Authorised {
  payload: Record<string, unknown>;
  enrichment: Record<string, unknown>;
  writes?: EffectWrite[];
}

export interface SentEvent {
  caseId: string;
  seq: number;
  state: string;
  stage: string;
  version: number;
}

/**
 * A person (or the deadline worker) sends an event to a case. Checks run cheapest and least
 * revealing first: can the caller see the case (404), is the event known (400), may their role
 * send it (403), is the payload right (400), does the workflow allow it now (409).
 */
/** Enough for any realistic contention on one case: each round, one writer wins. */
const MAX_ATTEMPTS = 40;

@Injectable()
export class SendCaseEvent {
  private readonly logger = new Logger(SendCaseEvent.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
    private readonly store: CaseStore,
    private readonly directory: UsersDirectory,
    private readonly contacts: RespondentContacts,
  ) {}

  async byPerson(caller: Caller, caseIdOrRef: string, body: unknown, ifMatchVersion?: number): Promise<SentEvent> {
    const type = readEventType(body);
    const { type: _omit, ...rest } = body as Record<string, unknown>;
    // The payload's shape does not depend on the case, so it is checked before any lock is taken;
    // whether the caller may see the case is still answered first (404 before 400/403).
    const parsed = commandSchemas[type].safeParse(rest);
    return this.apply(caseIdOrRef, {
      type,
      actorId: caller.userId,
      actorRole: caller.role,
      caller,
      ifMatchVersion,
      authorise: async (row, relation) => {
        if (!mayRequest(relation, type)) {
          throw new Forbidden('EVENT_NOT_PERMITTED', `Your role (${caller.role}) may not send ${type} on this case.`, {
            availableActions: actionsAvailableTo(relation, row),
          });
        }
        const payload = parseOrThrow(commandSchemas[type], rest, '', parsed) as Record<string, unknown>;
        if (!mayRequest(relation, type, payload)) {
          throw new Forbidden('EVENT_NOT_PERMITTED', `Your role (${caller.role}) may not send ${type} with these details on this case.`);
        }
        return { payload, enrichment: await this.enrich(type, payload, row, caller), writes: this.ownWrites(type, payload, caller) };
      },
    });
  }

  /**
   * A system event inside the caller's transaction (the deadline worker, which marks the deadline
   * fired in the same transaction). Returns null when the case no longer expects the event.
   */
  async bySystemWithin(manager: EntityManager, caseId: string, type: SystemEventType): Promise<SentEvent | null> {
    const row = await this.read(caseId, manager);
    if (!row) return null;
    const at = new Date().toISOString();
    const decision = workflowFor(row.machineVersion).decide(row.snapshot, { type, at } as BreachCaseEvent);
    if (!decision.ok) return null;
    const seq = await this.store.writeTransition(
      manager,
      { id: row.id, reference: row.reference, compactId: row.compactId, fromState: row.state, expectedVersion: row.version },
      decision,
      { type, payload: {}, actorId: null, actorRole: 'system', at },
    );
    this.logger.log({ caseId: row.id, reference: row.reference, event: type, from: row.state, to: decision.state, seq }, 'System event applied');
    return { caseId: row.id, seq, state: decision.state, stage: decision.stage, version: seq };
  }

  private async apply(
    caseIdOrRef: string,
    command: {
      type: CommandType;
      actorId: string;
      actorRole: string;
      caller: Caller;
      ifMatchVersion?: number;
      /** Checks the caller, standing in `relation` to the case, and returns the validated payload. */
      authorise: (row: ReadCase, relation: CallerRelation) => Promise<Authorised>;
    },
  ): Promise<SentEvent> {
    // Optimistic: read, decide, then write only if the version is still the one read. A writer
    // that loses the race reads again and decides again on the newer state, so every event that is
    // valid when its turn comes applies, and one that is no longer valid gets a 409 that says why.
    for (let attempt = 1; ; attempt++) {
      const row = await this.read(caseIdOrRef, this.dataSource.manager, command.caller);
      if (!row || !this.access.canSee(command.caller, row)) {
        throw new NotFound(`Case ${caseIdOrRef}`, 'CASE_NOT_FOUND');
      }
      // Worked out once for the row read: the permission checks and any refusal's list of what
      // the caller can do use the same answer. A lost race reads the row again, and with it this
      // (the mediator may have changed meanwhile).
      const relation = this.access.relation(command.caller, row);
      const { payload, enrichment, writes } = await command.authorise(row, relation);
      if (command.ifMatchVersion !== undefined && command.ifMatchVersion !== row.version) {
        throw new Conflict(
          'STALE_VERSION',
          `The case has changed since you read it (you had version ${command.ifMatchVersion}, it is now ${row.version}). Reload it and decide again.`,
          { currentVersion: row.version },
        );
      }
      const at = new Date().toISOString();
      const workflow = workflowFor(row.machineVersion);
      const decision = workflow.decide(row.snapshot, { type: command.type, ...payload, ...enrichment, at } as BreachCaseEvent);
      if (!decision.ok) throw this.refusal(command.type, relation, row, decision, at);
      try {
        const seq = await this.store.commit(
          { id: row.id, reference: row.reference, compactId: row.compactId, fromState: row.state, expectedVersion: row.version },
          decision,
          { type: command.type, payload, actorId: command.actorId, actorRole: command.actorRole, at },
          writes ?? [],
        );
        this.logger.log({ caseId: row.id, reference: row.reference, event: command.type, from: row.state, to: decision.state, seq, attempt }, 'Case event applied');
        return { caseId: row.id, seq, state: decision.state, stage: decision.stage, version: seq };
      } catch (err) {
        const lostRace = err instanceof DomainError && err.code === 'CONCURRENT_MODIFICATION';
        // With If-Match the caller asked for that exact version, so a lost race is theirs to see.
        if (!lostRace || command.ifMatchVersion !== undefined || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
      }
    }
  }

  private async read(caseIdOrRef: string, manager: EntityManager = this.dataSource.manager, caller?: Caller): Promise<ReadCase | undefined> {
    const where = isUuid(caseIdOrRef) ? sql`id = ${caseIdOrRef}` : sql`reference = upper(${caseIdOrRef})`;
    const [row] = await runPrepared<ReadCase>(
      manager,
      sql`SELECT id, reference, compact_id AS "compactId", state, version, machine_version AS "machineVersion", snapshot,
                 reporting_organisation_id AS "reportingOrganisationId", respondent_organisation_id AS "respondentOrganisationId",
                 mediator_id AS "mediatorId", ${caller ? namedContactColumn(caller) : sql`false`} AS "callerIsNamedContact"
            FROM cases WHERE ${where}`,
    );
    return row;
  }

  private refusal(type: string, relation: CallerRelation, row: ReadCase, decision: Extract<Decision, { ok: false }>, at: string): Conflict {
    const allowed = actionsAvailableTo(relation, row, at);
    const state = row.state;
    if (decision.code === 'RULE_VIOLATED') {
      // The payload field the rule is about (a date that makes no sense, say), so a client can show it there.
      const field = (RULES as Record<string, { field?: string }>)[decision.rule]?.field;
      return new Conflict('RULE_VIOLATED', decision.message, { rule: decision.rule, ...(field ? { field } : {}), state, allowedActions: allowed });
    }
    return new Conflict(
      'EVENT_NOT_ALLOWED_IN_STATE',
      `${type} is not possible while the case is at ${state}. ${
        allowed.length ? `You can do: ${allowed.join(', ')}.` : 'There is nothing you can do on it now.'
      }`,
      { state, allowedActions: allowed },
    );
  }

  /** Writes of the case library's own that go with the event, in its statement. */
  private ownWrites(type: CommandType, payload: Record<string, unknown>, caller: Caller): EffectWrite[] {
    if (type === 'CONTACT_RESPONDENT' && Array.isArray(payload.contactIds) && payload.contactIds.length) {
      // `at` of the write is when it is built; the event's own time is a moment later at most.
      return [nameContactsWrite(payload.contactIds as string[], caller.userId, new Date().toISOString())];
    }
    return [];
  }

  /**
   * Looks up facts a guard needs, checks that the people an event names exist in that role, and
   * adds who acted where a rule depends on it (decision 7: a reviewer is never the rejecter).
   */
  private async enrich(type: CommandType, payload: Record<string, unknown>, row: ReadCase, caller: Caller): Promise<Record<string, unknown>> {
    if (type === 'CONTACT_RESPONDENT' && Array.isArray(payload.contactIds)) {
      const ids = [...new Set(payload.contactIds as string[])];
      const usable = new Set((await this.contacts.findActive(ids, row.respondentOrganisationId)).map((c) => c.id));
      const wrong = ids.filter((id) => !usable.has(id));
      if (wrong.length) {
        throw new ValidationFailed([
          { field: 'contactIds', reason: `${wrong.join(', ')} ${wrong.length === 1 ? 'is not an active contact' : 'are not active contacts'} at this case's public body` },
        ]);
      }
    }
    if (type === 'UPHOLD_REJECTION' || type === 'REOPEN_AFTER_REVIEW') return { actorId: caller.userId };
    if (type === 'REJECT' && typeof payload.duplicateOfReference === 'string') {
      // A duplicate of a case that does not exist, or of itself, would close the report on a false
      // premise: the reference must name another case.
      const [other] = await runPrepared<{ id: string }>(this.dataSource.manager, sql`SELECT id FROM cases WHERE reference = upper(${payload.duplicateOfReference})`);
      if (!other) throw new ValidationFailed([{ field: 'duplicateOfReference', reason: 'is not the reference of a case; give the one it repeats, like CB-2026-00042' }]);
      if (other.id === row.id) throw new ValidationFailed([{ field: 'duplicateOfReference', reason: 'is this case itself; give the reference of the earlier case it repeats' }]);
    }
    if (type === 'REJECT') return { actorId: caller.userId, reviewableUntil: reviewableUntil(englandAndWales, new Date()) };
    if (type === 'ASSIGN') {
      const caseworker = await this.directory.findActive(String(payload.caseworkerId));
      if (!caseworker || (caseworker.role !== 'caseworker' && caseworker.role !== 'administrator')) {
        throw new ValidationFailed([{ field: 'caseworkerId', reason: 'is not an active caseworker' }]);
      }
    }
    if (type === 'APPOINT_MEDIATOR') {
      const mediator = await this.directory.findActive(String(payload.mediatorId), 'mediator');
      if (!mediator) throw new ValidationFailed([{ field: 'mediatorId', reason: 'is not an active mediator' }]);
      return { mediatorTies: await this.directory.organisationTies(mediator.id) };
    }
    return {};
  }
}

function readEventType(body: unknown): CommandType {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed([{ field: '(body)', reason: 'must be a JSON object such as { "type": "ACCEPT" }' }]);
  }
  const type = (body as Record<string, unknown>).type;
  if (typeof type !== 'string' || type.length === 0) {
    throw new ValidationFailed([{ field: 'type', reason: 'is required: the event to send, e.g. ACCEPT' }]);
  }
  if ((SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new ValidationFailed([{ field: 'type', reason: `${type} is sent only by the system's deadline clock` }]);
  }
  if (!(COMMAND_TYPES as string[]).includes(type)) {
    throw new ValidationFailed([{ field: 'type', reason: `is not a known event; known events are ${COMMAND_TYPES.join(', ')}` }]);
  }
  return type as CommandType;
}
