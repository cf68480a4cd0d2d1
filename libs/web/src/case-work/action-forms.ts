import type { z } from 'zod';
import type { FieldError } from '@cc/common';
import { type CallerRelation, type CommandType, commandSchemas, mayRequest } from '@cc/workflows';
import { ACTION_WORDS, FIELD_WORDS, OPTION_WORDS } from './action-labels';

/**
 * The action forms on the case page, built from the commands' zod schemas: the form asks for
 * exactly what the workflow will check, so a new field in a schema shows up on the page.
 */
export type FieldKind = 'input' | 'textarea' | 'email' | 'date' | 'datetime' | 'choice' | 'pounds' | 'number' | 'checkbox' | 'lines' | 'person';

export interface FormOption {
  value: string;
  text: string;
}

export interface FormField {
  name: string;
  /** Stable element id: `${type}-${name}` (date parts add -day, -month, -year, -time). */
  id: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  required: boolean;
  options?: FormOption[];
  /** A choice the caller can make only one way (e.g. which party a reporter answers for). */
  fixed?: FormOption;
}

export interface ActionForm {
  type: string;
  title: string;
  button: string;
  hint?: string;
  warning: boolean;
  fields: FormField[];
}

/** People who can be picked for a field (caseworkers for ASSIGN, mediators for APPOINT_MEDIATOR). */
export type PeopleChoices = Partial<Record<'caseworkerId' | 'mediatorId', FormOption[]>>;

type AnySchema = z.ZodType & { def: { type: string; element?: AnySchema }; unwrap?: () => AnySchema; options?: string[]; shape?: Record<string, AnySchema> };

const accepts = (s: AnySchema, v: unknown) => s.safeParse(v).success;

/** What kind of form field a schema wants, found by how it behaves rather than how it is built. */
function kindOf(name: string, schema: AnySchema): FieldKind {
  switch (schema.def.type) {
    case 'enum':
      return 'choice';
    case 'number':
      return name.endsWith('Pence') ? 'pounds' : 'number';
    case 'boolean':
      return 'checkbox';
    case 'array':
      return 'lines';
    case 'string':
      if (accepts(schema, '2026-01-31') && !accepts(schema, 'abc')) return 'date';
      if (accepts(schema, '2026-01-31T10:00:00Z') && !accepts(schema, '2026-01-31')) return 'datetime';
      if (accepts(schema, '0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b') && !accepts(schema, 'abc')) return 'person';
      if (accepts(schema, 'someone@example.org') && !accepts(schema, 'abc')) return 'email';
      return accepts(schema, 'x'.repeat(600)) ? 'textarea' : 'input';
    default:
      return 'input';
  }
}

function words(type: string, name: string) {
  return FIELD_WORDS[`${type}.${name}`] ?? FIELD_WORDS[name] ?? { label: name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()) };
}

export function fieldsOf(type: string, relation: CallerRelation, people: PeopleChoices = {}): FormField[] {
  const schema = commandSchemas[type as CommandType] as unknown as AnySchema;
  const shape = schema.shape ?? {};
  return Object.entries(shape).map(([name, raw]) => {
    const optional = raw.def.type === 'optional';
    const inner = optional && raw.unwrap ? raw.unwrap() : raw;
    const kind = kindOf(name, inner);
    const { label, hint } = words(type, name);
    const field: FormField = { name, id: `${type}-${name}`, kind, label, hint, required: !optional };
    if (kind === 'choice') {
      // Only the options this caller may send: the role policy decides, not the page.
      const all = (inner.options ?? []).map((value) => ({ value, text: OPTION_WORDS[value] ?? value }));
      field.options = all.filter((o) => mayRequest(relation, type as CommandType, { [name]: o.value }));
      if (field.options.length === 1 && !optional) field.fixed = field.options[0];
    }
    if (kind === 'person') field.options = people[name as keyof PeopleChoices] ?? [];
    return field;
  });
}

export function actionForms(types: string[], relation: CallerRelation, people: PeopleChoices = {}): ActionForm[] {
  return types
    .filter((t) => t in commandSchemas)
    .map((type) => {
      const w = ACTION_WORDS[type] ?? { title: type };
      return { type, title: w.title, button: w.button ?? w.title, hint: w.hint, warning: !!w.warning, fields: fieldsOf(type, relation, people) };
    });
}

