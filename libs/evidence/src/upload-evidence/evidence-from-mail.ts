import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@cc/config';
import type { Role } from '@cc/workflows';
import { sanitiseFileName } from '../content/file-name';
import { SNIFF_HEAD_BYTES } from '../content/sniff-content';
import { EvidenceEntity } from '../domain/evidence.entity';
import { EvidenceStorage } from '../storage/evidence-storage';
import { judgeType } from './judge-type';
import { EvidenceTooLarge } from './upload-refusals';

/** A file that passed the content checks, staged on local disk until it is kept or let go. */
export interface CheckedAttachment {
  accepted: true;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  stagedPath: string;
}

/** A file the content checks refused, with the sentence that says why (it names the file). */
export interface RefusedAttachment {
  accepted: false;
  fileName: string;
  reason: string;
}

/**
 * Documents that arrive as an e-mail's attachments, put through the same checks as an upload
 * (size, type from the bytes, name agreeing with the type) and kept as the case's evidence. In two
 * steps so that a caller writing the e-mail's message in a transaction checks the files before it
 * (no disk work while rows are locked beyond the store itself) and keeps them inside it.
 */
@Injectable()
export class EvidenceFromMail {
  private readonly logger = new Logger(EvidenceFromMail.name);
  private readonly stagingDir: string;

  constructor(
    private readonly storage: EvidenceStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.stagingDir = join(config.DATA_DIR, 'tmp', 'evidence-mail');
  }

  /** Checks one file; an accepted one is staged (let it go with `release`, or keep it with `keep`). */
  async check(originalName: string | undefined, content: Buffer): Promise<CheckedAttachment | RefusedAttachment> {
    const fileName = sanitiseFileName(originalName) || 'attachment';
    if (content.length > this.config.EVIDENCE_MAX_BYTES) {
      return { accepted: false, fileName, reason: new EvidenceTooLarge(this.config.EVIDENCE_MAX_BYTES, fileName).message };
    }
    if (content.length === 0) return { accepted: false, fileName, reason: `${fileName} is empty.` };
    await mkdir(this.stagingDir, { recursive: true });
    const stagedPath = join(this.stagingDir, randomUUID());
    await writeFile(stagedPath, content, { flag: 'wx' });
    try {
      const judged = await judgeType(content.subarray(0, SNIFF_HEAD_BYTES), stagedPath, fileName);
      if (!judged.accepted) {
        this.logger.warn({ detected: judged.detected, fileName, sizeBytes: content.length }, 'E-mail attachment refused for its type');
        await rm(stagedPath, { force: true });
        return { accepted: false, fileName, reason: judged.refusal.message };
      }
      return { accepted: true, fileName, mediaType: judged.mediaType, sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex'), stagedPath };
    } catch (error) {
      await rm(stagedPath, { force: true });
      throw error;
    }
  }

  /**
   * Keeps a checked file as evidence on the case, in the caller's transaction. Returns the storage
   * key too: if that transaction is then rolled back, the caller removes the file with `forget`.
   */
  async keep(
    manager: EntityManager,
    file: CheckedAttachment,
    to: { caseId: string; uploadedBy: string; uploaderRole: Role; description: string | null; sharedWithRespondent: boolean },
  ): Promise<{ evidenceId: string; storageKey: string }> {
    const key = this.storage.newKey();
    await this.storage.put(key, file.stagedPath);
    const saved = await manager.save(
      manager.create(EvidenceEntity, {
        caseId: to.caseId,
        heldFor: null,
        uploadedBy: to.uploadedBy,
        uploaderRole: to.uploaderRole,
        fileName: file.fileName,
        mediaType: file.mediaType,
        sizeBytes: file.sizeBytes,
        sha256: file.sha256,
        storageKey: key,
        description: to.description,
        ...(to.sharedWithRespondent ? { sharedWithRespondent: true, sharedAt: new Date(), sharedBy: to.uploadedBy } : {}),
      }),
    );
    return { evidenceId: saved.id, storageKey: key };
  }

  /** Lets staged files go (those kept are already moved into storage). */
  async release(files: ReadonlyArray<CheckedAttachment | RefusedAttachment>): Promise<void> {
    for (const f of files) if (f.accepted) await rm(f.stagedPath, { force: true });
  }

  /**
   * Removes staged files older than `olderThanMs`: those of a worker that was killed between
   * checking an e-mail's attachments and keeping them (the e-mail itself is processed again).
   */
  async sweepStaging(olderThanMs: number): Promise<number> {
    const names = await readdir(this.stagingDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.stagingDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    if (removed) this.logger.log({ removed }, 'Removed attachments left staged by an interrupted worker');
    return removed;
  }

  /** Removes stored files whose rows were rolled back. */
  async forget(storageKeys: readonly string[]): Promise<void> {
    for (const key of storageKeys) {
      await this.storage.remove(key).catch((err: unknown) => this.logger.error({ err, storageKey: key }, 'Could not remove an e-mail attachment after a rolled-back filing'));
    }
  }
}
