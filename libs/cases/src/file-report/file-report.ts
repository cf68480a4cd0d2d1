import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldError, Forbidden, ValidationFailed } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';
import { CommitmentForReport, RegistryLookup, RegistryQueries, ReportFacts, factProblems } from '@cc/registry';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { allocateCaseReference } from '../domain/case-reference';
import { CaseStore } from '../domain/case-store.service';
import { FileReportRequest } from './file-report.dto';
import { ReportTriage } from './report-triage';
import { UnlistedBodyHint } from './triage-hints';

/** A reporter files a breach report; it is stored with a reference before anything else happens. */
@Injectable()
export class FileReport {
  private readonly logger = new Logger(FileReport.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryLookup,
    private readonly queries: RegistryQueries,
    private readonly store: CaseStore,
  ) {
    this.triage = new ReportTriage(dataSource, registry);
  }

  private readonly triage: ReportTriage;

  async execute(caller: Caller, report: FileReportRequest): Promise<{ id: string; reference: string }> {
    if (caller.role !== 'reporter' || !caller.organisationId) {
      throw new Forbidden('REPORTERS_ONLY', 'Only a member of a voluntary or community organisation can file a report.');
    }
    const checked = await this.checkReferences(caller.organisationId, report);
    const unlisted = report.unlistedRespondent ? { name: report.unlistedRespondent.name.trim(), area: report.unlistedRespondent.area.trim() } : null;
    const now = new Date();
    const facts = (report.facts ?? {}) as ReportFacts;
    const at = now.toISOString();
    const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);

    // A body not in the registry becomes a placeholder organisation, marked unverified, so the case
    // has a respondent like any other until a caseworker links it to the registry's own. Its id is
    // chosen here so the hints (read outside the transaction: the embedded database has one
    // connection) can name it.
    const respondentId = unlisted ? randomUUID() : report.respondentId!;
    const unlistedBody: UnlistedBodyHint | undefined = unlisted
      ? { organisationId: respondentId, ...unlisted, suggestions: (await this.queries.publicBodiesLike(unlisted.name, unlisted.area)).map(({ id, name, area }) => ({ id, name, area })) }
      : undefined;
    const hints = await this.triage.hintsFor({ compactId: report.compactId, happenedOn: report.happenedOn, respondentId }, checked, facts, now, unlistedBody);
    const started = workflow.start({
      reportingOrganisationId: caller.organisationId,
      respondentOrganisationId: respondentId,
      submittedAt: at,
    });

