import type { FastifyRequest } from 'fastify';
import { Forbidden } from '@cc/common';
import { UploadPart, multipartParts } from '@cc/evidence';
import { WebSession, tokensEqual } from './web-sessions.service';

export interface CheckedUpload {
  /** The parts after the CSRF token, with the text fields seen so far collected in `fields`. */
  parts: AsyncGenerator<UploadPart>;
  fields: Record<string, string>;
}

/**
 * The parts of a page's upload form, once its CSRF token (the form's first field) has been checked:
 * the guard cannot see inside a streamed body, so every upload handler starts here.
 */
export async function uploadAfterCsrf(request: FastifyRequest, session: WebSession): Promise<CheckedUpload> {
  const parts = multipartParts(request);
  const first = await parts.next();
  const token = !first.done && first.value.kind === 'field' && first.value.field === '_csrf' ? first.value.value : undefined;
  if (!tokensEqual(session.csrfToken, token)) {
    if (!first.done && first.value.kind === 'file') first.value.stream.resume();
    throw new Forbidden('CSRF_TOKEN_INVALID', 'This form has expired or did not come from this service. Go back, reload the page and submit it again.');
  }
  const fields: Record<string, string> = {};
  const watched = (async function* () {
    for await (const part of parts) {
      if (part.kind === 'field') fields[part.field] = part.value;
      yield part;
    }
  })();
  return { parts: watched, fields };
}
