import { DataSource } from 'typeorm';
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
      this.dataSource.query(
        `SELECT c.name FROM compact_signatories s JOIN compacts c ON c.id = s.compact_id
          WHERE s.organisation_id = $1 AND c.id <> $2 AND c.status = 'active' ORDER BY c.name`,
        [report.respondentId, report.compactId],
      ),
      this.dataSource.query(
        `SELECT id, reference, submitted_at AS "submittedAt", commitments FROM cases
          WHERE respondent_organisation_id = $1 AND commitment_ids && $2::uuid[]
            AND submitted_at > $3::timestamptz - make_interval(months => ${RELATED_WINDOW_MONTHS})
            AND submitted_at <= $3::timestamptz AND id IS DISTINCT FROM $4::uuid
          ORDER BY submitted_at DESC LIMIT 20`,
        [report.respondentId, checked.commitments.map((c) => c.id), submittedAt.toISOString(), caseId ?? null],
      ),
    ]);
    return triageHints({
      compactName: checked.compactName,
      respondentName: checked.respondentName,
      // Nobody knows yet whether a body typed by the reporter signed: the caseworker links it first.
      respondentSigned: unlistedBody ? null : signature.anySignatories ? signature.signed : null,
      respondentsOtherCompacts: otherCompacts.map((c: { name: string }) => c.name),
      happenedOn: report.happenedOn,
      submittedAt,
      commitments: checked.commitments,
      facts,
      relatedCases: related.map((r: { id: string; reference: string; submittedAt: Date; commitments: string[] }) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
      unlistedBody,
    });
  }
}
