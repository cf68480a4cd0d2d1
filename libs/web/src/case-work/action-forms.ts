import type { z } from 'zod';
import type { FieldError } from '@cc/common';
import { type CallerRelation, type CommandType, RULES, type RuleName, breachCaseRules, commandSchemas, mayRequest } from '@cc/workflows';
import { OPTION_WORDS, type ProblemKind, actionWordsFor, fieldWordsFor } from './action-labels';

/**
 * The action forms on the case page, built from the commands' zod schemas: the form asks for
 * exactly what the workflow will check, so a new field in a schema shows up on the page.
 */
export type FieldKind = 'input' | 'textarea' | 'email' | 'date' | 'datetime' | 'datetimes' | 'choice' | 'pounds' | 'number' | 'checkbox' | 'lines' | 'person' | 'people';

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
  /** What the field asks for, as it reads after "Enter" or "Select". */
  noun: string;
  /** The schema's limit on the text (a character count shows it), or on each line of a list. */
  maxLength?: number;
  /** A list's limit on its number of lines. */
  maxItems?: number;
  /** A number's bounds, from the schema. */
  min?: number;
  max?: number;
  /** Wording for particular problems with this field (see FIELD_WORDS). */
  errorWords?: Partial<Record<ProblemKind, string>>;
  /**
   * A list of dates and times (kind 'datetimes'): one date-and-time group per slot, the first
   * required when the field is. Each slot's boxes are named `${name}-${n}-day` and so on.
   */
  slots?: Array<{ n: number; label: string; required: boolean }>;
  /** Where to add a choice that is not listed (a public body's contacts page). */
  addLink?: { href: string; text: string };
}

export interface ActionForm {
  type: string;
  title: string;
  button: string;
  hint?: string;
  warning: boolean;
  fields: FormField[];
}

/**
 * People who can be picked for a field (caseworkers for ASSIGN, mediators for APPOINT_MEDIATOR,
 * the public body's contacts for CONTACT_RESPONDENT), and the page where a contact is added.
 */
export type PeopleChoices = Partial<Record<'caseworkerId' | 'mediatorId' | 'contactIds', FormOption[]>> & { contactsPage?: string };

type AnySchema = z.ZodType & {
  def: { type: string; element?: AnySchema; checks?: Array<{ _zod: { def: unknown } }> };
  unwrap?: () => AnySchema;
  options?: string[];
  shape?: Record<string, AnySchema>;
  maxLength?: number | null;
  minValue?: number | null;
  maxValue?: number | null;
};

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
    case 'array': {
      const element = schema.def.element;
      if (element && accepts(element, '2026-01-31T10:00:00Z') && !accepts(element, '2026-01-31')) return 'datetimes';
      if (element && accepts(element, '0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b') && !accepts(element, 'abc')) return 'people';
      return 'lines';
    }
    case 'string':
      if (accepts(schema, '2026-01-31') && !accepts(schema, 'abc')) return 'date';
      if (accepts(schema, '2026-01-31T10:00:00Z') && !accepts(schema, '2026-01-31')) return 'datetime';
      if (accepts(schema, '0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b') && !accepts(schema, 'abc')) return 'person';
      if (accepts(schema, 'someone@example.org') && !accepts(schema, 'abc')) return 'email';
      // Room for more than a line or two of writing gets a box (with a character count).
      return accepts(schema, 'x'.repeat(201)) ? 'textarea' : 'input';
    default:
      return 'input';
  }
}

function words(type: string, name: string, role: string) {
  return fieldWordsFor(type, name, role) ?? { label: name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()) };
}

/** The slots of a list of times, as people count them. */
const ORDINALS = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth'];

/** The label without its "(optional)" note: the subject of "... must be a real date". */
const subjectOf = (label: string) => label.replace(/\s*\((optional|if settled)\)$/i, '');

const arrayMax = (schema: AnySchema) =>
  (schema.def.checks ?? []).map((c) => c._zod.def as { check: string; maximum?: number }).find((d) => d.check === 'max_length')?.maximum;

