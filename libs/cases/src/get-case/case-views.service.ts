import { Injectable } from '@nestjs/common';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { RegistryLookup } from '@cc/registry';
import { workflowFor } from '@cc/workflows';
import type { CaseEntity } from '../domain/case.entity';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
import { actionsAvailableTo } from '../domain/available-actions';
import { CaseDetail, CaseSummary, NamedRef } from './case.dto';

/** Maps case rows to the API's response types, resolving names in one query per kind. */
@Injectable()
export class CaseViews {
  constructor(
    private readonly access: CaseAccess,
    private readonly registry: RegistryLookup,
    private readonly directory: UsersDirectory,
  ) {}

  async detail(caller: Caller, idOrReference: string): Promise<CaseDetail> {
    return this.detailOf(await this.access.visible(caller, idOrReference));
  }

  /** The detail of a case already loaded and checked (a page that shows it with other reads). */
  async detailOf(seen: VisibleCase): Promise<CaseDetail> {
    const { caller, row: c } = seen;
    // One query per kind of name: the assignee and the mediator together.
    const [orgs, people, commitments] = await Promise.all([
      this.registry.organisationNames([c.reportingOrganisationId, c.respondentOrganisationId]),
      this.directory.displayNames([c.assigneeId ?? '', c.mediatorId ?? '']),
      this.registry.commitmentsByIds(c.commitmentIds),
    ]);
    const summary = toSummary(c, orgs, people);
    const context = workflowFor(c.machineVersion).view(c.snapshot).context;
    const isStaff = caller.role === 'caseworker' || caller.role === 'administrator';
    const fee = context.fee;
    return {
      ...summary,
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

function ref(id: string | null, names: Map<string, string>): NamedRef | null {
  return id ? { id, name: names.get(id) ?? '(unknown)' } : null;
}
