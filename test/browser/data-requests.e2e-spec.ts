import { Page } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * Subject access in a real browser: a reporter asks for their data from their account page, an
 * administrator finds it on the list, records another request through the form, gathers the
 * ZIP (a real download), answers the request; a caseworker sees the clock on the deadlines page.
 * Forms are filled by clicking their labels. Every page passes axe at every impact and fits 375 px.
 */
describe('browser: data protection requests', () => {
  let b: BrowserApp;
  let reporter: Person;
  let admin: Person;
  let caseworker: Person;
  const problems: string[] = [];
  let shot = 0;

  beforeAll(async () => {
    b = await startBrowserApp('browser-data-requests');
    const token = await b.apiToken('reporter@demo.compact.test');
    const filed = await fetch(`${b.baseUrl}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(sampleReport(b.demo)) });
    expect(filed.status).toBe(201);
    reporter = await b.personAs('reporter@demo.compact.test');
    admin = await b.personAs('admin@demo.compact.test');
    caseworker = await b.personAs('caseworker@demo.compact.test');
  }, 90_000);
  afterAll(() => b?.close());

  async function look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('domcontentloaded');
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `data-requests-${String(++shot).padStart(2, '0')}-${name}`);
  }

  async function clickLabel(page: Page, text: string | RegExp): Promise<void> {
    const main = page.locator('main');
    await main.locator('label', { hasText: text }).first().click();
    expect(await main.getByLabel(text).first().isChecked()).toBe(true);
  }

  it('a reporter asks for a copy of their data from their account page', async () => {
    const page = reporter.page;
    await page.goto('/account');
    await look(page, 'account');
    await page.getByRole('link', { name: 'Ask for your data' }).click();
    await look(page, 'ask');
    await page.getByRole('button', { name: 'Send the request' }).click();
    await look(page, 'ask-error');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose what you are asking for');
    await clickLabel(page, 'A copy of the personal data you hold about me');
    await page.getByRole('button', { name: 'Send the request' }).click();
    await look(page, 'asked');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Your subject access request has been sent');
    expect(await page.locator('#my-requests').textContent()).toMatch(/we will answer by \d+ \w+ \d{4}/);
    expect(problems).toEqual([]);
  });

  it('an administrator records a request, gathers the data as one download and answers it', async () => {
    const page = admin.page;
    await page.goto('/admin/data-requests');
    await look(page, 'list');
    expect(await page.locator('#requests-table').textContent()).toContain('reporter@demo.compact.test');
    await page.getByRole('button', { name: 'Record a request' }).click();
    await look(page, 'new');
    await clickLabel(page, 'A copy of their personal data (subject access)');
    await page.getByLabel('Their e-mail address').fill('respondent@demo.compact.test');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await look(page, 'request');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Request recorded');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Gather their data and download it' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = await download.createReadStream().then(async (s) => {
      const chunks: Buffer[] = [];
      for await (const c of s) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    await page.reload();
    // A complex request: two more months, with the reason they are told.
    await page.locator('main label', { hasText: 'Why it needs more time' }).click();
    await page.keyboard.type('It covers many cases over several years.');
    await page.getByRole('button', { name: 'Take two more months' }).click();
    await look(page, 'extended');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('The request now has to be answered by');
    expect(await page.locator('#request-facts').textContent()).toContain('Two more months');
    expect(await page.locator('#request-facts').textContent()).toContain('It covers many cases over several years.');
    await clickLabel(page, 'The copy was sent to them');
    await page.getByLabel('Note').fill('Sent by e-mail.');
    await page.getByRole('button', { name: 'Save and stop the clock' }).click();
    await look(page, 'answered');
    expect(await page.locator('#request-facts').textContent()).toContain('Answered');
    expect(problems).toEqual([]);
  });

  it('a caseworker sees the open request’s clock on the deadlines page', async () => {
    const page = caseworker.page;
    await page.goto('/deadlines');
    await look(page, 'deadlines');
    expect(await page.locator('#data-protection-clock-list').textContent()).toMatch(/Subject access request from reporter@demo\.compact\.test — answer by \d+ \w+ \d{4}/);
    await page.goto('/privacy');
    await look(page, 'privacy');
    await page.goto('/cookies');
    await look(page, 'cookies');
    expect(problems).toEqual([]);
  });
});
