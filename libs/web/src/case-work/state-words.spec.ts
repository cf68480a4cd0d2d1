import { COMMAND_TYPES, SYSTEM_EVENT_TYPES } from '@cc/workflows';
import { Formats, historySentence, reporterDeadlineSentence, stageLines, staffDetail } from './state-words';
import { Renderer } from '../renderer';

const f: Formats = { date: () => '3 December 2026', dateTime: () => '3 December 2026 at 10:00 am', pounds: (p) => `£${(p / 100).toFixed(2)}` };
const CODE = /\b[A-Z]{3,}_[A-Z_]{2,}\b|\d{4}-\d{2}-\d{2}|pence|\bundefined\b|\bnull\b/;

describe('the reporter’s words for a case', () => {
  it.each([...COMMAND_TYPES, ...SYSTEM_EVENT_TYPES, 'SUBMITTED'])('says %s as a sentence, with its date and no codes', (type) => {
    const s = historySentence({ type, at: '2026-12-03T10:00:00Z', actorRole: 'caseworker', details: { party: 'respondent', amountPence: 120_000, reporterSharePercent: 25, reason: 'duplicate' } }, { respondent: 'Leicestershire County Council', feeShareOf: (a, p) => (a * p) / 100 }, f);
    expect(s.text).not.toBe('The case was updated on 3 December 2026.');
    expect(s.text).toContain('3 December 2026');
    expect(s.text).not.toMatch(CODE);
  });

  it('says the issue’s example', () => {
    expect(historySentence({ type: 'CONTACT_RESPONDENT', at: '2026-12-03T10:00:00Z', actorRole: 'caseworker', details: {} }, { respondent: 'Leicestershire County Council' }, f).text).toBe(
      'We contacted Leicestershire County Council on 3 December 2026.',
    );
  });

  it('lists stages done, now and next, a reopened case included', () => {
    expect(stageLines(['submitted', 'triage', 'advocacy'], 'advocacy')).toEqual([
      { text: 'Report received', status: 'done' },
      { text: 'Checking the report', status: 'done' },
      { text: 'Taking it up with the public body', status: 'current' },
      { text: expect.stringContaining('Reaching an agreement'), status: 'next' },
    ]);
    expect(stageLines(['submitted', 'triage', 'closed', 'triage'], 'triage').map((l) => l.text)).toEqual(['Report received', 'Case closed, then reopened', 'Checking the report', 'Taking it up with the public body']);
    expect(stageLines(['submitted', 'triage', 'closed'], 'closed', 'you withdrew it').at(-1)).toEqual({ text: 'Case closed: you withdrew it', status: 'current' });
  });

  it('leaves a clock the reporter acts on to "what you need to do", and says the others', () => {
    expect(reporterDeadlineSentence({ kind: 'informationRequest', status: 'pending', dueAt: '2026-12-15T17:00:00Z' }, 'The council', f)).toBeNull();
    expect(reporterDeadlineSentence({ kind: 'respondentReply', status: 'pending', dueAt: '2026-12-15T17:00:00Z' }, 'The council', f)).toBe('The council has until 3 December 2026 to reply to us.');
  });

  it('writes staff details in pounds and names, never pence or ids', () => {
    const names = new Map([['0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'Cara Caseworker']]);
    const event = { amountPence: 120_000, reporterSharePercent: 25 };
    expect(staffDetail('amountPence', 120_000, names, f, event)).toEqual({ key: 'Amount', value: '£1200.00' });
    expect(staffDetail('reporterSharePercent', 25, names, f, event).value).toBe('£300.00 (the public body pays £900.00)');
    expect(staffDetail('caseworkerId', '0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b', names, f, {})).toEqual({ key: 'Caseworker', value: 'Cara Caseworker' });
    expect(staffDetail('reason', 'insufficientEvidence', names, f, {}).value).toBe('There was not enough evidence of a breach');
  });
});

describe('the pages’ formats', () => {
  const env = new Renderer().env;
  const filter = (name: string) => env.getFilter(name) as (v: unknown) => string;

  it('are the shared ones (@cc/wording): dates in England, GOV.UK times, pounds, never ISO or pence', () => {
    expect(filter('date')('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(filter('date')(new Date('2026-12-03T10:00:00Z'))).toBe('3 December 2026');
    expect(filter('date')('2026-12-03')).toBe('3 December 2026');
    expect(filter('dateTime')(new Date('2026-12-03T14:30:00Z'))).toBe('3 December 2026 at 2:30pm');
    expect(filter('dateTime')('2026-07-01T11:00:00Z')).toBe('1 July 2026 at midday');
    expect(filter('pounds')(120_000)).toBe('£1,200.00');
    for (const name of ['date', 'dateTime', 'pounds']) {
      expect(filter(name)(null)).toBe('');
      expect(filter(name)(undefined)).toBe('');
    }
    expect(filter('date')('not a date')).toBe('');
  });
});
