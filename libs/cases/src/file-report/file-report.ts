import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Forbidden, ValidationFailed } from '@cc/common';
import type { Caller } from '@cc/identity';
import { RegistryLookup } from '@cc/registry';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { allocateCaseReference } from '../domain/case-reference';
import { CaseStore } from '../domain/case-store.service';
import { FileReportRequest } from './file-report.dto';

/** A reporter files a breach report; it is stored with a reference before anything else happens. */
@Injectable()
export class FileReport {
  private readonly logger = new Logger(FileReport.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryLookup,
    private readonly store: CaseStore,
  ) {}

  async execute(caller: Caller, report: FileReportRequest): Promise<{ id: string; reference: string }> {
    if (caller.role !== 'reporter' || !caller.organisationId) {
      throw new Forbidden('REPORTERS_ONLY', 'Only a member of a voluntary or community organisation can file a report.');
    }
    await this.checkReferences(caller.organisationId, report);
    const now = new Date();
    const at = now.toISOString();
    const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);
    const started = workflow.start({
      reportingOrganisationId: caller.organisationId,
      respondentOrganisationId: report.respondentId,
      submittedAt: at,
    });

    return this.dataSource.transaction(async (manager) => {
      const reference = await allocateCaseReference(manager, now);
      const [row] = await manager.query(
        `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id,
           respondent_organisation_id, compact_id, commitments, reported_by, title, what_happened, happened_on, impact,
           desired_outcome, evidence, submitted_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         RETURNING id`,
        [
          reference,
          workflow.version,
          JSON.stringify(started.snapshot),
          started.state,
          started.stage,
          caller.organisationId,
          report.respondentId,
          report.compactId,
          report.commitments,
          caller.userId,
          report.title,
          report.whatHappened,
          report.happenedOn,
          report.impact,
          report.desiredOutcome,
          report.evidence ?? null,
          at,
        ],
      );
      const event = {
        type: 'SUBMITTED',
        payload: { title: report.title, commitments: report.commitments },
        actorId: caller.userId,
        actorRole: caller.role,
        at,
      };
      await this.store.appendFirstEvent(manager, row.id, started, event);
      await this.store.runEffects(
        manager,
        { caseId: row.id, reference, eventSeq: 1, at, compactId: report.compactId, eventType: event.type, payload: event.payload },
        started.effects,
      );
      this.logger.log({ caseId: row.id, reference, organisationId: caller.organisationId }, 'Breach report filed');
      return { id: row.id as string, reference };
    });
  }

  private async checkReferences(reportingOrganisationId: string, report: FileReportRequest): Promise<void> {
    const [respondent, compact] = await Promise.all([
      this.registry.findOrganisation(report.respondentId),
      this.registry.findCompact(report.compactId),
    ]);
    const errors = [];
    if (!respondent) errors.push({ field: 'respondentId', reason: 'is not a known organisation; search the organisations list for the public body' });
    else if (respondent.sector !== 'public') errors.push({ field: 'respondentId', reason: 'is not a public body; a breach report is made against a public body' });
    else if (respondent.id === reportingOrganisationId) errors.push({ field: 'respondentId', reason: 'is your own organisation' });
    if (!compact) errors.push({ field: 'compactId', reason: 'is not a known Compact' });
    if (new Date(`${report.happenedOn}T00:00:00Z`).getTime() > Date.now()) {
      errors.push({ field: 'happenedOn', reason: 'is in the future; give the date it happened' });
    }
    if (errors.length) throw new ValidationFailed(errors);
  }
}
