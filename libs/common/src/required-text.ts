import { ValidateBy, ValidationOptions } from 'class-validator';

/** What text of only spaces (or nothing) is told where text is required. */
export const BLANK_TEXT_REASON = 'must not be blank';

/** Whether a value is text with something in it besides spaces, tabs and line breaks. */
export function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * class-validator: text is required and must not be blank. IsNotEmpty lets "   " through, and a
 * note or report of only spaces says nothing; the zod schemas trim before their minimum for the
 * same reason. Put it on every required free-text field of a DTO.
 */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isNotBlank', validator: { validate: hasText, defaultMessage: () => BLANK_TEXT_REASON } }, options);
}
