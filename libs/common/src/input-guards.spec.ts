import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { databaseRefusal } from './database-refusals';
import { MAX_BODY_DEPTH, inputProblems, requestProblems, textProblem } from './input-guards';

const json = { 'content-type': 'application/json' };

describe('inputProblems', () => {
  it('names the path of a NUL or a lone surrogate, however deep, and lets whole pairs through', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('half \ud800')).toMatch(/lone surrogate/);
    expect(textProblem('\udc00 at the start')).toMatch(/lone surrogate/);
    expect(textProblem('a whole pair 😀 and é')).toBeNull();
    expect(inputProblems({ items: [{ name: 'ok' }, { name: 'ok' }, { name: 'x\u0000' }] }, '(body)')).toEqual([{ field: 'items.2.name', reason: expect.stringMatching(/NUL/) }]);
    expect(inputProblems('bad\ud800', '(body)')).toEqual([{ field: '(body)', reason: expect.stringMatching(/surrogate/) }]);
    expect(inputProblems({ facts: { 'open\u0000edOn': '2026-01-01' } }, '(body)')).toEqual([{ field: 'facts', reason: expect.stringMatching(/^has a field name that/) }]);
  });

  it('refuses nesting past the limit once, without recursion, and takes the limit itself', () => {
    const nest = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
      return value;
    };
    expect(inputProblems(nest(MAX_BODY_DEPTH), '(body)')).toEqual([]);
    expect(inputProblems(nest(MAX_BODY_DEPTH + 1), '(body)')).toEqual([{ field: '(body)', reason: expect.stringMatching(/nested too deeply/) }]);
    // Far past any stack: the walk is a loop.
    expect(inputProblems(nest(200_000), '(body)')).toHaveLength(1);
  });

  it('checks the route, the query string and the body of a request; a JSON body must be an object', () => {
    expect(requestProblems({ params: { id: 'a\u0000' }, query: { q: ['x', 'y\u0000'] }, body: {}, headers: json }).map((p) => p.field)).toEqual(['id', 'q.1']);
    for (const body of [null, [], 'text', 7]) {
      expect(requestProblems({ body, headers: json })).toEqual([{ field: '(body)', reason: expect.stringMatching(/must be a JSON object/) }]);
    }
    // A CSV import's text body and a form are not JSON objects, and need not be.
    expect(requestProblems({ body: 'name,scope\nA,national', headers: { 'content-type': 'text/csv' } })).toEqual([]);
    expect(requestProblems({ body: 'a\u0000,b', headers: { 'content-type': 'text/csv' } })).toEqual([{ field: '(body)', reason: expect.stringMatching(/NUL/) }]);
    expect(requestProblems({ body: undefined, headers: {} })).toEqual([]);
  });
});

describe('databaseRefusal', () => {
  const pgError = (code: string, extra: Record<string, string> = {}) => {
    const e = new DatabaseError('refused', 7, 'error');
    Object.assign(e, { code, ...extra });
    return new QueryFailedError('INSERT ...', [], e);
  };

  it('makes a foreign-key violation a 400 naming the column as the API names it', () => {
    const refused = databaseRefusal(pgError('23503', { detail: 'Key (compact_id)=(0b8f2d3e-4c5a-4e6f-9a7b-8c9d0e1f2a3b) is not present in table "compacts".' }));
    expect(refused?.errors).toEqual([{ field: 'compactId', reason: 'names something that does not exist' }]);
    expect(databaseRefusal(pgError('23503', { detail: 'Key (id)=(x) is still referenced from table "cases".' }))?.errors[0]).toEqual({ field: 'id', reason: expect.stringMatching(/still in use/) });
  });

  it('makes values a column cannot hold a 400, and leaves every other error alone', () => {
    for (const code of ['22P02', '22007', '22008', '22021', '22P05']) expect(databaseRefusal(pgError(code))?.code).toBe('VALIDATION_FAILED');
    expect(databaseRefusal(pgError('22008', { column: 'happened_on' }))?.errors[0].field).toBe('happenedOn');
    for (const other of [pgError('23505'), pgError('57P01'), new Error('boom'), null, undefined, { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }]) {
      expect(databaseRefusal(other)).toBeUndefined();
    }
  });
});
