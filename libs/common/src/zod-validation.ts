import type { z } from 'zod';
import { FieldError, ValidationFailed } from './domain-error';

/** Turns zod issues into the API's field errors: the dotted path and a readable reason. */
export function toFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { field: [path, ...issue.keys].filter(Boolean).join('.'), reason: 'is not a known field' };
    }
    const reason =
      issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'is required' : issue.message;
    return { field: path || '(body)', reason };
  });
}

/** Parses, or throws ValidationFailed; pass an earlier safeParse result to avoid parsing twice. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix = '', parsed?: z.ZodSafeParseResult<z.infer<S>>): z.infer<S> {
  const result = parsed ?? schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(toFieldErrors(result.error, prefix));
  return result.data;
}
