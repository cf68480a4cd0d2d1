import type { z } from 'zod';
import { FieldError, ValidationFailed } from './domain-error';

/** Turns zod issues into the API's field errors: the dotted path and a readable reason. */
export function toFieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { field: [path, ...issue.keys].filter(Boolean).join('.'), reason: 'is not a known field' };
    }
    return { field: path || '(body)', reason: reasonOf(issue) };
  });
}

/**
 * zod's own messages ("Invalid input: expected number, received string") are for the one who
 * wrote the schema; these say what the field must be. A schema's own message is kept.
 */
function reasonOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'is required';
      if (!/^Invalid input/.test(issue.message)) return issue.message;
      return issue.expected === 'int' ? 'must be a whole number' : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      if (!/^Invalid (option|input)/.test(issue.message)) return issue.message;
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

const TYPE_WORDS: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', array: 'a list', object: 'an object' };

/** Parses, or throws ValidationFailed; pass an earlier safeParse result to avoid parsing twice. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix = '', parsed?: z.ZodSafeParseResult<z.infer<S>>): z.infer<S> {
  const result = parsed ?? schema.safeParse(value);
  if (!result.success) throw new ValidationFailed(toFieldErrors(result.error, prefix));
  return result.data;
}
