import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { NotFound, isUuid } from '@cc/common';
import { rawSql, runPrepared, sql } from '@cc/persistence';
import type { Caller } from '@cc/identity';
import type { CallerRelation } from '@cc/workflows';
import { callerRelation } from './available-actions';
import { CaseEntity } from './case.entity';

/** What access decisions need to know about a case. */
export type CaseForAccess = Pick<CaseEntity, 'reportingOrganisationId' | 'mediatorId' | 'machineVersion' | 'snapshot'>;

/**
 * Every column of CaseEntity under its property name, as the repository would hydrate it: the
 * date as its 'YYYY-MM-DD' text (the repository turns pg's Date back into that text).
 */
const CASE_ROW = rawSql(`id, reference, machine_version AS "machineVersion", snapshot, state, stage, version,
  reporting_organisation_id AS "reportingOrganisationId", respondent_organisation_id AS "respondentOrganisationId",
  compact_id AS "compactId", commitments, commitment_ids AS "commitmentIds", facts, triage_hints AS "triageHints",
  reported_by AS "reportedBy", assignee_id AS "assigneeId", mediator_id AS "mediatorId", outcome, title,
  what_happened AS "whatHappened", happened_on::text AS "happenedOn", impact, desired_outcome AS "desiredOutcome",
  evidence, submitted_at AS "submittedAt", updated_at AS "updatedAt", closed_at AS "closedAt"`);

declare const checkedByCaseAccess: unique symbol;

/**
 * A case loaded once and found visible to the caller, with how they stand to it. Only CaseAccess
 * makes one (the brand cannot be written elsewhere), so a read handed one need not check again:
 * a page loads the case once and passes it to each read it shows.
 */
export interface VisibleCase {
  readonly [checkedByCaseAccess]: true;
  readonly caller: Caller;
  readonly row: CaseEntity;
  readonly relation: CallerRelation;
}

/**
 * Object-level access to cases. A case the caller may not see is reported as not found (never
 * "forbidden"), so nobody learns that another organisation's case exists.
 */
@Injectable()
export class CaseAccess {
  constructor(@InjectRepository(CaseEntity) private readonly cases: Repository<CaseEntity>) {}

  canSee(caller: Caller, c: Pick<CaseEntity, 'reportingOrganisationId' | 'mediatorId'>): boolean {
    switch (caller.role) {
      case 'administrator':
      case 'caseworker':
        return true;
      case 'reporter':
        return !!caller.organisationId && c.reportingOrganisationId === caller.organisationId;
      case 'mediator':
        return c.mediatorId === caller.userId;
      case 'respondent':
        return false;
    }
  }

  relation(caller: Caller, c: Pick<CaseEntity, 'reportingOrganisationId' | 'mediatorId'>): CallerRelation {
    return callerRelation(caller, c);
  }

  /** The case, or NotFound when it does not exist or the caller may not see it. */
  async visibleCase(caller: Caller, id: string): Promise<CaseEntity> {
    return (await this.visible(caller, id)).row;
  }

  /** The case read once, checked and with the caller's relation to it; NotFound as visibleCase. */
  async visible(caller: Caller, id: string): Promise<VisibleCase> {
    // Every page of a case reads its row here: one prepared statement, not a query built by the repository each time.
    const where = isUuid(id) ? sql`id = ${id}` : sql`reference = ${id.toUpperCase()}`;
    const [row] = await runPrepared<CaseEntity>(this.cases.manager, sql`SELECT ${CASE_ROW} FROM cases WHERE ${where} LIMIT 1`);
    const found = row ? Object.assign(new CaseEntity(), row) : null;
    if (!found || !this.canSee(caller, found)) throw new NotFound(`Case ${id}`, 'CASE_NOT_FOUND');
    return { caller, row: found, relation: callerRelation(caller, found) } as VisibleCase;
  }

  /** Restricts a query on cases (alias `c`) to what the caller may see. */
  scope(caller: Caller, query: SelectQueryBuilder<CaseEntity>): SelectQueryBuilder<CaseEntity> {
    switch (caller.role) {
      case 'administrator':
      case 'caseworker':
        return query;
      case 'reporter':
        return query.andWhere('c.reporting_organisation_id = :callerOrg', { callerOrg: caller.organisationId });
      case 'mediator':
        return query.andWhere('c.mediator_id = :callerId', { callerId: caller.userId });
      case 'respondent':
        return query.andWhere('false');
    }
  }
}
