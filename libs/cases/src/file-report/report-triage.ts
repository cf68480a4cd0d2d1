import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { CommitmentForReport, RegistryLookup, ReportFacts } from '@cc/registry';
import { TriageHint, UnlistedBodyHint, triageHints } from './triage-hints';

/** A report against the same respondent and commitment within this window is flagged as related. */
const RELATED_WINDOW_MONTHS = 6;

/**
 * Reads what the triage hints need from the registry and the other cases: at filing, and again
 * when a caseworker links a case's unlisted public body to the registry (`caseId` then leaves the
 * case itself out of its related cases). A plain class, made by the use cases that need it.
 */
export class ReportTriage {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryLookup,
  ) {}

  async hintsFor(
    report: { compactId: string; happenedOn: string; respondentId: string },
    checked: { respondentName: string; compactName: string; commitments: CommitmentForReport[] },
    facts: ReportFacts,
    submittedAt: Date,
    unlistedBody?: UnlistedBodyHint,
    caseId?: string,
  ): Promise<TriageHint[]> {
    const [signature, otherCompacts, related] = await Promise.all([
      this.registry.hasSigned(report.compactId, report.respondentId),
      runSql<{ name: string }>(
        this.dataSource,
        sql`SELECT c.name FROM compact_signatories s JOIN compacts c ON c.id = s.compact_id
             WHERE s.organisation_id = ${report.respondentId} AND c.id <> ${report.compactId} AND c.status = 'active' ORDER BY c.name`,
      ),
      runSql<{ id: string; reference: string; submittedAt: Date; commitments: string[] }>(
        this.dataSource,
        sql`SELECT id, reference, submitted_at AS "submittedAt", commitments FROM cases
             WHERE respondent_organisation_id = ${report.respondentId} AND commitment_ids && ${checked.commitments.map((c) => c.id)}::uuid[]
               AND submitted_at > ${submittedAt.toISOString()}::timestamptz - make_interval(months => ${RELATED_WINDOW_MONTHS}::int)
               AND submitted_at <= ${submittedAt.toISOString()}::timestamptz AND id IS DISTINCT FROM ${caseId ?? null}::uuid
             ORDER BY submitted_at DESC LIMIT 20`,
      ),
    ]);
    return triageHints({
      compactName: checked.compactName,
      respondentName: checked.respondentName,
      // Nobody knows yet whether a body typed by the reporter signed: the caseworker links it first.
      respondentSigned: unlistedBody ? null : signature.anySignatories ? signature.signed : null,
      respondentsOtherCompacts: otherCompacts.map((c) => c.name),
      happenedOn: report.happenedOn,
      submittedAt,
      commitments: checked.commitments,
      facts,
      relatedCases: related.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
      unlistedBody,
    });
  }
}
