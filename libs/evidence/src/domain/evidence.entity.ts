import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@cc/workflows';

// bigint comes back from pg as a string; evidence sizes fit a JS number with room to spare.
const bigintAsNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('evidence')
export class EvidenceEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Null while held for a report still being written (see heldFor). */
  @Column('uuid', { name: 'case_id', nullable: true }) caseId: string | null;
  @Column('uuid', { name: 'held_for', nullable: true }) heldFor: string | null;
  @Column('uuid', { name: 'uploaded_by' }) uploadedBy: string;
  /** The uploader's role at the time: people change roles, the record should not. */
  @Column('text', { name: 'uploader_role', nullable: true }) uploaderRole: Role | null;
  /** The uploader's name for the file, sanitised; only ever shown, never used as a path. */
  @Column('text', { name: 'file_name' }) fileName: string;
  /** Sniffed from the content, not taken from the upload's headers. */
  @Column('text', { name: 'media_type' }) mediaType: string;
  @Column('bigint', { name: 'size_bytes', transformer: bigintAsNumber }) sizeBytes: number;
  @Column('text') sha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @Column('text', { nullable: true }) description: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** Whether the public body sees it: a caseworker shares it; the public body's own uploads are shared as they arrive. */
  @Column('boolean', { name: 'shared_with_respondent', default: false }) sharedWithRespondent: boolean;
  @Column('timestamptz', { name: 'shared_at', nullable: true }) sharedAt: Date | null;
  @Column('uuid', { name: 'shared_by', nullable: true }) sharedBy: string | null;
}
