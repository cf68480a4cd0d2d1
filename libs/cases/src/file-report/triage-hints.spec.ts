import { TriageInput, triageHints } from './triage-hints';

const base: TriageInput = {
  compactName: 'The Compact (2010)',
  respondentName: 'Harborough District Council',
  respondentSigned: true,
  respondentsOtherCompacts: [],
  happenedOn: '2026-10-01',
  submittedAt: new Date('2026-11-20T10:00:00Z'),
  commitments: [{ id: 'c1', reference: '4.5', text: 'Three months notice', rule: null }],
  facts: {},
  relatedCases: [],
};

describe('triageHints', () => {
  it('has nothing to say about a signatory, a recent matter, a commitment without a rule and no related cases', () => {
    expect(triageHints(base)).toEqual([]);
  });

  it('says nothing about signing when the registry lists no signatories for the Compact', () => {
    expect(triageHints({ ...base, respondentSigned: null })).toEqual([]);
  });

  it('names the other Compacts a non-signatory has signed', () => {
    const [hint] = triageHints({ ...base, respondentSigned: false, respondentsOtherCompacts: ['Harborough District Compact (2003)'] });
    expect(hint).toEqual({
      code: 'RESPONDENT_NOT_SIGNATORY',
      severity: 'warning',
      message: 'Harborough District Council is not recorded as a signatory of The Compact (2010). It has signed: Harborough District Compact (2003).',
    });
  });

  it('counts 12 months from the day of the report', () => {
    expect(triageHints({ ...base, happenedOn: '2025-11-20' }).map((h) => h.code)).toEqual([]);
    expect(triageHints({ ...base, happenedOn: '2025-11-19' }).map((h) => h.code)).toEqual(['MATTER_OLDER_THAN_12_MONTHS']);
  });

  it('reports each rule once: breach, met or facts missing', () => {
    const rule = { kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { months: 3 }, summary: "three months' notice" } as const;
    const commitments = [
      { id: 'a', reference: '4.5', text: '', rule },
      { id: 'b', reference: '4.4', text: '', rule: { kind: 'must_be_true', fact: 'impactAssessed', summary: 'impact assessed' } as const },
    ];
    const hints = triageHints({ ...base, commitments, facts: { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-10-15' } });
    expect(hints.map((h) => [h.code, h.commitment])).toEqual([
      ['LIKELY_BREACH', '4.5'],
      ['FACTS_MISSING', '4.4'],
    ]);
    expect(hints[0].message).toBe("Likely breach of 4.5 (three months' notice): only 2 weeks from the date notice of the funding change was given to the date the funding change takes effect, less than 3 months.");
  });

  it('lists related cases with their references', () => {
    const [hint] = triageHints({ ...base, relatedCases: [{ id: 'x', reference: 'CB-2026-00001', submittedAt: '2026-10-02T00:00:00.000Z', commitments: ['4.5'] }] });
    expect(hint).toMatchObject({ code: 'RELATED_CASES', relatedCases: [{ id: 'x', reference: 'CB-2026-00001', submittedAt: '2026-10-02T00:00:00.000Z' }] });
    expect(hint.message).toBe('Another report against Harborough District Council under the same commitment in the last six months: CB-2026-00001. Consider linking them.');
  });
});
