import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { ValidationFailed, textProblem } from '@cc/common';

/** One part of an upload form, independent of the HTTP framework that parsed it. */
export type UploadPart =
  | { kind: 'file'; field: string; fileName: string; stream: Readable & { truncated?: boolean } }
  | { kind: 'field'; field: string; value: string };

/** A limit of the multipart parser was hit: the file's size, or too many files or fields. */
export class UploadLimitExceeded extends Error {
  constructor(readonly limit: 'fileSize' | 'files' | 'parts' | 'fields') {
    super(`Upload limit exceeded: ${limit}`);
  }
}

const LIMIT_CODES: Record<string, UploadLimitExceeded['limit']> = {
  FST_REQ_FILE_TOO_LARGE: 'fileSize',
  FST_FILES_LIMIT: 'files',
  FST_PARTS_LIMIT: 'parts',
  FST_FIELDS_LIMIT: 'fields',
};

/** What a body that ends before its closing boundary, or is otherwise not multipart, is told. */
const MALFORMED = 'could not be read: the multipart/form-data body is malformed or incomplete';

/**
 * The 400 that a fault in reading the form stands for: the body ended before its closing boundary
 * (a client cut off, a Content-Length larger than what was sent), or it was never multipart. Such
 * errors come from the parser or from a file's stream while it is being read; undefined for any
 * other error.
 */
export function multipartFault(error: unknown): ValidationFailed | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code.startsWith('FST_') && !LIMIT_CODES[code]) return new ValidationFailed([{ field: 'file', reason: MALFORMED }]);
  if (typeof message === 'string' && /unexpected end of multipart data|terminated early|^Multipart: |Malformed part header|premature close/i.test(message)) {
    return new ValidationFailed([{ field: 'file', reason: MALFORMED }]);
  }
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') return new ValidationFailed([{ field: 'file', reason: MALFORMED }]);
  return undefined;
}

/** The parts of a multipart/form-data request, read as the consumer asks for them (streamed, never buffered). */
export async function* multipartParts(request: FastifyRequest): AsyncGenerator<UploadPart> {
  if (!request.isMultipart()) {
    throw new ValidationFailed([{ field: 'file', reason: 'is required: send the document as multipart/form-data with the file in a field named "file"' }]);
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') yield { kind: 'file', field: part.fieldname, fileName: part.filename, stream: part.file };
      else {
        // The JSON bodies' check (libs/common input-guards) cannot see fields streamed after it ran.
        const value = String(part.value ?? '');
        const reason = textProblem(value) ?? textProblem(part.fieldname);
        if (reason) throw new ValidationFailed([{ field: textProblem(part.fieldname) ? '(form)' : part.fieldname, reason }]);
        yield { kind: 'field', field: part.fieldname, value };
      }
    }
  } catch (error) {
    const limit = LIMIT_CODES[(error as { code?: string }).code ?? ''];
    if (limit) throw new UploadLimitExceeded(limit);
    throw multipartFault(error) ?? error;
  }
}
