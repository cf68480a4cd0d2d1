import { ValidateBy, ValidationOptions } from 'class-validator';
import { z } from 'zod';
import { REAL_DATE_REASON, REAL_DATE_TIME_REASON, isRealDate, isRealDateTime } from '@cc/workflows';

/**
 * Every calendar date the API accepts goes through one check (isRealDate, in the workflow's pure
 * date rules, which the machine's own schemas use too): 2027-13-01, 0000-00-00, 2027-02-30 and
 * 2026-02-29 are refused with the same words wherever they are sent, and none is ever stored
 * rolled over to another day. These are its forms for zod schemas and class-validator DTOs.
 */
export { REAL_DATE_REASON, REAL_DATE_TIME_REASON, isRealDate, isRealDateTime };

/** A zod schema for a calendar date, YYYY-MM-DD, on a day that exists. */
export function calendarDate(message = REAL_DATE_REASON) {
  return z.string({ message: 'must be text: a date like 2027-03-14' }).refine(isRealDate, message);
}

/** A zod schema for an ISO 8601 date and time with an offset, on a day that exists. */
export function calendarDateTime(message = REAL_DATE_TIME_REASON) {
  return z.string({ message: 'must be text: a date and time like 2027-03-14T10:00:00Z' }).refine(isRealDateTime, message);
}

/** class-validator: a calendar date, YYYY-MM-DD, on a day that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: (v: unknown) => isRealDate(v), defaultMessage: () => REAL_DATE_REASON } }, options);
}
