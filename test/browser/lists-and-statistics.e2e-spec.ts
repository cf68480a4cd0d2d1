import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * The lists and the statistics in a real browser, as each kind of user sees them: the reporter's
 * case list (with the "action needed" tag) and its search, the caseworker's triage queue,
 * deadlines and case search, the mediator's list, the administrator's, the statistics (staff and
 * public), the workflow page and sign-in. Every page is checked at desktop width and at 375 px:
 * axe at every impact and nothing wider than the phone, and every label on it is clicked to see
 * that it reaches its own field.
 */
describe('browser: case lists, search and statistics at desktop and phone width', () => {
  let b: BrowserApp;
  let reporter: Person;
  let caseworker: Person;
  let mediator: Person;
  let admin: Person;
  const tokens: Record<string, string> = {};
  const cases: Record<'questions' | 'fee' | 'carers' | 'mediated', { id: string; reference: string }> = {} as never;
  const visited: string[] = [];
  let shot = 300;

  async function api(who: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ id: string; reference: string }> {
    const res = await fetch(`${b.baseUrl}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string; reference: string };
    if (res.status >= 300) throw new Error(`${method} ${path} as ${who}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  const send = (who: string, id: string, event: Record<string, unknown>) => api(who, 'POST', `/cases/${id}/events`, event);
  const file = (who: string, overrides: Record<string, unknown> = {}) => api(who, 'POST', '/cases', sampleReport(b.demo, overrides));

  beforeAll(async () => {
    b = await startBrowserApp('browser-lists');
    for (const [key, email] of [
      ['reporter', 'reporter@demo.compact.test'],
      ['reporter2', 'carers@demo.compact.test'],
      ['caseworker', 'caseworker@demo.compact.test'],
      ['admin', 'admin@demo.compact.test'],
    ]) {
      tokens[key] = await b.apiToken(email);
    }
    const cw = b.demo.users.caseworker.id;
    // Waiting on the reporter's answers.
    cases.questions = await file('reporter', { title: 'Youth club grant cut without warning' });
    await send('caseworker', cases.questions.id, { type: 'ASSIGN', caseworkerId: cw });
    await send('caseworker', cases.questions.id, { type: 'REQUEST_INFO', questions: 'When did the council first tell you, and in writing?' });
    // A quoted fee waiting for the reporter's agreement.
    cases.fee = await file('reporter', { title: 'Consultation on day centres lasted two weeks' });
    for (const event of [
      { type: 'ASSIGN', caseworkerId: cw },
      { type: 'ACCEPT' },
      { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.' },
      { type: 'RECORD_RESPONSE', summary: 'The council will not extend it.' },
      { type: 'REFER_TO_MEDIATION' },
      { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 },
    ]) {
      await send('caseworker', cases.fee.id, event);
    }
    // Another organisation's case, new in the triage queue.
    cases.carers = await file('reporter2', { respondentId: b.demo.organisations.leicestershirePolice, title: 'Carers group refused a room at the station' });
    // A case the mediator is appointed to.
    cases.mediated = await file('reporter', { title: 'Funding ended mid-year for the lunch club' });
    for (const event of [
      { type: 'ASSIGN', caseworkerId: cw },
      { type: 'ACCEPT' },
      { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.' },
      { type: 'RECORD_RESPONSE', summary: 'No change.' },
      { type: 'REFER_TO_MEDIATION' },
    ]) {
      await send('caseworker', cases.mediated.id, event);
    }
    await send('admin', cases.mediated.id, { type: 'WAIVE_FEE', reason: 'A small group with no reserves.' });
    await send('caseworker', cases.mediated.id, { type: 'APPOINT_MEDIATOR', mediatorId: b.demo.users.mediator.id });
    // Enough cases against the police and the NHS for the public figures to show a group.
    for (let i = 0; i < 5; i++) {
      await file('reporter2', { respondentId: b.demo.organisations.leicestershirePolice, title: `Room refused at short notice ${i + 1}` });
      await file('reporter2', { respondentId: b.demo.organisations.leicestershireNhs, title: `Grant ended with short notice ${i + 1}` });
    }

    reporter = await b.personAs('reporter@demo.compact.test');
    caseworker = await b.personAs('caseworker@demo.compact.test');
    mediator = await b.personAs('mediator@demo.compact.test');
    admin = await b.personAs('admin@demo.compact.test');
  }, 120_000);
  afterAll(() => b?.close());

  /**
   * Every check on the page as it is, at desktop width and at 375 px: axe (every impact), the
   * width, and each label in the main content clicked to see that it reaches its own field.
   */
  async function check(page: Page, name: string): Promise<string[]> {
    const found: string[] = [];
    visited.push(new URL(page.url()).pathname + new URL(page.url()).search);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      found.push(...(await pageProblems(page)).map((p) => `${width} px: ${p}`));
      found.push(...(await labelProblems(page)).map((p) => `${width} px: ${p}`));
      await screenshot(page, `${shot++}-${name}-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    return found;
  }

  /** Clicks each visible label in the main content and checks its own field takes the focus (or is ticked). */
  async function labelProblems(page: Page): Promise<string[]> {
    const problems: string[] = [];
    const labels = page.locator('main label[for]');
    for (let i = 0; i < (await labels.count()); i++) {
      const label = labels.nth(i);
      if (!(await label.isVisible())) continue;
      const target = await label.getAttribute('for');
      const kind = await page.evaluate(`document.getElementById(${JSON.stringify(target)})?.type ?? null`);
      if (kind === null) {
        problems.push(`${page.url()}: the label "${(await label.innerText()).trim()}" is for #${target}, which is not on the page`);
        continue;
      }
      if (kind === 'checkbox' || kind === 'radio') continue;
      await label.click();
      const focused = await page.evaluate('document.activeElement && document.activeElement.id');
      if (focused !== target) problems.push(`${page.url()}: clicking the label "${(await label.innerText()).trim()}" focused #${focused}, not #${target}`);
    }
    return problems;
  }

  /**
   * Chart texts axe could not measure: it reports text in an SVG as "needs review" (not as a
   * violation) when it cannot find the background, so that is checked here on its own.
   */
  async function unmeasuredChartText(page: Page): Promise<string[]> {
    const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
    return [...results.incomplete, ...results.violations]
      .flatMap((r) => r.nodes)
      .map((n) => n.target.join(' '))
      .filter((target) => target.startsWith('#chart-'));
  }

  it('the reporter sees which cases wait on them and by when, and finds a case by number and by name', async () => {
    const page = reporter.page;
    await page.goto('/cases');
    const problems = await check(page, 'reporter-cases');
    const row = (reference: string) => page.locator('#cases-table tr', { has: page.getByRole('link', { name: reference, exact: true }) });
    const questions = await row(cases.questions.reference).innerText();
    expect(questions).toContain('Action needed');
    expect(questions).toMatch(/Answer our questions by \d{1,2} [A-Z][a-z]+ \d{4}/);
    const fee = await row(cases.fee.reference).innerText();
    expect(fee).toContain('Action needed');
    expect(fee).toMatch(/Agree or decline the mediation fee by \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(await row(cases.mediated.reference).innerText()).not.toContain('Action needed');
    // No codes, ids or ISO times in the list.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}T|awaitingInformation|feeAgreement|_/);

    // By number, the way people write it: lower case, no zeros.
    const [, year, number] = /^CB-(\d{4})-0*(\d+)$/.exec(cases.fee.reference)!;
    await page.getByLabel('Search cases').fill(`cb-${year}-${number}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.locator('#cases-table').innerText()).toContain(cases.fee.reference);
    expect(await page.locator('#cases-table tbody tr').count()).toBe(1);
    problems.push(...(await check(page, 'reporter-search-number')));
    // By the public body's name, in part; never another organisation's case.
    await page.getByLabel('Search cases').fill('harboro');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const found = await page.locator('#cases-table').innerText();
    expect(found).toContain(cases.questions.reference);
    expect(found).not.toContain(cases.carers.reference);
    // Not by a person's name.
    await page.getByLabel('Search cases').fill('Rita Reporter');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.locator('#no-cases').innerText()).toContain('No cases match');
    problems.push(...(await check(page, 'reporter-search-none')));
    await page.goto('/statistics/public');
    problems.push(...(await check(page, 'reporter-statistics')));
    expect(problems).toEqual([]);
  });

  it('the caseworker works the triage queue and deadlines, and searches by number, name and e-mail', async () => {
    const page = caseworker.page;
    const problems: string[] = [];
    await page.goto('/triage');
    expect(await page.locator('main').innerText()).toContain(cases.carers.reference);
    problems.push(...(await check(page, 'caseworker-triage')));
    for (const due of ['?due=overdue', '?due=today', '?due=week']) {
      await page.goto(`/deadlines${due}`);
      problems.push(...(await check(page, `caseworker-deadlines${due.replace(/\W+/g, '-')}`)));
    }
    await page.goto('/cases');
    problems.push(...(await check(page, 'caseworker-cases')));
    const [, , padded] = /^CB-(\d{4})-(\d+)$/.exec(cases.carers.reference)!;
    for (const [text, expected] of [
      [padded, cases.carers.reference],
      ['Carers Support', cases.carers.reference],
      ['carers@demo.compact.test', cases.carers.reference],
      ['Leicestershire Pol', cases.carers.reference],
    ]) {
      await page.getByLabel('Search cases').fill(text);
      await page.getByRole('button', { name: 'Search and filter' }).click();
      expect({ text, found: await page.locator('#cases-table').innerText() }).toEqual({ text, found: expect.stringContaining(expected) });
    }
    await page.getByLabel('Stage').selectOption({ label: 'Submitted' });
    await page.getByRole('button', { name: 'Search and filter' }).click();
    problems.push(...(await check(page, 'caseworker-cases-filtered')));
    await page.goto('/statistics');
    problems.push(...(await check(page, 'caseworker-statistics')));
    expect(await unmeasuredChartText(page)).toEqual([]);
    await page.goto('/statistics/public');
    problems.push(...(await check(page, 'caseworker-statistics-public')));
    await page.goto('/workflow');
    problems.push(...(await check(page, 'caseworker-workflow')));
    expect(problems).toEqual([]);
  });

  it('the mediator sees the cases they mediate', async () => {
    const page = mediator.page;
    const problems: string[] = [];
    await page.goto('/mediations');
    expect(await page.locator('main').innerText()).toContain(cases.mediated.reference);
    problems.push(...(await check(page, 'mediator-mediations')));
    await page.goto('/cases');
    problems.push(...(await check(page, 'mediator-cases')));
    await page.goto('/workflow');
    problems.push(...(await check(page, 'mediator-workflow')));
    expect(problems).toEqual([]);
  });

  it('the administrator sees every case and the full statistics', async () => {
    const page = admin.page;
    const problems: string[] = [];
    await page.goto(`/cases?q=${encodeURIComponent('reporter@demo.compact.test')}`);
    const list = await page.locator('#cases-table').innerText();
    expect(list).toContain(cases.questions.reference);
    expect(list).not.toContain(cases.carers.reference);
    problems.push(...(await check(page, 'admin-cases-search')));
    await page.goto('/statistics?from-day=1&from-month=1&from-year=2020');
    expect(await page.locator('#by-respondent').innerText()).toContain('Harborough District Council');
    problems.push(...(await check(page, 'admin-statistics')));
    expect(problems).toEqual([]);
  });

  it('the public see the public statistics and the sign-in page', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    const problems: string[] = [];
    await page.goto('/statistics/public');
    const main = await page.locator('main').innerText();
    const total = Number(/(\d+) cases? in all/.exec(main)![1]);
    // The headline agrees with the groups shown: none is bigger than it.
    const counts = (await page.locator('#by-bodytype-table tbody td:nth-child(2)').allInnerTexts()).map(Number);
    expect(counts.length).toBeGreaterThan(0);
    for (const n of counts) expect(n).toBeLessThanOrEqual(total);
    expect(main).not.toContain('Riverside');
    problems.push(...(await check(page, 'public-statistics')));
    expect(await unmeasuredChartText(page)).toEqual([]);
    await page.goto('/sign-in');
    problems.push(...(await check(page, 'sign-in')));
    await context.close();
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    // For the closing note: how many pages were checked.
    process.stdout.write(`lists-and-statistics: ${visited.length} pages checked at 1280 and 375 px: ${visited.join(', ')}\n`);
  });
});
