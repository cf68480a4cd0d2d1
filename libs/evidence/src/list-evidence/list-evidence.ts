import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseAccess, VisibleCase } from '@cc/cases';
import type { Caller } from '@cc/identity';
import { runPrepared, sql } from '@cc/persistence';
import { EvidenceView, toEvidenceView } from '../domain/evidence.dto';
import { EvidenceEntity } from '../domain/evidence.entity';

/**
 * A case's evidence, oldest first, for anyone who may see the case; a respondent sees only what is
 * shared with the public body, and not who at the reporting organisation uploaded it when the
 * reporter asked not to be named.
 */
@Injectable()
export class ListEvidence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  async execute(caller: Caller, caseIdOrReference: string): Promise<EvidenceView[]> {
    return this.of(await this.access.visible(caller, caseIdOrReference));
  }

  /** The evidence of a case already loaded and checked. */
  async of({ row: c, asRespondent }: VisibleCase): Promise<EvidenceView[]> {
    // The uploaders' names in the same statement: one round trip for the list.
    const rows = await runPrepared<Omit<EvidenceEntity, 'sizeBytes'> & { sizeBytes: string; uploaderName: string | null }>(
      this.dataSource.manager,
      sql`SELECT e.id, e.case_id AS "caseId", e.held_for AS "heldFor", e.uploaded_by AS "uploadedBy", e.uploader_role AS "uploaderRole",
                 e.file_name AS "fileName", e.media_type AS "mediaType", e.size_bytes AS "sizeBytes", e.sha256, e.storage_key AS "storageKey",
                 e.description, e.created_at AS "createdAt", u.display_name AS "uploaderName",
                 e.shared_with_respondent AS "sharedWithRespondent", e.shared_at AS "sharedAt", e.shared_by AS "sharedBy"
            FROM evidence e LEFT JOIN users u ON u.id = e.uploaded_by
           WHERE e.case_id = ${c.id} AND (e.shared_with_respondent OR NOT ${asRespondent}) ORDER BY e.created_at, e.id`,
    );
    const hideReporter = asRespondent && !c.reporterNamed;
    // bigint comes back from pg as text (as the entity's column transformer knows).
    return rows.map(({ uploaderName, sizeBytes, ...e }) => {
      const view = toEvidenceView({ ...e, sizeBytes: Number(sizeBytes) }, uploaderName ?? '(unknown)');
      return hideReporter && e.uploaderRole === 'reporter' ? { ...view, uploadedBy: { id: '', name: 'The reporting organisation', role: e.uploaderRole } } : view;
    });
  }
}
