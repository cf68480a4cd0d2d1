import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { ValidationFailed } from '@cc/common';

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

/** The parts of a multipart/form-data request, read as the consumer asks for them (streamed, never buffered). */
export async function* multipartParts(request: FastifyRequest): AsyncGenerator<UploadPart> {
  if (!request.isMultipart()) {
    throw new ValidationFailed([{ field: 'file', reason: 'is required: send the document as multipart/form-data with the file in a field named "file"' }]);
  }
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') yield { kind: 'file', field: part.fieldname, fileName: part.filename, stream: part.file };
      else yield { kind: 'field', field: part.fieldname, value: String(part.value ?? '') };
    }
  } catch (error) {
    const limit = LIMIT_CODES[(error as { code?: string }).code ?? ''];
    if (limit) throw new UploadLimitExceeded(limit);
    if ((error as { code?: string }).code?.startsWith('FST_')) {
      throw new ValidationFailed([{ field: 'file', reason: 'could not be read: the multipart/form-data body is malformed or incomplete' }]);
    }
    throw error;
  }
}
