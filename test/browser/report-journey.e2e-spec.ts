import type { Locator, Page } from 'playwright-core';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * A volunteer at a small charity reports a breach, in Chromium, at desktop and at phone width,
 * choosing by clicking the words of each label (as people do), never the inputs:
 *  1. every commitment label of every seeded Compact ticks its own box, and each box is named;
 *  4. only the Compacts the public body signed are offered (with "It is not listed"), and only
 *     the public bodies' commitments;
 *  5. a session that lapses keeps the report: signing in again returns to the same step, filled
 *     in; the timeout warning comes first;
 * 11. a file chosen but not added goes with Continue, or the reporter is told it did not; the
 *     refusal names the file; long text fields count characters;
 * 12. a public body not in the registry is typed by name and area, and a caseworker links it.
 * Every page visited passes axe (every impact) and fits 375 px.
 */
describe('browser: the report journey', () => {
  let b: BrowserApp;
  let visited = 0;
  const WIDTHS = [
    { name: 'desktop', width: 1280, height: 900, reporter: 'reporter@demo.compact.test', userKey: 'reporter' as const },
    { name: 'phone', width: 375, height: 812, reporter: 'carers@demo.compact.test', userKey: 'reporter2' as const },
  ];

  beforeAll(async () => {
    b = await startBrowserApp('report-journey');
  }, 60_000);
  afterAll(() => b?.close());

  async function as(email: string, width: (typeof WIDTHS)[number]): Promise<Person> {
    const person = await b.personAs(email);
    await person.page.setViewportSize({ width: width.width, height: width.height });
    return person;
  }

  /** Every page: axe at every impact and the 375 px check, and a screenshot to look at. */
  async function check(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('load');
    visited += 1;
    await screenshot(page, `report-journey-${name}`);
    expect(await pageProblems(page)).toEqual([]);
  }

  const press = async (page: Page, name: string) => {
    await page.getByRole('button', { name, exact: true }).click();
    await page.waitForLoadState('domcontentloaded');
  };

  /** The one label on the page whose words are exactly these (hints are not part of a label). */
  function labelWithWords(page: Page, words: string): Locator {
    return page.locator('label').filter({ hasText: new RegExp(`^\\s*${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
  }

  async function clickLabel(page: Page, words: string): Promise<void> {
    const label = labelWithWords(page, words);
    expect(await label.count()).toBe(1);
    await label.click();
  }

  async function radioLabels(page: Page, name: string): Promise<string[]> {
    const texts: string[] = [];
    const items = page.locator(`.govuk-radios__item:has(input[name="${name}"]) label`);
    for (let i = 0; i < (await items.count()); i++) texts.push((await items.nth(i).innerText()).trim());
    return texts;
  }

  async function fillDate(page: Page, legend: string | RegExp, date: [string, string, string]) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(date[0]);
    await group.getByLabel('Month').fill(date[1]);
    await group.getByLabel('Year').fill(date[2]);
  }

  /**
   * Point 1 and 4 on the commitments step: the commitments offered are exactly the public bodies'
   * of this Compact (in the registry's order), and clicking each label's words ticks that
   * commitment's box and no other; the box is named by its label. Unticks them all again.
   */
  async function everyLabelTicksItsOwnBox(page: Page, compactName: string): Promise<void> {
    const [compact] = await b.db.query(`SELECT id FROM compacts WHERE name = $1`, [compactName]);
    const rows: Array<{ reference: string }> = await b.db.query(
      `SELECT k.reference FROM commitments k LEFT JOIN compact_sections s ON s.id = k.section_id
        WHERE k.compact_id = $1 AND k.binds <> 'voluntary' ORDER BY s.position NULLS LAST, k.position, k.reference`,
      [compact.id],
    );
    const items = page.locator('.govuk-checkboxes__item');
    const offered: string[] = [];
    for (let i = 0; i < (await items.count()); i++) offered.push((await items.nth(i).locator('input').getAttribute('value')) ?? '');
    for (let i = 0; i < offered.length; i++) {
      const label = items.nth(i).locator('label');
      const words = (await label.innerText()).trim();
      const reference = words.slice(0, words.indexOf(':'));
      await label.click();
      const ticked = page.locator('input[name="commitments"]:checked');
      expect(await ticked.count()).toBe(i + 1);
      expect(await page.locator(`input[name="commitments"][value="${reference}"]`).isChecked()).toBe(true);
      // Named by its own words: the box a screen reader announces with them is this one.
      const named = page.getByRole('checkbox', { name: words, exact: true });
      expect(await named.count()).toBe(1);
      expect(await named.getAttribute('value')).toBe(reference);
    }
    for (let i = 0; i < offered.length; i++) await items.nth(i).locator('label').click();
    expect(await page.locator('input[name="commitments"]:checked').count()).toBe(0);
    // 4: exactly the public bodies' commitments (and joint ones), none of the voluntary sector's own.
    expect(offered).toEqual(rows.map((r) => r.reference));
  }

  for (const width of WIDTHS) {
    describe(`at ${width.name} width`, () => {
      it('reports a breach, clicking the words of each choice, through every Compact in the seed', async () => {
        const { page } = await as(width.reporter, width);
        const n = (s: string) => `${width.name}-${s}`;
        await page.goto('/report');
        await check(page, n('01-start'));
        await page.getByRole('button', { name: /Start now|Continue your report/ }).click();
        if (new URL(page.url()).pathname !== '/report/organisation') await page.goto('/report/organisation');
        await check(page, n('02-organisation'));
        await press(page, 'Continue');

        await page.getByLabel('Search public bodies by name').fill('Harborough');
        await press(page, 'Search');
        await clickLabel(page, 'Harborough District Council');
        await check(page, n('03-public-body'));
        await press(page, 'Continue');

        // 4: only the Compact Harborough District Council signed, and the way on when it is not that one.
        expect(new URL(page.url()).pathname).toBe('/report/compact');
        expect(await radioLabels(page, 'compactId')).toEqual(['Harborough District Compact (2003)', 'It is not listed']);
        await check(page, n('04-compact-signed'));
        await clickLabel(page, 'Harborough District Compact (2003)');
        await press(page, 'Continue');
        await check(page, n('05-commitments-harborough'));
        await everyLabelTicksItsOwnBox(page, 'Harborough District Compact (2003)');

        await page.getByRole('link', { name: 'Back', exact: true }).click();
        await clickLabel(page, 'It is not listed');
        await press(page, 'Continue');
        expect(await radioLabels(page, 'compactId')).toEqual(expect.arrayContaining(['The Compact (2010)', 'The Compact on Relations between Government and the Voluntary and Community Sector in England (1998)']));
        await check(page, n('06-compact-all'));
        await clickLabel(page, 'The Compact on Relations between Government and the Voluntary and Community Sector in England (1998)');
        await press(page, 'Continue');
        await check(page, n('07-commitments-1998'));
        await everyLabelTicksItsOwnBox(page, 'The Compact on Relations between Government and the Voluntary and Community Sector in England (1998)');

        await page.getByRole('link', { name: 'Back', exact: true }).click();
        await clickLabel(page, 'The Compact (2010)');
        await press(page, 'Continue');
        await check(page, n('08-commitments-2010'));
        await everyLabelTicksItsOwnBox(page, 'The Compact (2010)');
        // 1.7 binds civil society organisations: not offered at all.
        expect(await page.locator('input[value="1.7"]').count()).toBe(0);
        await page.locator('label', { hasText: /^\s*4\.5: Give a minimum of three months/ }).click();
        await press(page, 'Continue');

        // 11: a limited text field counts what is typed, to the report's own limit.
        await page.getByLabel('Give the breach a short title').fill('Foodbank grant ended with two weeks notice');
        const whatHappened = 'The council wrote on 1 October to say our grant would end on 15 October.';
        await page.getByLabel('What did the public body do, or not do?').fill(whatHappened);
        // Locators, not waitForFunction strings: the pages' CSP forbids evaluating strings.
        await page.locator('#whatHappened-info').waitFor({ state: 'attached' });
        await page.locator('.govuk-character-count__status', { hasText: 'remaining' }).first().waitFor();
        expect(await page.locator('.govuk-character-count__status').first().innerText()).toContain(`You have ${(10000 - whatHappened.length).toLocaleString('en-GB')} characters remaining`);
        await fillDate(page, 'When did it happen?', ['1', '10', '2026']);
        await check(page, n('09-what-happened'));
        await press(page, 'Continue');
        await fillDate(page, 'When was notice of the funding change given?', ['1', '10', '2026']);
        await fillDate(page, 'When does the funding change take effect?', ['15', '10', '2026']);
        await check(page, n('10-facts'));
        await press(page, 'Continue');

        // 5: the session lapses on the impact step; signing in again comes back to it, with the rest kept.
        expect(new URL(page.url()).pathname).toBe('/report/impact');
        await check(page, n('11-impact'));
        expect(await page.locator('#report-kept').innerText()).toContain('keep a report you have not sent for 30 days');
        const user = b.demo.users[width.userKey];
        await b.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [user.id]);
        await page.getByLabel(/What was the impact/).fill('We closed the Tuesday session.');
        await press(page, 'Continue');
        expect(new URL(page.url()).pathname).toBe('/sign-in');
        const banner = await page.locator('#session-lapsed').innerText();
        expect(banner).toContain('You have been signed out');
        expect(banner).toContain('a report you had started');
        expect(await page.locator('main').innerText()).not.toContain('does not allow');
        await check(page, n('12-signed-out'));
        await page.getByLabel('E-mail address').fill(width.reporter);
        await page.getByLabel('Password', { exact: true }).fill('demo-password');
        await press(page, 'Sign in');
        expect(new URL(page.url()).pathname).toBe('/report/impact');
        await page.getByRole('link', { name: 'Back', exact: true }).click();
        expect(new URL(page.url()).pathname).toBe('/report/facts');
        await page.getByRole('link', { name: 'Back', exact: true }).click();
        expect(await page.getByLabel('Give the breach a short title').inputValue()).toBe('Foodbank grant ended with two weeks notice');
        expect(await page.getByLabel('What did the public body do, or not do?').inputValue()).toBe(whatHappened);
        await press(page, 'Continue');
        await press(page, 'Continue');
        await page.getByLabel(/What was the impact/).fill('We closed the Tuesday session; 60 households a week lost support.');
        await page.getByLabel('What would you like to happen?').fill("Three months' notice as the Compact requires.");
        await press(page, 'Continue');

        // Whether the public body may be told who reported: required, with why it matters.
        expect(new URL(page.url()).pathname).toBe('/report/tell-public-body');
        await press(page, 'Continue');
        expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select yes if the public body may be told your organisation made this report');
        await check(page, n('12b-tell-public-body'));
        await clickLabel(page, 'No, do not tell it who we are');
        await press(page, 'Continue');

        // 11: a refused file chosen when pressing Continue: told, by name, that it was not added.
        await check(page, n('13-evidence'));
        await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]) });
        await press(page, 'Continue');
        const summary = await page.locator('.govuk-error-summary').innerText();
        expect(summary).toContain('Your document was not added. invoice.pdf is a Windows program, not a PDF document.');
        await check(page, n('14-evidence-refused'));
        // A good file chosen, then Continue without "Add the document": it goes with the report.
        await page.getByLabel('What the document is (optional)').fill("The council's letter of 1 October");
        await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'council-letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
        await page.getByLabel(/Describe the evidence/).fill('Minutes of the grants panel, which we can send later.');
        await press(page, 'Continue');
        expect(new URL(page.url()).pathname).toBe('/report/check');
        const answers = await page.locator('main').innerText();
        expect(answers).toContain('council-letter.pdf');
        expect(answers).toContain('4.5: Give a minimum of three months');
        expect(answers).toContain('a voluntary organisation in your area');
        await check(page, n('15-check'));
        await press(page, 'Send report');
        expect(await page.locator('#documents-attached').innerText()).toContain('1 document went with your report');
        await check(page, n('16-confirmation'));
      });

      it('warns before the session times out, and keeps it when asked (the GOV.UK timeout warning)', async () => {
        const { page } = await as(width.reporter, width);
        const n = (s: string) => `${width.name}-${s}`;
        const user = b.demo.users[width.userKey];
        await page.clock.install();
        await page.goto('/report');
        expect(await page.locator('#session-timeout').isVisible()).toBe(false);
        // 30 minutes idle: the warning opens 2 minutes before.
        await page.clock.runFor('28:01');
        const dialog = page.getByRole('dialog', { name: 'You are about to be signed out' });
        expect(await dialog.isVisible()).toBe(true);
        expect(await dialog.innerText()).toContain('For your security, we will sign you out in 2 minutes');
        await check(page, n('17-timeout-warning'));
        await b.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '20 minutes' WHERE user_id = $1`, [user.id]);
        await dialog.getByRole('button', { name: 'Stay signed in' }).click();
        await page.locator('#session-timeout').waitFor({ state: 'hidden' });
        const [seen] = await b.db.query(`SELECT max(last_seen_at) > now() - interval '1 minute' AS fresh FROM web_sessions WHERE user_id = $1`, [user.id]);
        expect(seen.fresh).toBe(true);
        // Left alone until the end, on a session that has now lapsed: the page asks to sign in again, and why.
        await b.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [user.id]);
        // The page navigates while the clock runs, so runFor may end with the page it ran in.
        await Promise.all([page.waitForURL(/\/sign-in/), page.clock.runFor('30:05').catch(() => undefined)]);
        expect(await page.locator('#session-lapsed').innerText()).toContain('You have been signed out');
      });

      it('files a report against a public body that is not listed, and a caseworker links it to the registry', async () => {
        const { page } = await as(width.reporter, width);
        const n = (s: string) => `${width.name}-${s}`;
        await page.goto('/report');
        const again = page.getByRole('button', { name: 'Start again' });
        if (await again.count()) await again.click();
        else await page.getByRole('button', { name: /Start now/ }).click();
        await press(page, 'Continue');
        await clickLabel(page, 'It is not listed');
        await press(page, 'Continue');
        expect(new URL(page.url()).pathname).toBe('/report/public-body/not-listed');
        await press(page, 'Continue');
        expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the name of the public body');
        await check(page, n('20-not-listed-errors'));
        const bodyName = `Kibworth Parish Council (${width.name})`;
        await page.getByLabel('Name of the public body').fill(bodyName);
        await page.getByLabel('The area it serves').fill('Harborough');
        await press(page, 'Continue');
        expect(await page.locator('#compact-intro').innerText()).toContain('is not in our list yet');
        await check(page, n('21-compact-for-unlisted'));
        await clickLabel(page, 'Harborough District Compact (2003)');
        await press(page, 'Continue');
        await page.locator('label', { hasText: /^\s*F5: Support full cost recovery/ }).click();
        await press(page, 'Continue');
        await page.getByLabel('Give the breach a short title').fill('Parish grant cut without notice');
        await page.getByLabel('What did the public body do, or not do?').fill('The parish council cut our grant at its November meeting.');
        await fillDate(page, 'When did it happen?', ['2', '11', '2026']);
        await press(page, 'Continue');
        await page.getByLabel(/What was the impact/).fill('We closed the lunch club.');
        await page.getByLabel('What would you like to happen?').fill('Restore the grant until March.');
        await press(page, 'Continue');
        await clickLabel(page, "Yes, it may be told our organisation's name");
        await press(page, 'Continue');
        await press(page, 'Continue');
        expect(await page.locator('#summary-who').innerText()).toContain('Not in our list yet: a caseworker will find it');
        await check(page, n('22-check-unlisted'));
        await press(page, 'Send report');
        const reference = (await page.locator('#case-reference').innerText()).trim();
        await page.getByRole('link', { name: /see your case/i }).click();
        expect(await page.locator('main').innerText()).not.toContain('Not in the registry yet');
        await check(page, n('23-reporter-case-unlisted'));

        const caseworker = await as('caseworker@demo.compact.test', width);
        const cw = caseworker.page;
        await cw.goto('/triage');
        await cw.getByRole('link', { name: reference }).click();
        const section = cw.locator('#unlisted-body');
        expect(await section.innerText()).toContain('Not in the registry yet');
        expect(await section.innerText()).toContain(bodyName);
        await check(cw, n('24-caseworker-case-unlisted'));
        await section.getByRole('button', { name: 'Search the registry' }).click();
        await cw.waitForLoadState('domcontentloaded');
        await check(cw, n('25-caseworker-find-body'));
        await cw.getByLabel("Search the registry's public bodies by name").fill('Harborough District');
        await press(cw, 'Search');
        await clickLabel(cw, 'Harborough District Council');
        await press(cw, 'Link the case to this public body');
        const main = await cw.locator('main').innerText();
        expect(main).not.toContain('Not in the registry yet');
        expect(await cw.locator('#report-summary').innerText()).toContain('Harborough District Council');
        expect(main).toContain(`the reporter typed “${bodyName}” (Harborough)`);
        await check(cw, n('26-caseworker-case-linked'));
        await caseworker.context.close();
      });
    });
  }

  afterAll(() => {
    // For the closing note: how many pages were checked with axe and at 375 px.
    process.stdout.write(`report journey: ${visited} pages checked (axe at every impact, 375 px)\n`);
  });
});
