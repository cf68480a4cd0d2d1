import { parse } from 'csv-parse/sync';
import { FieldError } from '@cc/common';
import { REPORT_FACTS } from '../rules/commitment-rule';

/**
 * A local Compact as a spreadsheet: one row per commitment. The Compact's own columns are read
 * from the first row; later rows may leave them blank or repeat them, but may not contradict them.
 * Sections are made from the section columns of the rows that name them.
 */
export const COMPACT_CSV_COLUMNS = [
  'compact_name',
  'scope',
  'area',
  'adopted_on',
  'status',
  'source_url',
  'section_code',
  'section_title',
  'section_kind',
  'reference',
  'text',
  'binds',
  'wording',
  'rule',
] as const;
const REQUIRED = ['compact_name', 'scope', 'section_code', 'reference', 'text', 'binds', 'wording'];
const COMPACT_COLUMNS = ['compact_name', 'scope', 'area', 'adopted_on', 'status', 'source_url'] as const;

export interface CsvCompact {
  /** A CompactDefinition-shaped object, still to be checked by checkCompactDefinition. */
  definition?: Record<string, unknown>;
  errors: FieldError[];
  /** The file line each commitment came from, to report later checks against the right row. */
  commitmentLines: number[];
  sectionLines: number[];
  /** Each column's name as the file's header writes it (say "Section_Kind"), by its proper name. */
  written?: Record<string, string>;
}

/** The columns whose values are one of a few words, and those words. */
export const CSV_ALLOWED_VALUES: Record<string, readonly string[]> = {
  scope: ['national', 'local'],
  status: ['draft', 'active', 'under_review', 'archived'],
  section_kind: ['outcome', 'code_of_practice', 'undertakings', 'section'],
  binds: ['public', 'voluntary', 'both'],
  wording: ['official', 'summary'],
};

/**
 * "Code of practice", "Under review" and "PUBLIC" are read as the values they plainly mean, as
 * a spreadsheet is typed by people; anything else is left as it is, to be refused with the list.
 */
function allowedValue(column: string, value: string): string {
  const allowed = CSV_ALLOWED_VALUES[column];
  if (!allowed || !value) return value;
  const plain = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return allowed.includes(plain) ? plain : value;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/**
 * Spreadsheets rewrite dates as they show them: 31/03/2012 (UK order) or "31 March 2012" are read
 * as that day. Anything else is passed on as typed, to be refused with the form to use.
 */
export function csvDate(value: string): string {
  const v = value.trim();
  const uk = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  if (uk) return `${uk[3]}-${uk[2].padStart(2, '0')}-${uk[1].padStart(2, '0')}`;
  const words = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(v);
  const month = words ? MONTHS.findIndex((m) => m === words[2].toLowerCase() || m.slice(0, 3) === words[2].toLowerCase()) : -1;
  if (words && month >= 0) return `${words[3]}-${String(month + 1).padStart(2, '0')}-${words[1].padStart(2, '0')}`;
  return v;
}

/** The problems csv-parse reports, as sentences about the file (its own messages are for programmers). */
function unreadable(err: Error & { code?: string; lines?: number }): FieldError {
  const reasons: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quote mark opens a cell but never closes it; check the row for a stray "',
    CSV_INVALID_CLOSING_QUOTE: 'a quote mark is in the middle of a cell; a cell with a quote mark in it must be inside quote marks, with the quote mark doubled ("")',
    CSV_RECORD_INCONSISTENT_COLUMNS: 'the row has a different number of cells from the header; check for a comma in a cell that is not inside quote marks',
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the row has a different number of cells from the header; check for a comma in a cell that is not inside quote marks',
  };
  const reason = `is not readable CSV: ${reasons[err.code ?? ''] ?? 'save it from the spreadsheet as "CSV UTF-8" and try again'}`;
  return err.lines ? { field: 'file', reason, row: err.lines } : { field: 'file', reason };
}

type Row = Record<string, string>;

