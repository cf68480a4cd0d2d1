import { CommitmentRule, addPeriod, evaluateRule, factProblems, ruleProblems } from './commitment-rule';

const consultation: CommitmentRule = {
  kind: 'minimum_period',
  from: 'consultationOpenedOn',
  to: 'consultationClosedOn',
  atLeast: { weeks: 12 },
  unless: 'shorterConsultationRationaleGiven',
  summary: 'formal consultations of at least 12 weeks',
};
const notice: CommitmentRule = {
  kind: 'minimum_period',
  from: 'fundingNoticeGivenOn',
  to: 'fundingChangeEffectiveOn',
  atLeast: { months: 3 },
  summary: "three months' notice",
};
const impact: CommitmentRule = { kind: 'must_be_true', fact: 'impactAssessed', summary: 'impact assessed first' };

describe('evaluateRule', () => {
  it('finds a 4-week consultation with no rationale a likely breach, naming both', () => {
    const finding = evaluateRule(consultation, { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29' });
    expect(finding.outcome).toBe('likely_breach');
    expect(finding).toMatchObject({ message: expect.stringContaining('4 weeks') });
    expect(finding).toMatchObject({ message: expect.stringContaining('less than 12 weeks') });
    expect(finding).toMatchObject({ message: expect.stringContaining('does not say a reason was given') });
  });

  it('accepts a short consultation when a rationale was given', () => {
    expect(evaluateRule(consultation, { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29', shorterConsultationRationaleGiven: true }).outcome).toBe('met');
  });

  it('still flags it when the rationale answer is "no"', () => {
    expect(evaluateRule(consultation, { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29', shorterConsultationRationaleGiven: false }).outcome).toBe('likely_breach');
  });

  it('treats exactly 12 weeks as met and a day short as a breach', () => {
    expect(evaluateRule(consultation, { consultationOpenedOn: '2026-01-05', consultationClosedOn: '2026-03-30' }).outcome).toBe('met');
    expect(evaluateRule(consultation, { consultationOpenedOn: '2026-01-05', consultationClosedOn: '2026-03-29' }).outcome).toBe('likely_breach');
  });

  it('says which facts are missing rather than guessing', () => {
    expect(evaluateRule(consultation, { consultationOpenedOn: '2026-01-05' })).toEqual({ outcome: 'not_enough_facts', missing: ['consultationClosedOn'] });
    expect(evaluateRule(impact, {})).toEqual({ outcome: 'not_enough_facts', missing: ['impactAssessed'] });
  });

  it('measures notice in calendar months', () => {
    expect(evaluateRule(notice, { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-10-15' }).outcome).toBe('likely_breach');
    expect(evaluateRule(notice, { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2027-01-01' }).outcome).toBe('met');
    expect(evaluateRule(notice, { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-12-31' }).outcome).toBe('likely_breach');
  });

  it('checks a yes/no commitment', () => {
    expect(evaluateRule(impact, { impactAssessed: false }).outcome).toBe('likely_breach');
    expect(evaluateRule(impact, { impactAssessed: true }).outcome).toBe('met');
  });
});

describe('addPeriod', () => {
  it('clamps to the end of a shorter month and handles leap years', () => {
    expect(addPeriod('2026-11-30', { months: 3 })).toBe('2027-02-28');
    expect(addPeriod('2027-11-30', { months: 3 })).toBe('2028-02-29');
    expect(addPeriod('2026-12-31', { weeks: 1, days: 1 })).toBe('2027-01-08');
  });
});

describe('ruleProblems', () => {
  it('accepts the rules the seed uses', () => {
    expect(ruleProblems(consultation)).toEqual([]);
    expect(ruleProblems(notice)).toEqual([]);
    expect(ruleProblems(impact)).toEqual([]);
  });

  it('refuses unknown kinds, unknown facts, facts of the wrong type and empty periods', () => {
    expect(ruleProblems({ kind: 'sometimes', summary: 'x' })).toEqual(['kind must be minimum_period or must_be_true']);
    expect(ruleProblems({ ...consultation, from: 'whenever' })[0]).toMatch(/^from must be one of the date facts/);
    expect(ruleProblems({ ...consultation, unless: 'consultationOpenedOn' })[0]).toMatch(/^unless must be one of the yes\/no facts/);
    expect(ruleProblems({ ...consultation, atLeast: {} })).toEqual(['atLeast must give whole days, weeks and/or months, more than zero in all']);
    expect(ruleProblems({ ...impact, fact: 'fundingNoticeGivenOn' })[0]).toMatch(/^fact must be one of the yes\/no facts/);
    expect(ruleProblems({ ...impact, extra: 1 })).toEqual(['extra is not part of a must_be_true rule']);
    expect(ruleProblems('12 weeks')).toEqual(['must be an object']);
  });
});

describe('factProblems', () => {
  it('names each bad fact', () => {
    expect(factProblems({ consultationOpenedOn: '2026-02-30', impactAssessed: 'yes', colour: 'blue' })).toEqual([
      { field: 'facts.consultationOpenedOn', reason: 'must be a date in the form YYYY-MM-DD' },
      { field: 'facts.impactAssessed', reason: 'must be true or false' },
      { field: 'facts.colour', reason: expect.stringMatching(/^is not a fact the report form asks for/) },
    ]);
  });

  it('refuses a closing date before the opening date', () => {
    expect(factProblems({ consultationOpenedOn: '2026-09-29', consultationClosedOn: '2026-09-01' })).toEqual([
      { field: 'facts.consultationClosedOn', reason: expect.stringMatching(/^is before the date the consultation opened/) },
    ]);
  });

  it('accepts good facts and no facts', () => {
    expect(factProblems({ consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29', shorterConsultationRationaleGiven: false })).toEqual([]);
    expect(factProblems(undefined)).toEqual([]);
  });
});
