import { TokenService } from '@cc/identity';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/**
 * The public body's side over HTTP: who at a public body sees a case (a named, active contact at
 * that body, and only them), what they see of it (the report as filed, shared evidence, messages,
 * the clocks that wait on them; never triage hints, internal notes, others' e-mail addresses or, when
 * the reporter asked, who reported), and what staff do for them (naming contacts, sharing documents).
 * Contacts are added through the registry's contacts API.
 */
describe('respondent access (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  type Respondent = { userId: string; contactId: string; email: string; auth: { Authorization: string } };
  let named: Respondent;
  let colleague: Respondent;
  let elsewhere: Respondent;
  let leaver: Respondent;
  let anonymous: { id: string; reference: string };
  let open: { id: string; reference: string };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  async function addRespondent(organisationId: string, name: string): Promise<Respondent> {
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@respondent.test`;
    // The registry's contacts API makes the contact and its respondent account together.
    const res = await t.http.post(`/api/organisations/${organisationId}/contacts`).set(d.auth('caseworker')).send({ name, email, jobTitle: 'Head of Commissioning' });
    if (res.status !== 201) throw new Error(`adding a contact failed: ${res.status} ${JSON.stringify(res.body)}`);
    // Respondents sign in by single-use links; a bearer token stands in for that here.
    const { token } = await t.app.get(TokenService).issue(res.body.userId, 0);
    return { userId: res.body.userId, contactId: res.body.id, email, auth: { Authorization: `Bearer ${token}` } };
  }

  const upload = (auth: Record<string, string>, caseId: string, bytes: Buffer, filename: string) =>
    t.http.post(`/api/cases/${caseId}/evidence`).set(auth).attach('file', bytes, { filename, contentType: 'application/octet-stream' });

  /** Filed, assigned, accepted and the public body contacted with these contacts named. */
  async function contacted(overrides: Record<string, unknown>, contactIds: string[]): Promise<{ id: string; reference: string }> {
    const filed = await d.file('reporter', overrides);
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    await d.send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the head of commissioning.', contactEmail: 'ceo@harborough.test', contactIds });
    return filed;
  }

  beforeAll(async () => {
    t = await startTestApp('respondent-access');
    d = new CaseDriver(t);
    named = await addRespondent(t.demo.organisations.harboroughCouncil, 'Nadia Named');
    colleague = await addRespondent(t.demo.organisations.harboroughCouncil, 'Colin Colleague');
    elsewhere = await addRespondent(t.demo.organisations.leicestershirePolice, 'Elsie Elsewhere');
    leaver = await addRespondent(t.demo.organisations.harboroughCouncil, 'Lena Leaver');
    anonymous = await contacted({ reporterMayBeNamed: false, title: 'Grant cut without notice' }, [named.contactId, leaver.contactId]);
    open = await contacted({ title: 'Consultation cut short' }, [named.contactId]);
    // A named contact whose contact record is then deactivated (straight in the table, so the account stays active).
    await t.db.query(`UPDATE respondent_contacts SET active = false WHERE id = $1`, [leaver.contactId]);
  });
  afterAll(() => t?.close());

  it('names the contacts in the same statement as CONTACT_RESPONDENT, and shows who is named (e-mail for staff only)', async () => {
    const rows = await t.db.query(`SELECT contact_id AS "contactId", named_by AS "namedBy" FROM case_contacts WHERE case_id = $1 ORDER BY named_at, contact_id`, [anonymous.id]);
    expect(rows.map((r: { contactId: string }) => r.contactId).sort()).toEqual([named.contactId, leaver.contactId].sort());
    expect(rows.every((r: { namedBy: string }) => r.namedBy === t.demo.users.caseworker.id)).toBe(true);
    const staff = (await d.get('caseworker', anonymous.id)).body;
    expect(staff.namedContacts).toEqual(
      expect.arrayContaining([{ id: named.contactId, name: 'Nadia Named', jobTitle: 'Head of Commissioning', active: true, email: named.email }]),
    );
    const seen = (await t.http.get(`/api/cases/${anonymous.id}`).set(named.auth).expect(200)).body;
    expect(seen.namedContacts).toEqual(expect.arrayContaining([{ id: named.contactId, name: 'Nadia Named', jobTitle: 'Head of Commissioning', active: true }]));
    expect(JSON.stringify(seen)).not.toContain('@');
  });

  it('refuses contactIds that are not active contacts at the case\'s public body (400 naming them), with nothing written', async () => {
    const filed = await d.file();
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    for (const wrong of [elsewhere.contactId, leaver.contactId, '00000000-0000-4000-8000-00000000dead']) {
      const res = await d.raw('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote.', contactIds: [named.contactId, wrong] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'contactIds', reason: `${wrong} is not an active contact at this case's public body` }]);
    }
    const bad = await d.raw('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote.', contactIds: ['not-a-uuid'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toMatch(/^contactIds/);
    expect((await d.get('caseworker', filed.id)).body.state).not.toMatch(/awaitingResponse/);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM case_contacts WHERE case_id = $1`, [filed.id]))[0].n).toBe(0);
    // Without contactIds a caseworker may still write to a free-text contact.
    await d.send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Phoned the council.', contactName: 'Reception' });
  });

  it('a named contact sees the case in their list and on its page; everyone else at a public body gets 404 everywhere', async () => {
    const list = (await t.http.get('/api/cases').set(named.auth).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(list.sort()).toEqual([anonymous.id, open.id].sort());
    for (const who of [colleague, elsewhere, leaver]) {
      expect((await t.http.get('/api/cases').set(who.auth).expect(200)).body.items).toEqual([]);
      for (const path of ['', '/timeline', '/notes', '/messages', '/evidence', '/deadlines', '/links']) {
        const res = await t.http.get(`/api/cases/${open.id}${path}`).set(who.auth);
        expect({ who: who.email, path, status: res.status, code: res.body.code }).toEqual({ who: who.email, path, status: 404, code: 'CASE_NOT_FOUND' });
      }
      expect((await t.http.post(`/api/cases/${open.id}/events`).set(who.auth).send({ type: 'RECORD_RESPONSE', summary: 'x' })).status).toBe(404);
      expect((await t.http.post(`/api/cases/${open.id}/messages`).set(who.auth).send({ body: 'x' })).status).toBe(404);
    }
    // By reference too, and a case they are not named on at their own body.
    expect((await t.http.get(`/api/cases/${open.reference}`).set(named.auth)).status).toBe(200);
    const other = await d.file();
    expect((await t.http.get(`/api/cases/${other.id}`).set(named.auth)).status).toBe(404);
  });

  it('a deactivated account is signed out (401); a contact deactivated in the registry no longer sees the case (404)', async () => {
    expect((await t.http.get(`/api/cases/${anonymous.id}`).set(leaver.auth)).status).toBe(404);
    const gone = await addRespondent(t.demo.organisations.harboroughCouncil, 'Gwen Gone');
    await t.db.query(`INSERT INTO case_contacts (case_id, contact_id) VALUES ($1, $2)`, [open.id, gone.contactId]);
    expect((await t.http.get(`/api/cases/${open.id}`).set(gone.auth)).status).toBe(200);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [gone.userId]);
    expect((await t.http.get(`/api/cases/${open.id}`).set(gone.auth)).status).toBe(401);
  });

  it('shows the report as filed with no triage hints and, when the reporter asked, not who reported', async () => {
    const seen = (await t.http.get(`/api/cases/${anonymous.id}`).set(named.auth).expect(200)).body;
    expect(seen).toMatchObject({ title: 'Grant cut without notice', reporterNamed: false, triageHints: null, reportingOrganisation: { id: '', name: 'a voluntary organisation in Harborough' } });
    expect(seen.whatHappened).toEqual(expect.any(String));
    expect(seen.impact).toEqual(expect.any(String));
    expect(seen.desiredOutcome).toEqual(expect.any(String));
    expect(seen.commitmentDetails[0]).toMatchObject({ reference: expect.any(String), text: expect.any(String) });
    expect(JSON.stringify(seen)).not.toContain('Riverside');
    expect(JSON.stringify(seen)).not.toContain(t.demo.organisations.riversideFoodbank);
    // The reply clock waits on them, with its due time.
    expect(seen.respondentDeadlines).toEqual([{ kind: 'respondentReply', dueAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), paused: false }]);
    const list = (await t.http.get('/api/cases').set(named.auth).expect(200)).body.items;
    const listed = list.find((c: { id: string }) => c.id === anonymous.id);
    expect(listed.reportingOrganisation).toEqual({ id: '', name: 'a voluntary organisation in Harborough' });
    expect(JSON.stringify(listed)).not.toContain('Riverside');
    // Searching by the reporter's name finds nothing for them.
    expect((await t.http.get('/api/cases').query({ text: 'Riverside' }).set(named.auth).expect(200)).body.items).toEqual([]);
    // Where the reporter agreed to be named, the public body sees who it is.
    const told = (await t.http.get(`/api/cases/${open.id}`).set(named.auth).expect(200)).body;
    expect(told).toMatchObject({ reporterNamed: true, reportingOrganisation: { id: t.demo.organisations.riversideFoodbank, name: 'Riverside Community Foodbank' } });
    // Staff and the reporter see the choice; the reporter's name as ever; hints for staff.
    const staff = (await d.get('caseworker', anonymous.id)).body;
    expect(staff).toMatchObject({ reporterNamed: false, reportingOrganisation: { name: 'Riverside Community Foodbank' }, respondentDeadlines: null });
    expect(staff.triageHints).toEqual(expect.any(Array));
    expect((await d.get('reporter', anonymous.id)).body.reporterNamed).toBe(false);
  });

  it('gives the respondent a timeline of the events about them, without internal fields, e-mail addresses or the reporter\'s people', async () => {
    const entries = (await t.http.get(`/api/cases/${anonymous.id}/timeline`).set(named.auth).expect(200)).body as Array<{
      type: string;
      actorName: string | null;
      details: Record<string, unknown>;
    }>;
    expect(entries.map((e) => e.type)).toEqual(['SUBMITTED', 'CONTACT_RESPONDENT']);
    expect(entries[0].actorName).toBeNull();
    expect(entries[1].details).toEqual({ summary: 'Wrote to the head of commissioning.' });
    expect(JSON.stringify(entries)).not.toContain('ceo@harborough.test');
    expect(JSON.stringify(entries)).not.toContain('Rita');
    // Staff see every event as before.
    expect((await d.timeline('caseworker', anonymous.id)).map((e) => e.type)).toEqual(['SUBMITTED', 'ASSIGN', 'ACCEPT', 'CONTACT_RESPONDENT']);
  });

  it('messages: the public body writes to everyone; a caseworker writes to the public body with the reporter or only between them; each on the timeline', async () => {
    const post = (auth: Record<string, string>, body: Record<string, unknown>) => t.http.post(`/api/cases/${anonymous.id}/messages`).set(auth).send(body);
    const mine = await post(named.auth, { body: 'We will reply by the end of the month.' });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ visibility: 'parties', authorName: 'Nadia Named' });
    expect((await post(named.auth, { body: 'Secret', onlyBetweenUs: true })).status).toBe(403);
    expect((await post(d.auth('caseworker'), { body: 'Thank you, noted.' })).body.visibility).toBe('parties');
    expect((await post(d.auth('caseworker'), { body: 'Between us: the reporter is anxious.', onlyBetweenUs: true })).body.visibility).toBe('respondent');
    expect((await post(d.auth('reporter'), { body: 'x' })).status).toBe(403);
    expect((await post(named.auth, { body: '' })).status).toBe(400);
    // Staff notes the public body never reads; the reporter's shared notes neither.
    await t.http.post(`/api/cases/${anonymous.id}/notes`).set(d.auth('caseworker')).send({ visibility: 'internal', body: 'Internal: weak case' }).expect(201);
    await t.http.post(`/api/cases/${anonymous.id}/notes`).set(d.auth('reporter')).send({ visibility: 'shared', body: 'Shared with staff by Riverside' }).expect(201);
    expect((await t.http.post(`/api/cases/${anonymous.id}/notes`).set(named.auth).send({ visibility: 'internal', body: 'x' })).status).toBe(403);

    const bodies = async (auth: Record<string, string>, path: string) =>
      ((await t.http.get(`/api/cases/${anonymous.id}/${path}`).set(auth).expect(200)).body as Array<{ body: string }>).map((n) => n.body);
    expect(await bodies(named.auth, 'notes')).toEqual(['We will reply by the end of the month.', 'Thank you, noted.', 'Between us: the reporter is anxious.']);
    expect(await bodies(d.auth('reporter'), 'messages')).toEqual(['We will reply by the end of the month.', 'Thank you, noted.']);
    expect(await bodies(d.auth('caseworker'), 'messages')).toHaveLength(3);
    expect(await bodies(d.auth('mediator'), 'notes').catch(() => [])).toEqual([]);
    const timeline = async (auth: Record<string, string>) =>
      ((await t.http.get(`/api/cases/${anonymous.id}/timeline`).set(auth).expect(200)).body as Array<{ type: string; details: { body?: string; audience?: string } }>)
        .filter((e) => e.type === 'MESSAGE')
        .map((e) => [e.details.audience, e.details.body]);
    expect(await timeline(named.auth)).toEqual([
      ['parties', 'We will reply by the end of the month.'],
      ['parties', 'Thank you, noted.'],
      ['respondent', 'Between us: the reporter is anxious.'],
    ]);
    expect(await timeline(d.auth('reporter'))).toEqual([
      ['parties', 'We will reply by the end of the month.'],
      ['parties', 'Thank you, noted.'],
    ]);
  });

  it('shares only the evidence a caseworker shares; the public body\'s own uploads are shared as they arrive', async () => {
    const reporterDoc = (await upload(d.auth('reporter'), anonymous.id, pdf, 'our-accounts.pdf').expect(201)).body;
    const staffDoc = (await upload(d.auth('caseworker'), anonymous.id, pdf, 'call-notes.pdf').expect(201)).body;
    expect(reporterDoc.sharedWithRespondent).toBe(false);
    const ids = async (auth: Record<string, string>) => ((await t.http.get(`/api/cases/${anonymous.id}/evidence`).set(auth).expect(200)).body as Array<{ id: string }>).map((e) => e.id);
    expect(await ids(named.auth)).toEqual([]);
    expect((await t.http.get(`/api/cases/${anonymous.id}/evidence/${reporterDoc.id}`).set(named.auth)).status).toBe(404);

    // The public body's own document: shared at once, seen by the reporter and staff too.
    const theirs = await upload(named.auth, anonymous.id, pdf, 'council-reply.pdf');
    expect(theirs.status).toBe(201);
    expect(theirs.body).toMatchObject({ sharedWithRespondent: true, uploadedBy: { id: named.userId, role: 'respondent' } });
    expect(await ids(named.auth)).toEqual([theirs.body.id]);
    expect(await ids(d.auth('reporter'))).toEqual([reporterDoc.id, staffDoc.id, theirs.body.id]);
    expect((await t.http.get(`/api/cases/${anonymous.id}/evidence/${theirs.body.id}`).set(named.auth)).status).toBe(200);
    // Same content checks as anyone's.
    expect((await upload(named.auth, anonymous.id, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]), 'reply.pdf')).status).toBe(415);

    const share = (auth: Record<string, string>, evidenceId: string, body: Record<string, unknown>) =>
      t.http.post(`/api/cases/${anonymous.id}/evidence/${evidenceId}/share`).set(auth).send(body);
    // The reporter asked not to be named: their document is shared only once checked.
    const unchecked = await share(d.auth('caseworker'), reporterDoc.id, { shared: true });
    expect(unchecked.status).toBe(409);
    expect(unchecked.body.message).toContain('Check the document does not name the reporting organisation, then confirm');
    expect(await ids(named.auth)).toEqual([theirs.body.id]);
    const checked = await share(d.auth('caseworker'), reporterDoc.id, { shared: true, checkedForIdentity: true });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ sharedWithRespondent: true, sharedAt: expect.any(String) });
    const [row] = await t.db.query(`SELECT shared_by AS "sharedBy" FROM evidence WHERE id = $1`, [reporterDoc.id]);
    expect(row.sharedBy).toBe(t.demo.users.caseworker.id);
    // Staff's own documents need no identity check.
    expect((await share(d.auth('caseworker'), staffDoc.id, { shared: true })).status).toBe(200);
    const listed = (await t.http.get(`/api/cases/${anonymous.id}/evidence`).set(named.auth).expect(200)).body as Array<{ id: string; uploadedBy: { name: string } }>;
    expect(listed.map((e) => e.id)).toEqual([reporterDoc.id, staffDoc.id, theirs.body.id]);
    expect(listed[0].uploadedBy).toEqual({ id: '', name: 'The reporting organisation', role: 'reporter' });
    expect((await t.http.get(`/api/cases/${anonymous.id}/evidence/${reporterDoc.id}`).set(named.auth)).status).toBe(200);
    // Unsharing takes it away again.
    expect((await share(d.auth('admin'), reporterDoc.id, { shared: false })).body).toMatchObject({ sharedWithRespondent: false, sharedAt: null });
    expect(await ids(named.auth)).toEqual([staffDoc.id, theirs.body.id]);

    // Only staff share (403 once the case is visible; 404 when it is not); the body is checked (400).
    expect((await share(d.auth('reporter'), reporterDoc.id, { shared: true, checkedForIdentity: true })).status).toBe(403);
    expect((await share(named.auth, reporterDoc.id, { shared: true })).status).toBe(403);
    expect((await share(colleague.auth, reporterDoc.id, { shared: true })).status).toBe(404);
    expect((await share(d.auth('caseworker'), reporterDoc.id, {})).body.errors).toEqual([{ field: 'shared', reason: 'must be true or false' }]);
    expect((await share(d.auth('caseworker'), '00000000-0000-4000-8000-00000000beef', { shared: true })).status).toBe(404);
    // When the reporter may be named, a reporter's document is shared without the check.
    const namedDoc = (await upload(d.auth('reporter'), open.id, pdf, 'minutes.pdf').expect(201)).body;
    expect((await t.http.post(`/api/cases/${open.id}/evidence/${namedDoc.id}/share`).set(d.auth('caseworker')).send({ shared: true })).status).toBe(200);
  });

  it('a respondent may upload only on an open case', async () => {
    await d.send('reporter', open.id, { type: 'WITHDRAW' });
    const res = await upload(named.auth, open.id, pdf, 'late.pdf');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CASE_CLOSED');
    // A closed case stays visible to the contacts named on it.
    expect((await t.http.get(`/api/cases/${open.id}`).set(named.auth)).status).toBe(200);
  });

  it("the public body's list says what each case waits for it to do, and by when", async () => {
    const waiting = await contacted({ title: 'Waiting for a reply' }, [named.contactId]);
    const list = (await t.http.get('/api/cases').set(named.auth).expect(200)).body.items as Array<{ id: string; actionNeeded: { action: string; dueAt: string | null } | null }>;
    const [clock] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [waiting.id]);
    expect(list.find((c) => c.id === waiting.id)?.actionNeeded).toEqual({ action: 'reply', dueAt: clock.due_at.toISOString() });
    // Once it has replied, nothing waits on it.
    const replied = await contacted({ title: 'Replied already' }, [named.contactId]);
    await t.http.post(`/api/cases/${replied.id}/events`).set(named.auth).send({ type: 'RECORD_RESPONSE', summary: 'We replied by letter.' }).expect(200);
    const after = (await t.http.get('/api/cases').set(named.auth).expect(200)).body.items as Array<{ id: string; actionNeeded: unknown }>;
    expect(after.find((c) => c.id === replied.id)?.actionNeeded).toBeNull();
    // Staff lists say nothing of the kind.
    const staff = (await t.http.get('/api/cases').set(d.auth('caseworker')).expect(200)).body.items as Array<Record<string, unknown>>;
    expect(staff.every((c) => !('actionNeeded' in c))).toBe(true);
  });

  it("shows the public body only the clocks that wait on it (its reply), never staff's own (triage)", async () => {
    const staffSees = (await t.http.get(`/api/cases/${open.id}/deadlines`).set(d.auth('caseworker')).expect(200)).body as Array<{ kind: string }>;
    expect(staffSees.map((c) => c.kind).sort()).toEqual(['respondentReply', 'triage']);
    const bodySees = (await t.http.get(`/api/cases/${open.id}/deadlines`).set(named.auth).expect(200)).body as Array<{ kind: string; dueAt: string }>;
    expect(bodySees.map((c) => c.kind)).toEqual(['respondentReply']);
    expect(bodySees[0].dueAt).toBe(staffSees.find((c) => c.kind === 'respondentReply')!['dueAt' as never]);
  });

  it('the named contact replies online (version 2): the reply clock is met; nobody else at a public body can', async () => {
    const filed = await contacted({ title: 'Reply online' }, [named.contactId]);
    expect((await t.http.get(`/api/cases/${filed.id}`).set(named.auth).expect(200)).body.availableActions).toEqual(expect.arrayContaining(['RECORD_RESPONSE']));
    expect((await t.http.post(`/api/cases/${filed.id}/events`).set(colleague.auth).send({ type: 'RECORD_RESPONSE', summary: 'x' })).status).toBe(404);
    const res = await t.http.post(`/api/cases/${filed.id}/events`).set(named.auth).send({ type: 'RECORD_RESPONSE', summary: 'We gave notice by phone on 1 October.' });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('advocacy.reviewing');
    const [clock] = await t.db.query(`SELECT status FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply'`, [filed.id]);
    expect(clock.status).toBe('met');
    const seen = (await t.http.get(`/api/cases/${filed.id}/timeline`).set(named.auth).expect(200)).body as Array<{ type: string; actorName: string; details: unknown }>;
    expect(seen[seen.length - 1]).toMatchObject({ type: 'RECORD_RESPONSE', actorName: 'Nadia Named', details: { summary: 'We gave notice by phone on 1 October.' } });
  });

  it('REJECT records who rejected and until when a review may be asked, for the machine', async () => {
    const filed = await d.file();
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Not a Compact matter.' });
    const [row] = await t.db.query(`SELECT snapshot, machine_version AS "machineVersion" FROM cases WHERE id = $1`, [filed.id]);
    const [event] = await t.db.query(`SELECT payload FROM case_events WHERE case_id = $1 AND type = 'REJECT'`, [filed.id]);
    // The event keeps what the caseworker sent; the enrichment is for the machine (version 2 keeps it in its context).
    expect(event.payload).toEqual({ reason: 'notCompactMatter', explanation: 'Not a Compact matter.' });
    expect(row.machineVersion).toBe(2);
    const view = JSON.stringify(row.snapshot);
    expect(view).toContain(`"rejectedBy":"${t.demo.users.caseworker.id}"`);
    const until = /"reviewableUntil":"([^"]+)"/.exec(view)![1];
    // The end of a London day, 20 working days (four weeks or more) on.
    expect(until).toMatch(/T2[23]:59:59\.999Z$/);
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(27 * 86_400_000);

    // The reviewer is never the caseworker who rejected: the service adds who acts.
    await d.send('reporter', filed.id, { type: 'REQUEST_REVIEW', reason: 'It is a Compact matter: the grant was under the Compact.' });
    const same = await d.raw('caseworker', filed.id, { type: 'UPHOLD_REJECTION', explanation: 'Still out of scope.' });
    expect(same.status).toBe(409);
    const other = await d.raw('caseworker2', filed.id, { type: 'REOPEN_AFTER_REVIEW', explanation: 'It is in scope.' });
    expect(other.status).toBe(200);
    expect(other.body.state).toMatch(/^triage/);
  });
});
