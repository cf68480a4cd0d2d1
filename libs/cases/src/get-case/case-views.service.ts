import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { Sql, runPrepared, sql } from '@cc/persistence';
import { RegistryLookup } from '@cc/registry';
import { DEADLINE_KINDS, workflowFor } from '@cc/workflows';
import type { CaseEntity } from '../domain/case.entity';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
import { actionsAvailableTo } from '../domain/available-actions';
import { reporterAsRespondentSeesIt } from '../respondent/reporter-identity';
import { CaseDetail, CaseSummary, NamedContactView, NamedRef } from './case.dto';

/** The clocks that wait on the public body, or on both parties: the ones a respondent is shown. */
const RESPONDENT_DEADLINE_KINDS = Object.entries(DEADLINE_KINDS)
  .filter(([, kind]) => kind.waitsOn === 'respondent' || kind.waitsOn === 'parties')
  .map(([name]) => name);

/** Maps case rows to the API's response types, resolving names in one query per kind. */
@Injectable()
export class CaseViews {
  constructor(
    private readonly access: CaseAccess,
    private readonly registry: RegistryLookup,
    private readonly directory: UsersDirectory,
    private readonly dataSource: DataSource,
  ) {}

  async detail(caller: Caller, idOrReference: string): Promise<CaseDetail> {
    return (await this.visibleDetail(caller, idOrReference)).detail;
  }

  /**
   * The case read and checked (as CaseAccess.visible) and its detail, in one statement: the names
   * the detail shows are read with the row, so a page showing a case spends one round trip on it.
   */
  async visibleDetail(caller: Caller, idOrReference: string): Promise<{ seen: VisibleCase; detail: CaseDetail }> {
    const { seen, extra } = await this.access.visibleWith<DetailNames>(caller, idOrReference, detailNames(caller, { reporting: sql`cases.reporting_organisation_id`, respondent: sql`cases.respondent_organisation_id`, id: sql`cases.id`, assignee: sql`cases.assignee_id`, mediator: sql`cases.mediator_id`, commitments: sql`cases.commitment_ids` }));
    return { seen, detail: this.detailFrom(seen, extra) };
  }

  /** The detail of a case already loaded and checked (a page that shows it with other reads). */
  async detailOf(seen: VisibleCase): Promise<CaseDetail> {
    const { caller, row: c } = seen;
    const [named] = await runPrepared<DetailNames>(
      this.dataSource.manager,
      sql`SELECT ${detailNames(caller, { reporting: sql`${c.reportingOrganisationId}::uuid`, respondent: sql`${c.respondentOrganisationId}::uuid`, id: sql`${c.id}::uuid`, assignee: sql`${c.assigneeId}::uuid`, mediator: sql`${c.mediatorId}::uuid`, commitments: sql`${c.commitmentIds}::uuid[]` })}`,
    );
    return this.detailFrom(seen, named);
  }

  private detailFrom(seen: VisibleCase, named: DetailNames): CaseDetail {
    const { caller, row: c } = seen;
    const isStaff = caller.role === 'caseworker' || caller.role === 'administrator';
    const asRespondent = seen.asRespondent;
    const orgs = namesOf([c.reportingOrganisationId, named.reportingName], [c.respondentOrganisationId, named.respondentName]);
    const people = namesOf([c.assigneeId, named.assigneeName], [c.mediatorId, named.mediatorName]);
    const commitments = named.commitments;
    const summary = toSummary(c, orgs, people);
    if (asRespondent) summary.reportingOrganisation = reporterAsRespondentSeesIt(summary.reportingOrganisation, c.reporterNamed, named.reportingArea);
    const context = workflowFor(c.machineVersion).view(c.snapshot).context;
    const fee = context.fee;
    return {
      ...summary,
      reporterNamed: c.reporterNamed,
      namedContacts: named.namedContacts.map(({ id, name, jobTitle, email, active }) => ({ id, name, jobTitle, active, ...(isStaff ? { email } : {}) })),
      respondentDeadlines: named.respondentDeadlines
        ? named.respondentDeadlines.map(({ kind, dueAt, status }) => ({ kind, dueAt: dueAt ? new Date(dueAt).toISOString() : null, paused: status === 'paused' }))
        : null,
      version: c.version,
      machineVersion: c.machineVersion,
      whatHappened: c.whatHappened,
      happenedOn: c.happenedOn,
      impact: c.impact,
      desiredOutcome: c.desiredOutcome,
      evidence: c.evidence,
      mediator: ref(c.mediatorId, people),
      fee: fee
        ? {
            amountPence: fee.amountPence,
            reporterSharePercent: fee.reporterSharePercent,
            agreedByReporter: fee.agreed.reporter,
            agreedByRespondent: fee.agreed.respondent,
            paidByReporterPence: fee.paidPence.reporter,
            paidByRespondentPence: fee.paidPence.respondent,
            waived: fee.waived,
          }
        : null,
      session: context.session ? { startsAt: context.session.startsAt, location: context.session.location } : null,
      agreedActions: context.agreedActions,
      monitorUntil: context.monitorUntil,
      closedAt: c.closedAt ? c.closedAt.toISOString() : null,
      availableActions: actionsAvailableTo(seen.relation, c),
      commitmentDetails: commitments.map(({ id, reference, text }) => ({ id, reference, text })),
      facts: c.facts,
      triageHints: isStaff ? c.triageHints : null,
    };
  }

