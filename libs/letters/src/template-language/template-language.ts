/**
 * The letter template language: Handlebars syntax, read with Handlebars' own parser, and filled in
 * here rather than by Handlebars' runtime. Filling it ourselves is what lets a preview mark each
 * field the case does not have yet, instead of printing an empty string: the parsed tree says
 * exactly which field each gap is. It also means no helper, partial or prototype is ever reached:
 * only the block helpers #if, #unless, #each and #with, and values looked up as own properties of
 * the merge data.
 */
import Handlebars from 'handlebars';
import { FieldSpec, MERGE_FIELDS, Schema, fieldAt } from './merge-fields';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Path = hbs.AST.PathExpression;

/** A piece of a filled-in letter: words, or a field the case does not have yet. */
export type Segment = { text: string } | { gap: string; field: string };

export interface TemplateProblem {
  /** 1-based line of the template text. */
  line?: number;
  reason: string;
}

const BLOCKS = ['if', 'unless', 'each', 'with'] as const;
type Block = (typeof BLOCKS)[number];

/** Parses a template, or says in words what is wrong with it (never Handlebars' own message). */
export function parseTemplate(source: string): { program: Program } | { problems: TemplateProblem[] } {
  let program: Program;
  try {
    program = Handlebars.parse(source);
  } catch (err) {
    const line = Number(/line (\d+)/.exec(err instanceof Error ? err.message : '')?.[1]) || undefined;
    return {
      problems: [
        {
          line,
          reason: `has a merge field or block that is not finished${line ? ` on line ${line}` : ''}: every {{ needs its }}, and every {{#if}}, {{#unless}}, {{#each}} or {{#with}} needs its {{/if}}, {{/unless}}, {{/each}} or {{/with}}`,
        },
      ],
    };
  }
  const problems = check(program, [MERGE_FIELDS]);
  return problems.length ? { problems } : { program };
}

/** The problems of a template's text, for an administrator saving it; empty when it is good. */
export function templateProblems(source: string): TemplateProblem[] {
  const parsed = parseTemplate(source);
  return 'problems' in parsed ? parsed.problems : [];
}

const lineOf = (node: Node) => node.loc?.start.line;

/** What a scope's fields are: the root schema, an object's fields, a list's item (fields or plain text). */
type Scope = Schema | 'text';

function check(program: Program, scopes: Scope[]): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const node of program.body) {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (m.path.type !== 'PathExpression' || m.params.length || m.hash) {
          problems.push({ line: lineOf(node), reason: `uses {{${describe(m.path)} …}}, which is not a merge field: only fields (like {{case.reference}}) and the blocks #if, #unless, #each and #with can be used` });
          break;
        }
        const found = resolve(m.path as Path, scopes);
        if ('problem' in found) problems.push({ line: lineOf(node), reason: found.problem });
        else if (found.spec !== 'text' && found.spec.kind === 'flag') problems.push({ line: lineOf(node), reason: `uses {{${(m.path as Path).original}}}, which is a yes or no: use it in {{#if ${(m.path as Path).original}}} … {{/if}}` });
        else if (found.spec !== 'text' && found.spec.kind === 'object') problems.push({ line: lineOf(node), reason: `uses {{${(m.path as Path).original}}}, which is a group of fields: name one of them, like {{${(m.path as Path).original}.${Object.keys(found.spec.fields)[0]}}}` });
        break;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const name = b.path.type === 'PathExpression' ? (b.path as Path).original : '';
        if (!(BLOCKS as readonly string[]).includes(name) || b.params.length !== 1 || b.params[0].type !== 'PathExpression' || b.hash) {
          problems.push({ line: lineOf(node), reason: `uses {{#${name || describe(b.path)}}}, which is not a block you can use: use {{#if field}}, {{#unless field}}, {{#each list}} or {{#with group}}, each with one field` });
          break;
        }
        const target = b.params[0] as Path;
        const found = resolve(target, scopes);
        if ('problem' in found) {
          problems.push({ line: lineOf(node), reason: found.problem });
          break;
        }
        let inner: Scope[] = scopes;
        if (name === 'each') {
          if (found.spec === 'text' || found.spec.kind !== 'list') {
            problems.push({ line: lineOf(node), reason: `uses {{#each ${target.original}}}, but ${target.original} is not a list: #each goes over a list, like {{#each commitments}}` });
            break;
          }
          inner = [...scopes, found.spec.items];
        } else if (name === 'with') {
          if (found.spec === 'text' || found.spec.kind !== 'object') {
            problems.push({ line: lineOf(node), reason: `uses {{#with ${target.original}}}, but ${target.original} is not a group of fields: #with goes into a group, like {{#with fee}}` });
            break;
          }
          inner = [...scopes, found.spec.fields];
        }
        problems.push(...check(b.program, inner));
        if (b.inverse) problems.push(...check(b.inverse, scopes));
        break;
      }
      default:
        problems.push({ line: lineOf(node), reason: 'uses {{> …}} or a decorator, which letters cannot use: only fields and the blocks #if, #unless, #each and #with' });
    }
  }
  return problems;
}

