import { BREACH_GROUPINGS, BreachStatistics, BreachStatsQuery, DurationStatistics } from '@cc/stats';
import { DEMO_PASSWORD } from '@cc/demo-data';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * Erasure on request (ErasePerson): a reporter, a caseworker and a public body's contact, each
 * replaced on every record by a neutral label with their account closed and the statistics
 * unchanged; refused, with the reason, where the data must be kept.
 */
describe('erasure of a person (real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  const q = <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> => t.db.query(text, values);
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const preview = (email: string) => t.http.get(`/api/admin/erasure?email=${encodeURIComponent(email)}`).set(admin());
  const erase = (email: string, auth = admin()) => t.http.post('/api/admin/erasure').set(auth).send({ email });

  async function everyStatistic(): Promise<unknown> {
    const range = { from: '2015-01-01', to: new Date().toISOString().slice(0, 10) };
    const out: Record<string, unknown> = {};
    for (const by of BREACH_GROUPINGS) {
      const { asOf: _a, ...rest } = await t.app.get(BreachStatistics).execute(Object.assign(new BreachStatsQuery(), { ...range, by }));
      out[by] = rest;
    }
    const { asOf: _b, ...durations } = await t.app.get(DurationStatistics).execute(range);
    out.durations = durations;
    return out;
  }

  /** Every text about cases and messages, to search for a name that must be gone. */
  async function everything(): Promise<string> {
    const [row] = await q<{ text: string }>(`SELECT concat_ws(' ',
        (SELECT string_agg(concat_ws(' ', title, what_happened, impact, desired_outcome, evidence, snapshot::text, search::text), ' ') FROM cases),
        (SELECT string_agg(payload::text, ' ') FROM case_events), (SELECT string_agg(body, ' ') FROM case_notes),
        (SELECT string_agg(recipient_email || ' ' || recipient_name || ' ' || data::text, ' ') FROM notifications),
        (SELECT string_agg(concat_ws(' ', from_address, subject, convert_from(raw, 'UTF8')), ' ') FROM inbound_mail),
        (SELECT string_agg(concat_ws(' ', name, email, job_title), ' ') FROM respondent_contacts),
        (SELECT string_agg(email || ' ' || display_name, ' ') FROM users)) AS text`);
    return row.text;
  }

  let reporterCase: string;
  let caseworkerCase: string;
  let contactCase: string;
  let statsBefore: unknown;

  beforeAll(async () => {
    t = await startTestApp('erasure');
    d = new CaseDriver(t);
    // Colin Carer's closed case, and a note about him on another organisation's case.
    reporterCase = (await d.file('reporter2', { title: 'Colin Carer: respite grant cut', whatHappened: 'Colin Carer (carers@demo.compact.test) was told.' })).id;
    await d.send('caseworker', reporterCase, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', reporterCase, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Colin Carer agreed it is a contract dispute.' });
    const other = await d.file('reporter');
    await t.http.post(`/api/cases/${other.id}/notes`).set(d.auth('caseworker')).send({ body: 'Colin Carer says the same happened to them.', visibility: 'internal' }).expect(201);

    // Kofi Caseworker's case, closed; and Owen Price (a council contact) named on another, closed.
    caseworkerCase = (await d.file('reporter')).id;
    await d.send('caseworker', caseworkerCase, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker2.id });
    await d.send('caseworker2', caseworkerCase, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Decided by Kofi Caseworker.' });
    contactCase = (await d.file('reporter')).id;
    await d.send('caseworker', contactCase, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', contactCase, { type: 'ACCEPT' });
    await d.send('caseworker', contactCase, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to Owen Price, liaison officer.', contactIds: [t.demo.respondents.council2.contactId] });
    await d.send('caseworker', contactCase, { type: 'RECORD_RESPONSE', summary: 'Owen Price replied that notice was given.' });
    await d.send('caseworker', contactCase, { type: 'CLOSE_UNRESOLVED', reason: 'No agreement.' });
    await q(`INSERT INTO inbound_mail (message_id, raw, via, status, from_address, subject, case_id)
             VALUES ('<owen@x>', convert_to('From: Owen Price <council-liaison@demo.compact.test>', 'UTF8'), 'smtp', 'filed', 'council-liaison@demo.compact.test', 'Reply from Owen Price', $1)`, [contactCase]);
    statsBefore = await everyStatistic();
  });
  afterAll(() => t?.close());

  it('erases a reporter: label on every record, account closed and signed out everywhere, statistics unchanged', async () => {
    const web = new WebClient(t);
    await web.signIn('carers@demo.compact.test');
    expect((await web.get('/cases')).status).toBe(200);

    const before = await preview('carers@demo.compact.test').expect(200);
    expect(before.body).toMatchObject({ found: true, role: 'reporter', label: 'Former reporter', canErase: true, refusals: [] });
    expect(before.body.changes).toMatchObject({ account: 1, casesNamedOn: 1, sessions: 1 });
    expect(before.body.changes.textsMentioning).toBeGreaterThanOrEqual(3);
    expect(before.body.changes.emails).toBeGreaterThanOrEqual(1);

    const done = await erase('carers@demo.compact.test').expect(200);
    expect(done.body).toMatchObject({ label: 'Former reporter', changed: before.body.changes });
    expect(await everything()).not.toMatch(/colin|carers@demo/i);
    expect(await q(`SELECT word FROM case_search_words WHERE word LIKE 'colin%'`)).toEqual([]);
    const [account] = await q<Record<string, unknown>>(`SELECT display_name, email, active, erased_at FROM users WHERE id = $1`, [t.demo.users.reporter2.id]);
    expect(account).toMatchObject({ display_name: 'Former reporter', active: false });
    expect(account.erased_at).not.toBeNull();
    // The case is still theirs (their organisation's), with the label where their name was.
    expect(await q(`SELECT c.reported_by = $2 AS same, c.stage, c.outcome FROM cases c WHERE c.id = $1`, [reporterCase, t.demo.users.reporter2.id])).toEqual([{ same: true, stage: 'closed', outcome: 'rejected' }]);
    expect(await q(`SELECT kind, by_user_id FROM account_events WHERE user_id = $1 AND kind = 'erased'`, [t.demo.users.reporter2.id])).toEqual([{ kind: 'erased', by_user_id: t.demo.users.admin.id }]);
    // Signed out everywhere: the bearer token and the page session stop at once; the password no longer works.
    expect((await t.http.get('/api/cases').set(d.auth('reporter2'))).status).toBe(401);
    expect((await web.get('/cases')).status).toBe(303);
    expect((await t.http.post('/api/auth/login').send({ email: 'carers@demo.compact.test', password: DEMO_PASSWORD })).status).toBe(401);
    expect(await everyStatistic()).toEqual(statsBefore);
    // Nothing is held about the address any more.
    expect((await preview('carers@demo.compact.test').expect(200)).body).toMatchObject({ found: false, canErase: false });
    expect((await erase('carers@demo.compact.test')).status).toBe(404);
  });

  it('erases a caseworker once their cases are closed; refuses while one is open, and an administrator their own account', async () => {
    const open = (await d.file('reporter')).id;
    await d.send('caseworker', open, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker2.id });
    statsBefore = await everyStatistic();
    const refused = await erase('caseworker2@demo.compact.test');
    expect(refused.status).toBe(409);
    const reference = (await q<{ reference: string }>(`SELECT reference FROM cases WHERE id = $1`, [open]))[0].reference;
    expect(refused.body.refusals).toEqual([expect.objectContaining({ code: 'OPEN_CASE', cases: [reference] })]);
    expect(refused.body.refusals[0].reason).toContain('give the cases to someone else first');
    expect((await q(`SELECT active FROM users WHERE id = $1`, [t.demo.users.caseworker2.id]))).toEqual([{ active: true }]);

    await d.send('caseworker', open, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const done = await erase('caseworker2@demo.compact.test').expect(200);
    expect(done.body.label).toBe('Former caseworker');
    expect(await everything()).not.toMatch(/kofi|caseworker2@demo/i);
    // What they did still reads, by the label: the rejection is theirs in the history.
    const [actor] = await q<{ display_name: string }>(`SELECT u.display_name FROM case_events e JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1 AND e.type = 'REJECT'`, [caseworkerCase]);
    expect(actor.display_name).toBe('Former caseworker');
    expect((await d.get('caseworker', caseworkerCase)).status).toBe(200);

    const self = await erase('admin@demo.compact.test');
    expect(self.status).toBe(409);
    expect(self.body.refusals.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['OWN_ACCOUNT', 'LAST_ADMINISTRATOR']));
    expect(await everyStatistic()).toEqual(statsBefore);
  });

  it('erases a public body contact: contact record, account and the messages they sent; the case keeps a "Former contact"', async () => {
    const email = t.demo.respondents.council2.email;
    const before = await preview(email).expect(200);
    expect(before.body).toMatchObject({ role: 'respondent', label: 'Former contact', canErase: true });
    expect(before.body.changes).toMatchObject({ contactRecords: 1, casesNamedOn: 1, inboundMail: 1 });
    await erase(email).expect(200);
    expect(await everything()).not.toMatch(/owen|council-liaison/i);
    expect(await q(`SELECT name, active, job_title FROM respondent_contacts WHERE id = $1`, [t.demo.respondents.council2.contactId])).toEqual([{ name: 'Former contact', active: false, job_title: null }]);
    expect(await q(`SELECT from_address, convert_from(raw, 'UTF8') AS raw FROM inbound_mail WHERE case_id = $1`, [contactCase])).toEqual([{ from_address: null, raw: '[removed: sent by a person since erased]' }]);
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const page = await web.get(`/cases/${contactCase}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/Owen/);
    expect(await everyStatistic()).toEqual(statsBefore);
  });

  it('refuses a reporter on an open case, and on a case under legal hold, with the reason and the cases', async () => {
    const open = (await d.file('reporter')).id;
    const [{ reference }] = await q<{ reference: string }>(`SELECT reference FROM cases WHERE id = $1`, [open]);
    const first = await preview('reporter@demo.compact.test').expect(200);
    expect(first.body.canErase).toBe(false);
    expect(first.body.refusals).toEqual([expect.objectContaining({ code: 'OPEN_CASE', cases: expect.arrayContaining([reference]) })]);
    await q(`UPDATE cases SET stage = 'closed', state = 'closed', outcome = 'withdrawn', closed_at = now() WHERE reported_by = $1`, [t.demo.users.reporter.id]);
    await t.http.post(`/api/cases/${open}/legal-hold`).set(d.auth('caseworker')).send({ reason: 'A claim is expected.' }).expect(201);
    const held = await erase('reporter@demo.compact.test');
    expect(held.status).toBe(409);
    expect(held.body.refusals).toEqual([expect.objectContaining({ code: 'LEGAL_HOLD', cases: [reference] })]);
    expect(held.body.message).toContain('legal hold');
    expect(await q(`SELECT display_name, active FROM users WHERE id = $1`, [t.demo.users.reporter.id])).toEqual([{ display_name: 'Rita Reporter', active: true }]);
  });

  it('is for administrators only, and checks the address', async () => {
    expect((await erase('mediator@demo.compact.test', d.auth('caseworker'))).status).toBe(403);
    expect((await t.http.get('/api/admin/erasure?email=mediator@demo.compact.test').set(d.auth('reporter'))).status).toBe(403);
    const bad = await erase('not an address');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('email');
    expect((await t.http.get('/api/admin/erasure?email=nope').set(admin())).status).toBe(400);
    expect((await preview('nobody@example.org').expect(200)).body).toMatchObject({ found: false, canErase: false });
    expect((await erase('nobody@example.org')).status).toBe(404);
  });

  it('the administrator erases through the confirmation page', async () => {
    const web = new WebClient(t);
    await web.signIn('admin@demo.compact.test');
    const start = await web.get('/admin/erasure');
    expect(start.status).toBe(200);
    const shown = await web.get('/admin/erasure?email=mediator2%40demo.compact.test');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('This is a mediator. Their name will be replaced by “Former mediator”');
    const unconfirmed = await web.post('/admin/erasure', { email: 'mediator2@demo.compact.test' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Confirm that this person is to be erased');
    const done = await web.post('/admin/erasure', { email: 'mediator2@demo.compact.test', confirm: 'yes' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('The person was erased');
    expect(await q(`SELECT display_name FROM users WHERE id = $1`, [t.demo.users.mediatorTied.id])).toEqual([{ display_name: 'Former mediator' }]);
    expect(await q(`SELECT count(*)::int AS n FROM user_organisation_ties WHERE user_id = $1`, [t.demo.users.mediatorTied.id])).toEqual([{ n: 0 }]);
    const refused = await web.get('/admin/erasure?email=reporter%40demo.compact.test');
    expect(refused.text).toContain('This person cannot be erased now');
    expect(refused.text).not.toContain('Erase this person');
  });
});
