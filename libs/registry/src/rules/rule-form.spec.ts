import { ruleProblems } from './commitment-rule';
import { describeRule, ruleFromForm, ruleToForm } from './rule-form';

describe('a rule as form fields', () => {
  const twelveWeeks = { kind: 'minimum_period', from: 'consultationOpenedOn', to: 'consultationClosedOn', atLeast: { weeks: 12 }, unless: 'shorterConsultationRationaleGiven', summary: 'formal consultations of at least 12 weeks' };

  it('goes to the fields and back unchanged', () => {
    const form = ruleToForm(twelveWeeks);
    expect(form).toMatchObject({ ruleKind: 'minimum_period', ruleFrom: 'consultationOpenedOn', ruleWeeks: '12', ruleMonths: '', ruleUnless: 'shorterConsultationRationaleGiven' });
    expect(ruleFromForm(form)).toEqual({ rule: twelveWeeks, errors: [] });
    const mustBe = { kind: 'must_be_true', fact: 'impactAssessed', summary: 'impact assessed first' };
    expect(ruleFromForm(ruleToForm(mustBe))).toEqual({ rule: mustBe, errors: [] });
    expect(ruleToForm(null)).toEqual({ ruleKind: 'none' });
    expect(ruleFromForm({ ruleKind: 'none', ruleFrom: 'consultationOpenedOn' })).toEqual({ rule: null, errors: [] });
  });

  it('writes the summary from the choices when it is left empty', () => {
    const { rule } = ruleFromForm({ ruleKind: 'minimum_period', ruleFrom: 'fundingNoticeGivenOn', ruleTo: 'fundingChangeEffectiveOn', ruleMonths: '3', ruleSummary: ' ' });
    expect(rule).toMatchObject({ atLeast: { months: 3 }, summary: 'at least 3 months from the date notice of the funding change was given to the date the funding change takes effect' });
    expect(ruleProblems(rule)).toEqual([]);
    expect(describeRule(rule)).toMatch(/^At least 3 months from/);
  });

  it('names each field to correct, in words', () => {
    expect(ruleFromForm({ ruleKind: 'minimum_period', ruleFrom: 'consultationOpenedOn', ruleTo: 'consultationOpenedOn', ruleWeeks: 'twelve' }).errors).toEqual([
      { field: 'ruleTo', reason: expect.stringContaining('different date') },
      { field: 'rulePeriod', reason: expect.stringContaining('whole numbers') },
    ]);
    expect(ruleFromForm({ ruleKind: 'minimum_period' }).errors.map((e) => e.field)).toEqual(['ruleFrom', 'ruleTo', 'rulePeriod']);
    expect(ruleFromForm({ ruleKind: 'must_be_true', ruleFact: 'consultationOpenedOn' }).errors).toEqual([{ field: 'ruleFact', reason: 'Select what must be true' }]);
    expect(ruleFromForm({ ruleKind: 'sometimes' }).errors[0].field).toBe('ruleKind');
  });
});