function describe(node: Node): string {
  return node.type === 'PathExpression' ? (node as Path).original : 'that';
}

const DATA_VARIABLES = new Set(['index', 'first', 'last']);

/** The field a path names in its scope, or the problem in words. */
function resolve(path: Path, scopes: Scope[]): { spec: FieldSpec | 'text' } | { problem: string } {
  const name = path.original;
  if (path.data) {
    if (path.parts.length === 1 && DATA_VARIABLES.has(path.parts[0]) && scopes.length > 1) return { spec: { kind: 'text', words: 'the place in the list', example: '1' } };
    return { problem: `uses {{${name}}}, which is not a merge field (only @index, @first and @last, inside {{#each}})` };
  }
  const depth = path.depth;
  if (depth >= scopes.length) return { problem: `uses {{${name}}}, which goes up out of the letter: use ../ only inside a block` };
  const scope = scopes[scopes.length - 1 - depth];
  if (path.parts.length === 0) {
    if (scope === 'text') return { spec: 'text' };
    return { problem: `uses {{${name}}} where it is not one piece of text: use it inside {{#each}} over a list of words, like {{#each agreedActions}}` };
  }
  if (scope === 'text') return { problem: `uses {{${name}}} inside a list of plain words: use {{this}} for each one` };
  const spec = fieldAt(scope, path.parts);
  if (!spec) {
    const near = nearest(path.parts.join('.'), scope);
    return { problem: `uses {{${name}}}, which is not a merge field${near ? `; did you mean {{${near}}}?` : ''}` };
  }
  return { spec };
}

/** The known field closest in spelling, to suggest for a mistyped one. */
function nearest(wanted: string, scope: Schema): string | undefined {
  const all: string[] = [];
  const walk = (s: Schema, prefix: string) => {
    for (const [k, v] of Object.entries(s)) {
      const p = prefix ? `${prefix}.${k}` : k;
      all.push(p);
      if (v.kind === 'object') walk(v.fields, p);
    }
  };
  walk(scope, '');
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of all) {
    const d = distance(wanted.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = kept;
    }
  }
  return row[b.length];
}

/** Merge data: words, yes/no, lists and groups, as the case knows them; a missing value is absent or null. */
export type MergeValue = string | number | boolean | null | undefined | MergeValue[] | { [key: string]: MergeValue };
export type MergeData = { [key: string]: MergeValue };

interface Frame {
  value: MergeValue;
  /** The field's dotted name from the top, for the gap ("commitments › finding"). */
  name: string;
  schema: Scope;
  index?: number;
  count?: number;
}

/**
 * Fills a checked template in with the merge data. A field with no value becomes a gap naming it in
 * words; an {{#each}} over an empty list with no {{else}} is a gap too (a record of agreement with
 * no agreed actions is missing something). An {{#if}}'s condition is never a gap.
 */
export function fillTemplate(program: Program, data: MergeData): Segment[] {
  const out: Segment[] = [];
  run(program, [{ value: data, name: '', schema: MERGE_FIELDS }], out);
  return joinText(out);
}