  async summaries(rows: CaseEntity[]): Promise<CaseSummary[]> {
    const [orgs, people] = await Promise.all([
      this.registry.organisationNames(rows.flatMap((c) => [c.reportingOrganisationId, c.respondentOrganisationId])),
      this.directory.displayNames(rows.map((c) => c.assigneeId ?? '')),
    ]);
    return rows.map((c) => toSummary(c, orgs, people));
  }
}

function toSummary(c: CaseEntity, orgs: Map<string, string>, people: Map<string, string>): CaseSummary {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    state: c.state,
    stage: c.stage,
    outcome: c.outcome,
    reportingOrganisation: ref(c.reportingOrganisationId, orgs)!,
    respondent: ref(c.respondentOrganisationId, orgs)!,
    compactId: c.compactId,
    commitments: c.commitments,
    assignee: ref(c.assigneeId, people),
    submittedAt: c.submittedAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Where the detail's names come from: the case row's columns (read with it) or its values (read after it). */
interface DetailSources {
  reporting: Sql;
  respondent: Sql;
  id: Sql;
  assignee: Sql;
  mediator: Sql;
  commitments: Sql;
}

/**
 * Every name the detail shows, its commitments' words, the contacts named on it (their e-mail for
 * staff only) and, for a respondent, the clocks that concern them, as the columns of one select.
 */
function detailNames(caller: Caller, from: DetailSources): Sql {
  const isStaff = caller.role === 'caseworker' || caller.role === 'administrator';
  // Only a named respondent sees a case as a respondent; anyone else with that role never sees it at all.
  const asRespondent = caller.role === 'respondent';
  return sql`(SELECT name FROM organisations WHERE id = ${from.reporting}) AS "reportingName",
             (SELECT area FROM organisations WHERE id = ${from.reporting}) AS "reportingArea",
             COALESCE((SELECT jsonb_agg(jsonb_build_object('id', rc.id, 'name', rc.name, 'jobTitle', rc.job_title,
                                                       'email', CASE WHEN ${isStaff} THEN rc.email END, 'active', rc.active)
                                        ORDER BY lower(rc.name), rc.id)
                         FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id
                        WHERE cc.case_id = ${from.id}), '[]'::jsonb) AS "namedContacts",
             CASE WHEN ${asRespondent} THEN COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', kind, 'dueAt', due_at, 'status', status) ORDER BY due_at NULLS LAST)
                         FROM deadlines WHERE case_id = ${from.id} AND status IN ('pending', 'paused')
                          AND kind = ANY(${RESPONDENT_DEADLINE_KINDS}::text[])), '[]'::jsonb) END AS "respondentDeadlines",
             (SELECT name FROM organisations WHERE id = ${from.respondent}) AS "respondentName",
             (SELECT display_name FROM users WHERE id = ${from.assignee}) AS "assigneeName",
             (SELECT display_name FROM users WHERE id = ${from.mediator}) AS "mediatorName",
             COALESCE((SELECT jsonb_agg(jsonb_build_object('id', id, 'reference', reference, 'text', text) ORDER BY position)
                         FROM commitments WHERE id = ANY(${from.commitments})), '[]'::jsonb) AS commitments`;
}

interface DetailNames {
  reportingName: string | null;
  reportingArea: string | null;
  namedContacts: Array<Omit<NamedContactView, 'email'> & { email: string | null }>;
  respondentDeadlines: Array<{ kind: string; dueAt: string | null; status: string }> | null;
  respondentName: string | null;
  assigneeName: string | null;
  mediatorName: string | null;
  commitments: Array<{ id: string; reference: string; text: string }>;
}

/** The names found, by id, as the directory and registry lookups give them (a missing one is absent). */
function namesOf(...pairs: Array<[string | null, string | null]>): Map<string, string> {
  return new Map(pairs.filter((p): p is [string, string] => p[0] !== null && p[1] !== null));
}

function ref(id: string | null, names: Map<string, string>): NamedRef | null {
  return id ? { id, name: names.get(id) ?? '(unknown)' } : null;
}
