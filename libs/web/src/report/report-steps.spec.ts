import { REPORT_FACTS } from '@cc/registry';
import { type ReportDraft, capitalise, reportFrom } from './report-draft';
import type { StepDeps } from './report-step-views';
import {
  CHECK_BACK_HREF,
  REPORT_STEPS,
  STEPS,
  STEP_PAGES,
  checkSections,
  describedEvidence,
  firstIncomplete,
  missingBefore,
  nextAfter,
  pageForField,
  previousStep,
  stepForField,
  stepPageAt,
  submitErrorsFor,
  withoutStep,
} from './report-steps';

/** A draft answered up to and including the step named. */
function answeredTo(last: (typeof STEPS)[number], extra: Partial<ReportDraft> = {}): ReportDraft {
  const all: ReportDraft = {
    organisationConfirmed: true,
    respondentId: 'body-1',
    respondentName: 'Harborough District Council',
    compactId: 'compact-1',
    compactName: 'The Compact (2010)',
    commitments: ['2.4'],
    factNames: ['consultationOpenedOn'],
    factsAnswered: true,
    facts: { consultationOpenedOn: { day: '1', month: '9', year: '2025' } },
    title: 'Consultation cut short',
    whatHappened: 'Six weeks, not twelve.',
    happenedOn: { day: '1', month: '9', year: '2025' },
    impact: 'We could not ask the families.',
    desiredOutcome: 'A twelve-week consultation.',
    reporterMayBeNamed: false,
    evidenceAnswered: true,
  };
  const keep: Record<(typeof STEPS)[number], Array<keyof ReportDraft>> = {
    organisation: ['organisationConfirmed'],
    'public-body': ['respondentId', 'respondentName'],
    compact: ['compactId', 'compactName'],
    commitments: ['commitments', 'factNames'],
    'what-happened': ['title', 'whatHappened', 'happenedOn'],
    facts: ['facts', 'factsAnswered'],
    impact: ['impact', 'desiredOutcome'],
    'tell-public-body': ['reporterMayBeNamed'],
    evidence: ['evidenceAnswered'],
  };
  const fields = STEPS.slice(0, STEPS.indexOf(last) + 1).flatMap((s) => keep[s]);
  return { ...Object.fromEntries(fields.map((f) => [f, all[f]])), ...extra };
}

const deps = {
  caller: { userId: 'u', role: 'reporter', organisationId: 'org-1' },
  lookup: { findOrganisation: async () => ({ id: 'org-1', name: 'Riverside Community Foodbank' }) },
  registry: { commitments: async () => [{ reference: '2.4', text: 'Consult for 12 weeks', binds: 'government', factsChecked: [] }] },
  upload: { held: async () => [{ fileName: 'notice.pdf' }, { fileName: 'letter.pdf' }] },
} as unknown as StepDeps;

