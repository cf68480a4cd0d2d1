import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { NotFound, isUuid } from '@cc/common';
import { Sql, rawSql, runPrepared, sql } from '@cc/persistence';
import type { Caller } from '@cc/identity';
import type { CallerRelation } from '@cc/workflows';
import { callerRelation, isNamedRespondent } from './available-actions';
import { CaseAccessFacts, CaseEntity } from './case.entity';

/** What access decisions need to know about a case. */
export type CaseForAccess = CaseAccessFacts & Pick<CaseEntity, 'machineVersion' | 'snapshot'>;

/**
 * Whether the caller's contact record is named on the case (alias `caseAlias`): a column of the
 * one statement that reads the case, computed only for a respondent (everyone else: false, a
 * constant the planner drops). The contact must be active and at the case's public body.
 */
export function namedContactColumn(caller: Caller, caseAlias = 'cases'): Sql {
  if (caller.role !== 'respondent') return sql`false`;
  const c = rawSql(caseAlias);
  return sql`EXISTS (SELECT FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id
                      WHERE cc.case_id = ${c}.id AND rc.user_id = ${caller.userId} AND rc.active
                        AND rc.organisation_id = ${c}.respondent_organisation_id)`;
}

/**
 * Every column of CaseEntity under its property name, as the repository would hydrate it: the
 * date as its 'YYYY-MM-DD' text (the repository turns pg's Date back into that text).
 */
const CASE_ROW = rawSql(`id, reference, machine_version AS "machineVersion", snapshot, state, stage, version,
  reporting_organisation_id AS "reportingOrganisationId", respondent_organisation_id AS "respondentOrganisationId",
  compact_id AS "compactId", commitments, commitment_ids AS "commitmentIds", facts, triage_hints AS "triageHints",
  reported_by AS "reportedBy", assignee_id AS "assigneeId", mediator_id AS "mediatorId", outcome, title,
  what_happened AS "whatHappened", happened_on::text AS "happenedOn", impact, desired_outcome AS "desiredOutcome",
  evidence, submitted_at AS "submittedAt", updated_at AS "updatedAt", closed_at AS "closedAt", reporter_named AS "reporterNamed"`);

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
  /** True only for a respondent who sees the case: reads show them the respondent's view. */
  readonly asRespondent: boolean;
}

/**
 * Object-level access to cases. A case the caller may not see is reported as not found (never
 * "forbidden"), so nobody learns that another organisation's case exists.
 */
@Injectable()
export class CaseAccess {
  constructor(@InjectRepository(CaseEntity) private readonly cases: Repository<CaseEntity>) {}

  canSee(caller: Caller, c: CaseAccessFacts): boolean {
    switch (caller.role) {
      case 'administrator':
      case 'caseworker':
        return true;
      case 'reporter':
        return !!caller.organisationId && c.reportingOrganisationId === caller.organisationId;
      case 'mediator':
        return c.mediatorId === caller.userId;
      case 'respondent':
        return isNamedRespondent(caller, c);
    }
  }

  relation(caller: Caller, c: CaseAccessFacts): CallerRelation {
    return callerRelation(caller, c);
  }

  /** The case, or NotFound when it does not exist or the caller may not see it. */
  async visibleCase(caller: Caller, id: string): Promise<CaseEntity> {
    return (await this.visible(caller, id)).row;
  }

  /** The case read once, checked and with the caller's relation to it; NotFound as visibleCase. */
  async visible(caller: Caller, id: string): Promise<VisibleCase> {
    return (await this.visibleWith<Record<string, never>>(caller, id, null)).seen;
  }

  /**
   * The case as `visible` reads it, with more columns read in the same statement (`extra`, which
   * may refer to the case's own columns as `cases.<column>`): a page that needs the names the
   * case refers to gets them without a second round trip. Nothing of `extra` is returned for a
   * case the caller may not see.
   */
  async visibleWith<T extends object>(caller: Caller, id: string, extra: Sql | null): Promise<{ seen: VisibleCase; extra: T }> {
    // Every page of a case reads its row here: one prepared statement, not a query built by the repository each time.
    const where = isUuid(id) ? sql`id = ${id}` : sql`reference = ${id.toUpperCase()}`;
    const [row] = await runPrepared<CaseEntity & { callerIsNamedContact: boolean; extra?: T }>(
      this.cases.manager,
      extra
        ? sql`SELECT ${CASE_ROW}, ${namedContactColumn(caller)} AS "callerIsNamedContact", (SELECT to_jsonb(x) FROM (SELECT ${extra}) AS x) AS extra FROM cases WHERE ${where} LIMIT 1`
        : sql`SELECT ${CASE_ROW}, ${namedContactColumn(caller)} AS "callerIsNamedContact" FROM cases WHERE ${where} LIMIT 1`,
    );
    if (!row || !this.canSee(caller, row)) throw new NotFound(`Case ${id}`, 'CASE_NOT_FOUND');
    const { callerIsNamedContact, extra: more, ...columns } = row;
    const found = Object.assign(new CaseEntity(), columns);
    const relation = callerRelation(caller, row);
    return { seen: { caller, row: found, relation, asRespondent: relation.isNamedRespondent } as VisibleCase, extra: (more ?? {}) as T };
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
        return query.andWhere(
          `c.respondent_organisation_id = :callerOrg AND EXISTS (SELECT FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id
              WHERE cc.case_id = c.id AND rc.user_id = :callerId AND rc.active AND rc.organisation_id = c.respondent_organisation_id)`,
          { callerOrg: caller.organisationId, callerId: caller.userId },
        );
    }
  }
}
