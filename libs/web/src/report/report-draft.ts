import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type FieldError, fieldErrorsOf } from '@cc/common';
import { FileReportRequest, REPORT_TEXT_LIMIT, REPORT_TITLE_LIMIT, UNLISTED_AREA_LIMIT, UNLISTED_NAME_LIMIT } from '@cc/cases';
import { MAX_DESCRIPTION_LENGTH } from '@cc/evidence';
import { REPORT_FACTS, ReportFactName } from '@cc/registry';

/*
 * The report being written and how its answers are read, checked and put in words. The journey
 * through it, step by step, is the steps table (report-steps.ts).
 */

/** A date as typed into the three boxes of a GOV.UK date input: kept as typed, so a refused form shows it again. */
export interface TypedDate {
  day: string;
  month: string;
  year: string;
}

/** The report being written, kept server-side for its writer (see ReportDrafts) between steps. */
export interface ReportDraft {
  organisationConfirmed?: boolean;
  respondentId?: string;
  respondentName?: string;
  /** A public body not in the registry, as typed (instead of respondentId). */
  unlistedBody?: { name: string; area: string };
  compactId?: string;
  compactName?: string;
  commitments?: string[];
  /** The facts the chosen commitments' rules check, worked out when the commitments were chosen. */
  factNames?: ReportFactName[];
  factsAnswered?: boolean;
  /** Date facts as typed; yes/no facts as 'yes' | 'no' | 'unknown'. */
  facts?: Record<string, TypedDate | string>;
  title?: string;
  whatHappened?: string;
  happenedOn?: TypedDate;
  impact?: string;
  desiredOutcome?: string;
  /** Whether the public body may be told who reported (asked on its own page; the API's reporterMayBeNamed). */
  reporterMayBeNamed?: boolean;
  evidenceAnswered?: boolean;
  evidence?: string;
  /** Documents uploaded on the evidence step, held for the reporter until the report is sent. */
  heldEvidenceIds?: string[];
  /** Problems FileReport found on submitting, shown beside the fields of their step until it is answered again. */
  submitErrors?: FieldError[];
  /** The page last shown, so signing in again after a timeout returns to it. */
  lastPage?: string;
}

/** The limits of the report's text fields, from the report's own schema, for the character counts. */
export const REPORT_LIMITS = {
  title: REPORT_TITLE_LIMIT,
  text: REPORT_TEXT_LIMIT,
  unlistedName: UNLISTED_NAME_LIMIT,
  unlistedArea: UNLISTED_AREA_LIMIT,
  documentDescription: MAX_DESCRIPTION_LENGTH,
};

/** The same limits as people read them ("10,000"). */
export const REPORT_LIMIT_WORDS = Object.fromEntries(Object.entries(REPORT_LIMITS).map(([k, v]) => [k, v.toLocaleString('en-GB')])) as Record<keyof typeof REPORT_LIMITS, string>;

export const FILED_KEY = 'reportFiled';

/** The element an error summary link points at for a field. */
export function anchorFor(field: string): string {
  if (field.startsWith('unlistedRespondent')) return field.endsWith('.area') ? 'unlisted-area' : 'unlisted-name';
  if (field === 'happenedOn') return 'happenedOn-day';
  if (field.startsWith('commitments')) return 'commitments';
  if (field.startsWith('facts.')) {
    const name = field.slice('facts.'.length) as ReportFactName;
    return REPORT_FACTS[name]?.type === 'date' ? `facts-${name}-day` : `facts-${name}`;
  }
  if (field === 'facts') return 'facts';
  return field;
}

const LABELS: Record<string, string> = {
  respondentId: 'The public body',
  unlistedRespondent: 'The public body',
  'unlistedRespondent.name': 'The name of the public body',
  'unlistedRespondent.area': 'The area the public body serves',
  compactId: 'The Compact',
  commitments: 'The commitments',
  title: 'The title',
  whatHappened: 'What happened',
  happenedOn: 'The date it happened',
  impact: 'The impact',
  desiredOutcome: 'The outcome you want',
  evidence: 'The description of your evidence',
  reporterMayBeNamed: 'Whether the public body may be told who reported',
};

