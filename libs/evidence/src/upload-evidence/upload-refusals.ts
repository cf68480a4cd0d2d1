import { DomainError } from '@cc/common';

/** An upload refused for its size (413). */
export class EvidenceTooLarge extends DomainError {
  constructor(maxBytes: number, fileName?: string) {
    const limit = formatMegabytes(maxBytes);
    super(
      'tooLarge',
      'EVIDENCE_TOO_LARGE',
      `${fileName || 'The file'} is larger than the ${limit} limit. Make it smaller (for example, save a scan at a lower resolution, or as a PDF), or split it into several files, and add them one at a time.`,
      { maxBytes, errors: [{ field: 'file', reason: `must be ${limit} or smaller` }] },
    );
  }
}

/**
 * An upload refused for what it is (415): not a type we take, executable, or not what its name
 * says. `message` is a sentence naming the file, shown to people as it is; `reason` completes
 * "The file ..." for the API's field error.
 */
export class EvidenceTypeRefused extends DomainError {
  constructor(message: string, reason: string, details: { detected: string; accepted: string }) {
    super('unsupportedType', 'EVIDENCE_TYPE_REFUSED', message, { ...details, errors: [{ field: 'file', reason }] });
  }
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(mb < 0.1 ? 3 : 1))} MB`;
}
