import { audiencesWritableBy, readableBy, respondentSeesEvent, visiblePayload, writableBy } from './visibility';

describe('audiences', () => {
  it('keeps the note audiences of every existing role, and adds the messages to and from the public body', () => {
    expect(readableBy('reporter')).toEqual(['shared', 'parties']);
    expect(readableBy('caseworker')).toEqual(['shared', 'internal', 'parties', 'respondent']);
    expect(readableBy('mediator')).toEqual(['shared', 'mediator']);
    expect(readableBy('respondent')).toEqual(['parties', 'respondent']);
    // The notes panel's choices are as they were; messages are written apart.
    expect(writableBy('caseworker')).toEqual(['shared', 'internal']);
    expect(writableBy('respondent')).toEqual([]);
    expect(audiencesWritableBy('respondent')).toEqual(['parties']);
    expect(audiencesWritableBy('caseworker')).toEqual(expect.arrayContaining(['parties', 'respondent']));
    expect(audiencesWritableBy('reporter')).toEqual(['shared']);
  });
});

describe('visiblePayload for a respondent', () => {
  it('shows the events about the public body with their listed fields only: no e-mail addresses, no reasons for closing', () => {
    expect(visiblePayload('respondent', 'CONTACT_RESPONDENT', { summary: 'Wrote.', contactName: 'Ann', contactEmail: 'ann@council.test', contactIds: ['x'] })).toEqual({ summary: 'Wrote.' });
    expect(visiblePayload('respondent', 'WITHDRAW', { reason: 'The council asked us to' })).toEqual({});
    expect(visiblePayload('respondent', 'RECORD_SESSION_HELD', { note: 'Mediator only' })).toEqual({});
    expect(respondentSeesEvent('CONTACT_RESPONDENT')).toBe(true);
    expect(respondentSeesEvent('ASSIGN')).toBe(false);
    expect(respondentSeesEvent('REQUEST_INFO')).toBe(false);
    expect(respondentSeesEvent('REJECT')).toBe(false);
  });

  it('leaves what the other roles see as it was', () => {
    expect(visiblePayload('reporter', 'CONTACT_RESPONDENT', { summary: 'Wrote.', contactEmail: 'ann@council.test' })).toEqual({});
    expect(visiblePayload('reporter', 'RECORD_SESSION_HELD', { note: 'x' })).toEqual({});
    expect(visiblePayload('mediator', 'RECORD_SESSION_HELD', { note: 'x' })).toEqual({ note: 'x' });
    expect(visiblePayload('caseworker', 'CONTACT_RESPONDENT', { summary: 'Wrote.' })).toEqual({ summary: 'Wrote.' });
  });
});
