import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BREACH_GROUPINGS, BreachStatistics, BreachStatsQuery, DurationStatistics, StatsRollups } from '@cc/stats';
import { EvidenceStorage } from '@cc/evidence';
import { REMOVED_FILE_NAME, REMOVED_TEXT, RetentionPlan, RetentionRunner } from '@cc/data-protection';
import { AppConfig } from '@cc/config';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * The retention schedule applied by its run, on a database with cases of every age and state:
 * the dry run says what the run then does, a run interrupted part-way and resumed does it exactly
 * once, a second run finds nothing, legal holds are skipped, and every statistic is the same
 * before and after.
 */
describe('retention (real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let runner: RetentionRunner;
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-retention-'));
  const ids: Record<string, string> = {};
  let evidenceKey: string;
  let heldDocumentKey: string;
  let plan: RetentionPlan;
  let statsBefore: unknown;

  const q = <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> => t.db.query(text, values);
  const admin = () => ({ Authorization: `Bearer ${t.tokens.admin}` });
  const caseworker = () => ({ Authorization: `Bearer ${t.tokens.caseworker}` });

  /** Every statistics grouping, staff and public, and the durations: libs/stats' own queries. */
  async function everyStatistic(): Promise<unknown> {
    const breaches = t.app.get(BreachStatistics);
    const durations = t.app.get(DurationStatistics);
    const range = { from: '2015-01-01', to: new Date().toISOString().slice(0, 10) };
    const out: Record<string, unknown> = {};
    for (const by of BREACH_GROUPINGS) {
      const query = Object.assign(new BreachStatsQuery(), { ...range, by });
      out[`staff:${by}`] = withoutAsOf(await breaches.execute(query));
      out[`public:${by}`] = withoutAsOf(await breaches.executePublic(query));
    }
    out.durations = withoutAsOf(await durations.execute(range));
    out.publicDurations = withoutAsOf(await durations.executePublic(range));
    return out;
  }

  async function rejected(overrides: Record<string, unknown> = {}): Promise<string> {
    const { id } = await d.file('reporter', overrides);
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Spoke to Nadia Named at the council (nadia.named@harborough.test) about Rita Reporter.' });
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp('retention', { DATA_DIR: dataDir } as Partial<AppConfig>);
    d = new CaseDriver(t);
    runner = t.app.get(RetentionRunner);
    const storage = t.app.get(EvidenceStorage);

    // Old closed cases of every kind of closing, with notes, a document, a message and e-mails.
    ids.oldRejected = (await d.file('reporter', { title: 'Rita Reporter: grant cut by the council at Zebedee Hall', whatHappened: 'Rita Reporter (reporter@demo.compact.test) was told by phone.' })).id;
    const uploaded = await t.http
      .post(`/api/cases/${ids.oldRejected}/evidence`)
      .set({ Authorization: `Bearer ${t.tokens.reporter}` })
      .attach('file', Buffer.from('%PDF-1.4\nletter from Nadia Named\n%%EOF\n'), { filename: 'Letter to Rita Reporter.pdf', contentType: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    await t.http.post(`/api/cases/${ids.oldRejected}/notes`).set(caseworker()).send({ body: 'Rita Reporter rang on Tuesday.', visibility: 'internal' }).expect(201);
    await d.send('caseworker', ids.oldRejected, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', ids.oldRejected, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'Rita Reporter agreed on the phone.' });
    [{ storage_key: evidenceKey }] = await q<{ storage_key: string }>(`SELECT storage_key FROM evidence WHERE case_id = $1`, [ids.oldRejected]);

    ids.oldWithdrawn = (await d.file('reporter', { respondentId: t.demo.organisations.leicestershirePolice })).id;
    await d.send('reporter', ids.oldWithdrawn, { type: 'WITHDRAW', reason: 'Our chair Rita Reporter decided to stop.' });

    ids.oldUnresolved = (await d.file('reporter', { respondentId: t.demo.organisations.harboroughCouncil })).id;
    await d.send('caseworker', ids.oldUnresolved, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', ids.oldUnresolved, { type: 'ACCEPT' });
    await d.send('caseworker', ids.oldUnresolved, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to Nadia Named, head of grants.', contactIds: [t.demo.respondents.council.contactId] });
    await d.send('caseworker', ids.oldUnresolved, { type: 'RECORD_RESPONSE', summary: 'Nadia Named says notice was given.' });
    await d.send('caseworker', ids.oldUnresolved, { type: 'CLOSE_UNRESOLVED', reason: 'The council would not move; Rita Reporter was told.' });

    for (const n of [1, 2, 3]) ids[`oldExtra${n}`] = await rejected({ respondentId: n === 2 ? t.demo.organisations.leicestershireNhs : t.demo.organisations.harboroughCouncil });
    ids.oldHeld = await rejected();
    ids.recentClosed = await rejected();
    ids.openOld = (await d.file('reporter')).id;
    await d.send('caseworker', ids.openOld, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });

    const old = ['oldRejected', 'oldWithdrawn', 'oldUnresolved', 'oldExtra1', 'oldExtra2', 'oldExtra3', 'oldHeld'].map((k) => ids[k]);
    await q(`UPDATE cases SET submitted_at = now() - interval '8 years', closed_at = now() - interval '7 years' WHERE id = ANY($1)`, [old]);
    await q(`UPDATE cases SET closed_at = now() - interval '1 year' WHERE id = $1`, [ids.recentClosed]);
    await q(`UPDATE cases SET submitted_at = now() - interval '8 years' WHERE id = $1`, [ids.openOld]);
    // No worker runs here: the e-mails are marked sent, as they long would have been.
    await q(`UPDATE notifications SET status = 'sent', sent_at = now() WHERE case_id = ANY($1)`, [old]);
    await t.http.post(`/api/cases/${ids.oldHeld}/legal-hold`).set(caseworker()).send({ reason: 'Proceedings have started; keep everything.' }).expect(201);

    // A reply filed on an old case, one nobody sorted long ago, and one that came in this week.
    await q(`INSERT INTO inbound_mail (message_id, raw, via, status, from_address, subject, case_id, received_at)
             VALUES ('<a@x>', convert_to('From: Rita Reporter <reporter@demo.compact.test>', 'UTF8'), 'smtp', 'filed', 'reporter@demo.compact.test', 'Re: Rita', $1, now() - interval '7 years'),
                    ('<b@x>', convert_to('From: someone', 'UTF8'), 'smtp', 'to_sort', 'someone@example.org', 'Hello', NULL, now() - interval '100 days'),
                    ('<c@x>', convert_to('From: someone', 'UTF8'), 'smtp', 'to_sort', 'someone@example.org', 'Hello again', NULL, now() - interval '2 days')`, [ids.oldRejected]);
    // Sign-in records and audit entries, old and new.
    const r2 = t.demo.users.reporter2.id;
    await q(`INSERT INTO web_sessions (token_hash, user_id, csrf_token, last_seen_at) VALUES ('old-session', $1, 'x', now() - interval '3 years'), ('new-session', $1, 'y', now())`, [r2]);
    await q(`INSERT INTO account_events (user_id, kind, at) VALUES ($1, 'password-changed', now() - interval '3 years'), ($1, 'password-changed', now() - interval '30 months'), ($1, 'password-changed', now())`, [r2]);
    await q(`INSERT INTO sign_in_links (user_id, token_hash, purpose, created_at, expires_at) VALUES ($1, 'old-link', 'requested', now() - interval '3 years', now() - interval '3 years')`, [r2]);
    await q(`INSERT INTO sign_in_throttle (scope, key, failures, last_failure_at) VALUES ('password', 'account:old@example.org', 3, now() - interval '3 years')`);
    await q(`INSERT INTO access_audit (user_id, method, path, status, at) SELECT $1, 'GET', '/api/cases', 200, now() - interval '3 years' FROM generate_series(1, 3)`, [t.demo.users.admin.id]);
    // A document held for a report never sent, ten days old, and one uploaded today.
    const heldFile = join(dataDir, 'held.pdf');
    for (const [age, name] of [['10 days', 'old'], ['0 days', 'new']] as const) {
      writeFileSync(heldFile, '%PDF-1.4\nheld\n%%EOF\n');
      const key = storage.newKey();
      await storage.put(key, heldFile);
      if (name === 'old') heldDocumentKey = key;
      await q(`INSERT INTO evidence (held_for, uploaded_by, uploader_role, file_name, media_type, size_bytes, sha256, storage_key, created_at)
               VALUES ($1, $1, 'reporter', $2, 'application/pdf', 20, 'x', $3, now() - $4::interval)`, [r2, `${name}.pdf`, key, age]);
    }
    // An account made two years ago and never used, and one as old that signed in today.
    await q(`INSERT INTO users (email, display_name, role, organisation_id, password_hash, created_at)
             VALUES ('olive.unused@example.org', 'Olive Unused', 'reporter', $1, '!', now() - interval '2 years'),
                    ('alan.active@example.org', 'Alan Active', 'reporter', $1, '!', now() - interval '2 years')`, [t.demo.organisations.harboroughCarers]);
    await q(`INSERT INTO web_sessions (token_hash, user_id, csrf_token, last_seen_at) SELECT 'alan-session', id, 'z', now() FROM users WHERE email = 'alan.active@example.org'`);

    await t.app.get(StatsRollups).rebuildAll();
    statsBefore = await everyStatistic();
  });
  afterAll(() => t?.close());

  it('the dry run says what the next run will do, per kind, with the first cases, and does nothing', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM cases WHERE anonymised_at IS NOT NULL`);
    plan = await runner.plan();
    const counts = Object.fromEntries(plan.kinds.map((k) => [k.kind, k.count]));
    expect(counts).toEqual({ closedCases: 6, unsentReportDocuments: 1, inboundMail: 1, signInRecords: 5, auditEntries: 3, unusedAccounts: 1 });
    expect(plan.heldCases).toBe(1);
    expect((await q(`SELECT word FROM case_search_words WHERE word LIKE 'zebede%'`)).length).toBe(1);
    expect(plan.firstCases.map((c) => c.id).sort()).toEqual(['oldRejected', 'oldWithdrawn', 'oldUnresolved', 'oldExtra1', 'oldExtra2', 'oldExtra3'].map((k) => ids[k]).sort());
    expect(await q(`SELECT count(*)::int AS n FROM cases WHERE anonymised_at IS NOT NULL`)).toEqual(before);

    const api = await t.http.get('/api/admin/retention/next-run').set(admin()).expect(200);
    expect(api.body.kinds.find((k: { kind: string }) => k.kind === 'closedCases').count).toBe(6);
    expect((await t.http.get('/api/admin/retention/next-run').set(caseworker())).status).toBe(403);
  });

  it('the administrator sees the schedule in words, what the next run will do and the held case, on /admin/retention', async () => {
    const web = new WebClient(t);
    await web.signIn('admin@demo.compact.test');
    const page = await web.get('/admin/retention');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Kept for 6 years after the case closed');
    expect(page.text).toContain('6 closed cases will be anonymised');
    expect(page.text).toContain('1 unused account will be closed and erased');
    expect(page.text).toContain('1 case is old enough but on legal hold');
    expect(page.text).toContain((await q<{ reference: string }>(`SELECT reference FROM cases WHERE id = $1`, [ids.oldHeld]))[0].reference);
    expect(page.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d/);
    const edit = await web.get('/admin/retention/inboundMail');
    expect(edit.status).toBe(200);
    const refused = await web.post('/admin/retention/inboundMail', { count: 'soon', unit: 'days' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('How long it is kept must be a whole number');
    expect((await web.post('/admin/retention/inboundMail', { count: '3', unit: 'months' })).status).toBe(303);
    expect((await web.get('/admin/retention')).text).toContain('Kept for 3 months after they arrived');
    // Back to the default, so the run below does what the dry run above said.
    expect((await web.post('/admin/retention/inboundMail', { count: '90', unit: 'days' })).status).toBe(303);
    expect((await web.get('/admin/retention/nothing')).status).toBe(404);

    const staff = new WebClient(t);
    await staff.signIn('caseworker@demo.compact.test');
    expect((await staff.get('/admin/retention')).status).toBe(403);
    const held = await staff.get(`/cases/${ids.oldHeld}`);
    expect(held.text).toContain('This case is on legal hold');
    expect(held.text).toContain('Proceedings have started; keep everything.');
    const open = await staff.get(`/cases/${ids.openOld}`);
    expect(open.text).toContain('Put this case on legal hold');
    const blank = await staff.post(`/cases/${ids.openOld}/legal-hold`, { reason: ' ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('Enter why the case must be kept');
    expect((await staff.post(`/cases/${ids.openOld}/legal-hold`, { reason: 'A solicitor asked us to keep it.' })).status).toBe(303);
    expect((await staff.get(`/cases/${ids.openOld}`)).text).toContain('A solicitor asked us to keep it.');
    expect((await staff.post(`/cases/${ids.openOld}/legal-hold/lift`, { reason: 'No claim was made.' })).status).toBe(303);
    expect((await staff.get(`/cases/${ids.openOld}`)).text).not.toContain('This case is on legal hold');
    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    const seen = await reporter.get(`/cases/${ids.oldHeld}`);
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('legal hold');
    expect((await reporter.post(`/cases/${ids.oldHeld}/legal-hold/lift`, { reason: 'Let me' })).status).toBe(403);
  });

  it('an interrupted run keeps what its finished batches did, rolls back the one cut short, and resumes to the same result', async () => {
    // Signing in above lets the service prune its own old sign-in counts: the dry run is taken again just before the run.
    plan = await runner.plan();
    let closedBatches = 0;
    await expect(
      runner.run({
        batchSize: 2,
        duringBatch: async (kind) => {
          if (kind === 'closedCases' && ++closedBatches === 2) throw new Error('worker killed mid-batch');
        },
      }),
    ).rejects.toThrow('worker killed mid-batch');
    const [open] = await q<{ counts: Record<string, number>; finished_at: Date | null }>(`SELECT counts, finished_at FROM retention_runs`);
    expect(open.finished_at).toBeNull();
    expect(open.counts.closedCases).toBe(2);
    expect(await q(`SELECT count(*)::int AS n FROM cases WHERE anonymised_at IS NOT NULL`)).toEqual([{ n: 2 }]);

    // A worker that died holding the run: nobody else takes it over while its lease lasts...
    await q(`UPDATE retention_runs SET lease_until = now() + interval '5 minutes'`);
    expect(await runner.run({ batchSize: 2 })).toBeNull();
    // ...and once the lease has run out, the next worker resumes it.
    await q(`UPDATE retention_runs SET lease_until = now() - interval '1 second'`);
    const done = await runner.run({ batchSize: 2 });
    expect(done?.finishedAt).toBeTruthy();
    expect(done?.counts).toEqual(Object.fromEntries(plan.kinds.map((k) => [k.kind, k.count])));
    expect(await q(`SELECT count(*)::int AS n FROM retention_runs`)).toEqual([{ n: 1 }]);
  });

  it('leaves every statistics grouping as it was, from the rollups and rebuilt from scratch', async () => {
    expect(await everyStatistic()).toEqual(statsBefore);
    await t.app.get(StatsRollups).rebuildAll();
    expect(await everyStatistic()).toEqual(statsBefore);
  });

  it('anonymises the old closed cases: no name, address or words anyone wrote, documents deleted, the records kept', async () => {
    const [c] = await q<Record<string, unknown>>(
      `SELECT c.title, c.what_happened, c.impact, c.search::text AS search, u.display_name AS reporter, u.email, c.outcome, c.stage, c.respondent_organisation_id
         FROM cases c JOIN users u ON u.id = c.reported_by WHERE c.id = $1`,
      [ids.oldRejected],
    );
    expect(c).toMatchObject({ title: REMOVED_TEXT, what_happened: REMOVED_TEXT, impact: REMOVED_TEXT, reporter: 'Former reporter', outcome: 'rejected', stage: 'closed', respondent_organisation_id: t.demo.organisations.harboroughCouncil });
    expect(JSON.stringify(c)).not.toMatch(/rita|reporter@demo/i);
    for (const key of ['oldRejected', 'oldWithdrawn', 'oldUnresolved']) {
      const everything = await q<{ text: string }>(
        `SELECT concat_ws(' ', (SELECT string_agg(payload::text || coalesce(u.display_name, ''), ' ') FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = $1),
                             (SELECT string_agg(body, ' ') FROM case_notes WHERE case_id = $1),
                             (SELECT string_agg(file_name || coalesce(description, ''), ' ') FROM evidence WHERE case_id = $1),
                             (SELECT string_agg(recipient_email || recipient_name || data::text, ' ') FROM notifications WHERE case_id = $1),
                             (SELECT string_agg(coalesce(from_address, '') || subject || convert_from(raw, 'UTF8'), ' ') FROM inbound_mail WHERE case_id = $1),
                             (SELECT snapshot::text FROM cases WHERE id = $1)) AS text`,
        [key === 'oldRejected' ? ids.oldRejected : ids[key]],
      );
      expect(everything[0].text).not.toMatch(/rita|nadia|reporter@demo|harborough\.test|Former recipient@/i);
    }
    expect(await q(`SELECT count(*)::int AS n FROM case_contacts WHERE case_id = $1`, [ids.oldUnresolved])).toEqual([{ n: 0 }]);
    // The search's word list forgets a word no case holds any more.
    expect(await q(`SELECT word FROM case_search_words WHERE word LIKE 'zebede%'`)).toEqual([]);
    const [file] = await q<{ file_name: string; file_removed_at: Date | null }>(`SELECT file_name, file_removed_at FROM evidence WHERE case_id = $1`, [ids.oldRejected]);
    expect(file.file_name).toBe(REMOVED_FILE_NAME);
    expect(file.file_removed_at).not.toBeNull();
    expect(existsSync(join(dataDir, 'evidence', evidenceKey.slice(0, 2), evidenceKey))).toBe(false);
    expect(await q(`SELECT count(*)::int AS n FROM retention_file_removals`)).toEqual([{ n: 0 }]);
    // The history is still there, event for event, with its states and times.
    const events = await q<{ n: number }>(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [ids.oldUnresolved]);
    expect(events[0].n).toBeGreaterThanOrEqual(6);

    // The pages and the API still show an anonymised case, to staff and to the reporting organisation.
    for (const who of ['caseworker', 'reporter', 'admin'] as const) {
      const res = await d.get(who, ids.oldUnresolved);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/rita|nadia/i);
      expect((await t.http.get(`/api/cases/${ids.oldUnresolved}/timeline`).set(d.auth(who))).status).toBe(200);
    }
    expect((await t.http.get(`/api/cases/${ids.oldRejected}/evidence/${(await q<{ id: string }>(`SELECT id FROM evidence WHERE case_id = $1`, [ids.oldRejected]))[0].id}`).set(caseworker())).status).toBe(404);
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    for (const key of ['oldRejected', 'oldUnresolved', 'oldWithdrawn']) {
      const page = await web.get(`/cases/${ids[key]}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(REMOVED_TEXT);
      expect(page.text).not.toMatch(/Rita|Nadia/);
    }
  });

  it('keeps what the schedule does not yet reach: the held case, the recently closed and the open cases, new records', async () => {
    const kept = await q<{ id: string; title: string; anonymised_at: Date | null }>(`SELECT id, title, anonymised_at FROM cases WHERE id = ANY($1)`, [[ids.oldHeld, ids.recentClosed, ids.openOld]]);
    expect(kept).toHaveLength(3);
    for (const c of kept) expect(c).toMatchObject({ title: 'Grant ended with two weeks notice', anonymised_at: null });
    expect(await q(`SELECT subject FROM inbound_mail WHERE case_id IS NULL`)).toEqual([{ subject: 'Hello again' }]);
    expect(await q(`SELECT token_hash FROM web_sessions WHERE token_hash IN ('old-session', 'new-session', 'alan-session') ORDER BY 1`)).toEqual([{ token_hash: 'alan-session' }, { token_hash: 'new-session' }]);
    expect(await q(`SELECT count(*)::int AS n FROM access_audit WHERE at < now() - interval '2 years'`)).toEqual([{ n: 0 }]);
    expect(await q(`SELECT file_name FROM evidence WHERE case_id IS NULL`)).toEqual([{ file_name: 'new.pdf' }]);
    expect(existsSync(join(dataDir, 'evidence', heldDocumentKey.slice(0, 2), heldDocumentKey))).toBe(false);
    const accounts = await q<{ email: string; display_name: string; active: boolean }>(
      `SELECT email, display_name, active FROM users WHERE created_at < now() - interval '1 year' ORDER BY display_name`,
    );
    expect(accounts).toEqual([
      { email: 'alan.active@example.org', display_name: 'Alan Active', active: true },
      expect.objectContaining({ display_name: 'Former reporter', active: false }),
    ]);
    expect(accounts[1].email).not.toContain('olive');
  });

  it('a second run finds nothing to do and changes nothing', async () => {
    const fingerprint = () =>
      q(`SELECT md5(string_agg(c::text, '' ORDER BY c.id)) AS cases, (SELECT md5(string_agg(e::text, '' ORDER BY e.id)) FROM case_events e) AS events,
                (SELECT md5(string_agg(u::text, '' ORDER BY u.id)) FROM users u) AS users FROM cases c`);
    const before = await fingerprint();
    expect((await runner.plan()).kinds.every((k) => k.count === 0)).toBe(true);
    const again = await runner.run();
    expect(Object.values(again!.counts).every((n) => n === 0)).toBe(true);
    expect(await fingerprint()).toEqual(before);
    expect(await everyStatistic()).toEqual(statsBefore);
  });

  it('a lifted hold lets the next run anonymise the case; holds are for caseworkers and administrators, with a reason', async () => {
    const hold = `/api/cases/${ids.oldHeld}/legal-hold`;
    expect((await t.http.post(hold).set(caseworker()).send({ reason: 'Again' })).status).toBe(409);
    const blank = await t.http.post(`${hold}/lift`).set(caseworker()).send({ reason: '  ' });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('reason');
    expect((await t.http.get(hold).set(d.auth('reporter'))).status).toBe(403);
    expect((await t.http.get(hold).set(d.auth('mediator'))).status).toBe(404);
    expect((await t.http.get(`/api/cases/00000000-0000-4000-8000-000000000000/legal-hold`).set(caseworker())).status).toBe(404);
    const lifted = await t.http.post(`${hold}/lift`).set(d.auth('admin')).send({ reason: 'The proceedings ended.' }).expect(200);
    expect(lifted.body).toMatchObject({ onHold: false, history: [expect.objectContaining({ liftedBy: 'Ada Administrator', liftReason: 'The proceedings ended.' })] });
    expect((await t.http.post(`${hold}/lift`).set(caseworker()).send({ reason: 'Again' })).status).toBe(409);

    const next = await runner.plan();
    expect(next.kinds.find((k) => k.kind === 'closedCases')?.count).toBe(1);
    expect(next.heldCases).toBe(0);
    const run = await runner.run();
    expect(run?.counts.closedCases).toBe(1);
    expect(await q(`SELECT title FROM cases WHERE id = $1`, [ids.oldHeld])).toEqual([{ title: REMOVED_TEXT }]);
    expect(await everyStatistic()).toEqual(statsBefore);
  });

  it('keeps the event log append-only outside an anonymisation, and never lets one change what happened or delete', async () => {
    const [e] = await q<{ id: string }>(`SELECT id FROM case_events WHERE case_id = $1 ORDER BY seq LIMIT 1`, [ids.recentClosed]);
    await expect(q(`UPDATE case_events SET payload = '{}' WHERE id = $1`, [e.id])).rejects.toThrow(/append-only/);
    const runner2 = t.db.createQueryRunner();
    await runner2.connect();
    try {
      for (const statement of [`UPDATE case_events SET to_state = 'closed' WHERE id = $1`, `DELETE FROM case_events WHERE id = $1`]) {
        await runner2.startTransaction();
        await runner2.query(`SET LOCAL cc.anonymising = 'on'`);
        await expect(runner2.query(statement, [e.id])).rejects.toThrow(/append-only/);
        await runner2.rollbackTransaction();
      }
      // The setting ends with its transaction: the next one on the same connection is refused again.
      await runner2.startTransaction();
      await runner2.query(`SET LOCAL cc.anonymising = 'on'`);
      await runner2.query(`UPDATE case_events SET payload = payload WHERE id = $1`, [e.id]);
      await runner2.commitTransaction();
      await expect(runner2.query(`UPDATE case_events SET payload = payload WHERE id = $1`, [e.id])).rejects.toThrow(/append-only/);
    } finally {
      await runner2.release();
    }
  });

  it('the schedule is kept by administrators: periods checked, words given, the API refuses others', async () => {
    const shown = await t.http.get('/api/admin/retention').set(admin()).expect(200);
    expect(shown.body.schedule.map((p: { kind: string; words: string }) => [p.kind, p.words])).toEqual([
      ['unsentReportDocuments', '7 days'],
      ['inboundMail', '90 days'],
      ['signInRecords', '2 years'],
      ['auditEntries', '2 years'],
      ['closedCases', '6 years'],
      ['unusedAccounts', '1 year'],
    ]);
    expect(shown.body.runs.length).toBeGreaterThanOrEqual(3);
    const zero = await t.http.put('/api/admin/retention/closedCases').set(admin()).send({ count: 0, unit: 'months' });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain('count');
    const unit = await t.http.put('/api/admin/retention/closedCases').set(admin()).send({ count: 3, unit: 'weeks' });
    expect(unit.status).toBe(400);
    expect(JSON.stringify(unit.body)).toContain('unit');
    expect((await t.http.put('/api/admin/retention/everything').set(admin()).send({ count: 3, unit: 'days' })).status).toBe(404);
    expect((await t.http.put('/api/admin/retention/closedCases').set(caseworker()).send({ count: 3, unit: 'days' })).status).toBe(403);
    const saved = await t.http.put('/api/admin/retention/closedCases').set(admin()).send({ count: 84, unit: 'months' }).expect(200);
    expect(saved.body).toMatchObject({ kind: 'closedCases', count: 84, unit: 'months', updatedBy: 'Ada Administrator' });
  });
});

function withoutAsOf(value: object): object {
  const { asOf: _asOf, ...rest } = value as Record<string, unknown>;
  return rest;
}