export type FormBody = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** A date's day, month and year boxes as YYYY-MM-DD; null when it is not a real date. */
function dateFrom(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T12:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** A wall-clock time in London on that date, as an ISO 8601 time with its offset. */
export function londonDateTime(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  const tz = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d+)?/.exec(tz);
  const hours = m?.[1] ? Number(m[1]) : 0;
  const offset = `${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
  return `${date}T${time}:00${offset}`;
}

/**
 * Turns a submitted form into the command's payload. Returns what was typed (to show it again)
 * and the errors in things the schema cannot judge from text (a date that is not a date).
 */
export function readSubmission(fields: FormField[], body: FormBody): { payload: Record<string, unknown>; values: Record<string, string>; errors: FieldError[] } {
  const payload: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const f of fields) {
    const raw = one(body[f.name]);
    if (f.kind === 'date' || f.kind === 'datetime') {
      const parts = { day: one(body[`${f.name}-day`]).trim(), month: one(body[`${f.name}-month`]).trim(), year: one(body[`${f.name}-year`]).trim(), time: one(body[`${f.name}-time`]).trim() };
      Object.assign(values, { [`${f.name}-day`]: parts.day, [`${f.name}-month`]: parts.month, [`${f.name}-year`]: parts.year, [`${f.name}-time`]: parts.time });
      const empty = !parts.day && !parts.month && !parts.year && !parts.time;
      if (empty) {
        if (f.required) payload[f.name] = '';
        continue;
      }
      const date = dateFrom(parts.day, parts.month, parts.year);
      if (!date) {
        errors.push({ field: f.name, reason: 'must be a real date, for example 27 3 2027' });
        continue;
      }
      if (f.kind === 'date') payload[f.name] = date;
      else {
        const t = /^(\d{1,2})[:.](\d{2})$/.exec(parts.time);
        if (!t || Number(t[1]) > 23 || Number(t[2]) > 59) errors.push({ field: f.name, reason: 'needs a time in 24-hour form, for example 14:30' });
        else payload[f.name] = londonDateTime(date, `${t[1].padStart(2, '0')}:${t[2]}`);
      }
      continue;
    }
    values[f.name] = raw;
    const text = raw.trim();
    if (f.fixed) {
      payload[f.name] = f.fixed.value;
      continue;
    }
    if (!text) {
      if (f.kind === 'checkbox') payload[f.name] = false;
      else if (f.required && f.kind !== 'choice' && f.kind !== 'person') payload[f.name] = f.kind === 'lines' ? [] : '';
      continue;
    }
    switch (f.kind) {
      case 'pounds': {
        const clean = text.replace(/^£/, '').replace(/,/g, '').trim();
        if (!/^\d+(\.\d{1,2})?$/.test(clean)) errors.push({ field: f.name, reason: 'must be an amount in pounds, for example 450 or 450.50' });
        else payload[f.name] = Math.round(Number(clean) * 100);
        break;
      }
      case 'number':
        if (!/^-?\d+$/.test(text)) errors.push({ field: f.name, reason: 'must be a whole number, for example 50' });
        else payload[f.name] = Number(text);
        break;
      case 'checkbox':
        payload[f.name] = text === 'true';
        break;
      case 'lines':
        payload[f.name] = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
        break;
      default:
        payload[f.name] = text;
    }
  }
  return { payload, values, errors };
}

/** Plain-words error messages beside each field, and the summary's list, from field errors. */
export function formErrors(fields: FormField[], errors: FieldError[]) {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const fieldErrors: Record<string, { text: string }> = {};
  const errorList: Array<{ text: string; href: string }> = [];
  for (const e of errors) {
    const name = e.field.split('.')[0];
    const f = byName.get(name);
    if (!f) {
      errorList.push({ text: e.reason, href: '#actions' });
      continue;
    }
    const label = f.label.replace(/\s*\((optional|if settled)\)$/i, '');
    const lower = label.charAt(0).toLowerCase() + label.slice(1);
    let text: string;
    if (/is required|must not be empty|must list at least one/.test(e.reason) && !fieldErrors[name]) {
      text = f.kind === 'choice' || f.kind === 'person' ? `Select ${lower}` : f.kind === 'date' || f.kind === 'datetime' ? `Enter ${lower}` : `Enter ${lower}`;
      if (/when/.test(e.reason)) text += ` – it ${e.reason}`;
    } else if (f.kind === 'date' && /YYYY-MM-DD/.test(e.reason)) text = `${label} must be a real date, for example 27 3 2027`;
    else if (f.kind === 'pounds' && /pence/.test(e.reason)) text = `${label} ${e.reason.replace(/whole number of pence/, 'amount in pounds and pence').replace(/100000000/, '1000000 pounds')}`;
    else text = `${label} ${e.reason}`;
    if (fieldErrors[name]) continue;
    fieldErrors[name] = { text };
    errorList.push({ text, href: `#${f.kind === 'date' || f.kind === 'datetime' ? `${f.id}-day` : f.id}` });
  }
  return { errorList, fieldErrors };
}
