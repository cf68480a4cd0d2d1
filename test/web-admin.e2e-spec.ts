import { CaseDriver } from './support/case-driver';
import { REDIS_URL, deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

const CSV_HEADER = 'compact_name,scope,area,adopted_on,status,source_url,section_code,section_title,section_kind,reference,text,binds,wording,rule';

/** Administrators' pages over real PostgreSQL: registry, import, organisations, users, e-mails. */
describe('pages: administration', () => {
  let t: TestApp;
  let admin: WebClient;

  /** A multipart form post as a browser sends it: the CSRF token first, then the file. */
  function upload(web: WebClient, name: string, content: string, csrf = web.csrf ?? '') {
    const cookies = (web as unknown as { cookies: Map<string, string> }).cookies;
    return t.http
      .post('/admin/compacts/import')
      .set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '))
      .field('_csrf', csrf)
      .attach('file', Buffer.from(content), { filename: name, contentType: name.endsWith('.json') ? 'application/json' : 'text/csv' });
  }

  beforeAll(async () => {
    t = await startTestApp('web-admin');
    admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
  });
  afterAll(() => t?.close());

  it('lists the Compacts with their status and opens one', async () => {
    const list = await admin.get('/admin/compacts');
    expect(list.status).toBe(200);
    expect(list.text).toContain('The Compact (2010)');
    expect(list.text).toMatch(/govuk-tag[^"]*">Active</);
    const detail = await admin.get(`/admin/compacts/${t.demo.compacts.national2010}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('id="commitments-table"');
    // A rule is given through fields, never as JSON typed in a box.
    expect(detail.text).toContain('name="ruleKind"');
    expect(detail.text).not.toContain('name="rule"');
    expect((await admin.get('/admin/compacts/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('imports a good CSV and says what was written', async () => {
    await admin.get('/admin/compacts/import');
    const csv = [
      CSV_HEADER,
      'Testshire Compact (2012),local,Testshire,2012-03-01,active,,F,Funding,code_of_practice,F1,Give three months notice of changes to funding,public,summary,',
      ',,,,,,F,,,F2,Pay grants on time,public,summary,',
      ',,,,,,C,Consultation,code_of_practice,C1,Consult for twelve weeks,public,summary,',
    ].join('\n');
    const res = await upload(admin, 'testshire.csv', csv);
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Imported Testshire Compact (2012): 2 sections, 3 commitments');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM commitments k JOIN compacts c ON c.id = k.compact_id WHERE c.name = 'Testshire Compact (2012)'`);
    expect(n).toBe(3);
    // The banner is shown once.
    expect((await admin.get(res.headers.location)).text).not.toContain('Imported Testshire');
  });

  it('refuses a bad CSV with its problems by row, and writes nothing', async () => {
    await admin.get('/admin/compacts/import');
    const before = await t.db.query(`SELECT count(*)::int AS n FROM compacts`);
    const csv = [
      CSV_HEADER,
      'Badshire Compact,local,Badshire,2012-02-30,active,,F,Funding,code_of_practice,F1,Give notice,public,summary,',
      ',,,,,,F,,,F2,Pay on time,everyone,summary,',
    ].join('\n');
    const res = await upload(admin, 'badshire.csv', csv);
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('id="row-errors"');
    // Both problems named, each with its row and the column as the file names it.
    const list = res.text.slice(res.text.indexOf('id="row-errors"'));
    expect(list).toContain('Row 2, column adopted_on: is not a real date');
    expect(list).toContain('Row 3, column binds: must be public, voluntary or both');
    expect(res.text).not.toMatch(/commitments\.\d|adoptedOn/);
    expect(await t.db.query(`SELECT count(*)::int AS n FROM compacts`)).toEqual(before);
    expect(await t.db.query(`SELECT 1 FROM compacts WHERE name = 'Badshire Compact'`)).toEqual([]);
  });

  it('names the column as the file’s header writes it, and never shows the parser’s words', async () => {
    await admin.get('/admin/compacts/import');
    const header = CSV_HEADER.replace('section_kind', 'Section_Kind');
    const csv = [header, 'Kindshire Compact,local,Kindshire,,active,,A,Funding,section,A1,Give notice,public,summary,', ',,,,,,B,Voice,chapter,B1,Listen,both,summary,'].join('\n');
    const res = await upload(admin, 'kindshire.csv', csv);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Row 3, column Section_Kind: must be outcome, code_of_practice, undertakings or section');
    // In the error summary too, linked to the file field.
    expect(res.text.slice(res.text.indexOf('govuk-error-summary'), res.text.indexOf('</main>'))).toMatch(/href="#file">Row 3, column Section_Kind/);
    const broken = await upload(admin, 'broken.csv', `${CSV_HEADER}\nX,local,X,,,,"A,Funding,,A1,t,public,official,\n`);
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('a quote mark opens a cell but never closes it');
    expect(broken.text).not.toMatch(/Quote Not Closed|Invalid Record|parsing is finished/);
    const json = await upload(admin, 'broken.json', '{"name": ');
    expect(json.text).toContain('The file is not valid JSON.');
    expect(json.text).not.toMatch(/Unexpected end|position \d/);
  });

  it('offers a CSV template that imports as it is, and the allowed values of each column', async () => {
    const page = await admin.get('/admin/compacts/import');
    expect(page.text).toContain('href="/admin/compacts/import/template.csv"');
    expect(page.text).toContain('code_of_practice');
    const template = await admin.get('/admin/compacts/import/template.csv');
    expect(template.status).toBe(200);
    expect(template.headers['content-type']).toMatch(/^text\/csv/);
    expect(template.headers['content-disposition']).toBe('attachment; filename="compact-template.csv"');
    expect(template.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(CSV_HEADER);
    const values = await admin.get('/admin/compacts/import/allowed-values.csv');
    expect(values.text).toContain('binds,yes,Who the commitment binds');
    expect(values.text).toContain('draft, active, under_review or archived');
    // The template, as downloaded, imports (so an administrator can start from it and see it work).
    const res = await upload(admin, 'compact-template.csv', template.text);
    expect(res.status).toBe(303);
    const [row] = await t.db.query(`SELECT status, adopted_on::text AS adopted FROM compacts WHERE name = 'Example District Compact (2012)'`);
    expect(row).toEqual({ status: 'draft', adopted: '2012-03-31' });
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const res = await upload(admin, 'x.csv', `${CSV_HEADER}\n`, 'not-the-token');
    expect(res.status).toBe(403);
    expect(res.text).toContain('reload the page and submit it again');
  });

  it('adds a commitment with a rule given through fields, and says which field to correct, keeping what was typed', async () => {
    const [compact] = await t.db.query(`SELECT id FROM compacts WHERE name = 'Testshire Compact (2012)'`);
    await admin.get(`/admin/compacts/${compact.id}`);
    const fields = { reference: 'C2', section: 'C', text: 'Consult for twelve weeks', binds: 'public', wording: 'summary' };
    const bad = await admin.post(`/admin/compacts/${compact.id}/commitments`, { ...fields, ruleKind: 'minimum_period', ruleTo: 'consultationClosedOn', ruleWeeks: 'twelve' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Select the date the time is counted from');
    expect(bad.text).toContain('The minimum time must be whole numbers of months, weeks or days');
    expect(bad.text).toContain('href="#ruleFrom"');
    expect(bad.text).toContain('value="C2"');
    expect(bad.text).toContain('value="twelve"');
    expect(bad.text).toMatch(/value="consultationClosedOn" selected/);
    expect(bad.text).not.toMatch(/Invalid input|expected string/);
    const good = await admin.post(`/admin/compacts/${compact.id}/commitments`, {
      ...fields,
      ruleKind: 'minimum_period',
      ruleFrom: 'consultationOpenedOn',
      ruleTo: 'consultationClosedOn',
      ruleWeeks: '12',
      ruleUnless: 'shorterConsultationRationaleGiven',
      ruleSummary: '',
    });
    expect(good.status).toBe(303);
    const page = await admin.get(good.headers.location);
    expect(page.text).toContain('Commitment C2 added.');
    expect(page.text).toContain('At least 12 weeks from the date the consultation opened to the date the consultation closed');
    const [row] = await t.db.query(`SELECT k.rule FROM commitments k JOIN compacts c ON c.id = k.compact_id WHERE c.id = $1 AND k.reference = 'C2'`, [compact.id]);
    expect(row.rule).toEqual({
      kind: 'minimum_period',
      from: 'consultationOpenedOn',
      to: 'consultationClosedOn',
      atLeast: { weeks: 12 },
      unless: 'shorterConsultationRationaleGiven',
      summary: 'at least 12 weeks from the date the consultation opened to the date the consultation closed, unless a reason was given for a consultation shorter than the Compact asks',
    });
  });

  it('edits a rule through its fields: changes it, and takes it away', async () => {
    const [c] = await t.db.query(
      `SELECT c.id AS compact, k.id AS commitment FROM commitments k JOIN compacts c ON c.id = k.compact_id WHERE c.name = 'Testshire Compact (2012)' AND k.reference = 'C2'`,
    );
    const form = await admin.get(`/admin/compacts/${c.compact}/commitments/${c.commitment}`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/id="ruleKind-2"[^>]*value="minimum_period" checked/);
    expect(form.text).toMatch(/id="ruleWeeks"[^>]*value="12"/);
    const base = { section: 'C', text: 'Consult for twelve weeks', binds: 'public', wording: 'summary' };
    const mustBe = await admin.post(`/admin/compacts/${c.compact}/commitments/${c.commitment}`, { ...base, ruleKind: 'must_be_true', ruleFact: 'impactAssessed', ruleSummary: 'the impact is assessed first' });
    expect(mustBe.status).toBe(303);
    expect((await t.db.query(`SELECT rule FROM commitments WHERE id = $1`, [c.commitment]))[0].rule).toEqual({ kind: 'must_be_true', fact: 'impactAssessed', summary: 'the impact is assessed first' });
    const none = await admin.post(`/admin/compacts/${c.compact}/commitments/${c.commitment}`, { ...base, ruleKind: 'none', ruleFact: 'impactAssessed' });
    expect(none.status).toBe(303);
    expect((await t.db.query(`SELECT rule FROM commitments WHERE id = $1`, [c.commitment]))[0].rule).toBeNull();
  });

  it('adds a Compact through the form, then a section, and edits its details; dates in words', async () => {
    const form = await admin.get('/admin/compacts/new');
    expect(form.status).toBe(200);
    const empty = await admin.post('/admin/compacts/new', { name: '', scope: '', status: '' });
    expect(empty.status).toBe(400);
    for (const message of ['Enter the Compact’s name', 'Select whether it is a local Compact or the national Compact', 'Select the Compact’s status']) expect(empty.text).toContain(message);
    const noArea = await admin.post('/admin/compacts/new', { name: 'Blaby District Compact (2011)', scope: 'local', status: 'active', 'adoptedOn-day': '31', 'adoptedOn-month': '2', 'adoptedOn-year': '2011' });
    expect(noArea.status).toBe(400);
    expect(noArea.text).toContain('Enter the area the local Compact covers');
    expect(noArea.text).toContain('Date adopted must be a real date');
    expect(noArea.text).toContain('href="#adoptedOn-day"');
    expect(noArea.text).toContain('value="Blaby District Compact (2011)"');
    const res = await admin.post('/admin/compacts/new', {
      name: 'Blaby District Compact (2011)', scope: 'local', area: 'Blaby', status: 'active', 'adoptedOn-day': '31', 'adoptedOn-month': '3', 'adoptedOn-year': '2011', sourceUrl: 'https://www.blaby.gov.uk/compact',
    });
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Blaby District Compact (2011) added. Now add its sections, then its commitments.');
    expect(page.text).toContain('31 March 2011');
    expect(page.text).not.toContain('2011-03-31');
    const id = res.headers.location.split('/').pop();
    const again = await admin.post('/admin/compacts/new', { name: 'blaby district compact (2011)', scope: 'local', area: 'Blaby', status: 'active' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('already exists');

    const noKind = await admin.post(`/admin/compacts/${id}/sections`, { code: 'F', title: 'Funding and Accountability' });
    expect(noKind.status).toBe(400);
    expect(noKind.text).toContain('Select the kind of section');
    const section = await admin.post(`/admin/compacts/${id}/sections`, { code: 'F', title: 'Funding and Accountability', kind: 'undertakings' });
    expect(section.status).toBe(303);
    const withSection = await admin.get(`/admin/compacts/${id}`);
    expect(withSection.text).toContain('Section F added.');
    expect(withSection.text).toContain('Group of undertakings');
    expect(withSection.text).toContain('id="add-commitment-form"');
    expect((await admin.post(`/admin/compacts/${id}/sections`, { code: 'f', title: 'Again', kind: 'section' })).text).toContain('already has a section');

    const edit = await admin.get(`/admin/compacts/${id}/edit`);
    expect(edit.text).toMatch(/id="adoptedOn-year"[^>]*value="2011"/);
    const saved = await admin.post(`/admin/compacts/${id}/edit`, { name: 'Blaby District Compact (2011)', scope: 'local', area: 'Blaby', status: 'under_review', sourceUrl: '' });
    expect(saved.status).toBe(303);
    const [row] = await t.db.query(`SELECT status, adopted_on, source_url FROM compacts WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'under_review', adopted_on: null, source_url: null });
  });

  it('adds a signatory with the date signed as day, month and year', async () => {
    const [compact] = await t.db.query(`SELECT id FROM compacts WHERE name = 'Blaby District Compact (2011)'`);
    await admin.get(`/admin/compacts/${compact.id}`);
    const future = await admin.post(`/admin/compacts/${compact.id}/signatories`, { organisationId: t.demo.organisations.harboroughCouncil, 'signedOn-day': '1', 'signedOn-month': '1', 'signedOn-year': String(new Date().getFullYear() + 2) });
    expect(future.status).toBe(400);
    expect(future.text).toContain('Date signed must be today or in the past');
    const res = await admin.post(`/admin/compacts/${compact.id}/signatories`, { organisationId: t.demo.organisations.harboroughCouncil, 'signedOn-day': '1', 'signedOn-month': '4', 'signedOn-year': '2011' });
    expect(res.status).toBe(303);
    expect((await admin.get(`/admin/compacts/${compact.id}`)).text).toContain('1 April 2011');
  });

  it('adds an organisation, and says what to do when its kind is missing', async () => {
    await admin.get('/admin/organisations');
    const missing = await admin.post('/admin/organisations', { name: 'Testshire Fire and Rescue', area: 'Testshire' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Select what kind of organisation it is');
    expect(missing.text).toContain('value="Testshire Fire and Rescue"');
    const res = await admin.post('/admin/organisations', { name: 'Testshire Fire and Rescue', kind: 'fire_rescue', area: 'Testshire' });
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(page.text).toContain('Testshire Fire and Rescue added.');
    expect(page.text).toContain('Fire and rescue');
    const [row] = await t.db.query(`SELECT sector, body_type FROM organisations WHERE name = 'Testshire Fire and Rescue'`);
    expect(row).toEqual({ sector: 'public', body_type: 'fire_rescue' });
    // No conditional reveal: a radio with aria-expanded is not allowed (axe's aria-allowed-attr).
    expect(page.text).not.toContain('data-aria-controls');
  });

  it('edits an organisation: name, kind, area; a sector its cases and reporters rely on stays', async () => {
    const [org] = await t.db.query(`SELECT id FROM organisations WHERE name = 'Testshire Fire and Rescue'`);
    const form = await admin.get(`/admin/organisations/${org.id}`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/value="fire_rescue" checked/);
    const res = await admin.post(`/admin/organisations/${org.id}`, { name: 'Testshire Fire Authority', kind: 'other', area: 'Testshire and Rutland', charityNumber: '', website: '' });
    expect(res.status).toBe(303);
    expect((await admin.get(res.headers.location)).text).toContain('Testshire Fire Authority saved.');
    const [row] = await t.db.query(`SELECT name, sector, body_type, area FROM organisations WHERE id = $1`, [org.id]);
    expect(row).toEqual({ name: 'Testshire Fire Authority', sector: 'public', body_type: 'other', area: 'Testshire and Rutland' });
    // Rita Reporter reports for the foodbank: it cannot become a public body under her.
    const refused = await admin.post(`/admin/organisations/${t.demo.organisations.riversideFoodbank}`, { name: 'Riverside Community Foodbank', kind: 'council', area: 'Harborough' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The kind of organisation cannot change: 1 reporter account(s)');
    const taken = await admin.post(`/admin/organisations/${org.id}`, { name: 'Harborough District Council', kind: 'council', area: 'Harborough' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('Another organisation called');
    expect((await admin.get('/admin/organisations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('adds a user with a temporary password shown once, who can then sign in; deactivates and reactivates them', async () => {
    await admin.get('/admin/users');
    const noOrg = await admin.post('/admin/users', { displayName: 'Rhea Reporter', email: 'rhea@example.org', role: 'reporter', organisationId: '' });
    expect(noOrg.status).toBe(400);
    expect(noOrg.text).toContain('Select the organisation a reporter reports for');
    expect(noOrg.text).toContain('value="rhea@example.org"');

    const res = await admin.post('/admin/users', { displayName: 'Rhea Reporter', email: 'rhea@example.org', role: 'reporter', organisationId: t.demo.organisations.riversideFoodbank, passwordBy: 'show' });
    expect(res.status).toBe(303);
    const shown = await admin.get(res.headers.location);
    const password = /id="temporary-password">([^<]+)</.exec(shown.text)?.[1];
    expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect((await admin.get(res.headers.location)).text).not.toContain(password!);
    expect((await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(200)).body.step).toBe('change-password');

    const [user] = await t.db.query(`SELECT id FROM users WHERE email = 'rhea@example.org'`);
    await admin.get('/admin/users');
    expect((await admin.post(`/admin/users/${user.id}/deactivate`, {})).status).toBe(303);
    expect((await admin.get('/admin/users')).text).toContain('account is deactivated');
    await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(401);
    expect((await admin.post(`/admin/users/${user.id}/reactivate`, {})).status).toBe(303);
    await t.http.post('/api/auth/login').send({ email: 'rhea@example.org', password }).expect(200);
  });

  it('edits a user: name, e-mail, role and standing; nobody changes their own role', async () => {
    const res = await admin.post('/admin/users', { displayName: 'Sam Patel', email: 'sam@example.org', role: 'caseworker', organisationId: '' });
    const id = res.headers.location.split('/')[3];
    const page = await admin.get(`/admin/users/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="sam@example.org"');
    const bad = await admin.post(`/admin/users/${id}`, { displayName: 'Sam Patel', email: 'not an address', role: 'reporter', organisationId: '', active: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter an e-mail address in the correct format');
    expect(bad.text).toContain('Select the organisation a reporter reports for');
    const taken = await admin.post(`/admin/users/${id}`, { displayName: 'Sam Patel', email: 'CASEWORKER@demo.compact.test', role: 'mediator', organisationId: '', active: 'yes' });
    expect(taken.text).toContain('There is already an account for CASEWORKER@demo.compact.test');
    const saved = await admin.post(`/admin/users/${id}`, { displayName: 'Samira Patel', email: 'samira@example.org', role: 'mediator', organisationId: '', active: 'no' });
    expect(saved.status).toBe(303);
    expect((await admin.get(`/admin/users/${id}`)).text).toContain('Samira Patel’s account is saved.');
    const [row] = await t.db.query(`SELECT display_name, email, role, active FROM users WHERE id = $1`, [id]);
    expect(row).toEqual({ display_name: 'Samira Patel', email: 'samira@example.org', role: 'mediator', active: false });
    await admin.post(`/admin/users/${id}`, { displayName: 'Samira Patel', email: 'samira@example.org', role: 'mediator', organisationId: '', active: 'yes' });

    // Your own page has no role or standing to change; a forged form cannot change them either.
    const own = await admin.get(`/admin/users/${t.demo.users.admin.id}`);
    expect(own.text).toContain('This is your own account');
    expect(own.text).not.toContain('name="role"');
    await admin.post(`/admin/users/${t.demo.users.admin.id}`, { displayName: 'Ada Administrator', email: 'admin@demo.compact.test', role: 'reporter', active: 'no' });
    expect((await t.db.query(`SELECT role, active FROM users WHERE id = $1`, [t.demo.users.admin.id]))[0]).toEqual({ role: 'administrator', active: true });
    await t.http.patch(`/api/admin/users/${t.demo.users.admin.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ role: 'caseworker' }).expect(409);
  });

  it('keeps a mediator’s ties on their page, and shows them beside each mediator when appointing one', async () => {
    const d = new CaseDriver(t);
    const mediator = t.demo.users.mediator.id;
    const page = await admin.get(`/admin/users/${mediator}`);
    expect(page.text).toContain('No ties recorded.');
    const missing = await admin.post(`/admin/users/${mediator}/ties`, { tieOrganisationId: '', nature: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Select the organisation they are tied to');
    expect(missing.text).toContain('Say how they are tied');
    const added = await admin.post(`/admin/users/${mediator}/ties`, { tieOrganisationId: t.demo.organisations.leicestershirePolice, nature: 'trustee of the police charity' });
    expect(added.status).toBe(303);
    const withTie = await admin.get(`/admin/users/${mediator}`);
    expect(withTie.text).toContain('Mina Mediator is recorded as tied to Leicestershire Police.');
    expect(withTie.text).toContain('trustee of the police charity');
    expect((await t.http.get(`/api/admin/users/${mediator}/ties`).set('Authorization', `Bearer ${t.tokens.admin}`).expect(200)).body).toEqual([
      { organisation: { id: t.demo.organisations.leicestershirePolice, name: 'Leicestershire Police', area: 'Leicestershire' }, nature: 'trustee of the police charity' },
    ]);

    // A case waiting for its mediator: the caseworker sees each mediator with their ties.
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'A small charity' });
    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    // The mediators are offered on the appointing action's own page (one thing per page).
    const casePage = await caseworker.get(`/cases/${id}/actions/APPOINT_MEDIATOR`);
    expect(casePage.text).toContain('Tom Tied-Mediator (tied to Harborough District Council)');
    expect(casePage.text).toContain('Mina Mediator (tied to Leicestershire Police)');

    await admin.get(`/admin/users/${mediator}`);
    const removed = await admin.post(`/admin/users/${mediator}/ties/${t.demo.organisations.leicestershirePolice}/remove`, {});
    expect(removed.status).toBe(303);
    expect((await admin.get(`/admin/users/${mediator}`)).text).toContain('No ties recorded.');
    const afterRemoval = await caseworker.get(`/cases/${id}/actions/APPOINT_MEDIATOR`);
    expect(afterRemoval.text).toContain('Mina Mediator');
    expect(afterRemoval.text).not.toContain('Mina Mediator (tied');
  });

  it('offers the same through the API for administrators only', async () => {
    const list = await t.http.get('/api/admin/users').set('Authorization', `Bearer ${t.tokens.admin}`).expect(200);
    expect(list.body.map((u: { email: string }) => u.email)).toContain('caseworker@demo.compact.test');
    const created = await t.http
      .post('/api/admin/users')
      .set('Authorization', `Bearer ${t.tokens.admin}`)
      .send({ displayName: 'Api Caseworker', email: 'api-cw@example.org', role: 'caseworker' })
      .expect(201);
    expect(created.body.temporaryPassword).toEqual(expect.any(String));
    const login = await t.http.post('/api/auth/login').send({ email: 'api-cw@example.org', password: created.body.temporaryPassword }).expect(200);
    // A temporary password is replaced before anything else.
    const changed = await t.http
      .post('/api/auth/password')
      .set('Authorization', `Bearer ${login.body.token}`)
      .send({ currentPassword: created.body.temporaryPassword, newPassword: 'a passphrase of their own' })
      .expect(200);
    const theirs = { Authorization: `Bearer ${changed.body.token}` };
    await t.http.get('/api/cases').set(theirs).expect(200);
    const patched = await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(200);
    expect(patched.body.active).toBe(false);
    // The token they already hold stops working with the account, not hours later when it expires.
    const refused = await t.http.get('/api/cases').set(theirs).expect(401);
    expect(refused.body.message).toContain('deactivated');
    await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: true }).expect(200);
    // Reactivated, they sign in again: tokens from before the deactivation stay ended.
    await t.http.get('/api/cases').set(theirs).expect(401);
    await t.http.post('/api/auth/login').send({ email: 'api-cw@example.org', password: 'a passphrase of their own' }).expect(200);
    await t.http.patch(`/api/admin/users/${created.body.user.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(200);
    await t.http.patch(`/api/admin/users/${t.demo.users.admin.id}`).set('Authorization', `Bearer ${t.tokens.admin}`).send({ active: false }).expect(409);
    await t.http.get('/api/admin/users').set('Authorization', `Bearer ${t.tokens.caseworker}`).expect(403);
  });

  it('lists failed e-mails and sends one again', async () => {
    const d = new CaseDriver(t);
    const filed = await d.file('reporter');
    const [email] = await t.db.query(
      `UPDATE notifications SET status = 'failed', failed_at = now(), attempts = 5, last_error = '550 mailbox unavailable'
        WHERE id = (SELECT id FROM notifications WHERE case_id = $1 ORDER BY created_at LIMIT 1) RETURNING id`,
      [filed.id],
    ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Array<{ id: string }>) : (r as Array<{ id: string }>)));
    const page = await admin.get('/admin/emails');
    expect(page.text).toContain(filed.reference);
    expect(page.text).toContain('550 mailbox unavailable');
    expect(page.text).toContain(`action="/admin/emails/${email.id}/retry"`);
    const res = await admin.post(`/admin/emails/${email.id}/retry`, {});
    expect(res.status).toBe(303);
    const [row] = await t.db.query(`SELECT status FROM notifications WHERE id = $1`, [email.id]);
    expect(row.status).not.toBe('failed');
    const after = await admin.get('/admin/emails');
    expect(after.text).toContain('queued to be sent again');
    expect(after.text).not.toContain(`action="/admin/emails/${email.id}/retry"`);
  });

  it('shows a caseworker a 403 page on every administration page', async () => {
    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    for (const path of ['/admin/compacts', '/admin/compacts/new', '/admin/compacts/import', '/admin/compacts/import/template.csv', '/admin/organisations', '/admin/users', `/admin/users/${t.demo.users.mediator.id}`, '/admin/emails', '/admin/site-pages', '/admin/site-pages/privacy']) {
      const res = await caseworker.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.text).toContain('You cannot do that');
    }
    expect((await caseworker.post('/admin/users', { displayName: 'X', email: 'x@example.org', role: 'administrator' })).status).toBe(403);
    expect((await upload(caseworker, 'x.csv', CSV_HEADER)).status).toBe(403);
    expect((await caseworker.post('/admin/site-pages/privacy', { title: 'Ours now', body: 'x' })).status).toBe(403);
    expect((await caseworker.post(`/admin/users/${t.demo.users.mediator.id}/ties`, { tieOrganisationId: t.demo.organisations.harboroughCouncil, nature: 'x' })).status).toBe(403);
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = 'x@example.org'`)).toEqual([]);
  });
});

describe('pages: the footer pages and the menu', () => {
  let t: TestApp;
  let admin: WebClient;

  beforeAll(async () => {
    t = await startTestApp('web-footer');
    admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
  });
  afterAll(() => t?.close());

  it('links every page to the accessibility statement, privacy notice, cookies and help, open to anyone', async () => {
    const signIn = await t.http.get('/sign-in');
    for (const [path, heading] of [
      ['/accessibility', 'Accessibility statement for Compact Cases'],
      ['/privacy', 'Privacy notice'],
      ['/cookies', 'Cookies'],
      ['/help', 'Get help or give feedback'],
    ]) {
      expect(signIn.text).toContain(`class="govuk-footer__link" href="${path}"`);
      const res = await t.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.text).toContain(`<h1 class="govuk-heading-l">${heading}</h1>`);
      expect(res.text).toMatch(/Last updated \d{1,2} [A-Z][a-z]+ \d{4}/);
    }
    const cookies = await t.http.get('/cookies');
    expect(cookies.text).toContain('cc_session');
    expect(cookies.text).toContain('cc_csrf');
    const privacy = await t.http.get('/privacy');
    expect(privacy.text).toContain('within one month');
    expect(privacy.text).toContain('<a class="govuk-link" href="https://ico.org.uk/make-a-complaint/">complain to the Information Commissioner&#39;s Office</a>');
    expect((await t.http.get('/help')).text).toContain('<a class="govuk-link" href="mailto:help@compact-cases.example">help@compact-cases.example</a>');
    expect((await t.http.get('/accessibility')).text).toContain('<h2 class="govuk-heading-m" id="enforcement-procedure">Enforcement procedure</h2>');
  });

  it('lets an administrator edit a page as plain text, never HTML, and refuses unsafe links', async () => {
    const list = await admin.get('/admin/site-pages');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/admin/site-pages/help"');
    const form = await admin.get('/admin/site-pages/help');
    expect(form.text).toContain('Get help or give feedback');
    const empty = await admin.post('/admin/site-pages/help', { title: ' ', body: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the page’s title');
    expect(empty.text).toContain('Enter the text of the page');
    const unsafe = await admin.post('/admin/site-pages/help', { title: 'Help', body: 'Click [here](javascript:alert(1)) now.' });
    expect(unsafe.status).toBe(400);
    expect(unsafe.text).toContain('The link “here” must go to a web address starting https://');
    expect(unsafe.text).toContain('href="#body"');
    const body = '## Ask us\n\nWrite to support@example.org or see [the guide](https://example.org/guide).\n\n- one\n- two\n\n<script>alert("x")</script>';
    const saved = await admin.post('/admin/site-pages/help', { title: 'Help with Compact Cases', body });
    expect(saved.status).toBe(303);
    expect((await admin.get('/admin/site-pages')).text).toContain('Help with Compact Cases saved. It shows on the website now.');
    const page = await t.http.get('/help');
    expect(page.text).toContain('<h1 class="govuk-heading-l">Help with Compact Cases</h1>');
    expect(page.text).toContain('<h2 class="govuk-heading-m" id="ask-us">Ask us</h2>');
    expect(page.text).toContain('<a class="govuk-link" href="mailto:support@example.org">support@example.org</a>');
    expect(page.text).toContain('<a class="govuk-link" href="https://example.org/guide">the guide</a>');
    expect(page.text).toMatch(/<li>one<\/li>\s*<li>two<\/li>/);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert');
    const [row] = await t.db.query(`SELECT updated_by FROM site_pages WHERE slug = 'help'`);
    expect(row.updated_by).toBe(t.demo.users.admin.id);
    // Every administrator's request is in the access audit, the edits among them.
    // (The audit row is written once the response has gone, so it may take a moment.)
    let audit: Array<{ status: number }> = [];
    for (let i = 0; i < 50 && audit.length < 3; i++) {
      audit = await t.db.query(`SELECT status FROM access_audit WHERE user_id = $1 AND method = 'POST' AND path LIKE '%/admin/site-pages/help' ORDER BY id`, [t.demo.users.admin.id]);
      if (audit.length < 3) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.map((a) => a.status)).toEqual([400, 400, 303]);
    expect((await admin.get('/admin/site-pages/terms')).status).toBe(404);
  });

  it('gives an administrator a menu of every staff page and every administration page', async () => {
    const page = await admin.get('/admin/users');
    const nav = page.text.slice(page.text.indexOf('<nav aria-label="Menu"'), page.text.indexOf('</nav>'));
    for (const href of ['/triage', '/cases', '/cases?stage=mediation', '/deadlines', '/statistics', '/workflow', '/admin/compacts', '/admin/organisations', '/admin/users', '/admin/emails', '/admin/fee-instructions', '/admin/site-pages']) {
      expect(nav).toContain(`href="${href}"`);
    }
    // The signed-in bar is a landmark of its own.
    expect(page.text).toMatch(/<section class="app-account-bar" aria-label="Your account">/);
  });
});

describe('pages: the queue dashboard with the pages\' session', () => {
  let t: TestApp;
  const prefix = testQueuePrefix('web-queues');

  beforeAll(async () => {
    t = await startTestApp('web-queues', { REDIS_URL, QUEUE_PREFIX: prefix });
  });
  afterAll(async () => {
    await t?.close();
    await deleteKeys(prefix);
  });

  it('opens for an administrator signed in to the pages, and for nobody else', async () => {
    const admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    expect((await admin.get('/admin/emails')).text).toContain('href="/admin/queues"');
    const board = await admin.get('/admin/queues');
    expect(board.status).toBe(200);
    expect((await admin.get('/admin/queues/api/queues')).status).toBe(200);

    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    expect((await caseworker.get('/admin/queues/api/queues')).status).toBe(403);

    const stranger = await t.http.get('/admin/queues').set('Accept', 'text/html');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.location).toBe('/sign-in?next=%2Fadmin%2Fqueues');
    await t.http.get('/admin/queues/api/queues').expect(401);
    await t.http.get('/admin/queues/api/queues').set('Authorization', `Bearer ${t.tokens.admin}`).expect(200);
  });

  it('refuses a change carried by the cookie alone from another site', async () => {
    const admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    const cookie = (admin as unknown as { cookies: Map<string, string> }).cookies.get('cc_session');
    const res = await t.http.put('/admin/queues/api/queues/email/pause').set('Cookie', `cc_session=${cookie}`).set('Origin', 'https://evil.example');
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CROSS_SITE_REQUEST');
  });
});
