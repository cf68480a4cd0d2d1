import type { CommitmentRule } from '@cc/registry';
import { factSentences, findingSentence } from './findings';

const consultation: CommitmentRule = { kind: 'minimum_period', from: 'consultationOpenedOn', to: 'consultationClosedOn', atLeast: { weeks: 12 }, unless: 'shorterConsultationRationaleGiven', summary: 'formal consultations of at least 12 weeks' };
const notice: CommitmentRule = { kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { months: 3 }, summary: "at least three months' notice before funding is reduced or ended" };
const assessed: CommitmentRule = { kind: 'must_be_true', fact: 'impactAssessed', summary: 'the impact is assessed before deciding to reduce or end funding' };

describe('what the rule check found, in words', () => {
  it('says what the Compact asks and what happened, with the dates', () => {
    expect(findingSentence('The Compact (2010)', '2.4', consultation, { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-10-06' }, true, 'Harborough District Council')).toBe(
      'The Compact (2010), 2.4, asks for formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October 2026',
    );
    expect(findingSentence('The Compact (2010)', '4.5', notice, { fundingNoticeGivenOn: '2026-12-20', fundingChangeEffectiveOn: '2027-01-03' }, false, 'Harborough District Council')).toBe(
      "The Compact (2010), 4.5, asks for at least three months' notice before funding is reduced or ended; Harborough District Council gave 2 weeks of notice, from 20 December 2026 to 3 January 2027",
    );
  });

  it('says when the facts meet the rule, or a reason was given, and nothing when they cannot be checked', () => {
    expect(findingSentence('C', '2.4', consultation, { consultationOpenedOn: '2026-01-01', consultationClosedOn: '2026-04-01' }, true, 'B')).toBe('C, 2.4, asks for formal consultations of at least 12 weeks; yours ran for 90 days, from 1 January to 1 April 2026, which meets it');
    expect(findingSentence('C', '2.4', consultation, { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-10-06', shorterConsultationRationaleGiven: true }, true, 'B')).toContain(
      'shorter than 12 weeks, but a reason was given for a consultation shorter than the Compact asks',
    );
    expect(findingSentence('C', '2.4', consultation, { consultationOpenedOn: '2026-09-01' }, true, 'B')).toBeUndefined();
    expect(findingSentence('C', '4.4', assessed, { impactAssessed: false }, true, 'B')).toBe('C, 4.4, asks that the impact is assessed before deciding to reduce or end funding; we are told that this was not done');
    expect(factSentences({ consultationOpenedOn: '2026-09-01', impactAssessed: true })).toEqual(['The consultation opened on 1 September 2026', 'The public body assessed the impact before deciding']);
  });
});