export function fieldsOf(type: string, relation: CallerRelation, people: PeopleChoices = {}): FormField[] {
  const schema = commandSchemas[type as CommandType] as unknown as AnySchema;
  const shape = schema.shape ?? {};
  return Object.entries(shape).map(([name, raw]) => {
    const optional = raw.def.type === 'optional';
    const inner = optional && raw.unwrap ? raw.unwrap() : raw;
    const kind = kindOf(name, inner);
    const { label, hint, noun, errors } = words(type, name, relation.role);
    const field: FormField = { name, id: `${type}-${name}`, kind, label, hint, required: !optional, noun: noun ?? subjectOf(label).toLowerCase(), errorWords: errors };
    if (kind === 'textarea' || kind === 'input') field.maxLength = inner.maxLength ?? undefined;
    if (kind === 'lines' && inner.def.element) {
      field.maxLength = inner.def.element.maxLength ?? undefined;
      field.maxItems = arrayMax(inner);
      // A list has no one limit to count down from, so each line's limit is said in the hint.
      if (field.maxLength) field.hint = `${hint ? `${hint} ` : ''}Each line can be up to ${field.maxLength.toLocaleString('en-GB')} characters.`;
    }
    if (kind === 'number' || kind === 'pounds') {
      field.min = inner.minValue ?? undefined;
      field.max = inner.maxValue ?? undefined;
    }
    if (kind === 'choice') {
      // Only the options this caller may send: the role policy decides, not the page.
      const all = (inner.options ?? []).map((value) => ({ value, text: OPTION_WORDS[value] ?? value }));
      field.options = all.filter((o) => mayRequest(relation, type as CommandType, { [name]: o.value }));
      if (field.options.length === 1 && !optional) field.fixed = field.options[0];
    }
    if (kind === 'person') field.options = people[name as 'caseworkerId' | 'mediatorId'] ?? [];
    if (kind === 'datetimes') {
      field.maxItems = arrayMax(inner) ?? 1;
      const n = Math.min(field.maxItems, ORDINALS.length);
      field.slots = Array.from({ length: n }, (_, i) => ({ n: i + 1, label: i === 0 && field.required ? `${ORDINALS[i]} choice` : `${ORDINALS[i]} choice (optional)`, required: i === 0 && field.required }));
    }
    if (kind === 'people') {
      field.maxItems = arrayMax(inner);
      field.options = name === 'contactIds' ? (people.contactIds ?? []) : [];
      if (name === 'contactIds' && people.contactsPage) field.addLink = { href: people.contactsPage, text: 'Add a contact for this public body' };
    }
    return field;
  });
}

export function actionForms(types: string[], relation: CallerRelation, people: PeopleChoices = {}): ActionForm[] {
  return types
    .filter((t) => Object.hasOwn(commandSchemas, t))
    .map((type) => {
      const w = actionWordsFor(type, relation.role) ?? { title: type };
      return { type, title: w.title, button: w.button ?? w.title, hint: w.hint, warning: !!w.warning, fields: fieldsOf(type, relation, people) };
    });
}

export type FormBody = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** A date's day, month and year boxes as YYYY-MM-DD; null when it is not a real date. */
function dateFrom(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return breachCaseRules.isRealDate(iso) ? iso : null;
}

/** A wall-clock time in London on that date, as a standard timestamp with its offset. */
export function londonDateTime(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  const tz = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' }).formatToParts(guess).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d+)?/.exec(tz);
  const hours = m?.[1] ? Number(m[1]) : 0;
  const offset = `${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
  return `${date}T${time}:00${offset}`;
}

/**
 * One problem with one field, in a person's words; `target` is the element the summary links to,
 * `key` where the message goes beside the field when it is not the field's own name (one slot of
 * a list of times).
 */
export interface FormError {
  field: string;
  text: string;
  target?: string;
  key?: string;
}

interface Problem {
  kind: ProblemKind;
  /** incomplete: the date parts not given. */
  parts?: string[];
  /** A slot of a list of times: its label, the subject of the message. */
  slot?: string;
}

const count = (n: number) => n.toLocaleString('en-GB');
const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: pence % 100 ? 2 : 0, maximumFractionDigits: 2 })}`;
const listed = (parts: string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]);

/**
 * The one place a problem with a field becomes a message for a person, as the GOV.UK Design
 * System's error messages read: say what to do ("Enter the fee in pounds, like 1,200") or what
 * the answer must be ("Date of the meeting must be a real date"), never a code or a format name.
 * A field's own wording (FIELD_WORDS' errors) wins where the general sentence would be vague.
 */
