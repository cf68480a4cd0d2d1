import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CaseAccess, CaseEntity } from '@cc/cases';
import { Conflict, Forbidden, ValidationFailed, isUuid } from '@cc/common';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { runSql, sql } from '@cc/persistence';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { sanitiseFileName } from '../content/file-name';
import { SNIFF_HEAD_BYTES } from '../content/sniff-content';
import { EvidenceView, toEvidenceView } from '../domain/evidence.dto';
import { EvidenceEntity } from '../domain/evidence.entity';
import { EvidenceStorage } from '../storage/evidence-storage';
import { judgeType } from './judge-type';
import { EvidenceTooLarge } from './upload-refusals';
import { UploadLimitExceeded, UploadPart, multipartFault } from './upload-parts';

export const MAX_DESCRIPTION_LENGTH = 500;

interface StagedFile {
  path: string;
  head: Buffer;
  sizeBytes: number;
  sha256: string;
  fileName: string;
}

/**
 * Attaches a document to a case: checks who may, streams the upload to a staging file while
 * hashing and counting it, judges its type from the bytes, then moves it into storage and records
 * it. Whatever happens, no staging file stays behind, and no stored file is left without its row.
 */
@Injectable()
export class UploadEvidence {
  private readonly logger = new Logger(UploadEvidence.name);
  private readonly stagingDir: string;

  constructor(
    private readonly access: CaseAccess,
    private readonly storage: EvidenceStorage,
    private readonly directory: UsersDirectory,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.stagingDir = join(config.DATA_DIR, 'tmp', 'evidence-uploads');
  }

  async execute(caller: Caller, caseIdOrReference: string, parts: AsyncIterable<UploadPart>): Promise<EvidenceView> {
    // Refused before a byte of the file is read: no point receiving what cannot be kept.
    const c = await this.access.visibleCase(caller, caseIdOrReference);
    if (caller.role === 'mediator') {
      throw new Forbidden('EVIDENCE_UPLOAD_NOT_ALLOWED', 'Mediators cannot add evidence to a case; ask the caseworker or the reporting organisation to add it.');
    }
    assertOpen(c);

    const { staged, description } = await this.receive(parts);
    try {
      const mediaType = await this.judgeType(staged);
      const saved = await this.store(caller, c.id, staged, mediaType, description);
      this.logger.log(
        { caseId: c.id, evidenceId: saved.id, mediaType, sizeBytes: staged.sizeBytes, uploadedBy: caller.userId },
        'Evidence uploaded',
      );
      const names = await this.directory.displayNames([caller.userId]);
      return toEvidenceView(saved, names.get(caller.userId) ?? '(unknown)');
    } finally {
      await rm(staged.path, { force: true });
    }
  }

  /**
   * A reporter's document for a report not yet sent: the same checks, stored and held for them
   * until `attachHeld` puts it on the case the report becomes.
   */
  async hold(caller: Caller, parts: AsyncIterable<UploadPart>): Promise<EvidenceView> {
    if (caller.role !== 'reporter') throw new Forbidden('REPORTERS_ONLY', 'Only a reporter writing a report can add documents before it is sent.');
    const { staged, description } = await this.receive(parts);
    try {
      const mediaType = await this.judgeType(staged);
      const saved = await this.store(caller, null, staged, mediaType, description);
      this.logger.log({ evidenceId: saved.id, mediaType, sizeBytes: staged.sizeBytes, heldFor: caller.userId }, 'Evidence held for a report being written');
      const names = await this.directory.displayNames([caller.userId]);
      return toEvidenceView(saved, names.get(caller.userId) ?? '(unknown)');
    } finally {
      await rm(staged.path, { force: true });
    }
  }

  /** Puts the caller's held documents on a case they may add evidence to; returns how many moved. */
  async attachHeld(caller: Caller, caseId: string, evidenceIds: string[]): Promise<number> {
    if (evidenceIds.length === 0) return 0;
    const c = await this.access.visibleCase(caller, caseId);
    assertOpen(c);
    const moved = await runSql(this.db, sql`UPDATE evidence SET case_id = ${c.id}, held_for = NULL WHERE id = ANY(${evidenceIds}::uuid[]) AND held_for = ${caller.userId} RETURNING id`);
    const count = moved.length;
    this.logger.log({ caseId: c.id, attached: count }, 'Held evidence attached to the case');
    return count;
  }

  /** The caller's held documents among these ids (a report's draft names them). */
  async held(caller: Caller, evidenceIds: string[]): Promise<EvidenceView[]> {
    if (evidenceIds.length === 0) return [];
    const rows = await this.db.getRepository(EvidenceEntity).createQueryBuilder('e').where('e.id IN (:...ids) AND e.held_for = :me', { ids: evidenceIds, me: caller.userId }).orderBy('e.created_at').getMany();
    const names = await this.directory.displayNames([caller.userId]);
    return rows.map((r) => toEvidenceView(r, names.get(caller.userId) ?? '(unknown)'));
  }

