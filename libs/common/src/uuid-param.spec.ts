import { randomUUID } from 'node:crypto';
import { NotFound } from './domain-error';
import { UUID_TEXT, isUuid } from './ids';
import { ParseUuidPipe } from './uuid-param';

describe('ids', () => {
  it('takes a UUID in either case and nothing shaped only roughly like one', () => {
    const id = randomUUID();
    expect(isUuid(id)).toBe(true);
    expect(isUuid(id.toUpperCase())).toBe(true);
    expect(isUuid('-'.repeat(36))).toBe(false);
    expect(isUuid(id.replace(/-/g, 'a'))).toBe(false);
    expect(isUuid(`${id}x`)).toBe(false);
    expect(isUuid('CB-2026-1')).toBe(false);
    expect(new RegExp(`/cases/(${UUID_TEXT})`, 'i').exec(`/api/cases/${id}/events`)?.[1]).toBe(id);
  });
});

describe('ParseUuidPipe', () => {
  it('passes a UUID through and answers anything else with the not-found it was given', () => {
    const id = randomUUID();
    const pipe = new ParseUuidPipe('That person', 'USER_NOT_FOUND');
    expect(pipe.transform(id)).toBe(id);
    for (const bad of ['not-a-uuid', '-'.repeat(36), '', `${id} `]) {
      let thrown: unknown;
      try {
        pipe.transform(bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(NotFound);
      expect(thrown).toMatchObject({ code: 'USER_NOT_FOUND', message: 'That person was not found, or you do not have access to it.' });
    }
    expect(() => new ParseUuidPipe('That link').transform('x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => new ParseUuidPipe((id) => `Compact ${id}`, 'COMPACT_NOT_FOUND').transform('nope')).toThrow('Compact nope was not found, or you do not have access to it.');
  });
});
