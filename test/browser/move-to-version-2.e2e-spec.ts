import { Page } from 'playwright-core';
import { workflowFor } from '@cc/workflows';
import { sampleReport } from '../support/test-app';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * An administrator moves the open version 1 cases to version 2 in a real browser: the dry run's
 * table, the confirmation, the summary. Every page passes axe at every impact and fits 375 px.
 */
describe('browser: moving cases to process version 2', () => {
  let b: BrowserApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    b = await startBrowserApp('browser-move-v2');
    tokens.reporter = await b.apiToken('reporter@demo.compact.test');
    tokens.caseworker = await b.apiToken('caseworker@demo.compact.test');
  }, 90_000);
  afterAll(() => b?.close());

  async function post(who: string, path: string, data: unknown): Promise<Record<string, string>> {
    const res = await fetch(`${b.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` }, body: JSON.stringify(data) });
    if (!res.ok) throw new Error(`${path} by ${who}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  }

  /** A case filed now and put on version 1 at its first version (new cases start on version 2), in SQL for the setup only. */
  async function fileOnVersion1(): Promise<{ id: string; reference: string }> {
    const filed = await post('reporter', '/api/cases', sampleReport(b.demo));
    const [row] = await b.db.query(`SELECT snapshot FROM cases WHERE id = $1`, [filed.id]);
    const { reportingOrganisationId, respondentOrganisationId, submittedAt } = row.snapshot.context;
    const v1 = workflowFor(1).start({ reportingOrganisationId, respondentOrganisationId, submittedAt });
    await b.db.query(`UPDATE cases SET machine_version = 1, snapshot = $2 WHERE id = $1 AND version = 1`, [filed.id, JSON.stringify(v1.snapshot)]);
    return { id: filed.id, reference: filed.reference };
  }

  const problems: string[] = [];
  async function look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('domcontentloaded');
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `move-v2-${name}`);
  }

  it('shows the dry run, asks to confirm, moves the cases and says what stayed and why', async () => {
    const waiting = await fileOnVersion1();
    const accepted = await fileOnVersion1();
    for (const event of [{ type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id }, { type: 'ACCEPT' }, { type: 'CONTACT_RESPONDENT', summary: 'Letter sent.' }]) {
      await post('caseworker', `/api/cases/${accepted.id}/events`, event);
    }
    const broken = await fileOnVersion1();
    await b.db.query(`UPDATE cases SET snapshot = jsonb_set(snapshot, '{value}', '"limbo"') WHERE id = $1`, [broken.id]);

    const { page } = await b.personAs('admin@demo.compact.test');
    await page.goto('/admin/process-versions');
    await look(page, '01-dry-run');
    const main = page.locator('main');
    expect(await main.getByRole('heading', { level: 1 }).innerText()).toBe('Process versions');
    const table = main.getByRole('table', { name: 'What would happen to each case' });
    expect(await table.getByRole('row').count()).toBe(4);
    const row = (ref: string) => table.getByRole('row').filter({ hasText: ref });
    expect(await row(accepted.reference).innerText()).toContain("Advocacy: waiting for the public body's reply");
    expect(await row(waiting.reference).innerText()).toContain('Moves to: New report, waiting for a caseworker');
    expect(await row(broken.reference).innerText()).toContain('Stays on version 1');
    expect(await main.innerText()).not.toMatch(/awaitingResponse|machine/);

    await main.getByRole('button', { name: 'Move 2 cases to version 2' }).click();
    await look(page, '02-confirm');
    expect(await main.getByRole('heading', { level: 1 }).innerText()).toBe('Move 2 cases to version 2?');
    expect(await main.innerText()).toContain('cannot be moved back');
    await main.getByRole('button', { name: 'Move 2 cases to version 2' }).click();
    await look(page, '03-done');
    expect(await main.getByRole('heading', { level: 1 }).innerText()).toBe('2 cases moved to version 2');
    expect(await main.locator('#moved').innerText()).toContain(accepted.reference);
    expect(await main.locator('#moved').innerText()).toContain(waiting.reference);
    // The broken case was not among those confirmed; the list says it stays, and why.
    await main.getByRole('link', { name: 'Back to process versions' }).click();
    await look(page, '04-after');
    expect(await main.innerText()).toContain('1 open case on version 1');
    expect(await main.innerText()).toContain('None of them can move.');
    expect(await main.getByRole('button', { name: /Move .* to version 2/ }).count()).toBe(0);

    // The moved case's page shows the move in its history.
    await page.goto(`/cases/${accepted.reference}`);
    await look(page, '05-moved-case');
    expect(await main.innerText()).toContain('Moved to the new version of the process');
    const [moved] = await b.db.query(`SELECT machine_version FROM cases WHERE id = $1`, [accepted.id]);
    expect(moved.machine_version).toBe(2);
    expect(problems).toEqual([]);
  }, 120_000);
});
