import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DomainError } from '@cc/common';

/**
 * An upload refused for its size (413) or its type (415). The shared error kinds have no such
 * statuses, so these are 'invalid' DomainErrors (a 400 wherever this module's filter is not
 * applied) that carry their own status for the filter on the upload route.
 */
export abstract class UploadRefusal extends DomainError {
  abstract readonly status: 413 | 415;
}

export class EvidenceTooLarge extends UploadRefusal {
  readonly status = 413;
  constructor(maxBytes: number) {
    const limit = formatMegabytes(maxBytes);
    super(
      'invalid',
      'EVIDENCE_TOO_LARGE',
      `The file is larger than the ${limit} limit. Make it smaller (for example save a scan at a lower resolution, or as a PDF), or split it into several files, and upload again.`,
      { maxBytes, errors: [{ field: 'file', reason: `must be at most ${limit}` }] },
    );
  }
}

export class EvidenceTypeRefused extends UploadRefusal {
  readonly status = 415;
  constructor(reason: string, details: { detected: string; accepted: string }) {
    super('invalid', 'EVIDENCE_TYPE_REFUSED', `The file was refused: ${reason}`, { ...details, errors: [{ field: 'file', reason }] });
  }
}

/** Answers an UploadRefusal in the shape every other error has: `{ statusCode, code, message, ...details }`. */
@Catch(UploadRefusal)
export class UploadRefusalFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(refusal: UploadRefusal, host: ArgumentsHost): void {
    const body = { statusCode: refusal.status, code: refusal.code, message: refusal.message, ...refusal.details };
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, refusal.status);
  }
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : Number(mb.toFixed(mb < 0.1 ? 3 : 1))} MB`;
}