  /** Removes one of the caller's held documents, file and row. */
  async removeHeld(caller: Caller, evidenceId: string): Promise<void> {
    if (!isUuid(evidenceId)) return;
    const removed = await runSql<{ storageKey: string }>(this.db, sql`DELETE FROM evidence WHERE id = ${evidenceId} AND held_for = ${caller.userId} RETURNING storage_key AS "storageKey"`);
    for (const r of removed) await this.storage.remove(r.storageKey).catch((err: unknown) => this.logger.error({ err, storageKey: r.storageKey }, 'Could not remove a held file'));
  }

  private async receive(parts: AsyncIterable<UploadPart>): Promise<{ staged: StagedFile; description: string | null }> {
    let staged: StagedFile | undefined;
    let description: string | null = null;
    let fileName: string | undefined;
    try {
      for await (const part of parts) {
        if (part.kind === 'field' && part.field === 'description') {
          description = part.value.trim() || null;
        } else if (part.kind === 'file' && part.field === 'file' && !staged) {
          fileName = sanitiseFileName(part.fileName);
          staged = await this.stage(part);
        } else {
          if (part.kind === 'file') part.stream.resume();
          throw new ValidationFailed([{ field: part.field, reason: 'is not expected; send one file in "file" and, optionally, a "description"' }]);
        }
      }
    } catch (error) {
      if (staged) await rm(staged.path, { force: true });
      if (error instanceof UploadLimitExceeded) {
        if (error.limit === 'fileSize') throw new EvidenceTooLarge(this.config.EVIDENCE_MAX_BYTES, fileName);
        throw new ValidationFailed([{ field: 'file', reason: 'must be a single file; upload each document separately' }]);
      }
      // A body cut short fails while its file is being read, inside stage(): still the request's fault.
      throw multipartFault(error) ?? error;
    }
    if (!staged) throw new ValidationFailed([{ field: 'file', reason: 'is required: send the document in a multipart/form-data field named "file"' }]);
    if (description !== null && description.length > MAX_DESCRIPTION_LENGTH) {
      await rm(staged.path, { force: true });
      throw new ValidationFailed([{ field: 'description', reason: `must be ${MAX_DESCRIPTION_LENGTH} characters or fewer` }]);
    }
    return { staged, description };
  }

  private async stage(part: Extract<UploadPart, { kind: 'file' }>): Promise<StagedFile> {
    await mkdir(this.stagingDir, { recursive: true });
    const path = join(this.stagingDir, randomUUID());
    const hash = createHash('sha256');
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let sizeBytes = 0;
    const max = this.config.EVIDENCE_MAX_BYTES;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        // The parser's own limit truncates the stream; this one also covers any other source.
        if (sizeBytes > max) return done(new UploadLimitExceeded('fileSize'));
        hash.update(chunk);
        if (headLength < SNIFF_HEAD_BYTES) {
          headChunks.push(chunk.subarray(0, SNIFF_HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, SNIFF_HEAD_BYTES - headLength);
        }
        done(null, chunk);
      },
    });
    try {
      await pipeline(part.stream, measure, createWriteStream(path, { flags: 'wx' }));
      if (part.stream.truncated) throw new UploadLimitExceeded('fileSize');
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { path, head: Buffer.concat(headChunks), sizeBytes, sha256: hash.digest('hex'), fileName: sanitiseFileName(part.fileName) };
  }

  private async judgeType(staged: StagedFile): Promise<string> {
    const judged = await judgeType(staged.head, staged.path, staged.fileName);
    if (!judged.accepted) {
      this.logger.warn({ detected: judged.detected, fileName: staged.fileName, sizeBytes: staged.sizeBytes }, 'Evidence refused for its type');
      throw judged.refusal;
    }
    return judged.mediaType;
  }

  private async store(caller: Caller, caseId: string | null, staged: StagedFile, mediaType: string, description: string | null): Promise<EvidenceEntity> {
    const key = this.storage.newKey();
    try {
      return await this.db.transaction(async (m) => {
        if (caseId) {
          // Holds off a concurrent close until the row is in, so nothing lands on a closed case.
          const [locked] = await runSql<{ state: string; closed_at: Date | null }>(m, sql`SELECT state, closed_at FROM cases WHERE id = ${caseId} FOR SHARE`);
          assertOpen({ state: locked.state, closedAt: locked.closed_at });
        }
        await this.storage.put(key, staged.path);
        return m.save(
          m.create(EvidenceEntity, {
            caseId,
            heldFor: caseId ? null : caller.userId,
            uploadedBy: caller.userId,
            uploaderRole: caller.role,
            fileName: staged.fileName,
            mediaType,
            sizeBytes: staged.sizeBytes,
            sha256: staged.sha256,
            storageKey: key,
            description,
            // The public body's own documents are for the other side to see: shared as they arrive.
            ...(caller.role === 'respondent' ? { sharedWithRespondent: true, sharedAt: new Date(), sharedBy: caller.userId } : {}),
          }),
        );
      });
    } catch (error) {
      await this.storage.remove(key).catch((removeError: unknown) =>
        this.logger.error({ err: removeError, storageKey: key, caseId }, 'Could not remove stored evidence after a failed insert'),
      );
      throw error;
    }
  }
}

function assertOpen(c: Pick<CaseEntity, 'state' | 'closedAt'>): void {
  if (c.state === 'closed' || c.closedAt) {
    throw new Conflict('CASE_CLOSED', 'Evidence can only be added to an open case; this case is closed. If it should continue, ask a caseworker to reopen it.');
  }
}
