import { hashPassword } from '@cc/identity';
import { ListCases, parseCaseSearch } from '@cc/cases';
import { CaseDriver } from './support/case-driver';
import { TestApp, sampleReport, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * Case search, over the API and the /cases page: by number in every way people write one, by the
 * reporting organisation's and public body's names (whole or the start of a word), by the
 * reporter's name or e-mail for staff only, and never past what the caller may see.
 */
describe('case search (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  /** Rita (Riverside Community Foodbank) against Harborough District Council. */
  let rita: { id: string; reference: string };
  /** Colin (Harborough Carers Support) against Leicestershire Police. */
  let colin: { id: string; reference: string };
  /** Priya, a second reporter at Riverside, against the NHS. */
  let priya: { id: string; reference: string };
  let priyaToken: string;

  const PRIYA = { email: 'priya.patel@riverside.example', name: 'Priya Patel' };

  async function search(who: keyof TestApp['tokens'] | string, text: string): Promise<string[]> {
    const auth = who in t.tokens ? d.auth(who as keyof TestApp['tokens']) : { Authorization: `Bearer ${who}` };
    const res = await t.http.get('/api/cases').query({ text, limit: 100 }).set(auth);
    expect(res.status).toBe(200);
    return res.body.items.map((c: { reference: string }) => c.reference);
  }

  beforeAll(async () => {
    t = await startTestApp('case-search');
    d = new CaseDriver(t);
    rita = await d.file('reporter', { title: 'Grant ended with two weeks notice' });
    colin = await d.file('reporter2', { respondentId: t.demo.organisations.leicestershirePolice, title: 'Volunteers turned away from the station' });
    await t.db.query(`INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES ($1, $2, 'reporter', $3, $4)`, [
      PRIYA.email,
      PRIYA.name,
      t.demo.organisations.riversideFoodbank,
      await hashPassword('priya-password'),
    ]);
    priyaToken = (await t.http.post('/api/auth/login').send({ email: PRIYA.email, password: 'priya-password' }).expect(200)).body.token;
    const res = await t.http
      .post('/api/cases')
      .set({ Authorization: `Bearer ${priyaToken}` })
      .send(sampleReport(t.demo, { respondentId: t.demo.organisations.leicestershireNhs, title: 'Consultation on day services lasted a week' }));
    expect(res.status).toBe(201);
    priya = res.body;
  });
  afterAll(() => t?.close());

  it('reads a case number in every way people write one', () => {
    expect(parseCaseSearch('CB-2026-00002')).toEqual({ kind: 'reference', year: '2026', number: '2' });
    expect(parseCaseSearch(' cb-2026-4 ')).toEqual({ kind: 'reference', year: '2026', number: '4' });
    expect(parseCaseSearch('2026/00004')).toEqual({ kind: 'reference', year: '2026', number: '4' });
    expect(parseCaseSearch('00002')).toEqual({ kind: 'reference', number: '2' });
    expect(parseCaseSearch('CB 12')).toEqual({ kind: 'reference', number: '12' });
    expect(parseCaseSearch('CB-2026')).toEqual({ kind: 'year', year: '2026' });
    expect(parseCaseSearch('Rita.Reporter@demo.compact.test')).toEqual({ kind: 'words', words: ['rita', 'reporter', 'demo', 'compact', 'test'] });
    expect(parseCaseSearch("O'Brien Trust")).toEqual({ kind: 'words', words: ['o', 'brien', 'trust'] });
  });

  it('finds a case by its number with or without the prefix and the zeros', async () => {
    const [, year, padded] = /^CB-(\d{4})-(\d+)$/.exec(rita.reference)!;
    const n = String(Number(padded));
    for (const text of [rita.reference, rita.reference.toLowerCase(), `cb-${year}-${n}`, `${year}-${n}`, padded, n, `CB ${year} ${padded}`]) {
      expect({ text, found: await search('caseworker', text) }).toEqual({ text, found: [rita.reference] });
    }
    expect(await search('caseworker', `CB-${year}`)).toEqual([priya.reference, colin.reference, rita.reference]);
    expect(await search('caseworker', `CB-${Number(year) + 1}-${n}`)).toEqual([]);
  });

  it("finds cases by the reporting organisation's and the public body's names, whole or by the start of each word", async () => {
    expect(await search('caseworker', 'Riverside Community Foodbank')).toEqual([priya.reference, rita.reference]);
    expect(await search('caseworker', 'riverside')).toEqual([priya.reference, rita.reference]);
    expect(await search('caseworker', 'Harborough District Council')).toEqual([rita.reference]);
    // The start of a word: "Harboro" finds the council (respondent) and the carers (reporting).
    expect(await search('caseworker', 'harboro')).toEqual([colin.reference, rita.reference]);
    expect(await search('caseworker', 'Leicestershire Pol')).toEqual([colin.reference]);
    expect(await search('caseworker', 'leicester')).toEqual([priya.reference, colin.reference]);
    // Words may come from different fields, and English stop words are left out.
    expect(await search('caseworker', 'notice of the council')).toEqual([rita.reference]);
    expect(await search('caseworker', 'volunteers police')).toEqual([colin.reference]);
    expect(await search('caseworker', 'consultations')).toEqual([priya.reference]);
    expect(await search('caseworker', 'Westshire')).toEqual([]);
    expect(await search('caseworker', '!!!')).toEqual([]);
  });

  it("lets staff find cases by the reporter's name or e-mail", async () => {
    for (const who of ['caseworker', 'admin'] as const) {
      expect(await search(who, 'Rita Reporter')).toEqual([rita.reference]);
      expect(await search(who, 'rita')).toEqual([rita.reference]);
      expect(await search(who, 'reporter@demo.compact.test')).toEqual([rita.reference]);
      expect(await search(who, 'carers@demo.compact.test')).toEqual([colin.reference]);
      expect(await search(who, 'Priya')).toEqual([priya.reference]);
      expect(await search(who, 'priya.patel@riverside.example')).toEqual([priya.reference]);
    }
  });

  it("never lets a reporter match on people's names or e-mails, nor find another organisation's case", async () => {
    // Priya's case is Rita's organisation's, so Rita sees it, but not by Priya's name or e-mail.
    expect(await search('reporter', 'Consultation')).toEqual([priya.reference]);
    expect(await search('reporter', 'Priya')).toEqual([]);
    expect(await search('reporter', 'priya.patel@riverside.example')).toEqual([]);
    expect(await search('reporter', 'Rita')).toEqual([]);
    expect(await search(priyaToken, 'Rita Reporter')).toEqual([]);
    expect(await search(priyaToken, 'reporter@demo.compact.test')).toEqual([]);
    // Their own organisation's cases only, however they search.
    expect(await search('reporter', colin.reference)).toEqual([]);
    expect(await search('reporter', 'Leicestershire Police')).toEqual([]);
    expect(await search('reporter', 'Harborough')).toEqual([rita.reference]);
    expect(await search('reporter2', rita.reference)).toEqual([]);
    expect(await search('reporter2', 'Riverside')).toEqual([]);
    expect(await search('reporter2', 'Colin')).toEqual([]);
    expect(await search('reporter2', 'carers')).toEqual([colin.reference]);
    // A mediator sees only the cases they mediate, and not by the reporter's name.
    expect(await search('mediator', rita.reference)).toEqual([]);
    expect(await search('mediator', 'Rita')).toEqual([]);
  });

  it('follows renames: of a public body and of a reporter', async () => {
    await t.db.query(`UPDATE organisations SET name = 'Leicestershire Constabulary' WHERE id = $1`, [t.demo.organisations.leicestershirePolice]);
    expect(await search('caseworker', 'constabulary')).toEqual([colin.reference]);
    expect(await search('caseworker', 'Leicestershire Police')).toEqual([]);
    await t.db.query(`UPDATE organisations SET name = 'Leicestershire Police' WHERE id = $1`, [t.demo.organisations.leicestershirePolice]);
    await t.db.query(`UPDATE users SET display_name = 'Priya Shah', email = 'priya.shah@riverside.example' WHERE email = $1`, [PRIYA.email]);
    expect(await search('caseworker', 'Priya Shah')).toEqual([priya.reference]);
    expect(await search('caseworker', 'priya.shah@riverside.example')).toEqual([priya.reference]);
    expect(await search('caseworker', 'Patel')).toEqual([]);
  });

  it('offers the search box on /cases to reporters and staff, with the search kept and no matches said plainly', async () => {
    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    const page = await reporter.get(`/cases?q=${encodeURIComponent(rita.reference.toLowerCase())}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label class="govuk-label govuk-label--s" for="q">');
    expect(page.text).toMatch(/id="q" name="q" type="search"[^>]*value="cb-/);
    expect(page.text).toContain(`>${rita.reference}</a>`);
    expect(page.text).not.toContain(`>${priya.reference}</a>`);
    const byName = await reporter.get('/cases?q=Priya');
    expect(byName.text).toContain('No cases match <strong>Priya</strong>');
    expect(byName.text).not.toContain(priya.reference);
    // Reporters get the search box only, not the staff filters.
    expect(page.text).not.toContain('id="assigneeId"');

    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    const staff = await caseworker.get('/cases?q=Priya');
    expect(staff.text).toContain(`>${priya.reference}</a>`);
    expect(staff.text).not.toContain(`>${rita.reference}</a>`);
    const filtered = await caseworker.get(`/cases?q=riverside&respondentId=${t.demo.organisations.leicestershireNhs}`);
    expect(filtered.text).toContain(`>${priya.reference}</a>`);
    expect(filtered.text).not.toContain(`>${rita.reference}</a>`);
    const tooLong = await caseworker.get(`/cases?q=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Search for 200 characters or fewer');
  });

  it('offers staff the states and public bodies cases have reached, in order, and the active caseworkers', async () => {
    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    const page = await caseworker.get('/cases');
    expect(page.status).toBe(200);
    const options = (select: string) => {
      const html = page.text.slice(page.text.indexOf(`id="${select}"`), page.text.indexOf('</select>', page.text.indexOf(`id="${select}"`)));
      return [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter((v) => v !== '' && v !== 'none');
    };
    // What SELECT DISTINCT over every case gives, which the page finds one index probe per value.
    const states = (await t.db.query(`SELECT DISTINCT state FROM cases ORDER BY state`)) as Array<{ state: string }>;
    const bodies = (await t.db.query(
      `SELECT DISTINCT o.id, o.name FROM cases c JOIN organisations o ON o.id = c.respondent_organisation_id ORDER BY o.name, o.id`,
    )) as Array<{ id: string }>;
    const caseworkers = (await t.db.query(`SELECT id FROM users WHERE role = 'caseworker' AND active ORDER BY display_name`)) as Array<{ id: string }>;
    expect(bodies.length).toBeGreaterThan(1);
    expect(options('state')).toEqual(states.map((s) => s.state));
    expect(options('respondentId')).toEqual(bodies.map((b) => b.id));
    expect(options('assigneeId')).toEqual(caseworkers.map((c) => c.id));
  });

  it('stays right past the newest 5,000 cases: a rare match found through the index, pages of a common one in order', async () => {
    // 5,200 newer cases from the carers against the NHS, so every earlier case is older than them.
    await t.db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, commitment_ids, reported_by, title, what_happened, happened_on, impact, desired_outcome, facts, triage_hints,
         submitted_at, updated_at)
       SELECT 'CB-2099-' || lpad(n::text, 5, '0'), machine_version, snapshot, state, stage, version, $2, $3,
              compact_id, commitments, commitment_ids, $4, 'Filler case ' || n, what_happened, happened_on, impact, desired_outcome, facts, triage_hints,
              now() + n * interval '1 second', now() + n * interval '1 second'
         FROM cases, generate_series(1, 5200) AS n WHERE id = $1`,
      [colin.id, t.demo.organisations.harboroughCarers, t.demo.organisations.leicestershireNhs, t.demo.users.reporter2.id],
    );
    expect(await search('caseworker', 'Harborough District Council')).toEqual([rita.reference]);
    expect(await search('caseworker', 'Rita Reporter')).toEqual([rita.reference]);
    expect(await search('reporter', 'Consultation')).toEqual([priya.reference]);

    const page = async (cursor?: string) =>
      (await t.http.get('/api/cases').query({ text: 'NHS Leicester', limit: 100, ...(cursor ? { cursor } : {}) }).set(d.auth('caseworker')).expect(200)).body as {
        items: Array<{ reference: string; submittedAt: string }>;
        nextCursor: string | null;
      };
    const first = await page();
    const second = await page(first.nextCursor!);
    expect(first.items.map((c) => c.reference).slice(0, 2)).toEqual(['CB-2099-05200', 'CB-2099-05199']);
    expect(second.items[0].reference).toBe('CB-2099-05100');
    expect(second.items.some((c) => first.items.some((f) => f.reference === c.reference))).toBe(false);
    // Deep in the list, past every filler, the older matches come in order.
    let cursor: string | null = first.nextCursor;
    const seen: string[] = [];
    while (cursor) {
      const next = await page(cursor);
      seen.push(...next.items.map((c) => c.reference));
      cursor = next.nextCursor;
    }
    expect(seen[seen.length - 1]).toBe(priya.reference);
    expect(seen).not.toContain(colin.reference);
    expect(new Set(seen).size).toBe(5200 + 1 - 100);
  });

  it("tells a reporter which of their cases wait on them, and by when; nobody else gets the field", async () => {
    const waiting = await d.file('reporter', { title: 'Waiting on our answers' });
    await d.send('caseworker', waiting.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', waiting.id, { type: 'REQUEST_INFO', questions: 'Which grant was it?' });
    const fee = await d.toAdvocacyReview();
    await d.send('caseworker', fee, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', fee, { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
    const mine = async () =>
      new Map(
        ((await t.http.get('/api/cases').query({ limit: 100 }).set(d.auth('reporter')).expect(200)).body.items as Array<{ id: string; actionNeeded: unknown }>).map((c) => [
          c.id,
          c.actionNeeded,
        ]),
      );
    const before = await mine();
    expect(before.get(waiting.id)).toEqual({ action: 'answerQuestions', dueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(before.get(fee)).toEqual({ action: 'agreeFee', dueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    expect(before.get(rita.id)).toBeNull();
    // Once the reporter has agreed the fee, it waits on the public body, not on them.
    await d.send('reporter', fee, { type: 'AGREE_FEE', party: 'reporter' });
    expect((await mine()).get(fee)).toBeNull();
    const staff = (await t.http.get('/api/cases').set(d.auth('caseworker')).expect(200)).body.items as Array<Record<string, unknown>>;
    expect(staff.every((c) => !('actionNeeded' in c))).toBe(true);
    // The page says it in words, with the date.
    const web = new WebClient(t);
    await web.signIn('reporter@demo.compact.test');
    const page = await web.get('/cases');
    expect(page.text).toMatch(/Action needed\s*<\/strong>\s*<span class="govuk-body-s app-action-needed__what">Answer our questions by \d{1,2} [A-Z][a-z]+ \d{4}<\/span>/);
  });
  it('reads several lists in one statement exactly as it reads each alone (the triage queue)', async () => {
    const lists = t.app.get(ListCases);
    for (let i = 0; i < 4; i++) await d.file();
    const mine = await d.file();
    await d.send('caseworker', mine.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const caseworker = { userId: t.demo.users.caseworker.id, role: 'caseworker' as const, organisationId: null };
    const queries = [
      { stage: 'submitted', order: 'oldest' as const, limit: 3 },
      { stage: 'triage', assigneeId: 'none', order: 'oldest' as const, limit: 3 },
      { stage: 'triage', assigneeId: t.demo.users.caseworker.id, order: 'oldest' as const, limit: 3 },
      { limit: 2 },
    ];
    const together = await lists.executeEach(caseworker, queries);
    const alone = await Promise.all(queries.map((q) => lists.execute(caseworker, q)));
    expect(together).toEqual(alone);
    expect(together[0].items).toHaveLength(3);
    expect(together[0].nextCursor).not.toBeNull();
    expect(together[2].items.map((c) => c.id)).toContain(mine.id);
    expect(together[3].items).toHaveLength(2);
  });
});