export function readCompactCsv(csv: string): CsvCompact {
  let records: Array<{ record: Row; info: { lines: number } }>;
  const written: Record<string, string> = {};
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) =>
        header.map((h) => {
          const name = h.trim().toLowerCase().replace(/\s+/g, '_');
          written[name] = h.trim();
          return name;
        }),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    }) as Array<{ record: Row; info: { lines: number } }>;
  } catch (err) {
    return { errors: [unreadable(err as Error & { code?: string; lines?: number })], commitmentLines: [], sectionLines: [] };
  }
  if (records.length === 0) return { errors: [{ field: 'file', reason: 'has a header but no commitment rows' }], commitmentLines: [], sectionLines: [] };
  const header = Object.keys(records[0].record);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(COMPACT_CSV_COLUMNS as readonly string[]).includes(c));
  const errors: FieldError[] = [];
  if (missing.length) errors.push({ field: 'file', reason: `lacks the column(s) ${missing.join(', ')}; the columns are ${COMPACT_CSV_COLUMNS.join(', ')}`, row: 1 });
  if (unknown.length) errors.push({ field: 'file', reason: `has unknown column(s) ${unknown.map((c) => written[c] ?? c).join(', ')}; the columns are ${COMPACT_CSV_COLUMNS.join(', ')}`, row: 1 });
  if (errors.length) return { errors, commitmentLines: [], sectionLines: [], written };
  const column = (name: string) => written[name] ?? name;
  for (const { record } of records) {
    for (const name of Object.keys(CSV_ALLOWED_VALUES)) if (record[name]) record[name] = allowedValue(name, record[name]);
    if (record.adopted_on) record.adopted_on = csvDate(record.adopted_on);
  }

  const first = records[0].record;
  const sections = new Map<string, { code: string; title: string; kind: string; line: number }>();
  const commitments: Array<Record<string, unknown>> = [];
  const commitmentLines: number[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    for (const column of COMPACT_COLUMNS) {
      if (record[column] && first[column] && record[column] !== first[column]) {
        errors.push({ field: written[column] ?? column, reason: `says "${record[column]}" but the first row says "${first[column]}"; a file holds one Compact`, row: line });
      }
    }
    const code = record.section_code;
    const known = sections.get(code.toLowerCase());
    if (!known) {
      if (code) sections.set(code.toLowerCase(), { code, title: record.section_title, kind: record.section_kind || 'section', line });
    } else if (record.section_title && known.title && record.section_title !== known.title) {
      errors.push({ field: column('section_title'), reason: `gives section ${code} a different title from row ${known.line}`, row: line });
    } else if (!known.title && record.section_title) {
      known.title = record.section_title;
    }
    let rule: unknown;
    if (record.rule) {
      try {
        rule = JSON.parse(record.rule);
      } catch {
        errors.push({ field: column('rule'), reason: 'is not valid JSON; leave it empty or give a rule such as {"kind":"minimum_period",...}', row: line });
      }
    }
    commitments.push({
      reference: record.reference,
      section: code,
      text: record.text,
      binds: record.binds,
      wording: record.wording,
      ...(rule !== undefined ? { rule } : {}),
    });
    commitmentLines.push(line);
  }
  const sectionList = [...sections.values()];
  for (const s of sectionList) if (!s.title) errors.push({ field: column('section_title'), reason: `is missing for section ${s.code}; give it on at least one row`, row: s.line });
  const optional = (v: string | undefined) => (v ? v : undefined);
  return {
    definition: {
      name: first.compact_name,
      scope: first.scope,
      area: optional(first.area),
      adoptedOn: optional(first.adopted_on),
      status: optional(first.status),
      sourceUrl: optional(first.source_url),
      sections: sectionList.map((s) => ({ code: s.code, title: s.title, kind: s.kind, wording: 'official' })),
      commitments,
    },
    errors,
    commitmentLines,
    sectionLines: sectionList.map((s) => s.line),
    written,
  };
}

/** The CSV column each field of the Compact's definition comes from. */
const COMPACT_FIELD_COLUMNS: Record<string, string> = { name: 'compact_name', scope: 'scope', area: 'area', adoptedOn: 'adopted_on', status: 'status', sourceUrl: 'source_url', summary: 'summary' };
const COMMITMENT_FIELD_COLUMNS: Record<string, string> = { reference: 'reference', section: 'section_code', text: 'text', binds: 'binds', wording: 'wording', rule: 'rule' };

/**
 * Puts each problem the definition's checks found on the row and column of the file it came
 * from, naming the column as the file's header writes it: "row 7, column binds", never
 * "commitments.5.binds", which is the checker's path and not in the file.
 */
export function placeCsvErrors(errors: FieldError[], csv: CsvCompact): FieldError[] {
  const written = (name: string) => csv.written?.[name] ?? name;
  return errors.map((e) => {
    const m = /^(commitments|sections)\.(\d+)\.([^.]+)/.exec(e.field);
    if (!m) {
      const top = e.field.split('.')[0];
      const column = COMPACT_FIELD_COLUMNS[top];
      // A whole-file problem (say, too many commitments) belongs to no one column.
      return column ? { field: written(column), reason: e.reason, row: e.row ?? csv.commitmentLines[0] } : { field: 'file', reason: `${top} ${e.reason}`, ...(e.row ? { row: e.row } : {}) };
    }
    const lines = m[1] === 'commitments' ? csv.commitmentLines : csv.sectionLines;
    const column = m[1] === 'commitments' ? (COMMITMENT_FIELD_COLUMNS[m[3]] ?? m[3]) : `section_${m[3]}`;
    return { field: written(column), reason: e.reason, row: lines[Number(m[2])] };
  });
}

