import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

interface Hint {
  code: string;
  severity: string;
  message: string;
  commitment?: string;
  relatedCases?: Array<{ id: string; reference: string }>;
}

/** Reports checked against the registry: refused references, triage hints, related cases, links. */
describe('checked reports', () => {
  let t: TestApp;
  let d: CaseDriver;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp('checked');
    d = new CaseDriver(t);
    const rows: Array<{ id: string; name: string }> = await t.db.query(`SELECT id, name FROM organisations`);
    orgs = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  });
  afterAll(() => t?.close());

  const hintsOf = async (caseId: string): Promise<Hint[]> => (await d.get('caseworker', caseId)).body.triageHints;
  const codes = (hints: Hint[]) => hints.map((h) => h.code).sort();

  describe('references', () => {
    it('refuses a commitment the Compact does not have, and names the one that is wrong', async () => {
      const res = await t.http.post('/api/cases').set(d.auth('reporter')).send(sampleWith({ commitments: ['4.5', '9.9'] })).expect(400);
      expect(res.body.errors).toEqual([{ field: 'commitments.1', reason: expect.stringContaining('"9.9" is not a commitment of The Compact (2010)') }]);
    });

    it('refuses a Harborough reference under the national Compact (a mismatch)', async () => {
      const res = await t.http.post('/api/cases').set(d.auth('reporter')).send(sampleWith({ commitments: ['J1'] })).expect(400);
      expect(res.body.errors[0].field).toBe('commitments.0');
    });

    it('refuses the same commitment twice and facts that are not facts', async () => {
      const res = await t.http
        .post('/api/cases')
        .set(d.auth('reporter'))
        .send(sampleWith({ commitments: ['4.5', '4.5'], facts: { fundingNoticeGivenOn: '1 October', colour: 'red' } }))
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['commitments.1', 'facts.colour', 'facts.fundingNoticeGivenOn']);
    });

    it('stores the registry\'s own references and ids, whatever the case typed', async () => {
      const { id } = await d.file('reporter', { commitments: ['4.5'], respondentId: orgs['Leicester City Council'] });
      const detail = (await d.get('reporter', id)).body;
      expect(detail.commitmentDetails).toEqual([{ id: expect.any(String), reference: '4.5', text: expect.stringMatching(/three months/i) }]);
      expect(detail.triageHints).toBeNull();
    });
  });

  describe('triage hints', () => {
    it('flags a 4-week consultation with no rationale as a likely breach of the 12-week commitment', async () => {
      const { id } = await d.file('reporter', {
        respondentId: orgs['NHS Leicester, Leicestershire and Rutland ICB'],
        commitments: ['2.4'],
        facts: { consultationOpenedOn: '2026-08-03', consultationClosedOn: '2026-08-31', shorterConsultationRationaleGiven: false },
      });
      const hints = await hintsOf(id);
      const breach = hints.find((h) => h.code === 'LIKELY_BREACH');
      expect(breach).toMatchObject({ severity: 'warning', commitment: '2.4' });
      expect(breach!.message).toMatch(/^Likely breach of 2\.4 \(formal consultations of at least 12 weeks\): only 4 weeks/);
    });

    it('finds the same consultation fine when a rationale was given', async () => {
      const { id } = await d.file('reporter', {
        respondentId: orgs['University Hospitals of Leicester NHS Trust'],
        commitments: ['2.4'],
        facts: { consultationOpenedOn: '2026-08-03', consultationClosedOn: '2026-08-31', shorterConsultationRationaleGiven: true },
      });
      const hints = await hintsOf(id);
      expect(hints.find((h) => h.commitment === '2.4')).toMatchObject({ code: 'RULE_MET', severity: 'info' });
      expect(codes(hints)).not.toContain('LIKELY_BREACH');
    });

    it('flags two weeks\' notice of a grant ending against the three-month commitment', async () => {
      const { id } = await d.file('reporter', {
        respondentId: orgs['Leicestershire County Council'],
        commitments: ['4.5'],
        facts: { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-10-15' },
      });
      expect((await hintsOf(id)).find((h) => h.code === 'LIKELY_BREACH')).toMatchObject({ commitment: '4.5', message: expect.stringContaining('less than 3 months') });
    });

    it('says which facts would let a rule be checked when the report gives none', async () => {
      const { id } = await d.file('reporter', { respondentId: orgs['Oadby and Wigston Borough Council'], commitments: ['4.4', '4.5'] });
      const missing = (await hintsOf(id)).filter((h) => h.code === 'FACTS_MISSING');
      expect(missing.map((h) => h.commitment)).toEqual(['4.4', '4.5']);
      expect(missing[0].message).toContain('impactAssessed');
    });

    it('flags a respondent that has not signed the Compact, pointing at the one it has', async () => {
      const { id } = await d.file('reporter', { respondentId: orgs['Harborough District Council'], commitments: ['1.1'] });
      const hint = (await hintsOf(id)).find((h) => h.code === 'RESPONDENT_NOT_SIGNATORY');
      expect(hint?.message).toBe(
        'Harborough District Council is not recorded as a signatory of The Compact (2010). It has signed: Harborough District Compact (2003).',
      );
      const local = await d.file('reporter', { respondentId: orgs['Harborough District Council'], compactId: t.demo.compacts.harborough2003, commitments: ['F5'] });
      expect(codes(await hintsOf(local.id))).not.toContain('RESPONDENT_NOT_SIGNATORY');
    });

    it('flags a matter older than 12 months', async () => {
      const old = new Date();
      old.setUTCFullYear(old.getUTCFullYear() - 1);
      old.setUTCDate(old.getUTCDate() - 2);
      const { id } = await d.file('reporter', { respondentId: orgs['Leicestershire Fire and Rescue Service'], commitments: ['3.1'], happenedOn: old.toISOString().slice(0, 10) });
      expect(codes(await hintsOf(id))).toContain('MATTER_OLDER_THAN_12_MONTHS');
      const recent = await d.file('reporter', { respondentId: orgs['Leicestershire Fire and Rescue Service'], commitments: ['3.2'] });
      expect(codes(await hintsOf(recent.id))).not.toContain('MATTER_OLDER_THAN_12_MONTHS');
    });
  });

  describe('related cases and links', () => {
    it('flags a new report against the same respondent and commitment within six months, and not otherwise', async () => {
      const police = orgs['Leicestershire Police'];
      const first = await d.file('reporter', { respondentId: police, commitments: ['4.5'], title: 'Youth contract cut' });
      const stale = await d.file('reporter', { respondentId: police, commitments: ['4.5'], title: 'An old complaint' });
      await t.db.query(`UPDATE cases SET submitted_at = now() - interval '7 months' WHERE id = $1`, [stale.id]);
      const other = await d.file('reporter2', { respondentId: police, commitments: ['2.4'], title: 'Different commitment' });
      expect(codes(await hintsOf(other.id))).not.toContain('RELATED_CASES');

      const second = await d.file('reporter2', { respondentId: police, commitments: ['4.4', '4.5'], title: 'Same cut, carers group' });
      const related = (await hintsOf(second.id)).find((h) => h.code === 'RELATED_CASES');
      expect(related?.relatedCases?.map((r) => r.reference)).toEqual([first.reference]);
      expect(related?.message).toContain('Consider linking them');
    });

    it('lets caseworkers link cases into a group and see it whole', async () => {
      const county = orgs['Leicestershire County Council'];
      const a = await d.file('reporter', { respondentId: county, commitments: ['3.3'], title: 'Cut A' });
      const b = await d.file('reporter2', { respondentId: county, commitments: ['3.3'], title: 'Cut B' });
      const c = await d.file('reporter', { respondentId: county, commitments: ['3.4'], title: 'Cut C' });

      const suggested = await t.http.get(`/api/cases/${a.id}/links`).set(d.auth('caseworker')).expect(200);
      expect(suggested.body).toMatchObject({ group: [], suggestions: [expect.objectContaining({ reference: b.reference })] });

      await t.http.post(`/api/cases/${a.id}/links`).set(d.auth('caseworker')).send({ caseId: b.id, reason: 'One funding cut' }).expect(201);
      await t.http.post(`/api/cases/${b.id}/links`).set(d.auth('caseworker')).send({ caseId: c.id }).expect(201);
      const group = await t.http.get(`/api/cases/${a.id}/links`).set(d.auth('caseworker')).expect(200);
      expect(group.body.group.map((g: { reference: string }) => g.reference)).toEqual([b.reference, c.reference]);
      expect(group.body.suggestions).toEqual([]);

      const again = await t.http.post(`/api/cases/${b.id}/links`).set(d.auth('caseworker')).send({ caseId: a.id }).expect(409);
      expect(again.body.code).toBe('ALREADY_LINKED');
      const self = await t.http.post(`/api/cases/${a.id}/links`).set(d.auth('caseworker')).send({ caseId: a.id }).expect(400);
      expect(self.body.errors[0].field).toBe('caseId');

      await t.http.delete(`/api/cases/${b.id}/links/${c.id}`).set(d.auth('caseworker')).expect(204);
      const after = await t.http.get(`/api/cases/${a.id}/links`).set(d.auth('caseworker')).expect(200);
      expect(after.body.group.map((g: { reference: string }) => g.reference)).toEqual([b.reference]);
      await t.http.delete(`/api/cases/${b.id}/links/${c.id}`).set(d.auth('caseworker')).expect(404);
      await t.http.delete(`/api/cases/${b.id}/links/not-a-case`).set(d.auth('caseworker')).expect(404);
    });

    it('keeps links from reporters and mediators, who would see other organisations\' cases', async () => {
      const mine = await d.file('reporter', { respondentId: orgs['Leicester City Council'], commitments: ['3.3'] });
      await t.http.get(`/api/cases/${mine.id}/links`).set(d.auth('reporter')).expect(403);
      await t.http.post(`/api/cases/${mine.id}/links`).set(d.auth('mediator')).send({ caseId: mine.id }).expect(403);
    });
  });

  function sampleWith(overrides: Record<string, unknown>) {
    return {
      respondentId: t.demo.organisations.harboroughCouncil,
      compactId: t.demo.compacts.national2010,
      commitments: ['4.5'],
      title: 'A report',
      whatHappened: 'Something happened.',
      happenedOn: '2026-10-01',
      impact: 'It hurt.',
      desiredOutcome: 'Put it right.',
      ...overrides,
    };
  }
});
