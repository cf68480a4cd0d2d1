import { StatsRollups } from '@cc/stats';
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

    it("refuses the voluntary sector's own commitments (the public body cannot break them), naming each one", async () => {
      // 1.7 and 2.V1 bind civil society organisations in the 2010 Compact; 4.5 binds government.
      const res = await t.http.post('/api/cases').set(d.auth('reporter')).send(sampleWith({ commitments: ['4.5', '1.7', '2.V1'] })).expect(400);
      expect(res.body.errors).toEqual([
        { field: 'commitments.1', reason: expect.stringContaining('"1.7" is a commitment of the voluntary and community sector, not of public bodies') },
        { field: 'commitments.2', reason: expect.stringContaining('"2.V1" is a commitment of the voluntary and community sector') },
      ]);
      // A joint undertaking binds the public body too, so it can be reported.
      await d.file('reporter', { respondentId: orgs['Harborough District Council'], compactId: t.demo.compacts.harborough2003, commitments: ['J1'] });
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
      // The facts in words, not their field names.
      expect(missing[0].message).toContain('the public body assessed the impact before deciding');
      expect(missing[0].message).not.toContain('impactAssessed');
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
      // A mediator not appointed to it cannot see the case at all: 404, as for every case endpoint.
      await t.http.post(`/api/cases/${mine.id}/links`).set(d.auth('mediator')).send({ caseId: mine.id }).expect(404);
    });
  });

  describe('a public body not in the registry', () => {
    const unlisted = { name: 'Kibworth Parish Council', area: 'Harborough' };
    const fileUnlisted = async (overrides: Record<string, unknown> = {}) => {
      const res = await t.http
        .post('/api/cases')
        .set(d.auth('reporter'))
        .send({ ...sampleWith({ compactId: t.demo.compacts.harborough2003, commitments: ['F5'], title: 'Parish grant cut' }), respondentId: undefined, unlistedRespondent: unlisted, ...overrides });
      return res;
    };

    it('files the case against the body as typed, kept out of the registry until a caseworker links it', async () => {
      const res = await fileUnlisted();
      expect(res.status).toBe(201);
      const detail = (await d.get('caseworker', res.body.id)).body;
      expect(detail.respondent.name).toBe('Kibworth Parish Council');
      const [placeholder] = await t.db.query(`SELECT sector, area, unverified, suggested_by AS "suggestedBy" FROM organisations WHERE id = $1`, [detail.respondent.id]);
      expect(placeholder).toEqual({ sector: 'public', area: 'Harborough', unverified: true, suggestedBy: t.demo.users.reporter.id });
      const hint = (detail.triageHints as Hint[]).find((h) => h.code === 'RESPONDENT_NOT_IN_REGISTRY') as Hint & { unlistedBody: { name: string; suggestions: Array<{ name: string }> } };
      expect(hint.severity).toBe('warning');
      expect(hint.message).toContain('Kibworth Parish Council');
      // Registry bodies of the same area are suggested.
      expect(hint.unlistedBody.suggestions.map((s) => s.name)).toContain('Harborough District Council');
      // Whether it signed is not known until it is linked.
      expect(codes(detail.triageHints)).not.toContain('RESPONDENT_NOT_SIGNATORY');
      // Not in registry searches, and not a respondent anyone can name by id.
      const search = await t.http.get('/api/organisations?q=Kibworth%20Parish').set(d.auth('reporter')).expect(200);
      expect(search.body.map((o: { name: string }) => o.name)).not.toContain('Kibworth Parish Council');
      const again = await t.http.post('/api/cases').set(d.auth('reporter2')).send(sampleWith({ respondentId: detail.respondent.id })).expect(400);
      expect(again.body.errors).toEqual([{ field: 'respondentId', reason: expect.stringContaining('not in the registry yet') }]);
    });

    it('refuses a body given both ways, or typed without its area', async () => {
      const both = await fileUnlisted({ respondentId: t.demo.organisations.harboroughCouncil });
      expect(both.status).toBe(400);
      expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['unlistedRespondent']);
      const noArea = await fileUnlisted({ unlistedRespondent: { name: 'Kibworth Parish Council' } });
      expect(noArea.status).toBe(400);
      expect([...new Set(noArea.body.errors.map((e: { field: string }) => e.field))]).toEqual(['unlistedRespondent.area']);
      const neither = await fileUnlisted({ unlistedRespondent: undefined });
      expect(neither.status).toBe(400);
      expect(neither.body.errors.map((e: { field: string }) => e.field)).toEqual(['respondentId']);
    });

    it('lets a caseworker link it to the registry: respondent re-pointed, hints again, a note, the placeholder gone, counted once', async () => {
      const { body: filed } = await fileUnlisted();
      const before = (await d.get('caseworker', filed.id)).body;
      const placeholderId = before.respondent.id;
      const link = (who: 'reporter' | 'reporter2' | 'mediator' | 'caseworker' | 'admin', organisationId: unknown) =>
        t.http.post(`/api/cases/${filed.id}/respondent`).set(d.auth(who)).send({ organisationId });

      // Only staff; people who cannot see the case learn nothing (404).
      expect((await link('reporter2', t.demo.organisations.harboroughCouncil)).status).toBe(404);
      expect((await link('mediator', t.demo.organisations.harboroughCouncil)).status).toBe(404);
      const own = await link('reporter', t.demo.organisations.harboroughCouncil);
      expect(own.status).toBe(403);
      expect((await t.http.post('/api/cases/00000000-0000-4000-8000-000000000000/respondent').set(d.auth('caseworker')).send({ organisationId: t.demo.organisations.harboroughCouncil })).status).toBe(404);
      // Only a registry public body.
      expect((await link('caseworker', 'not-an-id')).body.errors).toEqual([{ field: 'organisationId', reason: expect.any(String) }]);
      expect((await link('caseworker', orgs['Compact Voice'])).body.errors).toEqual([{ field: 'organisationId', reason: expect.stringContaining('not a public body') }]);
      expect((await link('caseworker', placeholderId)).status).toBe(400);

      // The statistics count it once, under the body it was filed against.
      const rollups = t.app.get(StatsRollups);
      await rollups.refreshAll();
      const today = new Date().toISOString().slice(0, 10);
      const byBody = async () =>
        (await t.http.get(`/api/stats/breaches?by=respondent&from=${today}&to=${today}`).set(d.auth('caseworker')).expect(200)).body.groups as Array<{ key: string; cases: number }>;
      const harboroughBefore = (await byBody()).find((g) => g.key === t.demo.organisations.harboroughCouncil)?.cases ?? 0;
      expect((await byBody()).find((g) => g.key === placeholderId)?.cases).toBe(1);

      const res = await link('caseworker', t.demo.organisations.harboroughCouncil);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        caseId: filed.id,
        respondent: { id: t.demo.organisations.harboroughCouncil, name: 'Harborough District Council' },
        typed: { name: 'Kibworth Parish Council', area: 'Harborough' },
        placeholderRemoved: true,
      });
      const after = (await d.get('caseworker', filed.id)).body;
      expect(after.respondent).toEqual({ id: t.demo.organisations.harboroughCouncil, name: 'Harborough District Council' });
      expect(after.version).toBe(before.version); // no workflow event: the case has not moved
      expect(codes(after.triageHints)).not.toContain('RESPONDENT_NOT_IN_REGISTRY');
      const [row] = await t.db.query(`SELECT snapshot->'context'->>'respondentOrganisationId' AS "inSnapshot" FROM cases WHERE id = $1`, [filed.id]);
      expect(row.inSnapshot).toBe(t.demo.organisations.harboroughCouncil);
      expect((await t.db.query(`SELECT 1 FROM organisations WHERE id = $1`, [placeholderId])).length).toBe(0);
      const notes = (await t.http.get(`/api/cases/${filed.id}/notes`).set(d.auth('caseworker')).expect(200)).body as Array<{ visibility: string; body: string }>;
      expect(notes).toEqual([expect.objectContaining({ visibility: 'internal', body: expect.stringContaining('the reporter typed “Kibworth Parish Council” (Harborough)') })]);
      expect((await t.http.get(`/api/cases/${filed.id}/notes`).set(d.auth('reporter')).expect(200)).body).toEqual([]);

      await rollups.refreshAll();
      const groups = await byBody();
      expect(groups.find((g) => g.key === placeholderId)).toBeUndefined();
      expect(groups.find((g) => g.key === t.demo.organisations.harboroughCouncil)?.cases).toBe(harboroughBefore + 1);

      // Done once: a second link is a conflict.
      const twice = await link('admin', orgs['Leicestershire County Council']);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('RESPONDENT_IN_REGISTRY');
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
