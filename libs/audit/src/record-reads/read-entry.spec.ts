import { classifyRequest, isAudited, storableText } from './read-entry';

const ID = '24a82df8-5851-49e5-ba18-29da13803d07';

describe('which case and part a request names', () => {
  it.each([
    [`/api/cases/${ID}`, ID, 'case', 'api'],
    [`/api/cases/CB-2026-00042/timeline`, 'CB-2026-00042', 'timeline', 'api'],
    [`/api/cases/${ID}/notes?x=1`, ID, 'notes', 'api'],
    [`/api/cases/${ID}/evidence/${ID}`, ID, 'evidence', 'api'],
    [`/api/cases/${ID}/deadlines`, ID, 'deadlines', 'api'],
    [`/api/cases/${ID}/letters/${ID}`, ID, 'letters', 'api'],
    [`/api/cases/${ID}/case-file`, ID, 'case-file', 'api'],
    [`/api/cases/${ID}/case-file.pdf`, ID, 'case-file', 'api'],
    [`/api/cases/${ID}/events`, ID, 'case', 'api'],
    [`/api/web/cases/${ID}`, ID, 'case', 'page'],
    [`/api/web/cases/${ID}?done=note#notes`, ID, 'case', 'page'],
    [`/api/web/cases/${ID}/messages`, ID, 'messages', 'page'],
    [`/api/web/cases/${ID}/actions/ACCEPT`, ID, 'case', 'page'],
    [`/api/web/cases/${ID}/reads`, ID, 'other', 'page'],
  ])('%s', (url, caseRef, what, via) => {
    expect(classifyRequest(url)).toEqual({ caseRef, what, via });
  });

  it('names no case for lists, other pages, or a path that only looks like one', () => {
    expect(classifyRequest('/api/cases')).toEqual({ caseRef: null, what: 'other', via: 'api' });
    expect(classifyRequest('/api/web/cases?stage=triage')).toEqual({ caseRef: null, what: 'other', via: 'page' });
    expect(classifyRequest('/api/web')).toEqual({ caseRef: null, what: 'other', via: 'page' });
    expect(classifyRequest(`/api/web/admin/cases/${ID}`)).toEqual({ caseRef: null, what: 'other', via: 'page' });
    expect(classifyRequest('/api/cases/not-a-case')).toEqual({ caseRef: null, what: 'other', via: 'api' });
  });

  it('keeps only text the database can store', () => {
    expect(storableText('a\u0000b\uD800c', 100)).toBe('ab\uFFFDc');
    expect(storableText('x'.repeat(600), 500)).toHaveLength(500);
  });
});

describe('which requests go on the read audit', () => {
  it('records every read of a case by caseworkers and mediators, and none of their changes', () => {
    for (const role of ['caseworker', 'mediator'] as const) {
      expect(isAudited(role, 'GET', ID)).toBe(true);
      expect(isAudited(role, 'head', 'CB-2026-00042')).toBe(true);
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(isAudited(role, method, ID)).toBe(false);
      expect(isAudited(role, 'GET', null)).toBe(false);
    }
  });

  it('records every request an administrator makes, and nothing a reporter or a public body does', () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      expect(isAudited('administrator', method, ID)).toBe(true);
      expect(isAudited('administrator', method, null)).toBe(true);
    }
    for (const role of ['reporter', 'respondent'] as const) expect(isAudited(role, 'GET', ID)).toBe(false);
  });
});
