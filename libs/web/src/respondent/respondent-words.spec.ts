import { COMMAND_TYPES, SYSTEM_EVENT_TYPES } from '@cc/workflows';
import { respondentSeesEvent } from '@cc/cases';
import type { Formats } from '../case-work/state-words';
import { respondentDeadlineSentence, respondentHistorySentence } from './respondent-words';

const f: Formats = { date: () => '29 January 2027', dateTime: () => '29 January 2027 at 2pm', pounds: (p) => `£${(p / 100).toFixed(2)}` };
const CODE = /\b[A-Z]{3,}_[A-Z_]{2,}\b|\d{4}-\d{2}-\d{2}|pence|\bundefined\b|\bnull\b/;
const facts = { reporter: 'a voluntary organisation in Harborough', respondentShareOf: (a: number, p: number) => a - (a * p) / 100 };
const details = { party: 'respondent', amountPence: 120_000, reporterSharePercent: 25, workingDays: 5, times: ['2027-03-10T14:00:00Z'], summary: 'We replied', body: 'Hello', audience: 'parties' };

describe('the public body’s words for a case', () => {
  const seen = [...COMMAND_TYPES, ...SYSTEM_EVENT_TYPES, 'SUBMITTED', 'MESSAGE'].filter((type) => type === 'MESSAGE' || respondentSeesEvent(type));

  it.each(seen)('says %s as a sentence, with its date and no codes', (type) => {
    const s = respondentHistorySentence({ type, at: '2027-01-29T10:00:00Z', actorRole: 'caseworker', details }, facts, f);
    expect(s.text).not.toBe('The case was updated on 29 January 2027.');
    expect(s.text).toContain('29 January 2027');
    expect(`${s.text} ${(s.list ?? []).join(' ')}`).not.toMatch(CODE);
  });

  it('calls the public body "you" and the reporter as it may be named', () => {
    const say = (type: string, d: Record<string, unknown>, actorRole = 'respondent') => respondentHistorySentence({ type, at: '2027-01-29T10:00:00Z', actorRole, details: d }, facts, f).text;
    expect(say('SUBMITTED', {}, 'reporter')).toBe('A voluntary organisation in Harborough reported a breach of the Compact on 29 January 2027.');
    expect(say('REQUEST_EXTENSION', { workingDays: 10 })).toBe('You asked on 29 January 2027 for 10 more working days to reply.');
    expect(say('GRANT_EXTENSION', { workingDays: 1 }, 'caseworker')).toBe('The caseworker gave you 1 more working day to reply on 29 January 2027.');
    expect(say('AGREE_FEE', { party: 'reporter' }, 'reporter')).toBe('A voluntary organisation in Harborough agreed to pay its share of the mediation fee on 29 January 2027.');
    expect(say('QUOTE_FEE', { amountPence: 120_000, reporterSharePercent: 25 }, 'caseworker')).toBe('A fee of £1200.00 was quoted for the mediation on 29 January 2027. Your share is £900.00.');
    expect(say('MESSAGE', { body: 'Between us', audience: 'respondent' }, 'caseworker')).toBe('The caseworker wrote on 29 January 2027, only between you and the caseworker:');
    // A withdrawal's reason is the reporter's own business: never quoted.
    expect(respondentHistorySentence({ type: 'WITHDRAW', at: '2027-01-29T10:00:00Z', actorRole: 'reporter', details: { reason: 'We gave up' } }, facts, f).quote).toBeUndefined();
  });

  it('says what to do by when, as in the issue', () => {
    expect(respondentDeadlineSentence({ kind: 'respondentReply', dueAt: '2027-01-29T17:00:00Z', paused: false }, f)).toBe('Reply by 29 January 2027.');
    expect(respondentDeadlineSentence({ kind: 'monitoring', dueAt: '2027-01-29T17:00:00Z', paused: false }, f)).toBe('Carry out the agreed actions by 29 January 2027, then tell us they are done.');
  });
});