function run(program: Program, frames: Frame[], out: Segment[]): void {
  for (const node of program.body) {
    if (node.type === 'ContentStatement') out.push({ text: (node as hbs.AST.ContentStatement).value });
    else if (node.type === 'MustacheStatement') {
      const path = (node as hbs.AST.MustacheStatement).path as Path;
      const found = lookup(path, frames);
      const shown = show(found.value);
      out.push(shown === undefined ? { gap: found.words, field: found.name } : { text: shown });
    } else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      const name = (b.path as Path).original as Block;
      const found = lookup(b.params[0] as Path, frames);
      const present = hasValue(found.value);
      if (name === 'if' || name === 'unless') {
        const chosen = (name === 'if') === present ? b.program : b.inverse;
        if (chosen) run(chosen, frames, out);
      } else if (name === 'with') {
        if (present && found.spec !== 'text' && found.spec.kind === 'object') run(b.program, [...frames, { value: found.value, name: found.name, schema: found.spec.fields }], out);
        else if (b.inverse) run(b.inverse, frames, out);
        else out.push({ gap: found.words, field: found.name });
      } else {
        const items = Array.isArray(found.value) ? found.value.filter(hasValue) : [];
        const itemSchema = found.spec !== 'text' && found.spec.kind === 'list' ? found.spec.items : 'text';
        if (items.length) items.forEach((item, index) => run(b.program, [...frames, { value: item, name: found.name, schema: itemSchema, index, count: items.length }], out));
        else if (b.inverse) run(b.inverse, frames, out);
        else {
          out.push({ gap: found.words, field: found.name });
          // A list on lines of its own keeps its line: the gap takes the place of the whole list.
          if (endsLine(b.program)) out.push({ text: '\n' });
        }
      }
    }
  }
}

function endsLine(program: Program): boolean {
  const last = program.body[program.body.length - 1];
  return last?.type === 'ContentStatement' && (last as hbs.AST.ContentStatement).value.endsWith('\n');
}

function lookup(path: Path, frames: Frame[]): { value: MergeValue; words: string; name: string; spec: FieldSpec | 'text' } {
  const frame = frames[frames.length - 1 - path.depth];
  if (path.data) {
    const v = path.parts[0] === 'index' ? (frame.index ?? 0) + 1 : path.parts[0] === 'first' ? frame.index === 0 : frame.index === (frame.count ?? 0) - 1;
    return { value: v, words: 'the place in the list', name: `@${path.parts[0]}`, spec: 'text' };
  }
  let value: MergeValue = frame.value;
  let schema: Scope = frame.schema;
  let spec: FieldSpec | 'text' = 'text';
  let words = '';
  const names = frame.name ? [frame.name] : [];
  for (const part of path.parts) {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    value = isObject && Object.hasOwn(value as object, part) ? (value as Record<string, MergeValue>)[part] : undefined;
    spec = schema !== 'text' && Object.hasOwn(schema, part) ? schema[part] : 'text';
    schema = spec !== 'text' && spec.kind === 'object' ? spec.fields : 'text';
    words = spec === 'text' ? part : spec.words;
    names.push(part);
  }
  if (!path.parts.length) words = frame.schema === 'text' ? 'an item of the list' : words;
  return { value, words, name: names.join('.'), spec };
}

function hasValue(v: MergeValue): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.some(hasValue);
  return true;
}

/** A value as words; undefined when there is nothing to show (the gap). */
function show(v: MergeValue): string | undefined {
  if (typeof v === 'string') return v.trim() ? v : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (Array.isArray(v)) {
    const words = v.map(show).filter((w): w is string => !!w);
    if (!words.length) return undefined;
    return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  }
  return undefined;
}

function joinText(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if ('text' in s && last && 'text' in last) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

/** The words a caseworker edits: each gap as a marker they replace, "[missing: the date the public body must reply by]". */
export const GAP_MARKER = /\[missing: ([^\]\n]{1,300})\]/g;

export function segmentsToText(segments: Segment[]): string {
  return segments.map((s) => ('text' in s ? s.text : `[missing: ${s.gap}]`)).join('');
}

/** The gaps, each once, in the order they appear. */
export function gapsOf(segments: Segment[]): string[] {
  return [...new Set(segments.flatMap((s) => ('gap' in s ? [s.gap] : [])))];
}

/** The markers a caseworker left in edited text, each once. */
export function markersIn(text: string): string[] {
  return [...new Set([...text.matchAll(GAP_MARKER)].map((m) => m[1]))];
}

/** Edited text back into segments, so a preview of it marks what is still missing. */
export function textToSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of text.matchAll(GAP_MARKER)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ gap: m[1], field: '' });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
