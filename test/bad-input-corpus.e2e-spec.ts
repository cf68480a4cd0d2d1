import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * A corpus of bad requests against every writing endpoint the API documents, as a careless or
 * hostile client would send them: control characters, broken characters, absurd nesting, bodies
 * that are not objects, impossible dates, blank text, references to rows that do not exist. The
 * endpoints come from the app's own OpenAPI document, so a new endpoint is covered the day it is
 * added. The rule for each: never a 5xx, always refused (4xx), and nothing stored.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  example?: unknown;
  minimum?: number;
  minLength?: number;
  title?: string;
};
type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>; components: { schemas: Record<string, Schema> } };
type Who = keyof TestApp['tokens'] | 'nobody';

interface Endpoint {
  method: 'post' | 'put' | 'patch' | 'delete';
  /** The OpenAPI path, e.g. /api/cases/{id}/events. */
  path: string;
  /** With its parameters filled in. */
  url: string;
  who: Who;
  /** The JSON body schema, when the endpoint takes JSON. */
  schema?: Schema;
  multipart: boolean;
}

/** A body to send and what it is, for the failure message. */
interface BadBody {
  label: string;
  /** Raw JSON text (so that nesting, null and lone surrogates arrive exactly as written). */
  json: string;
}

const UNKNOWN_ID = '0b8f2d3e-4c5a-4e6f-9a7b-8c9d0e1f2a3b';
const IMPOSSIBLE_DATES = ['2027-13-01', '0000-00-00', '2027-02-30', '2026-02-29'];
const IMPOSSIBLE_DATE_TIMES = ['2027-02-30T10:00:00Z', '2027-13-01T10:00:00Z', '2026-02-29T10:00:00.000Z'];
/** The tables a writing request could change. (Sessions, the admin access audit and statistics rollups change on reads too.) */
const KEY_TABLES = [
  'cases',
  'case_events',
  'case_notes',
  'case_links',
  'evidence',
  'deadlines',
  'deadline_policies',
  'notifications',
  'users',
  'user_organisation_ties',
  'organisations',
  'compacts',
  'compact_sections',
  'commitments',
  'compact_signatories',
  'compact_lead_contacts',
  'site_pages',
  'fee_payment_instructions',
  'report_drafts',
];

function deepJson(levels: number, open: string, close: string): string {
  return `${open.repeat(levels)}1${close.repeat(levels)}`;
}