export function personMessage(f: FormField, problem: Problem): string {
  const own = problem.slot ? undefined : f.errorWords?.[problem.kind];
  if (own) return own;
  const subject = problem.slot ? subjectOf(problem.slot) : subjectOf(f.label);
  if (problem.slot) {
    switch (problem.kind) {
      case 'notTime':
        return `Enter the time of the ${subject.toLowerCase()}, like 2pm, 2.30pm or 14:00`;
      case 'inPast':
        return `${subject} must be in the future`;
      case 'missing':
        return `Enter the date of the ${subject.toLowerCase()}`;
      default:
    }
  }
  const choose = f.kind === 'choice' || f.kind === 'person' || f.kind === 'people';
  switch (problem.kind) {
    case 'missing':
      return `${choose ? 'Select' : 'Enter'} ${f.noun}`;
    case 'incomplete':
      return `${subject} must include a ${listed(problem.parts ?? ['day', 'month', 'year'])}`;
    case 'tooLong':
      return `${subject} must be ${count(f.maxLength ?? 0)} characters or fewer`;
    case 'itemTooLong':
      return `Each line of ${subject.toLowerCase()} must be ${count(f.maxLength ?? 0)} characters or fewer`;
    case 'tooMany':
      return `Enter no more than ${count(f.maxItems ?? 0)} lines in ${subject.toLowerCase()}`;
    case 'notNumber':
      return f.kind === 'pounds' ? `Enter ${f.noun} in pounds, like 1,200` : `Enter ${f.noun} as a number, like 50`;
    case 'notWhole':
      return f.kind === 'pounds' ? `Enter ${f.noun} in pounds and pence, like 450.50` : `Enter ${f.noun} as a whole number, like 50`;
    case 'outOfRange': {
      if (f.kind === 'pounds') return `${subject} must be between ${pounds(Math.max(1, f.min ?? 0))} and ${pounds(f.max ?? 0)}`;
      return `${subject} must be between ${count(f.min ?? 0)} and ${count(f.max ?? 0)}`;
    }
    case 'notRealDate':
      return `${subject} must be a real date`;
    case 'notTime':
      return 'Enter the time, like 2pm, 2.30pm or 14:00';
    case 'badFormat':
      if (choose) return `Select ${f.noun}`;
      if (f.kind === 'email') return `Enter ${f.noun} in the correct format, like name@example.com`;
      return `Enter ${f.noun} in the correct format`;
    case 'notAnOption':
      return `Select ${f.noun}`;
    case 'inPast':
      return `${subject} must be in the future`;
  }
}

/** What a zod issue says is wrong, in the terms of personMessage. */
function problemOf(issue: z.core.$ZodIssue, f: FormField): Problem {
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return { kind: 'missing' };
      if (issue.expected === 'int') return { kind: 'notWhole' };
      return { kind: f.kind === 'number' || f.kind === 'pounds' ? 'notNumber' : 'missing' };
    case 'too_small':
      return { kind: issue.origin === 'number' ? 'outOfRange' : 'missing' };
    case 'too_big':
      if (issue.origin === 'number') return { kind: 'outOfRange' };
      if (issue.origin === 'array') return { kind: 'tooMany' };
      return { kind: issue.path.length > 1 ? 'itemTooLong' : 'tooLong' };
    case 'invalid_format':
      return { kind: f.kind === 'date' || f.kind === 'datetime' ? 'notRealDate' : 'badFormat' };
    case 'invalid_value':
      return { kind: 'notAnOption' };
    default:
      // The schemas' refinements all say a field is needed because of another answer.
      return { kind: 'missing' };
  }
}

