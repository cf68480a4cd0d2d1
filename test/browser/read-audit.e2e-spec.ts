import { ReadAudit } from '@cc/audit';
import { sampleReport } from '../support/test-app';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * The audit of reads in a real browser (issue 15): an administrator follows the case page's link
 * to who has read the case, then a reader's name to every case that person has read; a reporter
 * sees on the case page which roles opened it. Each page passes axe at every impact and fits 375 px.
 */
describe('browser: who has read a case', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp('browser-read-audit');
  }, 90_000);
  afterAll(() => b?.close());

  it('administrator and reporter pages show the record, accessibly and at 375 px', async () => {
    const reporterToken = await b.apiToken('reporter@demo.compact.test');
    const caseworkerToken = await b.apiToken('caseworker@demo.compact.test');
    const filed = await fetch(`${b.baseUrl}/api/cases`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${reporterToken}` }, body: JSON.stringify(sampleReport(b.demo)) });
    const { id } = (await filed.json()) as { id: string };
    for (const path of [`/api/cases/${id}`, `/api/cases/${id}/timeline`, `/api/cases/${id}/notes`]) {
      expect((await fetch(`${b.baseUrl}${path}`, { headers: { authorization: `Bearer ${caseworkerToken}` } })).status).toBe(200);
    }
    const problems: string[] = [];

    const admin = await b.personAs('admin@demo.compact.test');
    await admin.page.goto(`/cases/${id}`);
    await admin.page.getByRole('link', { name: 'Who has read this case' }).click();
    await admin.page.waitForLoadState('domcontentloaded');
    await b.app.get(ReadAudit).flush();
    await admin.page.reload();
    expect(await admin.page.getByRole('heading', { level: 1 }).textContent()).toBe('Who has read this case');
    expect(await admin.page.locator('#reads-table').textContent()).toContain('Its history');
    problems.push(...(await pageProblems(admin.page)));
    await screenshot(admin.page, 'read-audit-1-case-reads');

    await admin.page.locator('#reads-table').getByRole('link').filter({ hasText: /caseworker/i }).first().click();
    await admin.page.waitForLoadState('domcontentloaded');
    expect(await admin.page.getByRole('heading', { level: 1 }).textContent()).toBe('Cases they have read');
    problems.push(...(await pageProblems(admin.page)));
    await screenshot(admin.page, 'read-audit-2-person-reads');

    const reporter = await b.personAs('reporter@demo.compact.test');
    await reporter.page.goto(`/cases/${id}`);
    expect(await reporter.page.locator('#staff-openings-list').textContent()).toMatch(/A caseworker opened this case on/);
    problems.push(...(await pageProblems(reporter.page)));
    await screenshot(reporter.page, 'read-audit-3-reporter-case');

    expect(problems).toEqual([]);
  });
});
