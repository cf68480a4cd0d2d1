/**
 * The lengths of time people are told about (working days to answer, days to reopen, how long
 * before a session the reminder goes), taken from the workflow so that what the pages and
 * e-mails say is what the case process does.
 */
import { CHASE_WORKING_DAYS, DEADLINE_KINDS, REOPEN_WINDOW_DAYS, REVIEW_WINDOW_WORKING_DAYS } from '@cc/workflows';
import type { DeadlineKind } from '@cc/workflows';
import { SESSION_REMINDER_LEAD_MS } from '@cc/workflows';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Clocks with a length in working days (the others end on a date the case sets). */
export type TimedDeadlineKind = { [K in DeadlineKind]: (typeof DEADLINE_KINDS)[K]['workingDays'] extends number ? K : never }[DeadlineKind];

/** The default length of a clock, in working days. */
export const workingDaysFor = (kind: TimedDeadlineKind): number => DEADLINE_KINDS[kind].workingDays;

/** Working days CHASE gives the public body. */
export const CHASE_DAYS: number = CHASE_WORKING_DAYS;

/** Days after closing within which a case may be reopened. */
export const REOPEN_DAYS: number = REOPEN_WINDOW_DAYS;

/** Working days after a rejection within which the reporter may ask for a review (version 2). */
export const REVIEW_DAYS: number = REVIEW_WINDOW_WORKING_DAYS;

/** Days before a mediation session that its reminder goes. */
export const SESSION_REMINDER_DAYS: number = Math.round(SESSION_REMINDER_LEAD_MS / DAY_MS);

/** "10 working days", "1 working day". */
export const workingDays = (n: number): string => `${n} working ${n === 1 ? 'day' : 'days'}`;

/** "90 days", "1 day". */
export const days = (n: number): string => `${n} ${n === 1 ? 'day' : 'days'}`;
