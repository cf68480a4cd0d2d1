/**
 * Errors the domain raises, each with a stable code. They know nothing of HTTP: one exception
 * filter maps each kind to a status, so every endpoint answers the same way for the same fault.
 */
export type DomainErrorKind =
  | 'invalid' // 400: the request itself is wrong
  | 'unauthenticated' // 401
  | 'forbidden' // 403: the caller may see the thing but not do this
  | 'notFound' // 404: absent, or the caller may not know it exists
  | 'conflict' // 409: not allowed in the current state, or a lost race
  | 'tooLarge' // 413: an upload over its limit
  | 'unsupportedType' // 415: an upload whose content is not a type we take
  | 'tooManyAttempts'; // 429: sign-in (or reset, or a second factor) tried too often; details.retryAfterSeconds says when

/** The HTTP status of each kind: the API's filter and the pages' both answer with these. */
export const HTTP_STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  tooLarge: 413,
  unsupportedType: 415,
  tooManyAttempts: 429,
};

export interface FieldError {
  field: string;
  reason: string;
  /** For a file import: the line of the file the problem is on (1 is the header of a CSV). */
  row?: number;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationFailed extends DomainError {
  constructor(readonly errors: FieldError[]) {
    super(
      'invalid',
      'VALIDATION_FAILED',
      `The request has ${errors.length === 1 ? 'an invalid field' : `${errors.length} invalid fields`}: ${errors
        .slice(0, 5)
        .map((e) => `${e.row ? `row ${e.row}: ` : ''}${e.field} ${e.reason}`)
        .join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more (see errors)` : ''}.`,
      { errors },
    );
  }
}

export class NotFound extends DomainError {
  constructor(what: string, code = 'NOT_FOUND') {
    super('notFound', code, `${what} was not found, or you do not have access to it.`);
  }
}

export class Forbidden extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super('forbidden', code, message, details);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super('conflict', code, message, details);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in first: send a bearer token from POST /api/auth/login in the Authorization header.') {
    super('unauthenticated', 'UNAUTHENTICATED', message);
  }
}

/** Too many tries at a secret (a password, a reset, a second factor): wait, then try again. */
export class TooManyAttempts extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super('tooManyAttempts', 'TOO_MANY_ATTEMPTS', message, { retryAfterSeconds });
  }
}