/** A sentence for a field error from the use case, which names the field and says what is wrong. */
export function sentenceFor(e: FieldError): string {
  let label = LABELS[e.field];
  if (!label && e.field.startsWith('commitments.')) label = `Commitment ${Number(e.field.split('.')[1]) + 1} you chose`;
  if (!label && e.field.startsWith('facts.')) {
    const fact = REPORT_FACTS[e.field.slice(6) as ReportFactName];
    label = fact ? capitalise(fact.label) : 'This answer';
  }
  return `${label ?? 'This answer'} ${e.reason}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A field's problem as the page says it. */
export type Problem = { field: string; text: string };

/** GOV.UK error summary items and per-field messages for a step. */
export function stepErrors(errors: Problem[]) {
  const errorList = errors.map((e) => ({ text: e.text, href: `#${anchorFor(e.field)}` }));
  const fieldErrors: Record<string, { text: string }> = {};
  for (const e of errors) fieldErrors[e.field.startsWith('commitments') ? 'commitments' : e.field] ??= { text: e.text };
  return { errorList, fieldErrors };
}

/** Problems in the order their fields appear on the page, as the error summary should list them. */
export function inOrder(problems: Problem[], fields: string[]): Problem[] {
  return [...problems].sort((a, b) => fields.indexOf(a.field) - fields.indexOf(b.field));
}

/** A typed date as YYYY-MM-DD when it is a real date; 'blank' when nothing was typed; 'incomplete'/'invalid' otherwise. */
export function isoDate(d: TypedDate | undefined): string | 'blank' | 'incomplete' | 'invalid' {
  if (!d) return 'blank';
  const parts = [d.day, d.month, d.year].map((p) => (p ?? '').trim());
  if (parts.every((p) => p === '')) return 'blank';
  if (parts.some((p) => p === '')) return 'incomplete';
  if (!parts.every((p) => /^\d+$/.test(p)) || parts[2].length !== 4) return 'invalid';
  const [day, month, year] = parts.map(Number);
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) return 'invalid';
  return iso;
}

export function typedDate(body: Record<string, unknown>, prefix: string): TypedDate {
  const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '').trim();
  return { day: text(`${prefix}-day`), month: text(`${prefix}-month`), year: text(`${prefix}-year`) };
}

export function text(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '';
}

export function list(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/** The facts as the use case takes them: dates as YYYY-MM-DD, yes/no as booleans, unanswered left out. */
export function factsForReport(draft: ReportDraft): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const name of draft.factNames ?? []) {
    const value = draft.facts?.[name];
    if (REPORT_FACTS[name].type === 'date') {
      const iso = isoDate(value as TypedDate | undefined);
      if (iso !== 'blank' && iso !== 'incomplete' && iso !== 'invalid') out[name] = iso;
    } else if (value === 'yes' || value === 'no') {
      out[name] = value === 'yes';
    }
  }
  return out;
}

/** The report for FileReport, from a complete draft. */
export function reportFrom(draft: ReportDraft): FileReportRequest {
  const happenedOn = isoDate(draft.happenedOn);
  return {
    ...(draft.unlistedBody ? { unlistedRespondent: { ...draft.unlistedBody } } : { respondentId: draft.respondentId ?? '' }),
    compactId: draft.compactId ?? '',
    commitments: draft.commitments ?? [],
    title: draft.title ?? '',
    whatHappened: draft.whatHappened ?? '',
    happenedOn: ['blank', 'incomplete', 'invalid'].includes(happenedOn) ? '' : happenedOn,
    impact: draft.impact ?? '',
    desiredOutcome: draft.desiredOutcome ?? '',
    ...(draft.evidence ? { evidence: draft.evidence } : {}),
    facts: factsForReport(draft),
    reporterMayBeNamed: draft.reporterMayBeNamed ?? true,
  };
}

/**
 * The report DTO's own rules (lengths, formats) for the fields one step gives, so a step is refused
 * for what the API would refuse, without writing those rules again here.
 */
export async function dtoProblems(fields: Partial<FileReportRequest>): Promise<FieldError[]> {
  const errors = await validate(plainToInstance(FileReportRequest, fields), { skipMissingProperties: true });
  return fieldErrorsOf(errors);
}

