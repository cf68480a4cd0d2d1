import { FieldError, ValidationFailed } from './domain-error';

/**
 * A safety net for input that reached PostgreSQL and was refused there: a reference to a row that
 * does not exist, or a value the column's type cannot hold. Each of these is the request's fault,
 * so it is a 400 naming the field where it can be told, never a 500. Services check references
 * themselves first (and say more); this catches the one a service forgot.
 */

/** SQLSTATEs meaning "the value sent cannot be stored", with what the client is told. */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22P02': 'is not in a form this field takes', // invalid_text_representation: "abc" for a uuid or a number
  '22007': REAL('date'), // invalid_datetime_format
  '22008': REAL('date'), // datetime_field_overflow: 2027-02-30, year 0
  '22021': 'contains a character that cannot be stored', // character_not_in_repertoire: NUL, broken UTF-8
  '22P05': 'contains a character that cannot be stored', // untranslatable_character: \u0000 in jsonb
  '22001': 'is too long', // string_data_right_truncation
  '22003': 'is a number out of range', // numeric_value_out_of_range
};

function REAL(what: string): string {
  return `must be a real ${what}, like 2027-03-14`;
}

interface PgErrorLike {
  code?: unknown;
  detail?: unknown;
  column?: unknown;
  message?: unknown;
  driverError?: unknown;
}

/** `compact_id` as the API names it: `compactId`. */
function fieldName(column: string): string {
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The ValidationFailed a database refusal stands for, or undefined when the error is something else. */
export function databaseRefusal(error: unknown): ValidationFailed | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const outer = error as PgErrorLike;
  const pg = (typeof outer.driverError === 'object' && outer.driverError !== null ? outer.driverError : outer) as PgErrorLike;
  const code = typeof pg.code === 'string' ? pg.code : undefined;
  if (!code) return undefined;
  const detail = typeof pg.detail === 'string' ? pg.detail : '';
  if (code === '23503') {
    // "Key (compact_id)=(…) is not present in table "compacts"." names the column; a delete that
    // other rows still point at says "is still referenced from table".
    const column = /^Key \(([a-z_]+)\)=/.exec(detail)?.[1];
    const field: FieldError = /is still referenced/.test(detail)
      ? { field: column ? fieldName(column) : '(request)', reason: 'is still in use elsewhere, so it cannot be removed' }
      : { field: column ? fieldName(column) : '(request)', reason: 'names something that does not exist' };
    return new ValidationFailed([field]);
  }
  const reason = DATA_EXCEPTIONS[code];
  if (!reason) return undefined;
  const column = typeof pg.column === 'string' ? fieldName(pg.column) : '(request)';
  return new ValidationFailed([{ field: column, reason }]);
}
