import { ApiProperty } from '@nestjs/swagger';
import type { Role } from '@cc/workflows';
import { EvidenceEntity } from './evidence.entity';

export class EvidenceUploader {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, enum: ['reporter', 'caseworker', 'mediator', 'administrator', 'respondent'], description: 'Their role when they uploaded it' })
  role: Role | null;
}

export class EvidenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'letter from the council.pdf' }) fileName: string;
  @ApiProperty({ example: 'application/pdf', description: 'Judged from the content, not the name' }) mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: EvidenceUploader }) uploadedBy: EvidenceUploader;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: '/api/cases/0b6f.../evidence/5d1c...', nullable: true, type: String, description: 'GET it (with your bearer token) to download the file; null while held for a report not yet sent' })
  downloadUrl: string | null;
  @ApiProperty({ description: 'Whether the public body (its contacts named on the case) sees it' }) sharedWithRespondent: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When it was shared; null when not shared' }) sharedAt: string | null;
}

export function toEvidenceView(e: EvidenceEntity, uploaderName: string): EvidenceView {
  return {
    sharedWithRespondent: e.sharedWithRespondent ?? false,
    sharedAt: e.sharedAt ? new Date(e.sharedAt).toISOString() : null,
    id: e.id,
    fileName: e.fileName,
    mediaType: e.mediaType,
    sizeBytes: e.sizeBytes,
    sha256: e.sha256,
    description: e.description,
    uploadedBy: { id: e.uploadedBy, name: uploaderName, role: e.uploaderRole },
    createdAt: e.createdAt.toISOString(),
    downloadUrl: e.caseId ? `/api/cases/${e.caseId}/evidence/${e.id}` : null,
  };
}