/** What each column holds, for the import page and the allowed-values download. */
export const COMPACT_CSV_GUIDE: Array<{ column: (typeof COMPACT_CSV_COLUMNS)[number]; required: boolean; meaning: string; allowed: string; example: string }> = [
  { column: 'compact_name', required: true, meaning: 'The Compact’s name, on the first row (later rows may leave it empty)', allowed: 'Any text up to 200 characters; no other Compact may have the name', example: 'Blaby District Compact (2011)' },
  { column: 'scope', required: true, meaning: 'Whether it is the national Compact or a local one, on the first row', allowed: 'national or local', example: 'local' },
  { column: 'area', required: false, meaning: 'The area a local Compact covers, on the first row; empty for a national Compact', allowed: 'Any text up to 120 characters; needed for a local Compact', example: 'Blaby' },
  { column: 'adopted_on', required: false, meaning: 'The day the Compact was adopted, on the first row', allowed: 'A date: 2011-03-31, 31/03/2011 or 31 March 2011', example: '2011-03-31' },
  { column: 'status', required: false, meaning: 'Whether the Compact is in force, on the first row (active when empty)', allowed: 'draft, active, under_review or archived', example: 'active' },
  { column: 'source_url', required: false, meaning: 'Where the Compact is published, on the first row', allowed: 'A web address starting http:// or https://', example: 'https://www.blaby.gov.uk/compact' },
  { column: 'section_code', required: true, meaning: 'The section the commitment is in; a new code starts a new section', allowed: 'Up to 20 letters or numbers', example: 'F' },
  { column: 'section_title', required: false, meaning: 'The section’s title, on at least one of its rows', allowed: 'Any text up to 300 characters', example: 'Funding and procurement' },
  { column: 'section_kind', required: false, meaning: 'What kind of section it is (section when empty)', allowed: 'outcome, code_of_practice, undertakings or section', example: 'undertakings' },
  { column: 'reference', required: true, meaning: 'The commitment’s number or reference in the Compact; each must be different', allowed: 'Up to 20 characters', example: 'F1' },
  { column: 'text', required: true, meaning: 'What the commitment says', allowed: 'Any text up to 4,000 characters', example: 'Give at least three months’ notice in writing of any change to funding' },
  { column: 'binds', required: true, meaning: 'Who the commitment binds', allowed: 'public (public bodies), voluntary (the voluntary and community sector) or both', example: 'public' },
  { column: 'wording', required: true, meaning: 'Whether the text is the Compact’s own words or a summary', allowed: 'official or summary', example: 'official' },
  {
    column: 'rule',
    required: false,
    meaning: 'A check the service can make on a report (leave empty for none; rules are easier to add afterwards, on the commitment’s page)',
    allowed: `A rule as JSON: {"kind":"minimum_period","from":<date fact>,"to":<date fact>,"atLeast":{"weeks":12},"unless":<yes/no fact>,"summary":"..."} or {"kind":"must_be_true","fact":<yes/no fact>,"summary":"..."}. Date facts: ${Object.entries(REPORT_FACTS).filter(([, f]) => f.type === 'date').map(([n]) => n).join(', ')}. Yes/no facts: ${Object.entries(REPORT_FACTS).filter(([, f]) => f.type === 'boolean').map(([n]) => n).join(', ')}`,
    example: '',
  },
];

/** One cell of CSV, quoted when it must be. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A file to start from: the header and the rows of a small example Compact, which imports as it
 * is, so that each column is seen holding a value it allows.
 */
export function compactCsvTemplate(): string {
  const rows: string[][] = [
    [...COMPACT_CSV_COLUMNS],
    ['Example District Compact (2012)', 'local', 'Example District', '2012-03-31', 'draft', 'https://www.example.org/compact', 'F', 'Funding and procurement', 'undertakings', 'F1', 'Give at least three months’ notice in writing of any change to funding', 'public', 'official',
      JSON.stringify({ kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { months: 3 }, summary: 'three months’ notice of funding changes' })],
    ['', '', '', '', '', '', 'F', '', '', 'F2', 'Account openly for the public money received', 'voluntary', 'summary', ''],
    ['', '', '', '', '', '', 'C', 'Consultation', 'undertakings', 'C1', 'Consult for at least 12 weeks, and say why when it must be shorter', 'public', 'official',
      JSON.stringify({ kind: 'minimum_period', from: 'consultationOpenedOn', to: 'consultationClosedOn', atLeast: { weeks: 12 }, unless: 'shorterConsultationRationaleGiven', summary: 'consultations of at least 12 weeks' })],
    ['', '', '', '', '', '', 'C', '', '', 'C2', 'Respond constructively to each other', 'both', 'summary', ''],
  ];
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** The columns and the values each allows, as CSV, to keep beside the spreadsheet. */
export function compactCsvAllowedValues(): string {
  const rows = [['column', 'required', 'what it holds', 'allowed values', 'example'], ...COMPACT_CSV_GUIDE.map((g) => [g.column, g.required ? 'yes' : 'no', g.meaning, g.allowed, g.example])];
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
