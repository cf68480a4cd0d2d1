import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CaseAccess, VisibleCase } from '@cc/cases';
import type { Caller } from '@cc/identity';
import { runPrepared, sql } from '@cc/persistence';
import { EvidenceView, toEvidenceView } from '../domain/evidence.dto';
import { EvidenceEntity } from '../domain/evidence.entity';

/** A case's evidence, oldest first, for anyone who may see the case. */
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
  async of({ row: c }: VisibleCase): Promise<EvidenceView[]> {
    // The uploaders' names in the same statement: one round trip for the list.
    const rows = await runPrepared<Omit<EvidenceEntity, 'sizeBytes'> & { sizeBytes: string; uploaderName: string | null }>(
      this.dataSource.manager,
      sql`SELECT e.id, e.case_id AS "caseId", e.held_for AS "heldFor", e.uploaded_by AS "uploadedBy", e.uploader_role AS "uploaderRole",
                 e.file_name AS "fileName", e.media_type AS "mediaType", e.size_bytes AS "sizeBytes", e.sha256, e.storage_key AS "storageKey",
                 e.description, e.created_at AS "createdAt", u.display_name AS "uploaderName"
            FROM evidence e LEFT JOIN users u ON u.id = e.uploaded_by
           WHERE e.case_id = ${c.id} ORDER BY e.created_at, e.id`,
    );
    // bigint comes back from pg as text (as the entity's column transformer knows).
    return rows.map(({ uploaderName, sizeBytes, ...e }) => toEvidenceView({ ...e, sizeBytes: Number(sizeBytes) }, uploaderName ?? '(unknown)'));
  }
}
