import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * The data protection pages in a real browser (issue 15): the retention schedule with its dry
 * run, changing a period (and a refusal), a legal hold put on and lifted from the case page, and
 * erasing a person through the confirmation page. Every page checked with axe and at 375 px.
 */
describe('browser: retention, legal holds and erasure', () => {
  let b: BrowserApp;
  let caseId: string;
  let reference: string;

  beforeAll(async () => {
    b = await startBrowserApp('browser-retention');
    const token = await b.apiToken('reporter@demo.compact.test');
    const res = await fetch(`${b.baseUrl}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        respondentId: b.demo.organisations.harboroughCouncil,
        compactId: b.demo.compacts.national2010,
        commitments: ['4.5'],
        title: 'Grant ended with two weeks notice',
        whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
        happenedOn: '2026-10-01',
        impact: 'We had to close the Tuesday food bank session.',
        desiredOutcome: 'Three months notice as the Compact requires.',
      }),
    });
    ({ id: caseId, reference } = (await res.json()) as { id: string; reference: string });
    // Closed seven years ago, so the next run would anonymise it.
    await b.db.query(`UPDATE cases SET stage = 'closed', state = 'closed', outcome = 'withdrawn', closed_at = now() - interval '7 years' WHERE id = $1`, [caseId]);
  });
  afterAll(() => b?.close());

  it('an administrator reads the schedule and the dry run, and changes a period', async () => {
    const { page } = await b.personAs('admin@demo.compact.test');
    await page.goto('/admin/retention');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Kept for 6 years after the case closed');
    expect(text).toContain('1 closed case will be anonymised');
    expect(await page.locator('#next-run-cases').innerText()).toContain(reference);
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'retention-01-schedule');

    await page.getByRole('link', { name: 'Change how long closed cases are kept' }).click();
    await page.getByLabel('How long they are kept after the case closed').fill('2');
    await page.getByLabel('Months').check();
    await page.getByRole('button', { name: 'Save the period' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('can be reopened');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'retention-02-period-refused');
    await page.getByLabel('How long they are kept after the case closed').fill('8');
    await page.getByLabel('Years').check();
    await page.getByRole('button', { name: 'Save the period' }).click();
    expect(await page.locator('main').innerText()).toContain('Closed cases are now kept for 8 years after the case closed');
    expect(await page.locator('main').innerText()).toContain('Nothing is old enough to remove');
  });

  it('a caseworker puts a case on legal hold from its page and lifts it', async () => {
    const { page } = await b.personAs('caseworker@demo.compact.test');
    await page.goto(`/cases/${caseId}`);
    await page.getByText('Put this case on legal hold').click();
    await page.getByRole('button', { name: 'Put the case on legal hold' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter why the case must be kept');
    await page.getByLabel('Why the case must be kept').fill('The council has started proceedings.');
    await page.getByRole('button', { name: 'Put the case on legal hold' }).click();
    expect(await page.locator('#legal-hold').innerText()).toContain('This case is on legal hold');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'retention-03-case-on-hold');
    await page.getByText('Lift the legal hold', { exact: true }).first().click();
    await page.getByLabel('Why the hold can be lifted').fill('The proceedings ended.');
    await page.getByRole('button', { name: 'Lift the legal hold' }).click();
    expect(await page.locator('#legal-hold').innerText()).toContain('Put this case on legal hold');
  });

  it('an administrator erases a person after seeing what would change', async () => {
    const { page } = await b.personAs('admin@demo.compact.test');
    await page.goto('/admin/erasure');
    await page.getByLabel('Their e-mail address').fill('mediator2@demo.compact.test');
    await page.getByRole('button', { name: 'See what would change' }).click();
    expect(await page.locator('main').innerText()).toContain('Their name will be replaced by “Former mediator”');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'retention-04-erasure-preview');
    await page.getByRole('button', { name: 'Erase this person' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Confirm that this person is to be erased');
    await page.getByLabel('I confirm that mediator2@demo.compact.test is to be erased').check();
    await page.getByRole('button', { name: 'Erase this person' }).click();
    expect(await page.locator('main').innerText()).toContain('The person was erased');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'retention-05-erased');
    // An administrator's own account is refused, with the reason.
    await page.goto('/admin/erasure?email=admin%40demo.compact.test');
    expect(await page.locator('#erasure-refusals').innerText()).toContain('This person cannot be erased now');
    expect(await pageProblems(page)).toEqual([]);
  });
});