describe('the report steps table', () => {
  it('gives each step a page at /report/<step> first, every page its own path and template', () => {
    expect(STEPS).toEqual(['organisation', 'public-body', 'compact', 'commitments', 'what-happened', 'facts', 'impact', 'tell-public-body', 'evidence']);
    for (const s of REPORT_STEPS) expect(s.pages[0].path).toBe(`/report/${s.name}`);
    const paths = STEP_PAGES.map(({ page }) => page.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const { page } of STEP_PAGES) expect(page.template).toMatch(/^report\/[a-z-]+\.njk$/);
    expect(stepPageAt('/api/web/report/public-body/not-listed')).toMatchObject({ step: 'public-body', page: { path: '/report/public-body/not-listed' } });
    expect(stepPageAt('/api/web/report/public-body')).toMatchObject({ step: 'public-body', page: { path: '/report/public-body' } });
    expect(() => stepPageAt('/api/web/report/nowhere')).toThrow();
  });

  it('sends a step opened too early back to the first one unanswered, and knows when the draft is ready to check', () => {
    expect(missingBefore({}, 'commitments')).toBe('organisation');
    expect(missingBefore({}, 'organisation')).toBeNull();
    expect(missingBefore(answeredTo('compact'), 'commitments')).toBeNull();
    expect(missingBefore(answeredTo('compact'), 'impact')).toBe('commitments');
    expect(firstIncomplete(answeredTo('impact'))).toBe('tell-public-body');
    expect(firstIncomplete(answeredTo('tell-public-body'))).toBe('evidence');
    expect(firstIncomplete(answeredTo('evidence'))).toBeNull();
    // No fact to ask: the facts step is answered by itself.
    expect(firstIncomplete(answeredTo('what-happened', { factNames: [] }))).toBe('impact');
  });

  it('goes on and back step by step, passing over the facts step when no rule checks a fact', () => {
    const withFacts = answeredTo('what-happened');
    expect(nextAfter(withFacts, 'what-happened', false)).toBe('/report/facts');
    expect(previousStep(withFacts, 'impact')).toBe('/report/facts');
    const noFacts = answeredTo('what-happened', { factNames: [] });
    expect(nextAfter(noFacts, 'what-happened', false)).toBe('/report/impact');
    expect(nextAfter(noFacts, 'commitments', false)).toBe('/report/what-happened');
    expect(previousStep(noFacts, 'impact')).toBe('/report/what-happened');
    expect(previousStep(noFacts, 'organisation')).toBe('/report');
    expect(nextAfter(answeredTo('evidence'), 'evidence', false)).toBe('/report/check');
    expect(CHECK_BACK_HREF).toBe('/report/evidence');
  });

  it('returns a changed answer to the check page, or to the first step it left unanswered', () => {
    expect(nextAfter(answeredTo('evidence'), 'what-happened', true)).toBe('/report/check');
    const compactChanged = { ...answeredTo('evidence'), commitments: undefined };
    expect(nextAfter(compactChanged, 'compact', true)).toBe('/report/commitments?change=1');
  });

  it('finds the page that asks for each field FileReport names', () => {
    const asked: Record<string, string> = {
      respondentId: '/report/public-body',
      unlistedRespondent: '/report/public-body/not-listed',
      'unlistedRespondent.area': '/report/public-body/not-listed',
      compactId: '/report/compact',
      'commitments.1': '/report/commitments',
      title: '/report/what-happened',
      whatHappened: '/report/what-happened',
      happenedOn: '/report/what-happened',
      'facts.consultationOpenedOn': '/report/facts',
      impact: '/report/impact',
      desiredOutcome: '/report/impact',
      reporterMayBeNamed: '/report/tell-public-body',
      evidence: '/report/evidence',
      somethingElse: '/report/evidence',
    };
    for (const [field, page] of Object.entries(asked)) expect([field, pageForField(field)]).toEqual([field, page]);
    expect(stepForField('unlistedRespondent.name')).toBe('public-body');
    expect(stepForField('commitments.0')).toBe('commitments');
  });

  it('shows problems found on sending beside their step until it is answered again', () => {
    const submitErrors = [
      { field: 'commitments.1', reason: 'is not a commitment of this Compact' },
      { field: 'title', reason: 'must be shorter' },
    ];
    const draft = { ...answeredTo('evidence'), submitErrors };
    expect(submitErrorsFor(draft, 'commitments')).toEqual({
      errorList: [{ text: 'Commitment 2 you chose is not a commitment of this Compact', href: '#commitments' }],
      fieldErrors: { commitments: { text: 'Commitment 2 you chose is not a commitment of this Compact' } },
    });
    expect(submitErrorsFor(draft, 'impact')).toEqual({});
    expect(withoutStep(submitErrors, 'commitments')).toEqual([submitErrors[1]]);
    expect(withoutStep([submitErrors[1]], 'what-happened')).toBeUndefined();
  });

  it('checks the description of other evidence as the API does, and marks the step answered only when asked', async () => {
    expect(await describedEvidence('', true)).toEqual({ changes: { evidence: undefined, evidenceAnswered: true } });
    expect(await describedEvidence('Minutes', false)).toEqual({ changes: { evidence: 'Minutes' } });
    const refused = await describedEvidence('x'.repeat(10_001), true);
    expect(refused).toMatchObject({ refused: [{ field: 'evidence', text: expect.stringMatching(/^The description of your evidence /) }], shown: { values: { evidence: 'x'.repeat(10_001) } } });
  });

  it('reads and checks each form as before: a refused one comes back as typed, in the order of the page', async () => {
    const [list, unlisted] = REPORT_STEPS[1].pages;
    expect(await list.answer({ respondentId: 'not-listed' }, answeredTo('organisation'), deps, true)).toEqual({ goTo: '/report/public-body/not-listed?change=1' });
    const refused = await unlisted.answer({ name: ' ', area: 'x' }, answeredTo('organisation'), deps, false);
    expect(refused).toEqual({
      refused: [
        { field: 'unlistedRespondent.name', text: 'Enter the name of the public body' },
        { field: 'unlistedRespondent.area', text: expect.stringMatching(/^The area the public body serves must be/) },
      ],
      shown: { values: { name: '', area: 'x' } },
    });
    // A body typed again the same keeps the Compact chosen; a different one asks for it again.
    const chosen = { ...answeredTo('compact'), respondentId: undefined, unlistedBody: { name: 'Kibworth Parish Council', area: 'Harborough' } };
    expect(await unlisted.answer({ name: 'Kibworth  Parish Council', area: 'Harborough' }, chosen, deps, false)).toEqual({
      changes: { respondentId: undefined, respondentName: 'Kibworth Parish Council', unlistedBody: { name: 'Kibworth Parish Council', area: 'Harborough' } },
    });
    expect(await unlisted.answer({ name: 'Kibworth Parish Council', area: 'Leicester' }, chosen, deps, false)).toMatchObject({ changes: { compactId: undefined, commitments: undefined } });
  });

  it('gives the check page every answer by section, each Change link leading to the page that asks it', async () => {
    const draft = { ...answeredTo('evidence'), evidence: 'Minutes we can send later.' };
    const sections = await checkSections(draft, deps);
    expect(sections.map((s) => [s.id, s.title])).toEqual([
      ['summary-who', 'Who and what'],
      ['summary-what', 'What happened'],
      ['summary-facts', 'Dates and details'],
      ['summary-impact', 'Impact and outcome'],
    ]);
    const rows = sections.flatMap((s) => s.rows);
    expect(rows.map((r) => r.key)).toEqual(['Your organisation', 'Public body', 'Compact', 'Commitments broken', 'Public body may be told who reported', 'Title', 'What happened', 'When it happened', capitalise(REPORT_FACTS.consultationOpenedOn.label), 'Impact', 'Outcome you want', 'Documents', 'Evidence you hold']);
    expect(rows[0]).toMatchObject({ text: 'Riverside Community Foodbank' });
    expect(rows[0].change).toBeUndefined();
    expect(rows[3]).toMatchObject({ list: ['2.4: Consult for 12 weeks'] });
    expect(rows[4]).toMatchObject({ lines: ['No'], note: expect.stringContaining('a voluntary organisation in your area'), change: { href: '/report/tell-public-body?change=1' } });
    expect(rows[7]).toMatchObject({ date: '2025-09-01' });
    expect(rows[8]).toMatchObject({ date: '2025-09-01', change: { href: '/report/facts?change=1' } });
    expect(rows[11]).toMatchObject({ text: 'notice.pdf\nletter.pdf', multiline: true });
    const pages = new Set(STEP_PAGES.map(({ page }) => page.path));
    for (const r of rows.filter((row) => row.change)) {
      expect(r.change!.href).toMatch(/\?change=1(#[\w-]+)?$/);
      expect(pages.has(r.change!.href.split('?')[0])).toBe(true);
    }
  });

  it('asks whether the public body may be told who reported, as a required yes or no', async () => {
    const [ask] = REPORT_STEPS.find((s) => s.name === 'tell-public-body')!.pages;
    expect(await ask.answer({}, answeredTo('impact'), deps, false)).toEqual({
      refused: [{ field: 'reporterMayBeNamed', text: 'Select yes if the public body may be told your organisation made this report' }],
      shown: { value: undefined },
    });
    expect(await ask.answer({ reporterMayBeNamed: 'maybe' }, answeredTo('impact'), deps, false)).toMatchObject({ refused: [{ field: 'reporterMayBeNamed' }] });
    expect(await ask.answer({ reporterMayBeNamed: 'no' }, answeredTo('impact'), deps, false)).toEqual({ changes: { reporterMayBeNamed: false } });
    expect(await ask.answer({ reporterMayBeNamed: 'yes' }, answeredTo('impact'), deps, false)).toEqual({ changes: { reporterMayBeNamed: true } });
    expect(ask.opened({ reporterMayBeNamed: false }, {})).toEqual({ value: 'no' });
    expect(reportFrom(answeredTo('evidence')).reporterMayBeNamed).toBe(false);
    const named = (await checkSections({ ...answeredTo('evidence'), reporterMayBeNamed: true }, deps)).flatMap((x) => x.rows).find((r) => r.key === 'Public body may be told who reported');
    expect(named).toMatchObject({ text: 'Yes' });
  });

  it('leaves out the facts section when no fact is asked, and marks a body not in the list', async () => {
    const draft = { ...answeredTo('evidence', { factNames: [] }), respondentId: undefined, unlistedBody: { name: 'Kibworth Parish Council', area: 'Harborough' } };
    const sections = await checkSections(draft, deps);
    expect(sections.map((s) => s.id)).toEqual(['summary-who', 'summary-what', 'summary-impact']);
    expect(sections[0].rows[1]).toMatchObject({
      lines: ['Kibworth Parish Council', 'Harborough'],
      note: 'Not in our list yet: a caseworker will find it',
      change: { href: '/report/public-body/not-listed?change=1' },
    });
    expect(sections[2].rows.find((r) => r.key === 'Evidence you hold')).toMatchObject({ text: 'None described' });
  });
});
