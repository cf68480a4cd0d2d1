import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserApp, Person, SCREENSHOT_DIR, accessibilityProblems, screenshot, startBrowserApp, untilTodayHasLeft, widthProblems } from './browser-support';
import { UUID_TEXT } from '@cc/common';

/**
 * The journey the product exists for, in a real browser: a charity reports a breach with
 * evidence, a caseworker triages it, contacts the public body and refers it to mediation, a
 * mediator records a settlement, and the charity sees the outcome. Every page is checked with axe.
 */
describe('browser: a breach from report to settlement', () => {
  let b: BrowserApp;
  let reporter: Person;
  let caseworker: Person;
  let mediator: Person;
  let caseUrl: string;
  let reference: string;
  const problems: string[] = [];
  let shot = 10;

  beforeAll(async () => {
    b = await startBrowserApp('browser-journey');
    reporter = await b.personAs('reporter@demo.compact.test');
    caseworker = await b.personAs('caseworker@demo.compact.test');
    mediator = await b.personAs('mediator@demo.compact.test');
  }, 60_000);
  afterAll(() => b?.close());

  /** Checks the page with axe and keeps a screenshot; problems are collected and asserted at the end of each step. */
  async function look(page: Page, name: string): Promise<void> {
    problems.push(...(await accessibilityProblems(page)));
    await screenshot(page, `${shot++}-${name}`);
  }

  const cont = (page: Page) => page.getByRole('button', { name: 'Continue', exact: true }).click();

  async function fillDate(page: Page, legend: string | RegExp, date: [string, string, string]) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(date[0]);
    await group.getByLabel('Month').fill(date[1]);
    await group.getByLabel('Year').fill(date[2]);
  }

  it('a reporter files a breach step by step, checks the answers and gets a reference', async () => {
    const page = reporter.page;
    await page.goto('/report');
    await look(page, 'report-start');
    await page.getByRole('button', { name: /Start now/ }).click();
    await look(page, 'report-organisation');
    await cont(page);
    await page.getByLabel('Search public bodies by name').fill('Harborough');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('Harborough District Council').check();
    await look(page, 'report-public-body');
    await cont(page);
    // Harborough has not signed the national Compact in the seed: the reporter says it is not listed.
    await page.getByLabel('It is not listed').check();
    await cont(page);
    await page.getByLabel(/The Compact \(2010\)/).check();
    await look(page, 'report-compact');
    await cont(page);
    await page.locator('input[name="commitments"][value="4.5"]').check();
    await look(page, 'report-commitments');
    await cont(page);
    await page.getByLabel('Give the breach a short title').fill('Foodbank grant ended with two weeks notice');
    await page.getByLabel('What did the public body do, or not do?').fill('The council wrote on 1 October to say our grant would end on 15 October.');
    // A date that does not exist is refused, and what was typed stays.
    await fillDate(page, 'When did it happen?', ['31', '2', '2026']);
    await cont(page);
    expect(await page.locator('.govuk-error-summary').innerText()).toMatch(/real date|date/i);
    expect(await page.getByLabel('Give the breach a short title').inputValue()).toBe('Foodbank grant ended with two weeks notice');
    await look(page, 'report-what-happened-error');
    await fillDate(page, 'When did it happen?', ['1', '10', '2026']);
    await cont(page);
    await fillDate(page, 'When was notice of the funding change given?', ['1', '10', '2026']);
    await fillDate(page, 'When does the funding change take effect?', ['15', '10', '2026']);
    await look(page, 'report-facts');
    await cont(page);
    await page.getByLabel(/What was the impact/).fill('We closed the Tuesday session; 60 households a week lost support.');
    await page.getByLabel('What would you like to happen?').fill("Three months' notice as the Compact requires.");
    await cont(page);
    // Version 2 asks whether the public body may be told who reported; this group does not mind.
    await page.getByText("Yes, it may be told our organisation's name").click();
    await cont(page);
    await page.getByLabel('What the document is (optional)').fill("The council's letter of 1 October");
    await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'council-letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
    await page.getByRole('button', { name: 'Add the document' }).click();
    expect(await page.locator('#held-evidence').innerText()).toContain('council-letter.pdf');
    await page.getByLabel(/Describe the evidence/).fill('Minutes of the grants panel, which we can send later.');
    await look(page, 'report-evidence');
    await cont(page);
    await look(page, 'report-check-answers');
    expect(await page.locator('main').innerText()).toContain('Harborough District Council');
    await page.getByRole('button', { name: 'Send report' }).click();
    reference = (await page.locator('#case-reference').innerText()).trim();
    expect(await page.locator('#documents-attached').innerText()).toContain('1 document went with your report');
    expect(reference).toMatch(/^CB-\d{4}-\d{5}$/);
    await look(page, 'report-confirmation');
    await page.getByRole('link', { name: /your case/i }).first().click();
    caseUrl = new URL(page.url()).pathname;
    expect(caseUrl).toMatch(new RegExp(`^/cases/${UUID_TEXT}$`));
    expect(problems).toEqual([]);
  });

  /** Opens an action's page from the case page's list, fills its form and sends it; expects to land back on the case. */
  async function act(page: Page, type: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => undefined) {
    await page.goto(caseUrl);
    await page.locator(`#open-${type}`).click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname).toBe(`${caseUrl}/actions/${type}`);
    // Every action's page: axe, and its width at 375 px.
    problems.push(...(await widthProblems(page)));
    await look(page, `action-${type.toLowerCase()}`);
    const form = page.locator(`#form-${type}`);
    await fill(form);
    await form.locator(`#submit-${type}`).click();
    await page.waitForLoadState('domcontentloaded');
    const summary = page.locator('.govuk-error-summary');
    if (await summary.count()) throw new Error(`${type} was refused: ${await summary.innerText()}`);
  }

  it('the reporter sees the document on the case and adds another', async () => {
    const page = reporter.page;
    await page.goto(caseUrl);
    expect(await page.locator('main').innerText()).toContain('council-letter.pdf');
    await page.getByLabel('What the file is (optional)').fill('Our reply to the council');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'our-reply.txt', mimeType: 'text/plain', buffer: Buffer.from('We asked the council to keep the grant until March.\n') });
    await page.getByRole('button', { name: 'Upload the file' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('main').innerText()).toContain('our-reply.txt');
    await look(page, 'reporter-case-with-evidence');
    expect(problems).toEqual([]);
  });

  it('a caseworker triages it, contacts the public body and refers it to mediation', async () => {
    const page = caseworker.page;
    await page.goto('/triage');
    await look(page, 'caseworker-triage-queue');
    await page.getByRole('link', { name: reference }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain('Likely breach of 4.5');
    await look(page, 'caseworker-case-with-hints');
    await act(page, 'ASSIGN', (f) => f.getByLabel('Cara Caseworker').check());
    await act(page, 'ACCEPT');
    await act(page, 'CONTACT_RESPONDENT', (f) => f.getByLabel('Summary').fill('Wrote to the chief executive asking for the grant to be restored.'));
    await act(page, 'RECORD_RESPONSE', (f) => f.getByLabel('Summary').fill('The council will not restore the grant.'));
    await act(page, 'REFER_TO_MEDIATION', (f) => f.getByLabel('Reason (optional)').fill('Both sides will meet with a mediator.'));
    await look(page, 'caseworker-case-in-mediation');
    expect(problems).toEqual([]);
  });

  it('an administrator waives the fee and the caseworker appoints the mediator', async () => {
    const admin = await b.personAs('admin@demo.compact.test');
    await act(admin.page, 'WAIVE_FEE', (f) => f.getByLabel('Reason').fill('A small charity with no reserves.'));
    await act(caseworker.page, 'APPOINT_MEDIATOR', (f) => f.getByLabel('Mina Mediator').check());
    expect((await b.db.query(`SELECT state FROM cases WHERE reference = $1`, [reference]))[0].state).toMatch(/^mediation\./);
  });

  it('the mediator schedules the session and records a settlement', async () => {
    const page = mediator.page;
    await page.goto('/mediations');
    await look(page, 'mediator-mediations');
    await page.getByRole('link', { name: reference }).click();
    // Held is recorded from the session's day on, and a session cannot be set in the past: late today
    // (just before midnight, tomorrow's late evening instead: the form is filled after the day turns).
    await untilTodayHasLeft(90_000);
    const [day, month, year] = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'Europe/London' }).format(new Date()).split('/');
    await act(page, 'SCHEDULE_SESSION', async (f) => {
      await f.getByLabel('Day').fill(day);
      await f.getByLabel('Month').fill(month);
      await f.getByLabel('Year').fill(year);
      await f.getByLabel('Time (UK time)').fill('11:59pm');
      await f.getByLabel('Location').fill('Harborough Civic Centre');
    });
    await act(page, 'RECORD_SESSION_HELD');
    await page.goto(caseUrl);
    await look(page, 'mediator-case');
    await act(page, 'RECORD_OUTCOME', async (f) => {
      await f.getByLabel('Settled', { exact: true }).check();
      await f.getByLabel('Summary').fill('The council restores the grant until March and gives three months notice of any change.');
      await f.getByLabel('Agreed actions (if settled)').fill('Grant restored until 31 March\nThree months notice of future changes');
      const monitor = f.getByRole('group', { name: 'Monitor until' });
      if (await monitor.count()) {
        await monitor.getByLabel('Day').fill('31');
        await monitor.getByLabel('Month').fill('3');
        await monitor.getByLabel('Year').fill(String(new Date().getUTCFullYear() + 1));
      }
    });
    expect(problems).toEqual([]);
  }, 180_000);

  it('the reporter sees the outcome on the case page', async () => {
    const page = reporter.page;
    await page.goto(caseUrl);
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/settle/i);
    expect(text).toContain('Grant restored until 31 March');
    await look(page, 'reporter-sees-outcome');
    await page.goto('/workflow').catch(() => undefined);
    expect(problems).toEqual([]);
  });

  it('the statistics and administration pages pass axe too', async () => {
    const admin = await b.personAs('admin@demo.compact.test');
    for (const [path, name] of [
      ['/statistics', 'statistics'],
      ['/statistics/public', 'statistics-public'],
      ['/admin/compacts', 'admin-compacts'],
      ['/admin/compacts/import', 'admin-import'],
      ['/admin/users', 'admin-users'],
      ['/admin/emails', 'admin-emails'],
      ['/cases', 'admin-cases'],
    ]) {
      await admin.page.goto(path);
      await look(admin.page, name);
    }
    await caseworker.page.goto('/deadlines');
    await look(caseworker.page, 'caseworker-deadlines');
    await caseworker.page.goto('/workflow');
    await look(caseworker.page, 'workflow');
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(join(SCREENSHOT_DIR, 'README.txt'), `Screenshots from the browser journey for ${reference ?? '(no case)'}, in order.\n`);
  });
});
