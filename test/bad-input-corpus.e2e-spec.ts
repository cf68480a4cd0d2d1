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

  /** The fields a 400 names, in order. */
  const fieldsOf = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);
  const reasonFor = (res: { body: { errors?: Array<{ field: string; reason: string }> } }, field: string) => res.body.errors?.find((e) => e.field === field)?.reason;

  /** Asserts a 400 VALIDATION_FAILED naming the field with a reason matching, and that nothing changed. */
  async function refused(sendIt: () => PromiseLike<{ status: number; body: any }>, field: string, reason: RegExp, status = 400) {
    const before = await checksums();
    const res = await sendIt();
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: status === 400 ? { code: 'VALIDATION_FAILED' } : {} });
    if (status === 400) {
      expect(fieldsOf(res)).toContain(field);
      expect(reasonFor(res, field)).toMatch(reason);
    }
    expect(await checksums()).toEqual(before);
    return res;
  }

  const DAY = 86_400_000;
  const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const dateInDays = (days: number) => inDays(days).slice(0, 10);

  describe('characters PostgreSQL cannot store, and bodies no validator should walk', () => {
    it('names the field of a NUL or a lone surrogate, however deep, in the body, the query string and the route', async () => {
      const nul = await refused(() => t.http.post('/api/cases').set(d.auth('reporter')).send({ title: 'Grant\u0000cut' }), 'title', /control character NUL/);
      expect(nul.body.message).toMatch(/title must not contain the control character NUL/);
      await refused(() => d.raw('caseworker', caseId, { type: 'REQUEST_INFO', questions: 'half \udc00 a character' }), 'questions', /broken character \(a lone surrogate/);
      await refused(
        () => t.http.post('/api/admin/compacts/import').set(d.auth('admin')).send({ name: 'Deep Compact', scope: 'national', sections: [{ code: '1', title: 'ok' }, { code: '2', title: 'bad \u0000' }] }),
        'sections.1.title',
        /NUL/,
      );
      await refused(() => t.http.post(`/api/cases/${caseId}/notes?visibility=a%00b`).set(d.auth('caseworker')).send({ body: 'A note' }), 'visibility', /NUL/);
      await refused(() => t.http.post('/api/cases/a%00b/notes').set(d.auth('caseworker')).send({ body: 'A note' }), 'id', /NUL/);
      await refused(() => t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('caseworker')).send({ body: 'ok', 'bad\u0000key': 1 }), '(body)', /field name that must not contain/);
    });

    it('refuses a body nested thousands of levels deep with 400 naming the body, on class-validator and zod endpoints alike', async () => {
      const deep = deepJson(5000, '{"a":', '}');
      for (const sendIt of [
        () => t.http.post('/api/cases').set(d.auth('reporter')).set('Content-Type', 'application/json').send(deep),
        () => t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('caseworker')).set('Content-Type', 'application/json').send(`{"body":"x","extra":${deep}}`),
        () => t.http.post(`/api/cases/${caseId}/events`).set(d.auth('caseworker')).set('Content-Type', 'application/json').send(`{"type":"ACCEPT","note":${deep}}`),
      ]) {
        const res = await refused(sendIt, '(body)', /nested too deeply: at most 32 levels/);
        expect(res.body.errors).toHaveLength(1);
      }
      // Bodies of an ordinary depth are untouched: a Compact with nested rule data imports.
      const ok = await t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('caseworker')).send({ body: 'Nested enough', visibility: 'internal' });
      expect(ok.status).toBe(201);
    });

    it('refuses a body of null, a list or a bare value on the admin import and create endpoints, and any other', async () => {
      for (const [path, who] of [
        ['/api/admin/compacts/import', 'admin'],
        ['/api/admin/compacts', 'admin'],
        ['/api/admin/organisations', 'admin'],
        ['/api/admin/users', 'admin'],
        ['/api/admin/notifications/retry', 'admin'],
        ['/api/cases', 'reporter'],
      ] as const) {
        for (const body of ['null', '[]', '"text"', '7']) {
          await refused(() => t.http.post(path).set(d.auth(who)).set('Content-Type', 'application/json').send(body), '(body)', /the body must be a JSON object/);
        }
      }
    });
  });

  describe('impossible calendar dates: one check everywhere, nothing rolled over', () => {
    // The mediator may send SCHEDULE_SESSION only on a case they mediate (elsewhere it is a 404 first).
    let mediationId: string;
    beforeAll(async () => {
      mediationId = await d.toAdvocacyReview();
      await d.send('caseworker', mediationId, { type: 'REFER_TO_MEDIATION' });
      await d.send('admin', mediationId, { type: 'WAIVE_FEE', reason: 'Small charity' });
      await d.send('caseworker', mediationId, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    });

    it.each(IMPOSSIBLE_DATES)('refuses %s wherever a date is taken, naming the field', async (date) => {
      const real = /must be a real date/;
      await refused(() => t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReportFor({ happenedOn: date })), 'happenedOn', real);
      await refused(() => t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReportFor({ facts: { consultationOpenedOn: date } })), 'facts.consultationOpenedOn', /date/);
      await refused(() => d.raw('caseworker', caseId, { type: 'RESOLVE', agreedActions: ['Restore the grant'], monitorUntil: date }), 'monitorUntil', real);
      await refused(() => d.raw('caseworker', caseId, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: date }), 'monitorUntil', real);
      await refused(() => d.raw('caseworker', caseId, { type: 'RECORD_MEETING', heldOn: date, summary: 'Met' }), 'heldOn', real);
      await refused(() => d.raw('mediator', mediationId, { type: 'SCHEDULE_SESSION', startsAt: `${date}T10:00:00Z`, location: 'Town hall' }), 'startsAt', /real date and time/);
      const compact = t.demo.compacts.harborough2003;
      await refused(() => t.http.put(`/api/admin/compacts/${compact}/signatories/${t.demo.organisations.leicestershirePolice}`).set(d.auth('admin')).send({ signedOn: date }), 'signedOn', real);
      await refused(() => t.http.patch(`/api/admin/compacts/${compact}`).set(d.auth('admin')).send({ adoptedOn: date }), 'adoptedOn', /real date/);
      await refused(() => t.http.post('/api/admin/compacts').set(d.auth('admin')).send({ name: `Compact ${date}`, scope: 'national', adoptedOn: date }), 'adoptedOn', /real date/);
    });

    it('takes a real 29 February', async () => {
      const res = await t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReportFor({ happenedOn: '2024-02-29' }));
      expect(res.status).toBe(201);
      const [row] = await t.db.query(`SELECT to_char(happened_on, 'YYYY-MM-DD') AS on FROM cases WHERE id = $1`, [res.body.id]);
      expect(row.on).toBe('2024-02-29');
    });
  });

  describe('references to rows that do not exist', () => {
    it('a deadline policy for an unknown Compact is a 400 naming compactId, not a foreign-key error', async () => {
      await refused(
        () => t.http.put('/api/admin/deadline-policies/respondentReply').set(d.auth('admin')).send({ compactId: UNKNOWN_ID, workingDays: 15 }),
        'compactId',
        /not a Compact in the registry/,
      );
      const ok = await t.http.put('/api/admin/deadline-policies/respondentReply').set(d.auth('admin')).send({ compactId: t.demo.compacts.harborough2003, workingDays: 25 });
      expect(ok.status).toBe(200);
      await t.http.put('/api/admin/deadline-policies/respondentReply').set(d.auth('admin')).send({ compactId: t.demo.compacts.harborough2003, workingDays: 20 }).expect(200);
    });

    it('REJECT as a duplicate of a case that does not exist, or of the case itself, is a 400 naming duplicateOfReference', async () => {
      const { id, reference } = await d.file();
      await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
      const reject = (duplicateOfReference: string) => d.raw('caseworker', id, { type: 'REJECT', reason: 'duplicate', explanation: 'Reported twice', duplicateOfReference });
      await refused(() => reject('CB-1999-99999'), 'duplicateOfReference', /is not the reference of a case/);
      await refused(() => reject(reference), 'duplicateOfReference', /is this case itself/);
      await refused(() => reject(reference.toLowerCase()), 'duplicateOfReference', /is this case itself/);
      const [{ reference: other }] = await t.db.query(`SELECT reference FROM cases WHERE id = $1`, [caseId]);
      expect((await reject(other)).status).toBe(200);
    });
  });

  describe('dates that make no sense for the action: 409 naming the rule and the field', () => {
    const expectRule = (res: { status: number; body: Record<string, unknown> }, rule: string, field: string) => {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'RULE_VIOLATED', rule, field });
      expect(res.body.message).toEqual(expect.stringMatching(/^The date/));
    };

    it('a meeting held in the future, monitoring until a past day or decades away', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
      const before = await checksums();
      expectRule(await d.raw('caseworker', id, { type: 'RECORD_MEETING', heldOn: dateInDays(3), summary: 'Not yet held' }), 'meetingNotInFuture', 'heldOn');
      expectRule(await d.raw('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: dateInDays(-3) }), 'monitoringDateSensible', 'monitorUntil');
      expectRule(await d.raw('caseworker', id, { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: `${new Date().getUTCFullYear() + 30}-06-30` }), 'monitoringDateSensible', 'monitorUntil');
      expect(await checksums()).toEqual(before);
    });

    it('a mediation session in the past', async () => {
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
      await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity' });
      await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
      const before = await checksums();
      expectRule(await d.raw('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: inDays(-2), location: 'Town hall' }), 'sessionNotInPast', 'startsAt');
      expect(await checksums()).toEqual(before);
    });
  });

  describe('text of only spaces where text is required', () => {
    it('is refused as blank on notes, events and reports', async () => {
      await refused(() => t.http.post(`/api/cases/${caseId}/notes`).set(d.auth('caseworker')).send({ body: '  \t\n ' }), 'body', /^must not be blank$/);
      await refused(() => d.raw('caseworker', caseId, { type: 'REQUEST_INFO', questions: '     ' }), 'questions', /^must not be blank$/);
      await refused(() => d.raw('caseworker', caseId, { type: 'REJECT', reason: 'notCompactMatter', explanation: '   ' }), 'explanation', /^must not be blank$/);
      await refused(() => t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReportFor({ whatHappened: '      ' })), 'whatHappened', /^must not be blank$/);
      await refused(() => t.http.post('/api/cases').set(d.auth('reporter')).send(sampleReportFor({ title: '      ' })), 'title', /must not be blank/);
    });
  });

  describe('the case links endpoints', () => {
    it('answer 404 to people who cannot see the case, like every other case endpoint; 403 only to those who can', async () => {
      const { id: other } = await d.file('reporter2', { title: 'Carers grant cut' });
      for (const [who, status] of [
        ['reporter2', 404],
        ['mediator', 404],
        ['reporter', 403],
      ] as const) {
        expect((await t.http.get(`/api/cases/${caseId}/links`).set(d.auth(who))).status).toBe(status);
        expect((await t.http.post(`/api/cases/${caseId}/links`).set(d.auth(who)).send({ caseId: other })).status).toBe(status);
        expect((await t.http.delete(`/api/cases/${caseId}/links/${other}`).set(d.auth(who))).status).toBe(status);
      }
      expect((await t.http.get(`/api/cases/${UNKNOWN_ID}/links`).set(d.auth('caseworker'))).status).toBe(404);
      expect((await t.http.get(`/api/cases/${caseId}/links`).set(d.auth('caseworker'))).status).toBe(200);
    });
  });

  describe('a multipart body cut short', () => {
    const boundary = '----corpus-boundary';
    const cutShort = (csrf?: string) =>
      Buffer.from(
        [
          ...(csrf ? [`--${boundary}`, 'Content-Disposition: form-data; name="_csrf"', '', csrf] : []),
          `--${boundary}`,
          'Content-Disposition: form-data; name="description"',
          '',
          'The letter',
          `--${boundary}`,
          'Content-Disposition: form-data; name="file"; filename="letter.txt"',
          'Content-Type: text/plain',
          '',
          'Dear group, your grant ends on 15 October and',
        ].join('\r\n'),
      );

    it('is a 400 on the API upload, and stores nothing', async () => {
      const res = await refused(
        () => t.http.post(`/api/cases/${caseId}/evidence`).set(d.auth('caseworker')).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(cutShort()),
        'file',
        /malformed or incomplete/,
      );
      expect(res.body.message).toMatch(/file/);
    });

    it('is a 400 on the API upload when the client says more than it sends and gives up', async () => {
      const before = await checksums();
      // A port of its own (supertest cannot send a body shorter than its Content-Length); closed after.
      const server = t.app.getHttpServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const body = cutShort();
      let req: ReturnType<typeof httpRequest> | undefined;
      let giveUp: NodeJS.Timeout | undefined;
      const status = await new Promise<number | 'no answer'>((resolve) => {
        req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/cases/${caseId}/evidence`,
          headers: { ...d.auth('caseworker'), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length + 5000 },
        });
        req.on('response', (res) => resolve(res.statusCode ?? 0));
        req.on('error', () => resolve('no answer'));
        req.write(body);
        // The client stops sending but keeps listening: the server must answer, not hang or fail.
        setTimeout(() => req?.socket?.end(), 200);
        giveUp = setTimeout(() => resolve('no answer'), 5000);
      });
      clearTimeout(giveUp);
      req?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // Once the client stops sending, the form is seen to end before its closing boundary.
      expect(status).toBe(400);
      expect(await checksums()).toEqual(before);
      // The server is still well.
      expect((await t.http.get(`/api/cases/${caseId}`).set(d.auth('caseworker'))).status).toBe(200);
    });

    it('is a 400 page on the case page upload, and stores nothing', async () => {
      const web = new WebClient(t);
      await web.signIn(t.demo.users.caseworker.email);
      await web.get(`/cases/${caseId}`);
      const before = await checksums();
      const res = await (web as unknown as { t: TestApp }).t.http
        .post(`/cases/${caseId}/evidence`)
        .set('Cookie', cookieOf(web))
        .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
        .send(cutShort(web.csrf));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/could not be read/);
      expect(await checksums()).toEqual(before);
    });
  });

  describe('page forms', () => {
    it('answer a NUL or a broken character in a form field with a 400 page, and store nothing', async () => {
      const web = new WebClient(t);
      await web.signIn(t.demo.users.caseworker.email);
      await web.get(`/cases/${caseId}`);
      const forms: Array<{ path: string; body: Record<string, string> }> = [
        { path: `/cases/${caseId}/notes`, body: { body: 'A note with a \u0000 in it', visibility: 'internal' } },
        { path: `/cases/${caseId}/actions/REQUEST_INFO`, body: { questions: 'What \u0000 happened?' } },
      ];
      for (const form of forms) {
        const before = await checksums();
        const res = await web.post(form.path, form.body);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toMatch(/Something in the request was not right/);
        // In words: no field codes or character names reach the page.
        expect(res.text).toContain('Something you entered has a character we cannot store');
        expect(res.text).not.toMatch(/U\+0000|surrogate|VALIDATION_FAILED/);
        expect(await checksums()).toEqual(before);
      }
      // A form is URL-encoded UTF-8, which cannot carry half a character: its encoded bytes (CESU-8)
      // or an overlong NUL arrive as the literal text, which is stored as typed, not as a broken character.
      const before = await checksums();
      const raw = await t.http
        .post(`/cases/${caseId}/notes`)
        .set('Cookie', cookieOf(web))
        .type('form')
        .send(`_csrf=${encodeURIComponent(web.csrf ?? '')}&visibility=internal&body=half%20%ED%A0%80%20and%20%C0%80`);
      expect(raw.status).toBeLessThan(500);
      const [note] = await t.db.query(`SELECT body FROM case_notes ORDER BY created_at DESC LIMIT 1`);
      if (raw.status === 303) expect(note.body).toBe('half%20%ED%A0%80%20and%20%C0%80');
      else expect(await checksums()).toEqual(before);
      const admin = new WebClient(t);
      await admin.signIn(t.demo.users.admin.email);
      await admin.get('/admin/organisations');
      const beforeAdmin = await checksums();
      const res = await admin.post('/admin/organisations', { name: 'Bad\u0000Name Trust', sector: 'voluntary' });
      expect(res.status).toBe(400);
      expect(await checksums()).toEqual(beforeAdmin);
    });
  });

  function sampleReportFor(overrides: Record<string, unknown>) {
    return {
      respondentId: t.demo.organisations.harboroughCouncil,
      compactId: t.demo.compacts.national2010,
      commitments: ['4.5'],
      title: 'Grant ended with two weeks notice',
      whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
      happenedOn: '2026-10-01',
      impact: 'We had to close the Tuesday food bank session.',
      desiredOutcome: 'Three months notice as the Compact requires.',
      ...overrides,
    };
  }

  /** The web client's cookies, for a request it cannot build itself (a raw multipart body). */
  function cookieOf(web: WebClient): string {
    return [...(web as unknown as { cookies: Map<string, string> }).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
});