describe('bad-input corpus against every writing endpoint (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let doc: OpenApi;
  let caseId: string;
  let commitmentId: string;

  beforeAll(async () => {
    t = await startTestApp('badcorpus');
    d = new CaseDriver(t);
    ({ id: caseId } = await d.file());
    await d.send('caseworker', caseId, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    [{ id: commitmentId }] = await t.db.query(`SELECT id FROM commitments WHERE compact_id = $1 LIMIT 1`, [t.demo.compacts.harborough2003]);
  });
  afterAll(() => t?.close());

  /** One checksum per table over every row, so a change anywhere shows. */
  async function checksums(): Promise<Record<string, string>> {
    const parts = KEY_TABLES.map((table) => `SELECT '${table}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))), '') AS sum FROM ${table} x`);
    const rows: Array<{ t: string; sum: string }> = await t.db.query(parts.join(' UNION ALL '));
    return Object.fromEntries(rows.map((r) => [r.t, r.sum]));
  }

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    if (schema.anyOf) return resolve(schema.anyOf.find((s) => s.type !== 'null'));
    return schema;
  };

  /** A plausible value for a schema, so that one bad field is not hidden behind a missing one. */
  function sample(schema: Schema | undefined, name = ''): unknown {
    const s = resolve(schema);
    if (!s) return 'Some text';
    if (s.enum) return s.enum[0];
    const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
    if (type === 'object' || s.properties) {
      if (!s.properties) return s.example && typeof s.example === 'object' ? s.example : {};
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, sample(v, k)]));
    }
    if (type === 'array') return [sample(s.items, name)];
    if (type === 'integer' || type === 'number') return Math.max(s.minimum ?? 1, 1);
    if (type === 'boolean') return false;
    if (s.format === 'uuid' || /Id$/.test(name)) return idFor(name);
    if (s.format === 'email' || /email/i.test(name)) return `corpus-${randomUUID().slice(0, 8)}@example.org`;
    if (s.format === 'date-time' || /At$/.test(name)) return new Date(Date.now() + 7 * 86_400_000).toISOString();
    if (s.format === 'date' || isDateName(name)) return MONITOR_UNTIL;
    return 'Some text for the corpus';
  }

  const isDateName = (name: string) => /(On|Until|Date)$/.test(name) || name === 'until';
  const isDateTimeName = (name: string) => /At$/.test(name);

  /** Real rows for ids a body names, so the bad field under test is the only thing wrong. */
  function idFor(name: string): string {
    if (name === 'compactId') return t.demo.compacts.national2010;
    if (name === 'respondentId') return t.demo.organisations.harboroughCouncil;
    if (name === 'organisationId') return t.demo.organisations.riversideFoodbank;
    if (name === 'caseworkerId') return t.demo.users.caseworker.id;
    if (name === 'mediatorId') return t.demo.users.mediator.id;
    return UNKNOWN_ID;
  }

  /** Every string field of a sample body, by path (items.0.name), with whether it is a date. */
  type StringField = { path: string[]; kind: 'text' | 'date' | 'dateTime' | 'uuid'; required: boolean };
  function stringFields(value: unknown, schema: Schema | undefined, path: string[] = [], required = true): StringField[] {
    const s = resolve(schema);
    const name = path[path.length - 1] ?? '';
    if (typeof value === 'string') {
      const kind = s?.format === 'uuid' || /Id$/.test(name) ? 'uuid' : s?.format === 'date-time' || isDateTimeName(name) ? 'dateTime' : s?.format === 'date' || isDateName(name) ? 'date' : 'text';
      return s?.enum ? [] : [{ path, kind, required }];
    }
    if (Array.isArray(value)) return value.flatMap((v, i) => stringFields(v, s?.items, [...path, String(i)], required));
    if (value && typeof value === 'object') {
      return Object.entries(value).flatMap(([k, v]) => stringFields(v, s?.properties?.[k], [...path, k], required && (s?.required ?? []).includes(k)));
    }
    return [];
  }

  function withValue(body: unknown, path: string[], value: unknown): unknown {
    const copy = JSON.parse(JSON.stringify(body));
    let at = copy;
    for (const key of path.slice(0, -1)) at = at[key];
    at[path[path.length - 1]] = value;
    return copy;
  }

  /** The corpus for one body schema: the same bad kinds for every endpoint. */
  function corpusFor(schema: Schema | undefined): BadBody[] {
    const bodies: BadBody[] = [
      { label: 'a null body', json: 'null' },
      { label: 'an array body', json: '[]' },
      { label: 'an array of objects', json: '[{}]' },
      { label: 'a string body', json: '"hello"' },
      { label: 'a number body', json: '42' },
      { label: '5000-deep objects', json: deepJson(5000, '{"a":', '}') },
      { label: '5000-deep arrays', json: `{"a":${deepJson(5000, '[', ']')}}` },
      { label: 'a NUL in an unknown field', json: JSON.stringify({ 'x\u0000y': 'a\u0000b' }) },
    ];
    const alternatives = resolve(schema)?.oneOf ?? (schema ? [schema] : []);
    for (const alternative of alternatives) {
      const base = sample(alternative) as Record<string, unknown>;
      if (!base || typeof base !== 'object') {
        if (typeof base === 'string') bodies.push({ label: 'a NUL in the text body', json: JSON.stringify('a\u0000b') });
        continue;
      }
      const of = (alternative.title ?? resolve(alternative)?.title) ? `${alternative.title}: ` : '';
      bodies.push({ label: `${of}deep nesting inside a field`, json: JSON.stringify(base).replace(/^\{/, `{"nested":${deepJson(3000, '{"a":', '}')},`) });
      for (const field of stringFields(base, alternative)) {
        const name = field.path.join('.');
        if (field.path[0] === 'type' && alternative.title) continue;
        bodies.push({ label: `${of}NUL in ${name}`, json: JSON.stringify(withValue(base, field.path, 'before\u0000after')) });
        // JSON.stringify writes a lone surrogate as the escape \ud800, as a client's JSON would.
        bodies.push({ label: `${of}a lone surrogate in ${name}`, json: JSON.stringify(withValue(base, field.path, 'broken \ud800 text')) });
        // Blank text is refused where text is required; an optional field may be cleared.
        if (field.kind === 'text' && field.required) bodies.push({ label: `${of}only spaces in ${name}`, json: JSON.stringify(withValue(base, field.path, '   \t ')) });
        if (field.kind === 'uuid') bodies.push({ label: `${of}an unknown id in ${name}`, json: JSON.stringify(withValue(base, field.path, UNKNOWN_ID)) });
        if (field.kind === 'date') for (const date of IMPOSSIBLE_DATES) bodies.push({ label: `${of}${date} in ${name}`, json: JSON.stringify(withValue(base, field.path, date)) });
        if (field.kind === 'dateTime') for (const date of IMPOSSIBLE_DATE_TIMES) bodies.push({ label: `${of}${date} in ${name}`, json: JSON.stringify(withValue(base, field.path, date)) });
      }
    }
    return bodies;
  }

  function endpoints(): Endpoint[] {
    const list: Endpoint[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!['post', 'put', 'patch', 'delete'].includes(method)) continue;
        const content = operation.requestBody?.content ?? {};
        list.push({
          method: method as Endpoint['method'],
          path,
          url: fill(path),
          who: callerFor(method, path),
          schema: content['application/json']?.schema,
          multipart: 'multipart/form-data' in content,
        });
      }
    }
    return list;
  }

  function fill(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'kind') return 'respondentReply';
      if (name === 'sector') return 'voluntary';
      if (name === 'slug') return 'privacy';
      if (name === 'otherId') return UNKNOWN_ID;
      if (path.startsWith('/api/cases/')) return caseId;
      if (path.startsWith('/api/admin/users/')) return name === 'organisationId' ? t.demo.organisations.harboroughCarers : t.demo.users.reporter2.id;
      if (path.startsWith('/api/admin/compacts/')) return name === 'organisationId' ? t.demo.organisations.leicestershirePolice : t.demo.compacts.harborough2003;
      if (path.startsWith('/api/admin/commitments/')) return commitmentId;
      if (path.startsWith('/api/admin/organisations/')) return t.demo.organisations.harboroughCarers;
      return UNKNOWN_ID;
    });
  }

  function callerFor(method: string, path: string): Who {
    if (path.startsWith('/api/auth/')) return 'nobody';
    if (path.startsWith('/api/admin/')) return 'admin';
    if (path === '/api/cases' && method === 'post') return 'reporter';
    return 'caseworker';
  }

  const authOf = (who: Who): Record<string, string> => (who === 'nobody' ? {} : d.auth(who));

  /** Sends raw bytes, so bodies arrive exactly as written (supertest would re-encode them). */
  function send(e: Endpoint, json: string | undefined, query = '') {
    let req = t.http[e.method](`${e.url}${query}`).set(authOf(e.who));
    if (json !== undefined) req = req.set('Content-Type', 'application/json').send(json);
    return req;
  }

  it('covers every writing endpoint the OpenAPI document lists', () => {
    const listed = endpoints().map((e) => `${e.method.toUpperCase()} ${e.path}`);
    // The ones this corpus was written against; a new endpoint adds to the list and is covered.
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /api/cases',
        'POST /api/cases/{id}/events',
        'POST /api/cases/{id}/notes',
        'POST /api/cases/{id}/links',
        'POST /api/cases/{caseId}/evidence',
        'POST /api/admin/compacts',
        'POST /api/admin/compacts/import',
        'PUT /api/admin/deadline-policies/{kind}',
        'POST /api/admin/users',
        'PATCH /api/admin/organisations/{id}',
      ]),
    );
    expect(listed.length).toBeGreaterThanOrEqual(25);
  });

  it('answers every bad body, query and path on every writing endpoint with a 4xx, and stores nothing', async () => {
    const failures: string[] = [];
    let sent = 0;
    const before = await checksums();
    for (const e of endpoints()) {
      const name = `${e.method.toUpperCase()} ${e.path}`;
      const check = (label: string, res: { status: number; body: unknown; text?: string }) => {
        sent++;
        if (res.status < 400 || res.status >= 500) failures.push(`${name} with ${label}: ${res.status} ${(res.text ?? '').slice(0, 200)}`);
      };
      const takesBody = e.schema !== undefined || e.multipart;
      if (takesBody) {
        for (const bad of corpusFor(e.schema)) check(bad.label, await send(e, bad.json));
      }
      // Query strings and path parameters reach the database too.
      const sample = e.schema ? JSON.stringify(sample0(e.schema)) : undefined;
      check('a NUL in the query string', await send(e, sample, '?note=a%00b'));
      for (const [param, value] of [
        ['a NUL', 'a%00b'],
        ['an overlong UTF-8 byte', '%C0%80'],
        ['an encoded lone surrogate', '%ED%A0%80'],
      ]) {
        if (!/\{\w+\}/.test(e.path)) break;
        const url = e.path.replace(/\{(\w+)\}/, value);
        const filled = fill(url);
        sent++;
        const res = await t.http[e.method](filled).set(authOf(e.who)).set('Content-Type', 'application/json').send(sample ?? '{}');
        if (res.status < 400 || res.status >= 500) failures.push(`${name} with ${param} in the path: ${res.status} ${res.text.slice(0, 200)}`);
      }
      const after = await checksums();
      const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
      if (changed.length) {
        failures.push(`${name}: stored something (${changed.join(', ')} changed)`);
        Object.assign(before, after);
      }
    }
    expect(sent).toBeGreaterThan(400);
    expect(failures).toEqual([]);
  });

  function sample0(schema: Schema): unknown {
    const alternatives = resolve(schema)?.oneOf;
    return sample(alternatives ? alternatives[0] : schema);
  }
});
