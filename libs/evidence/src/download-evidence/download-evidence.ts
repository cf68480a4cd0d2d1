import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CaseAccess } from '@cc/cases';
import { NotFound, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { attachmentDisposition } from '../content/file-name';
import { EvidenceEntity } from '../domain/evidence.entity';
import { EvidenceStorage } from '../storage/evidence-storage';

export interface EvidenceDownload {
  stream: Readable;
  /** The sniffed type, with a charset for text so browsers and editors read it as UTF-8. */
  contentType: string;
  contentDisposition: string;
  sizeBytes: number;
  /** Every header the answer needs, the same for the API and the pages. */
  headers: Record<string, string>;
}

/**
 * Uploaded content is never to be rendered or run by the browser, whatever it turns out to be:
 * always an attachment, never sniffed, sandboxed if opened, and not kept in shared caches.
 */
function downloadHeaders(d: Omit<EvidenceDownload, 'headers' | 'stream'>): Record<string, string> {
  return {
    'Content-Type': d.contentType,
    'Content-Disposition': d.contentDisposition,
    'Content-Length': String(d.sizeBytes),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  };
}

/** The bytes of one piece of evidence, for someone who may see its case (a respondent: shared evidence only). */
@Injectable()
export class DownloadEvidence {
  private readonly logger = new Logger(DownloadEvidence.name);

  constructor(
    @InjectRepository(EvidenceEntity) private readonly evidence: Repository<EvidenceEntity>,
    private readonly access: CaseAccess,
    private readonly storage: EvidenceStorage,
  ) {}

  async execute(caller: Caller, caseIdOrReference: string, evidenceId: string): Promise<EvidenceDownload> {
    const { row: c, asRespondent } = await this.access.visible(caller, caseIdOrReference);
    // A document not shared with the public body does not exist as far as a respondent can tell.
    const found = isUuid(evidenceId)
      ? await this.evidence.findOneBy({ id: evidenceId, caseId: c.id, ...(asRespondent ? { sharedWithRespondent: true } : {}) })
      : null;
    if (!found) throw new NotFound(`Evidence ${evidenceId} on case ${caseIdOrReference}`, 'EVIDENCE_NOT_FOUND');
    let stream: Readable;
    try {
      stream = await this.storage.open(found.storageKey);
    } catch (error) {
      this.logger.error({ err: error, evidenceId: found.id, caseId: c.id, storageKey: found.storageKey }, 'Evidence file missing from storage');
      throw new NotFound(`The file of evidence ${evidenceId}`, 'EVIDENCE_FILE_MISSING');
    }
    const described = {
      contentType: found.mediaType.startsWith('text/') ? `${found.mediaType}; charset=utf-8` : found.mediaType,
      contentDisposition: attachmentDisposition(found.fileName),
      sizeBytes: found.sizeBytes,
    };
    return { stream, ...described, headers: downloadHeaders(described) };
  }
}
