import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsBoolean, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { CaseAccess } from '@cc/cases';
import { Conflict, Forbidden, NotFound, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';
import { EvidenceView, toEvidenceView } from '../domain/evidence.dto';
import { EvidenceEntity } from '../domain/evidence.entity';

export class ShareEvidenceRequest {
  @ApiProperty({ description: 'true: the public body sees the document; false: it no longer does' })
  @IsBoolean({ message: 'must be true or false' })
  shared: boolean;

  @ApiPropertyOptional({
    description:
      "Required (true) to share the reporter's own document when the reporter asked not to be named: you checked it does not name the reporting organisation",
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  checkedForIdentity?: boolean;
}

export const IDENTITY_CHECK_MESSAGE = 'Check the document does not name the reporting organisation, then confirm';

/**
 * A caseworker or administrator shares a document with the public body, or stops sharing it. The
 * reporter's uploads are private until shared; when the reporter asked not to be named, sharing one
 * needs the caseworker to say they checked it does not give the organisation away.
 */
@Injectable()
export class ShareEvidence {
  private readonly logger = new Logger(ShareEvidence.name);

  constructor(
    private readonly access: CaseAccess,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async execute(caller: Caller, caseIdOrReference: string, evidenceId: string, request: ShareEvidenceRequest): Promise<EvidenceView> {
    const { row: c } = await this.access.visible(caller, caseIdOrReference);
    if (caller.role !== 'caseworker' && caller.role !== 'administrator') {
      throw new Forbidden('EVIDENCE_SHARING_NOT_ALLOWED', 'Only a caseworker or an administrator can choose what the public body sees.');
    }
    const [found] = isUuid(evidenceId)
      ? await runSql<{ uploaderRole: string | null }>(this.db, sql`SELECT uploader_role AS "uploaderRole" FROM evidence WHERE id = ${evidenceId} AND case_id = ${c.id}`)
      : [];
    if (!found) throw new NotFound(`Evidence ${evidenceId} on case ${caseIdOrReference}`, 'EVIDENCE_NOT_FOUND');
    if (request.shared && !c.reporterNamed && found.uploaderRole === 'reporter' && request.checkedForIdentity !== true) {
      throw new Conflict('IDENTITY_CHECK_NEEDED', `${IDENTITY_CHECK_MESSAGE}: the reporter asked the public body not to be told who reported. Send checkedForIdentity: true with the request.`, {
        field: 'checkedForIdentity',
      });
    }
    const [row] = await runSql<EvidenceEntity & { uploaderName: string | null; sizeBytes: string }>(
      this.db,
      sql`WITH changed AS (
            UPDATE evidence SET shared_with_respondent = ${request.shared},
                   shared_at = CASE WHEN ${request.shared} THEN now() END, shared_by = CASE WHEN ${request.shared} THEN ${caller.userId}::uuid END
             WHERE id = ${evidenceId} AND case_id = ${c.id}
            RETURNING *)
          SELECT e.id, e.case_id AS "caseId", e.held_for AS "heldFor", e.uploaded_by AS "uploadedBy", e.uploader_role AS "uploaderRole",
                 e.file_name AS "fileName", e.media_type AS "mediaType", e.size_bytes AS "sizeBytes", e.sha256, e.storage_key AS "storageKey",
                 e.description, e.created_at AS "createdAt", e.shared_with_respondent AS "sharedWithRespondent", e.shared_at AS "sharedAt",
                 e.shared_by AS "sharedBy", u.display_name AS "uploaderName"
            FROM changed e LEFT JOIN users u ON u.id = e.uploaded_by`,
    );
    this.logger.log(
      { caseId: c.id, evidenceId, shared: request.shared, by: caller.userId, checkedForIdentity: request.checkedForIdentity === true },
      request.shared ? 'Evidence shared with the public body' : 'Evidence no longer shared with the public body',
    );
    const { uploaderName, sizeBytes, ...e } = row;
    return toEvidenceView({ ...e, sizeBytes: Number(sizeBytes) }, uploaderName ?? '(unknown)');
  }
}
