import { ConflictException } from '@nestjs/common';
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
  if (err instanceof ConflictException) return [{ field: conflictField, reason: err.message }];
  throw err;
}

/** GOV.UK tag colours for a status; the text says the status, the colour only repeats it. */
export function statusTag(status: string): { text: string; classes: string } {
  const colour: Record<string, string> = { active: 'govuk-tag--green', draft: 'govuk-tag--grey', under_review: 'govuk-tag--yellow', archived: 'govuk-tag--grey', inactive: 'govuk-tag--grey' };
  const label = status.replace(/_/g, ' ');
  return { text: label.charAt(0).toUpperCase() + label.slice(1), classes: colour[status] ?? '' };
}
