import { parse } from 'csv-parse/sync';
import { FieldError } from '@cc/common';

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
}

type Row = Record<string, string>;

export function readCompactCsv(csv: string): CsvCompact {
  let records: Array<{ record: Row; info: { lines: number } }>;
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: false,
    }) as Array<{ record: Row; info: { lines: number } }>;
  } catch (err) {
    const e = err as Error & { lines?: number };
    return { errors: [{ field: 'file', reason: `is not readable CSV: ${e.message}`, row: e.lines }], commitmentLines: [], sectionLines: [] };
  }
  if (records.length === 0) return { errors: [{ field: 'file', reason: 'has a header but no commitment rows' }], commitmentLines: [], sectionLines: [] };
  const header = Object.keys(records[0].record);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(COMPACT_CSV_COLUMNS as readonly string[]).includes(c));
  const errors: FieldError[] = [];
  if (missing.length) errors.push({ field: 'file', reason: `lacks the column(s) ${missing.join(', ')}; the columns are ${COMPACT_CSV_COLUMNS.join(', ')}`, row: 1 });
  if (unknown.length) errors.push({ field: 'file', reason: `has unknown column(s) ${unknown.join(', ')}; the columns are ${COMPACT_CSV_COLUMNS.join(', ')}`, row: 1 });
  if (errors.length) return { errors, commitmentLines: [], sectionLines: [] };

  const first = records[0].record;
  const sections = new Map<string, { code: string; title: string; kind: string; line: number }>();
  const commitments: Array<Record<string, unknown>> = [];
  const commitmentLines: number[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    for (const column of COMPACT_COLUMNS) {
      if (record[column] && first[column] && record[column] !== first[column]) {
        errors.push({ field: column, reason: `says "${record[column]}" but the first row says "${first[column]}"; a file holds one Compact`, row: line });
      }
    }
    const code = record.section_code;
    const known = sections.get(code.toLowerCase());
    if (!known) {
      if (code) sections.set(code.toLowerCase(), { code, title: record.section_title, kind: record.section_kind || 'section', line });
    } else if (record.section_title && known.title && record.section_title !== known.title) {
      errors.push({ field: 'section_title', reason: `gives section ${code} a different title from row ${known.line}`, row: line });
    } else if (!known.title && record.section_title) {
      known.title = record.section_title;
    }
    let rule: unknown;
    if (record.rule) {
      try {
        rule = JSON.parse(record.rule);
      } catch {
        errors.push({ field: 'rule', reason: 'is not valid JSON; leave it empty or give a rule such as {"kind":"minimum_period",...}', row: line });
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
  for (const s of sectionList) if (!s.title) errors.push({ field: 'section_title', reason: `is missing for section ${s.code}; give it on at least one row`, row: s.line });
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
  };
}

/** Puts a file line on each error about a commitment or section, so the report reads "row 7: binds ...". */
export function placeCsvErrors(errors: FieldError[], csv: CsvCompact): FieldError[] {
  return errors.map((e) => {
    const m = /^(commitments|sections)\.(\d+)\.(.+)$/.exec(e.field);
    if (!m) return { ...e, row: e.row ?? csv.commitmentLines[0] };
    const lines = m[1] === 'commitments' ? csv.commitmentLines : csv.sectionLines;
    const column = m[1] === 'commitments' ? (m[3] === 'section' ? 'section_code' : m[3]) : `section_${m[3]}`;
    return { field: column, reason: e.reason, row: lines[Number(m[2])] };
  });
}