/** Where the error summary sends a person for a field: its first box (a radio group's first radio has the field's id). */
const targetOf = (f: FormField) => (f.kind === 'date' || f.kind === 'datetime' ? `${f.id}-day` : f.kind === 'datetimes' ? `${f.id}-1-day` : f.id);

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A list of dates and times, slot by slot: empty slots are left out, each given one is checked
 * for a real date, a time and (the workflow's rule for sessions) not being in the past.
 */
function readTimes(f: FormField, body: FormBody, at: string, values: Record<string, string>, fail: (problem: Problem, target: string, key: string) => void): string[] | null {
  const times: string[] = [];
  let ok = true;
  for (const slot of f.slots ?? []) {
    const base = `${f.name}-${slot.n}`;
    const id = `${f.id}-${slot.n}`;
    const parts = { day: one(body[`${base}-day`]).trim(), month: one(body[`${base}-month`]).trim(), year: one(body[`${base}-year`]).trim(), time: one(body[`${base}-time`]).trim() };
    Object.assign(values, { [`${base}-day`]: parts.day, [`${base}-month`]: parts.month, [`${base}-year`]: parts.year, [`${base}-time`]: parts.time });
    if (!parts.day && !parts.month && !parts.year && !parts.time) continue;
    const missing = (['day', 'month', 'year'] as const).filter((p) => !parts[p]);
    const bad = (problem: Problem, target: string) => {
      ok = false;
      fail({ ...problem, slot: slot.label }, target, base);
    };
    if (missing.length) {
      bad(missing.length === 3 ? { kind: 'missing' } : { kind: 'incomplete', parts: [...missing] }, `${id}-${missing[0]}`);
      continue;
    }
    const date = dateFrom(parts.day, parts.month, parts.year);
    if (!date) {
      bad({ kind: 'notRealDate' }, `${id}-day`);
      continue;
    }
    const time = breachCaseRules.parseClockTime(parts.time);
    if (!time) {
      bad({ kind: 'notTime' }, `${id}-time`);
      continue;
    }
    const when = londonDateTime(date, `${pad2(time.hour)}:${pad2(time.minute)}`);
    if (!breachCaseRules.sessionNotInPast(when, at)) {
      bad({ kind: 'inPast' }, `${id}-day`);
      continue;
    }
    times.push(when);
  }
  return ok ? times : null;
}

/**
 * Turns a submitted form into the command's payload, and finds everything wrong with it at once:
 * what cannot be read (letters in an amount, 30 February, 25:99), what the command's schema
 * refuses, and dates the workflow's rules would refuse at `at`. Returns what was typed, to show
 * it again.
 */
export function checkSubmission(
  type: string,
  fields: FormField[],
  body: FormBody,
  at: string,
): { payload: Record<string, unknown>; values: Record<string, string>; errors: FormError[] } {
  const payload: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  const errors = new Map<string, FormError>();
  const fail = (f: FormField, problem: Problem, target = targetOf(f), key?: string) => {
    if (!errors.has(f.name)) errors.set(f.name, { field: f.name, text: personMessage(f, problem), target, key });
  };
  for (const f of fields) {
    if (f.kind === 'datetimes') {
      // Each slot has its own message; the first one wrong is the field's (and stops the schema repeating it).
      const slotErrors: FormError[] = [];
      const times = readTimes(f, body, at, values, (problem, target, key) => slotErrors.push({ field: f.name, text: personMessage(f, problem), target, key }));
      if (slotErrors.length) {
        errors.set(f.name, slotErrors[0]);
        for (const e of slotErrors.slice(1)) errors.set(`${f.name}#${e.key}`, e);
      } else if (times && (times.length || f.required)) payload[f.name] = times;
      continue;
    }
    if (f.kind === 'people') {
      // Ticked boxes arrive as one value or several; only the choices offered are sent.
      const ticked = [body[f.name] ?? []].flat().map((v) => String(v).trim()).filter(Boolean);
      values[f.name] = ticked.join(',');
      const offered = new Set((f.options ?? []).map((o) => o.value));
      if (ticked.some((v) => !offered.has(v))) fail(f, { kind: 'notAnOption' });
      else if (ticked.length) payload[f.name] = ticked;
      else if (f.required) fail(f, { kind: 'missing' });
      continue;
    }
    const raw = one(body[f.name]);
    if (f.kind === 'date' || f.kind === 'datetime') {
      const parts = { day: one(body[`${f.name}-day`]).trim(), month: one(body[`${f.name}-month`]).trim(), year: one(body[`${f.name}-year`]).trim(), time: one(body[`${f.name}-time`]).trim() };
      Object.assign(values, { [`${f.name}-day`]: parts.day, [`${f.name}-month`]: parts.month, [`${f.name}-year`]: parts.year, [`${f.name}-time`]: parts.time });
      if (!parts.day && !parts.month && !parts.year && !parts.time) {
        if (f.required) fail(f, { kind: 'missing' });
        continue;
      }
      const missing = (['day', 'month', 'year'] as const).filter((p) => !parts[p]);
      if (missing.length) {
        fail(f, missing.length === 3 ? { kind: 'missing' } : { kind: 'incomplete', parts: [...missing] }, `${f.id}-${missing[0]}`);
        continue;
      }
      const date = dateFrom(parts.day, parts.month, parts.year);
      if (!date) {
        fail(f, { kind: 'notRealDate' });
        continue;
      }
      if (f.kind === 'date') {
        payload[f.name] = date;
        continue;
      }
      const time = breachCaseRules.parseClockTime(parts.time);
      if (!time) fail(f, { kind: 'notTime' }, `${f.id}-time`);
      else payload[f.name] = londonDateTime(date, `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`);
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
      else if (f.required && (f.kind === 'number' || f.kind === 'pounds')) fail(f, { kind: 'missing' });
      else if (f.required && f.kind !== 'choice' && f.kind !== 'person') payload[f.name] = f.kind === 'lines' ? [] : '';
      continue;
    }
    switch (f.kind) {
      case 'pounds': {
        const clean = text.replace(/^£/, '').replace(/,/g, '').trim();
        if (!/^\d+(\.\d{1,2})?$/.test(clean)) fail(f, { kind: 'notNumber' });
        else payload[f.name] = Math.round(Number(clean) * 100);
        break;
      }
      case 'number': {
        const clean = text.replace(/\s*%$/, '');
        if (/^-?\d+\.\d+$/.test(clean)) fail(f, { kind: 'notWhole' });
        else if (!/^-?\d+$/.test(clean)) fail(f, { kind: 'notNumber' });
        else payload[f.name] = Number(clean);
        break;
      }
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
  const byName = new Map(fields.map((f) => [f.name, f]));
  // Own keys only: a type like "toString" names no command.
  const schema = Object.hasOwn(commandSchemas, type) ? commandSchemas[type as CommandType] : undefined;
  if (schema) {
    const parsed = schema.safeParse(payload);
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const f = byName.get(String(issue.path[0] ?? ''));
      if (f) fail(f, problemOf(issue, f));
    }
    for (const p of breachCaseRules.commandDateProblems(type, payload, at)) {
      const f = byName.get(p.field);
      if (f && !errors.has(f.name)) errors.set(f.name, { field: f.name, text: ruleText(p.rule), target: targetOf(f) });
    }
  }
  const order = fields.map((f) => f.name);
  return { payload, values, errors: [...errors.values()].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field)) };
}

