import { DomainError, FieldError, ValidationFailed } from '@cc/common';
import type { WebSession, WebSessions } from '../web-sessions.service';

/** A one-time success message kept in the session across the redirect after a form. */
export async function setFlash(sessions: WebSessions, session: WebSession, text: string): Promise<void> {
  await sessions.setData(session, 'adminFlash', text);
}

export async function takeFlash(sessions: WebSessions, session: WebSession): Promise<string | undefined> {
  const text = session.data?.adminFlash;
  if (typeof text !== 'string') return undefined;
  await sessions.setData(session, 'adminFlash', undefined);
  return text;
}

/** A form value: trimmed text, or undefined when left empty. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/**
 * The field errors a use case refused a form with; a conflict (say, a name already taken) is put
 * against the field it is about. Anything else is not the form's fault and is rethrown.
 */
export function formErrors(err: unknown, conflictField: string, labels: Record<string, string> = {}): FieldError[] {
  if (err instanceof ValidationFailed) {
    return err.errors.map((e) => {
      const label = labels[e.field] ?? labels[e.field.split('.')[0]] ?? e.field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      return { ...e, field: labels[e.field] ? e.field : e.field.split('.')[0], reason: `${label.charAt(0).toUpperCase()}${label.slice(1)} ${e.reason}` };
    });
  }
  if (err instanceof DomainError && (err.kind === 'conflict' || err.kind === 'notFound')) return [{ field: conflictField, reason: err.message }];
  throw err;
}

/** GOV.UK tag colours for a status; the text says the status, the colour only repeats it. */
export function statusTag(status: string): { text: string; classes: string } {
  const colour: Record<string, string> = { active: 'govuk-tag--green', draft: 'govuk-tag--grey', under_review: 'govuk-tag--yellow', archived: 'govuk-tag--grey', inactive: 'govuk-tag--grey' };
  const label = status.replace(/_/g, ' ');
  return { text: label.charAt(0).toUpperCase() + label.slice(1), classes: colour[status] ?? '' };
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** A stored YYYY-MM-DD as the three boxes of a GOV.UK date input. */
export function dateParts(iso: string | null | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : { day: '', month: '', year: '' };
}

/** The three boxes of a date input as the form sent them (`<prefix>-day` and so on). */
export function datePartsFrom(form: Record<string, string | undefined>, prefix: string): DateParts {
  const part = (k: string) => String(form[`${prefix}-${k}`] ?? '').trim().slice(0, 10);
  return { day: part('day'), month: part('month'), year: part('year') };
}

/**
 * Reads a GOV.UK date input into YYYY-MM-DD, or says what is wrong in the Design System's words
 * ("Date signed must include a month"). Empty is undefined: the caller decides if that is allowed.
 */
export function readDate(parts: DateParts, field: string, label: string, options: { notFuture?: boolean } = {}): { value?: string; error?: FieldError } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return {};
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean) as string[];
  if (missing.length) return { error: { field, reason: `${label} must include a ${missing.join(' and a ')}` } };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: { field, reason: `${label} must be a real date, like 31 3 2011` } };
  const value = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return { error: { field, reason: `${label} must be a real date, like 31 3 2011` } };
  if (Number(year) < 1998) return { error: { field, reason: `${label} must be in 1998 or later, when the first Compact was agreed` } };
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  if (options.notFuture && value > today) return { error: { field, reason: `${label} must be today or in the past` } };
  return { value };
}
