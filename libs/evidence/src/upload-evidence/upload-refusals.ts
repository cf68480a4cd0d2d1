import { DomainError } from '@cc/common';

/** An upload refused for its size (413). */
export class EvidenceTooLarge extends DomainError {
  constructor(maxBytes: number) {
    const limit = formatMegabytes(maxBytes);
    super(
      'tooLarge',
      'EVIDENCE_TOO_LARGE',
      `The file is larger than the ${limit} limit. Make it smaller (for example save a scan at a lower resolution, or as a PDF), or split it into several files, and upload again.`,
      { maxBytes, errors: [{ field: 'file', reason: `must be at most ${limit}` }] },
    );
  }
}

/** An upload refused for what it is (415): not a type we take, executable, or not what its name says. */
export class EvidenceTypeRefused extends DomainError {
  constructor(reason: string, details: { detected: string; accepted: string }) {
    super('unsupportedType', 'EVIDENCE_TYPE_REFUSED', `The file was refused: ${reason}`, { ...details, errors: [{ field: 'file', reason }] });
  }
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(mb < 0.1 ? 3 : 1))} MB`;
}