/** A workflow rule's message as an error message (GOV.UK error messages end without a full stop). */
export const ruleText = (rule: RuleName) => RULES[rule].message.replace(/\.$/, '');

/** The field a workflow rule is about, when it is one of this form's fields. */
export function ruleError(fields: FormField[], rule: string): FormError | null {
  if (!(rule in RULES)) return null;
  const field = (RULES[rule as RuleName] as { field?: string }).field;
  const f = fields.find((x) => x.name === field);
  return f ? { field: f.name, text: ruleText(rule as RuleName), target: targetOf(f) } : null;
}

/**
 * Errors the service found that the page could not (a person who is no longer active), put in a
 * person's words: the service's reasons are written for API callers.
 */
export function serviceErrors(fields: FormField[], errors: FieldError[]): FormError[] {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const out: FormError[] = [];
  for (const e of errors) {
    const f = byName.get(e.field.split('.')[0]);
    if (f && !out.some((o) => o.field === f.name)) out.push({ field: f.name, text: personMessage(f, { kind: 'badFormat' }), target: targetOf(f) });
  }
  if (!out.length) out.push({ field: '', text: 'Something in the form could not be accepted. Check your answers and try again' });
  return out;
}

/** The error summary's list and the message beside each field. */
export function errorView(errors: FormError[], anchor = '#actions') {
  const fieldErrors: Record<string, { text: string }> = {};
  const errorList: Array<{ text: string; href: string }> = [];
  for (const e of errors) {
    // A session's time is its own box, so a problem with the time is shown beside that box.
    const base = e.key ?? e.field;
    if (base) fieldErrors[e.target?.endsWith('-time') ? `${base}-time` : base] ??= { text: e.text };
    errorList.push({ text: e.text, href: e.target ? `#${e.target}` : anchor });
  }
  return { errorList, fieldErrors };
}
