import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/** The Compact registry over HTTP on real PostgreSQL: the seed, search, import (good and bad files), edits. */
describe('Compact registry', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('registry');
    d = new CaseDriver(t);
  });
  afterAll(() => t?.close());

  const compactCount = async (name: string) => (await t.db.query(`SELECT count(*)::int AS n FROM compacts WHERE name = $1`, [name]))[0].n;
  const rowCounts = async () => (await t.db.query(`SELECT (SELECT count(*) FROM compacts)::int AS compacts, (SELECT count(*) FROM commitments)::int AS commitments, (SELECT count(*) FROM compact_sections)::int AS sections`))[0];

  describe('the seed', () => {
    it('holds the national Compacts and Harborough, with its four groups of undertakings in official wording', async () => {
      const list = await t.http.get('/api/compacts').set(d.auth('reporter')).expect(200);
      const names = list.body.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['The Compact (2010)', 'Harborough District Compact (2003)', expect.stringMatching(/\(1998\)$/)]));

      const harborough = await t.http.get(`/api/compacts/${t.demo.compacts.harborough2003}`).set(d.auth('reporter')).expect(200);
      expect(harborough.body.sections.map((s: { title: string }) => s.title)).toEqual([
        'Joint Undertakings',
        'Funding and Accountability',
        'Policy Development and Consultation',
        'Taking forward the Compact',
      ]);
      expect(harborough.body.commitments).toHaveLength(21);
      expect(harborough.body.commitments.every((c: { wording: string }) => c.wording === 'official')).toBe(true);
      expect(harborough.body.commitments[0]).toMatchObject({ reference: 'J1', text: 'Listen to each other and respond constructively' });
      expect(harborough.body.leadContacts.map((l: { sector: string }) => l.sector)).toEqual(['public', 'voluntary']);
    });

    it('carries the 12-week consultation and three-month notice rules as data on the 2010 Compact', async () => {
      const res = await t.http.get(`/api/compacts/${t.demo.compacts.national2010}/commitments`).set(d.auth('reporter')).expect(200);
      const byRef = new Map(res.body.map((c: { reference: string }) => [c.reference, c]));
      expect(byRef.get('2.4')).toMatchObject({ rule: { kind: 'minimum_period', atLeast: { weeks: 12 } }, factsChecked: ['consultationOpenedOn', 'consultationClosedOn', 'shorterConsultationRationaleGiven'] });
      expect(byRef.get('4.5')).toMatchObject({ rule: { kind: 'minimum_period', atLeast: { months: 3 } } });
      expect(res.body.every((c: { wording: string }) => c.wording === 'summary' || c.wording === 'official')).toBe(true);
    });

    it('loading it again adds nothing', async () => {
      const before = await rowCounts();
      const { seedRegistry } = await import('@cc/registry');
      expect(await seedRegistry(t.db)).toEqual({ organisationsAdded: 0, compactsAdded: [] });
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('search for the report form', () => {
    it('finds Compacts by area (the local ones and the national ones) and by part of a name', async () => {
      const byArea = await t.http.get('/api/compacts?area=harborough').set(d.auth('reporter')).expect(200);
      expect(byArea.body.map((c: { name: string }) => c.name)).toContain('Harborough District Compact (2003)');
      expect(byArea.body.every((c: { scope: string; area: string | null }) => c.scope === 'national' || c.area === 'Harborough')).toBe(true);
      const byName = await t.http.get('/api/compacts?q=harb').set(d.auth('reporter')).expect(200);
      expect(byName.body.map((c: { name: string }) => c.name)).toEqual(['Harborough District Compact (2003)']);
    });

    it('finds public bodies by part of a name, names starting with it first', async () => {
      const res = await t.http.get('/api/organisations?q=harborough&sector=public').set(d.auth('reporter')).expect(200);
      expect(res.body[0]).toMatchObject({ name: 'Harborough District Council', sector: 'public', bodyType: 'council', bodyTypeLabel: 'Council' });
      expect(res.body.every((o: { sector: string }) => o.sector === 'public')).toBe(true);
      const police = await t.http.get('/api/organisations?bodyType=police').set(d.auth('reporter')).expect(200);
      expect(police.body.map((o: { name: string }) => o.name)).toEqual(['Leicestershire Police']);
    });

    it('lists a Compact\'s signatories', async () => {
      const res = await t.http.get(`/api/compacts/${t.demo.compacts.harborough2003}/signatories`).set(d.auth('reporter')).expect(200);
      expect(res.body.map((s: { organisation: { name: string } }) => s.organisation.name)).toEqual(['Harborough District Council', 'Voluntary Action South Leicestershire']);
    });

    it('says what is wrong with a bad search', async () => {
      const res = await t.http.get('/api/organisations?sector=charity&bodyType=quango').set(d.auth('reporter')).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['sector', 'bodyType']);
      await t.http.get('/api/compacts/00000000-0000-4000-8000-000000000000').set(d.auth('reporter')).expect(404);
      await t.http.get('/api/compacts').expect(401);
    });
  });

  describe('import', () => {
    const goodJson = {
      name: 'Oadby and Wigston Compact (2012)',
      scope: 'local',
      area: 'Oadby and Wigston',
      adoptedOn: '2012-04-01',
      status: 'active',
      sections: [
        { code: 'F', title: 'Funding', kind: 'section', wording: 'official' },
        { code: 'C', title: 'Consultation', kind: 'section', wording: 'official' },
      ],
      commitments: [
        { reference: 'F1', section: 'F', text: "Give eight weeks' written notice of any change to funding.", binds: 'public', wording: 'official', rule: { kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { weeks: 8 }, summary: "eight weeks' notice" } },
        { reference: 'C1', section: 'C', text: 'Consult for at least six weeks.', binds: 'public', wording: 'official' },
      ],
      signatories: [{ organisation: 'Oadby and Wigston Borough Council', signedOn: '2012-04-01' }],
    };

    it('imports a good JSON file whole, and refuses the same name again', async () => {
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).send(goodJson).expect(201);
      expect(res.body).toMatchObject({ name: goodJson.name, sections: 2, commitments: 2, rules: 1, signatories: 1 });
      const detail = await t.http.get(`/api/compacts/${res.body.compactId}`).set(d.auth('reporter')).expect(200);
      expect(detail.body.commitments.map((c: { reference: string }) => c.reference)).toEqual(['F1', 'C1']);
      expect(detail.body.signatoryCount).toBe(1);
      const again = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).send(goodJson).expect(409);
      expect(again.body.code).toBe('COMPACT_EXISTS');
    });

    it('refuses a bad JSON file with every problem named, writing nothing', async () => {
      const before = await rowCounts();
      const bad = {
        ...goodJson,
        name: 'Broken Compact',
        area: undefined,
        commitments: [
          { ...goodJson.commitments[0], rule: { kind: 'minimum_period', from: 'whenever', to: 'fundingChangeEffectiveOn', atLeast: { weeks: 8 }, summary: 'x' } },
          { ...goodJson.commitments[1], section: 'Z' },
          { ...goodJson.commitments[1] },
        ],
        signatories: [{ organisation: 'Nobody Council' }],
      };
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).send(bad).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'area', reason: expect.stringContaining('required for a local Compact') },
          { field: 'commitments.0.rule', reason: expect.stringContaining('from must be one of the date facts') },
          { field: 'commitments.1.section', reason: expect.stringContaining('"Z"') },
          { field: 'commitments.2.reference', reason: expect.stringContaining('repeats reference "C1"') },
        ]),
      );
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a file whose signatory is unknown, writing nothing', async () => {
      const before = await rowCounts();
      const res = await t.http
        .post('/api/admin/compacts/import')
        .set(d.auth('admin'))
        .send({ ...goodJson, name: 'Compact with a stranger', signatories: [{ organisation: 'Nobody Council' }] })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'signatories.0.organisation', reason: expect.stringContaining('"Nobody Council"') }]);
      expect(await rowCounts()).toEqual(before);
      expect(await compactCount('Compact with a stranger')).toBe(0);
    });

    const csvHeader = 'compact_name,scope,area,adopted_on,status,source_url,section_code,section_title,section_kind,reference,text,binds,wording,rule';

    it('imports a good CSV file, quoted commas and rules included', async () => {
      const csv = [
        csvHeader,
        'Melton Compact (2009),local,Melton,2009-06-01,active,,A,Funding,section,A1,"Give three months\' notice, in writing",public,official,"{""kind"":""minimum_period"",""from"":""fundingNoticeGivenOn"",""to"":""fundingChangeEffectiveOn"",""atLeast"":{""months"":3},""summary"":""three months notice""}"',
        ',,,,,,A,,,A2,Pay on time,public,official,',
        ',,,,,,B,Working together,section,B1,Respect independence,both,summary,',
      ].join('\r\n');
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send(csv).expect(201);
      expect(res.body).toMatchObject({ name: 'Melton Compact (2009)', sections: 2, commitments: 3, rules: 1 });
      const commitments = await t.http.get(`/api/compacts/${res.body.compactId}/commitments`).set(d.auth('reporter')).expect(200);
      expect(commitments.body.map((c: { reference: string; sectionCode: string; text: string }) => [c.reference, c.sectionCode, c.text])).toEqual([
        ['A1', 'A', "Give three months' notice, in writing"],
        ['A2', 'A', 'Pay on time'],
        ['B1', 'B', 'Respect independence'],
      ]);
    });

    it('refuses a bad CSV file with an error per bad row, writing nothing', async () => {
      const before = await rowCounts();
      const csv = [
        csvHeader,
        'Rutland Compact,local,Rutland,2010-01-01,active,,A,Funding,section,A1,Good row,public,official,',
        ',,,,,,A,,,A2,Binds nobody,everyone,official,',
        ',,,,,,A,,,A1,Same reference again,public,official,',
        ',,,,,,A,,,A3,Rule that is not JSON,public,official,{weeks: 12}',
        ',,Leicester,,,,A,,,A4,Another area,public,official,',
      ].join('\n');
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send(csv).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'rule', reason: expect.stringContaining('not valid JSON'), row: 5 },
          { field: 'area', reason: expect.stringContaining('a file holds one Compact'), row: 6 },
        ]),
      );
      // The shape problems come once the file reads cleanly: fix the two above and they show.
      const fixed = csv.replace('{weeks: 12}', '').replace(',,Leicester,', ',,,');
      const second = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send(fixed).expect(400);
      expect(second.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'binds', reason: 'must be public, voluntary or both', row: 3 },
          { field: 'reference', reason: 'repeats reference "A1"', row: 4 },
        ]),
      );
      expect(await rowCounts()).toEqual(before);
      expect(await compactCount('Rutland Compact')).toBe(0);
    });

    it('names the CSV column as the file writes it, for the Compact’s own columns too', async () => {
      const csv = [
        csvHeader.replace('adopted_on', 'Adopted_On').replace('section_kind', 'Section Kind'),
        'Lutterworth Compact,local,Lutterworth,2010-02-30,current,,A,Funding,chapter,A1,Good row,public,official,',
      ].join('\n');
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send(csv).expect(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'Adopted_On', reason: 'is not a real date', row: 2 },
          { field: 'status', reason: expect.stringContaining('must be draft, active, under_review or archived'), row: 2 },
          { field: 'Section Kind', reason: expect.stringContaining('must be outcome, code_of_practice, undertakings or section'), row: 2 },
        ]),
      );
      expect(res.body.errors.some((e: { field: string }) => /\.|adoptedOn/.test(e.field))).toBe(false);
      // What a spreadsheet writes is read as meant: capitals, spaces and UK dates.
      const typed = csv.replace('2010-02-30', '28/02/2010').replace('current', 'Under review').replace('chapter', 'Code of practice').replace('public,official', 'Public,Official');
      const ok = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send(typed).expect(201);
      const [row] = await t.db.query(`SELECT status, adopted_on::text AS adopted FROM compacts WHERE id = $1`, [ok.body.compactId]);
      expect(row).toEqual({ status: 'under_review', adopted: '2010-02-28' });
    });

    it('refuses a CSV with missing columns, naming them', async () => {
      const res = await t.http.post('/api/admin/compacts/import').set(d.auth('admin')).set('Content-Type', 'text/csv').send('compact_name,reference\nX,1\n').expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'file', row: 1, reason: expect.stringContaining('lacks the column(s) scope, section_code, text, binds, wording') });
    });

    it('is for administrators only', async () => {
      await t.http.post('/api/admin/compacts/import').set(d.auth('caseworker')).send(goodJson).expect(403);
      await t.http.post('/api/admin/compacts/import').set(d.auth('reporter')).send(goodJson).expect(403);
    });
  });

  describe('administrators edit', () => {
    it('adds a commitment with a rule, refuses a bad rule, and clears a rule', async () => {
      const compactId = t.demo.compacts.harborough2003;
      const added = await t.http
        .post(`/api/admin/compacts/${compactId}/commitments`)
        .set(d.auth('admin'))
        .send({ reference: 'F8', section: 'F', text: "Give at least three months' notice of funding changes.", binds: 'public', wording: 'summary', rule: { kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { months: 3 }, summary: "three months' notice" } })
        .expect(201);
      const bad = await t.http.patch(`/api/admin/commitments/${added.body.id}`).set(d.auth('admin')).send({ rule: { kind: 'must_be_true', fact: 'fundingNoticeGivenOn', summary: 'x' } }).expect(400);
      expect(bad.body.errors[0]).toMatchObject({ field: 'rule', reason: expect.stringContaining('yes/no facts') });
      await t.http.patch(`/api/admin/commitments/${added.body.id}`).set(d.auth('admin')).send({ rule: null, text: 'Edited text' }).expect(204);
      const [row] = await t.db.query(`SELECT rule, text FROM commitments WHERE id = $1`, [added.body.id]);
      expect(row).toEqual({ rule: null, text: 'Edited text' });
      const dup = await t.http.post(`/api/admin/compacts/${compactId}/commitments`).set(d.auth('admin')).send({ reference: 'F8', section: 'F', text: 'again', binds: 'public', wording: 'summary' }).expect(409);
      expect(dup.body.code).toBe('COMMITMENT_EXISTS');
    });

    it('will not remove a commitment a case names', async () => {
      const c = await d.file('reporter');
      const [commitment] = await t.db.query(`SELECT commitment_ids[1] AS id FROM cases WHERE id = $1`, [c.id]);
      const res = await t.http.delete(`/api/admin/commitments/${commitment.id}`).set(d.auth('admin')).expect(409);
      expect(res.body.code).toBe('COMMITMENT_IN_USE');
      expect((await t.db.query(`SELECT count(*)::int AS n FROM commitments WHERE id = $1`, [commitment.id]))[0].n).toBe(1);
    });

    it('adds organisations, asking a public body for its type', async () => {
      const missingType = await t.http.post('/api/admin/organisations').set(d.auth('admin')).send({ name: 'Rutland County Council', sector: 'public' }).expect(400);
      expect(missingType.body.errors[0]).toMatchObject({ field: 'bodyType' });
      const created = await t.http.post('/api/admin/organisations').set(d.auth('admin')).send({ name: 'Rutland County Council', sector: 'public', bodyType: 'council', area: 'Rutland' }).expect(201);
      await t.http.put(`/api/admin/compacts/${t.demo.compacts.harborough2003}/signatories/${created.body.id}`).set(d.auth('admin')).send({ signedOn: '2024-05-01' }).expect(204);
      const signatories = await t.http.get(`/api/compacts/${t.demo.compacts.harborough2003}/signatories`).set(d.auth('caseworker')).expect(200);
      expect(signatories.body).toEqual(expect.arrayContaining([{ organisation: expect.objectContaining({ name: 'Rutland County Council' }), signedOn: '2024-05-01' }]));
      await t.http.post('/api/admin/organisations').set(d.auth('admin')).send({ name: 'Rutland County Council', sector: 'public', bodyType: 'council', area: 'Rutland' }).expect(409);
      await t.http.delete(`/api/admin/compacts/${t.demo.compacts.harborough2003}/signatories/${created.body.id}`).set(d.auth('admin')).expect(204);
      await t.http.delete(`/api/admin/compacts/${t.demo.compacts.harborough2003}/signatories/${created.body.id}`).set(d.auth('admin')).expect(404);
    });

    it('clears a Compact’s optional fields with null, and keeps them when left out', async () => {
      const created = await t.http.post('/api/admin/compacts').set(d.auth('admin')).send({ name: 'Hinckley Compact', scope: 'local', area: 'Hinckley', adoptedOn: '2009-05-01', sourceUrl: 'https://example.org/hinckley' }).expect(201);
      await t.http.patch(`/api/admin/compacts/${created.body.compactId}`).set(d.auth('admin')).send({ status: 'archived' }).expect(204);
      expect((await t.db.query(`SELECT adopted_on::text AS a, source_url AS s FROM compacts WHERE id = $1`, [created.body.compactId]))[0]).toEqual({ a: '2009-05-01', s: 'https://example.org/hinckley' });
      await t.http.patch(`/api/admin/compacts/${created.body.compactId}`).set(d.auth('admin')).send({ adoptedOn: null, sourceUrl: null, summary: null }).expect(204);
      expect((await t.db.query(`SELECT adopted_on AS a, source_url AS s FROM compacts WHERE id = $1`, [created.body.compactId]))[0]).toEqual({ a: null, s: null });
    });

    it('edits an organisation, refusing a name taken in its area and a sector its cases rely on', async () => {
      const created = await t.http.post('/api/admin/organisations').set(d.auth('admin')).send({ name: 'Melton Borough Council', sector: 'public', bodyType: 'council', area: 'Melton' }).expect(201);
      await t.http.patch(`/api/admin/organisations/${created.body.id}`).set(d.auth('admin')).send({ name: 'Melton Borough Council (Melton Mowbray)', area: 'Melton Mowbray' }).expect(204);
      const taken = await t.http.patch(`/api/admin/organisations/${created.body.id}`).set(d.auth('admin')).send({ name: 'Harborough District Council', area: 'Harborough' }).expect(409);
      expect(taken.body.code).toBe('ORGANISATION_EXISTS');
      // Cases are against the council: it cannot become a voluntary organisation under them.
      const refused = await t.http.patch(`/api/admin/organisations/${t.demo.organisations.harboroughCouncil}`).set(d.auth('admin')).send({ sector: 'voluntary', bodyType: null }).expect(400);
      expect(refused.body.errors[0]).toMatchObject({ field: 'sector', reason: expect.stringContaining('case(s) against it') });
      await t.http.patch(`/api/admin/organisations/${created.body.id}`).set(d.auth('caseworker')).send({ area: 'x' }).expect(403);
    });

    it('keeps a local Compact local: removing its area is refused', async () => {
      const res = await t.http.patch(`/api/admin/compacts/${t.demo.compacts.harborough2003}`).set(d.auth('admin')).send({ area: null }).expect(400);
      expect(res.body.errors[0].field).toBe('area');
      await t.http.patch(`/api/admin/compacts/${t.demo.compacts.harborough2003}`).set(d.auth('admin')).send({ sourceUrl: 'https://www.harborough.gov.uk/compact' }).expect(204);
      const detail = await t.http.get(`/api/compacts/${t.demo.compacts.harborough2003}`).set(d.auth('reporter')).expect(200);
      expect(detail.body).toMatchObject({ area: 'Harborough', sourceUrl: 'https://www.harborough.gov.uk/compact' });
    });
  });

  describe('users and their ties', () => {
    it('changes a user’s name, e-mail and role; a reporter needs a voluntary organisation', async () => {
      const created = await t.http.post('/api/admin/users').set(d.auth('admin')).send({ displayName: 'Pat Person', email: 'pat@example.org', role: 'caseworker' }).expect(201);
      const id = created.body.user.id;
      const patched = await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ displayName: 'Pat Persons', email: 'pat.persons@example.org', role: 'mediator' }).expect(200);
      expect(patched.body).toMatchObject({ displayName: 'Pat Persons', email: 'pat.persons@example.org', role: 'mediator', active: true });
      const noOrg = await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ role: 'reporter' }).expect(400);
      expect(noOrg.body.errors[0].field).toBe('organisationId');
      const publicBody = await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ role: 'reporter', organisationId: t.demo.organisations.harboroughCouncil }).expect(400);
      expect(publicBody.body.errors[0].reason).toContain('voluntary or community organisation');
      await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ role: 'reporter', organisationId: t.demo.organisations.harboroughCarers }).expect(200);
      const taken = await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ email: 'Reporter@demo.compact.test' }).expect(409);
      expect(taken.body.code).toBe('USER_EXISTS');
      const own = await t.http.patch(`/api/admin/users/${t.demo.users.admin.id}`).set(d.auth('admin')).send({ role: 'mediator' }).expect(409);
      expect(own.body.code).toBe('CANNOT_CHANGE_OWN_ROLE');
      const unknown = await t.http.patch(`/api/admin/users/${id}`).set(d.auth('admin')).send({ password: 'x' }).expect(400);
      expect(unknown.body.errors[0]).toEqual({ field: 'password', reason: 'is not a known field' });
    });

    it('records a mediator’s ties, and refuses to appoint them to a case of an organisation they are tied to', async () => {
      const mediator = t.demo.users.mediator.id;
      const admin = d.auth('admin');
      const bad = await t.http.post(`/api/admin/users/${mediator}/ties`).set(admin).send({ organisationId: 'nope', nature: '' }).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['organisationId', 'nature']);
      const ties = await t.http.post(`/api/admin/users/${mediator}/ties`).set(admin).send({ organisationId: t.demo.organisations.riversideFoodbank, nature: 'volunteer' }).expect(201);
      expect(ties.body).toEqual([{ organisation: expect.objectContaining({ name: 'Riverside Community Foodbank' }), nature: 'volunteer' }]);
      // Saying it again changes how they are tied, and adds no second tie.
      const again = await t.http.post(`/api/admin/users/${mediator}/ties`).set(admin).send({ organisationId: t.demo.organisations.riversideFoodbank, nature: 'trustee' }).expect(201);
      expect(again.body).toEqual([{ organisation: expect.objectContaining({ name: 'Riverside Community Foodbank' }), nature: 'trustee' }]);

      // The sample report is the foodbank's: a mediator tied to it may not be appointed.
      const id = await d.toAdvocacyReview();
      await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
      await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Hardship' });
      await d.raw('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: mediator }).expect(409);
      await t.http.delete(`/api/admin/users/${mediator}/ties/${t.demo.organisations.riversideFoodbank}`).set(admin).expect(200, []);
      await t.http.delete(`/api/admin/users/${mediator}/ties/${t.demo.organisations.riversideFoodbank}`).set(admin).expect(404);
      await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: mediator });
      await t.http.get(`/api/admin/users/${mediator}/ties`).set(d.auth('caseworker')).expect(403);
    });
  });
});
