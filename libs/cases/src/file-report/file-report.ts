import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldError, Forbidden, ValidationFailed } from '@cc/common';
import type { Caller } from '@cc/identity';
import { CommitmentForReport, RegistryLookup, ReportFacts, factProblems } from '@cc/registry';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { allocateCaseReference } from '../domain/case-reference';
import { CaseStore } from '../domain/case-store.service';
import { FileReportRequest } from './file-report.dto';
import { TriageHint, triageHints } from './triage-hints';

/** A report against the same respondent and commitment within this window is flagged as related. */
const RELATED_WINDOW_MONTHS = 6;

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
    const checked = await this.checkReferences(caller.organisationId, report);
    const now = new Date();
    const facts = (report.facts ?? {}) as ReportFacts;
    const hints = await this.hintsFor(report, checked, facts, now);
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
           desired_outcome, evidence, submitted_at, updated_at, commitment_ids, facts, triage_hints)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20)
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
          checked.commitments.map((c) => c.reference),
          caller.userId,
          report.title,
          report.whatHappened,
          report.happenedOn,
          report.impact,
          report.desiredOutcome,
          report.evidence ?? null,
          at,
          checked.commitments.map((c) => c.id),
          JSON.stringify(facts),
          JSON.stringify(hints),
        ],
      );
      const event = {
        type: 'SUBMITTED',
        payload: { title: report.title, commitments: checked.commitments.map((c) => c.reference) },
        actorId: caller.userId,
        actorRole: caller.role,
        at,
      };
      await this.store.writeFirstEvent(manager, { id: row.id, reference, compactId: report.compactId }, started, event);
      this.logger.log({ caseId: row.id, reference, organisationId: caller.organisationId, hints: hints.map((h) => h.code) }, 'Breach report filed');
      return { id: row.id as string, reference };
    });
  }

  private async checkReferences(reportingOrganisationId: string, report: FileReportRequest): Promise<CheckedReport> {
    const [respondent, compact] = await Promise.all([
      this.registry.findOrganisation(report.respondentId),
      this.registry.findCompact(report.compactId),
    ]);
    const errors: FieldError[] = [];
    if (!respondent) errors.push({ field: 'respondentId', reason: 'is not a known organisation; search the organisations list for the public body' });
    else if (respondent.sector !== 'public') errors.push({ field: 'respondentId', reason: 'is not a public body; a breach report is made against a public body' });
    else if (respondent.id === reportingOrganisationId) errors.push({ field: 'respondentId', reason: 'is your own organisation' });
    if (!compact) errors.push({ field: 'compactId', reason: 'is not a known Compact; search the Compacts by area or name' });
    if (new Date(`${report.happenedOn}T00:00:00Z`).getTime() > Date.now()) {
      errors.push({ field: 'happenedOn', reason: 'is in the future; give the date it happened' });
    }
    errors.push(...factProblems(report.facts));
    let commitments: CommitmentForReport[] = [];
    if (compact) {
      commitments = await this.registry.commitmentsByReference(compact.id, report.commitments);
      const known = new Map(commitments.map((c) => [c.reference.toLowerCase(), c]));
      const seen = new Set<string>();
      report.commitments.forEach((reference, i) => {
        const key = reference.trim().toLowerCase();
        if (seen.has(key)) errors.push({ field: `commitments.${i}`, reason: `names ${reference} twice` });
        else if (!known.has(key)) {
          errors.push({ field: `commitments.${i}`, reason: `"${reference}" is not a commitment of ${compact.name}; see GET /api/compacts/${compact.id}/commitments` });
        }
        seen.add(key);
      });
    }
    if (errors.length) throw new ValidationFailed(errors);
    return { respondentName: respondent!.name, compactName: compact!.name, commitments };
  }

  private async hintsFor(report: FileReportRequest, checked: CheckedReport, facts: ReportFacts, now: Date): Promise<TriageHint[]> {
    const [signature, otherCompacts, related] = await Promise.all([
      this.registry.hasSigned(report.compactId, report.respondentId),
      this.dataSource.query(
        `SELECT c.name FROM compact_signatories s JOIN compacts c ON c.id = s.compact_id
          WHERE s.organisation_id = $1 AND c.id <> $2 AND c.status = 'active' ORDER BY c.name`,
        [report.respondentId, report.compactId],
      ),
      this.dataSource.query(
        `SELECT id, reference, submitted_at AS "submittedAt", commitments FROM cases
          WHERE respondent_organisation_id = $1 AND commitment_ids && $2::uuid[]
            AND submitted_at > $3::timestamptz - make_interval(months => ${RELATED_WINDOW_MONTHS})
          ORDER BY submitted_at DESC LIMIT 20`,
        [report.respondentId, checked.commitments.map((c) => c.id), now.toISOString()],
      ),
    ]);
    return triageHints({
      compactName: checked.compactName,
      respondentName: checked.respondentName,
      respondentSigned: signature.anySignatories ? signature.signed : null,
      respondentsOtherCompacts: otherCompacts.map((c: { name: string }) => c.name),
      happenedOn: report.happenedOn,
      submittedAt: now,
      commitments: checked.commitments,
      facts,
      relatedCases: related.map((r: { id: string; reference: string; submittedAt: Date; commitments: string[] }) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
    });
  }
}

interface CheckedReport {
  respondentName: string;
  compactName: string;
  /** The registry's own commitments, in the Compact's order, with their rules. */
  commitments: CommitmentForReport[];
}