    return this.dataSource.transaction(async (manager) => {
      if (unlisted) {
        await runSql(
          manager,
          sql`INSERT INTO organisations (id, name, sector, area, unverified, suggested_by, suggested_at)
              VALUES (${respondentId}, ${unlisted.name}, 'public', ${unlisted.area}, true, ${caller.userId}, ${at})`,
        );
      }
      const reference = await allocateCaseReference(manager, now);
      const [row] = await runSql<{ id: string }>(
        manager,
        sql`INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id,
              respondent_organisation_id, compact_id, commitments, reported_by, title, what_happened, happened_on, impact,
              desired_outcome, evidence, submitted_at, updated_at, commitment_ids, facts, triage_hints, reporter_named)
            VALUES (${reference}, ${workflow.version}, ${JSON.stringify(started.snapshot)}, ${started.state}, ${started.stage}, 1, ${caller.organisationId},
              ${respondentId}, ${report.compactId}, ${checked.commitments.map((c) => c.reference)}, ${caller.userId}, ${report.title}, ${report.whatHappened}, ${report.happenedOn}, ${report.impact},
              ${report.desiredOutcome}, ${report.evidence ?? null}, ${at}, ${at}, ${checked.commitments.map((c) => c.id)}, ${JSON.stringify(facts)}, ${JSON.stringify(hints)},
              ${report.reporterMayBeNamed ?? true})
            RETURNING id`,
      );
      const event = {
        type: 'SUBMITTED',
        payload: { title: report.title, commitments: checked.commitments.map((c) => c.reference) },
        actorId: caller.userId,
        actorRole: caller.role,
        at,
      };
      await this.store.writeFirstEvent(manager, { id: row.id, reference, compactId: report.compactId }, started, event);
      this.logger.log({ caseId: row.id, reference, organisationId: caller.organisationId, unlistedRespondent: !!unlisted, hints: hints.map((h) => h.code) }, 'Breach report filed');
      return { id: row.id, reference };
    });
  }

  private async checkReferences(reportingOrganisationId: string, report: FileReportRequest): Promise<CheckedReport> {
    const named = report.respondentId !== undefined;
    const [respondent, placeholder, compact] = await Promise.all([
      named ? this.registry.findOrganisation(report.respondentId!) : null,
      named ? this.queries.unverifiedOrganisation(report.respondentId!) : null,
      this.registry.findCompact(report.compactId),
    ]);
    const errors: FieldError[] = [];
    if (named && report.unlistedRespondent) {
      errors.push({ field: 'unlistedRespondent', reason: 'cannot be given with respondentId: give the registry id of the public body, or its name and area if it is not in the registry' });
    } else if (!named) {
      if (!report.unlistedRespondent) errors.push({ field: 'respondentId', reason: 'is required: give the id of the public body, or unlistedRespondent if it is not in the registry' });
    } else if (!respondent) errors.push({ field: 'respondentId', reason: 'is not a known organisation; search the organisations list for the public body' });
    else if (placeholder) errors.push({ field: 'respondentId', reason: 'is not in the registry yet; give its name and area as unlistedRespondent instead' });
    else if (respondent.sector !== 'public') errors.push({ field: 'respondentId', reason: 'is not a public body; a breach report is made against a public body' });
    else if (respondent.id === reportingOrganisationId) errors.push({ field: 'respondentId', reason: 'is your own organisation' });
    if (!compact) errors.push({ field: 'compactId', reason: 'is not a known Compact; search the Compacts by area or name' });
    if (new Date(`${report.happenedOn}T00:00:00Z`).getTime() > Date.now()) {
      errors.push({ field: 'happenedOn', reason: 'is in the future; give the date it happened' });
    }
    errors.push(...factProblems(report.facts));
    let commitments: CommitmentForReport[] = [];
    if (compact) {
      const [found, sides] = await Promise.all([
        this.registry.commitmentsByReference(compact.id, report.commitments),
        this.queries.commitmentSides(compact.id, report.commitments),
      ]);
      commitments = found;
      const known = new Map(commitments.map((c) => [c.reference.toLowerCase(), c]));
      const seen = new Set<string>();
      report.commitments.forEach((reference, i) => {
        const key = reference.trim().toLowerCase();
        if (seen.has(key)) errors.push({ field: `commitments.${i}`, reason: `names ${reference} twice` });
        else if (!known.has(key)) {
          errors.push({ field: `commitments.${i}`, reason: `"${reference}" is not a commitment of ${compact.name}; see GET /api/compacts/${compact.id}/commitments` });
        } else if (sides.get(key) === 'voluntary') {
          // A report is about what a public body did: the sector's own undertakings cannot be broken by it.
          errors.push({ field: `commitments.${i}`, reason: `"${reference}" is a commitment of the voluntary and community sector, not of public bodies; choose a commitment the public body made` });
        }
        seen.add(key);
      });
    }
    if (errors.length) throw new ValidationFailed(errors);
    return { respondentName: respondent?.name ?? report.unlistedRespondent!.name.trim(), compactName: compact!.name, commitments };
  }
}

interface CheckedReport {
  respondentName: string;
  compactName: string;
  /** The registry's own commitments, in the Compact's order, with their rules. */
  commitments: CommitmentForReport[];
}

// Linking an unlisted public body to the registry, exported with filing (the library's index lists this file).
export { LinkRespondent, LinkRespondentRequest, RespondentLinked } from './link-respondent';
export { UnlistedRespondentsModule } from './unlisted-respondents.module';
