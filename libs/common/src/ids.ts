/** An id's text (any UUID version, either case), for the rare pattern that must find one inside a longer string. */
export const UUID_TEXT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const UUID = new RegExp(`^${UUID_TEXT}$`, 'i');

/** Whether a path or query value can be an id at all: anything else is "not found", not a database error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
