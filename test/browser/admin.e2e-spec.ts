import { readFileSync } from 'node:fs';
import { APIRequestContext, Page, request } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * An administrator's work in a real browser (issue 10, points 16 and 18): a Compact added through
 * the form, the CSV template downloaded and a CSV with a mistake imported (the message names the
 * column), a rule edited through its fields, a user and an organisation edited, a mediator's ties
 * edited and seen by the caseworker appointing a mediator, a footer page edited and read from the
 * footer by someone not signed in, and every link of the admin menu followed. Forms are filled by
 * clicking their labels, as a person does. Every page visited passes axe at every impact and fits
 * 375 px.
 */
describe('browser: administration', () => {
  let b: BrowserApp;
  let api: APIRequestContext;
  let admin: Person;
  const tokens: Record<string, string> = {};
  const problems: string[] = [];
  const visited = new Set<string>();
  let shot = 0;

  beforeAll(async () => {
    b = await startBrowserApp('browser-admin');
    api = await request.newContext({ baseURL: b.baseUrl });
    for (const [who, email] of [['reporter', 'reporter@demo.compact.test'], ['caseworker', 'caseworker@demo.compact.test'], ['admin', 'admin@demo.compact.test']]) {
      tokens[who] = await b.apiToken(email);
    }
    admin = await b.personAs('admin@demo.compact.test');
  }, 90_000);
  afterAll(async () => {
    await api?.dispose();
    await b?.close();
  });

  /** Every page: axe at every impact and the 375 px width, and a screenshot to look at. */
  async function look(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('domcontentloaded');
    visited.add(new URL(page.url()).pathname + new URL(page.url()).search);
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `admin-${String(++shot).padStart(2, '0')}-${name}`);
  }

  /** Clicks the words of a radio or checkbox and says whether that input is now the one checked. */
  async function clickLabel(page: Page, text: string | RegExp, scope = page.locator('main')): Promise<void> {
    await scope.locator('label', { hasText: text }).first().click();
    expect(await scope.getByLabel(text, { exact: typeof text === 'string' }).first().isChecked()).toBe(true);
  }

  async function fillDate(page: Page, legend: string | RegExp, [day, month, year]: [string, string, string]) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(year);
  }

  async function send(who: string, path: string, data: unknown): Promise<Record<string, unknown>> {
    const res = await api.post(path, { data, headers: { authorization: `Bearer ${tokens[who]}` } });
    if (!res.ok()) throw new Error(`${path} by ${who}: ${res.status()} ${await res.text()}`);
    return res.json();
  }

  const errorSummary = (page: Page) => page.locator('.govuk-error-summary').innerText();

  it('adds a Compact through the form, then a section and a commitment with a rule', async () => {
    const page = admin.page;
    await page.goto('/admin/compacts');
    await look(page, 'compacts');
    await page.getByRole('button', { name: 'Add a Compact' }).click();
    await look(page, 'add-compact');
    await page.getByRole('button', { name: 'Add the Compact' }).click();
    expect(await errorSummary(page)).toContain('Enter the Compact’s name');
    await look(page, 'add-compact-errors');

    await page.getByLabel('Name', { exact: true }).fill('Blaby District Compact (2011)');
    await clickLabel(page, 'A local Compact');
    await page.getByLabel('Area', { exact: true }).fill('Blaby');
    await fillDate(page, 'Date adopted (optional)', ['31', '3', '2011']);
    await clickLabel(page, 'Active');
    await page.getByLabel('Where it is published (optional)').fill('https://www.blaby.gov.uk/compact');
    await page.getByRole('button', { name: 'Add the Compact' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('h1').innerText()).toContain('Blaby District Compact (2011)');
    expect(await page.locator('main').innerText()).toContain('31 March 2011');
    await look(page, 'new-compact');

    // No sections yet, so the section form is open.
    await page.getByLabel('Code', { exact: true }).fill('F');
    await page.getByLabel('Title', { exact: true }).fill('Funding and Accountability');
    await clickLabel(page, 'A group of undertakings');
    await page.getByRole('button', { name: 'Add section' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#sections-table').innerText()).toContain('Funding and Accountability');
    await look(page, 'compact-with-section');

    await page.locator('#add-commitment summary').click();
    const form = page.locator('#add-commitment-form');
    await form.getByLabel('Reference').fill('F1');
    await form.getByLabel('Section').selectOption('F');
    await form.getByLabel('Text of the commitment').fill('Give eight weeks’ written notice of any change to funding');
    await clickLabel(page, 'Public bodies', form);
    await clickLabel(page, 'The Compact\'s official wording', form);
    await clickLabel(page, 'A minimum time between two dates', form);
    await form.getByLabel('Counted from').selectOption({ label: 'The date notice of the funding change was given' });
    await form.getByLabel('Counted to').selectOption({ label: 'The date the funding change takes effect' });
    await form.getByLabel('Weeks').fill('8');
    await form.getByRole('button', { name: 'Add commitment' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#commitments-table').innerText()).toContain('At least 8 weeks from the date notice of the funding change was given');
    await look(page, 'compact-with-commitment');
    const [row] = await b.db.query(`SELECT k.rule FROM commitments k JOIN compacts c ON c.id = k.compact_id WHERE c.name = 'Blaby District Compact (2011)' AND k.reference = 'F1'`);
    expect(row.rule).toMatchObject({ kind: 'minimum_period', from: 'fundingNoticeGivenOn', to: 'fundingChangeEffectiveOn', atLeast: { weeks: 8 } });
    expect(problems).toEqual([]);
  });

  it('downloads the CSV template, and an import with a mistake names the column as the file does', async () => {
    const page = admin.page;
    await page.goto('/admin/compacts');
    await page.getByRole('button', { name: 'Import a Compact from a file' }).click();
    await look(page, 'import');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the CSV template' }).click()]);
    expect(download.suggestedFilename()).toBe('compact-template.csv');
    const template = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = template.trimEnd().split('\r\n');
    expect(lines[0]).toBe('compact_name,scope,area,adopted_on,status,source_url,section_code,section_title,section_kind,reference,text,binds,wording,rule');
    const [allowed] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /columns and their allowed values/ }).click()]);
    expect(readFileSync((await allowed.path())!, 'utf8')).toContain('outcome, code_of_practice, undertakings or section');

    // Row 4 of the file starts section C: give it a kind the import does not know.
    const bad = [...lines];
    bad[1] = bad[1].replace('Example District Compact (2012)', 'Oadby Compact (2012)').replace('Example District', 'Oadby');
    bad[3] = bad[3].replace(',Consultation,undertakings,', ',Consultation,chapter,');
    await page.getByLabel('Compact file (CSV or JSON)').setInputFiles({ name: 'oadby.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.join('\r\n')) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForLoadState('domcontentloaded');
    const summary = await errorSummary(page);
    expect(summary).toContain('Row 4, column section_kind: must be outcome, code_of_practice, undertakings or section');
    expect(summary).not.toMatch(/sections\.\d|commitments\.\d/);
    await look(page, 'import-error');
    // The summary's link takes the keyboard to the file field.
    await page.locator('.govuk-error-summary a').first().click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('file');

    await page.getByLabel('Compact file (CSV or JSON)').setInputFiles({ name: 'oadby.csv', mimeType: 'text/csv', buffer: Buffer.from(bad.join('\r\n').replace(',chapter,', ',undertakings,')) });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Imported Oadby Compact (2012)');
    await look(page, 'imported');
    expect(problems).toEqual([]);
  });

  it('edits a rule through its fields, not JSON', async () => {
    const page = admin.page;
    await page.goto('/admin/compacts');
    await page.getByRole('link', { name: 'The Compact (2010)' }).click();
    await look(page, 'compact-2010');
    await page.getByRole('link', { name: 'Edit commitment 2.4' }).click();
    await look(page, 'edit-commitment');
    expect(await page.getByLabel('A minimum time between two dates').isChecked()).toBe(true);
    expect(await page.getByLabel('Weeks').inputValue()).toBe('12');
    expect(await page.locator('textarea[name="rule"]').count()).toBe(0);
    await page.getByLabel('Weeks').fill('');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    expect(await errorSummary(page)).toContain('Enter the minimum time, like 12 in weeks');
    await look(page, 'edit-commitment-error');
    await page.getByLabel('Weeks').fill('13');
    await page.getByLabel('Summary of the rule (optional)').fill('formal consultations of at least 13 weeks');
    await page.getByRole('button', { name: 'Save commitment' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Commitment 2.4 saved.');
    const [row] = await b.db.query(`SELECT rule FROM commitments WHERE id = (SELECT k.id FROM commitments k WHERE k.compact_id = $1 AND k.reference = '2.4')`, [b.demo.compacts.national2010]);
    expect(row.rule).toMatchObject({ atLeast: { weeks: 13 }, unless: 'shorterConsultationRationaleGiven', summary: 'formal consultations of at least 13 weeks' });
    expect(problems).toEqual([]);
  });

  it('edits a user and an organisation', async () => {
    const page = admin.page;
    await page.goto('/admin/users');
    await look(page, 'users');
    await page.getByRole('link', { name: 'Kofi Caseworker' }).click();
    await look(page, 'user');
    await page.getByLabel('Name', { exact: true }).fill('Kofi Mensah');
    await page.getByLabel('E-mail address', { exact: true }).fill('kofi.mensah@demo.compact.test');
    await clickLabel(page, 'Administrator');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Kofi Mensah’s account is saved.');
    await look(page, 'user-saved');
    expect((await b.db.query(`SELECT email, role FROM users WHERE id = $1`, [b.demo.users.caseworker2.id]))[0]).toEqual({ email: 'kofi.mensah@demo.compact.test', role: 'administrator' });

    await page.goto('/admin/organisations');
    await look(page, 'organisations');
    // exact: the row's contacts link is named 'Contacts at Leicestershire Police'.
    await page.getByRole('link', { name: 'Leicestershire Police', exact: true }).click();
    await look(page, 'organisation');
    expect(await page.getByLabel('Police', { exact: true }).isChecked()).toBe(true);
    await page.getByLabel('Area (optional)').fill('Leicestershire and Rutland');
    await clickLabel(page, 'Police and crime commissioner');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Leicestershire Police saved.');
    await look(page, 'organisation-saved');
    expect((await b.db.query(`SELECT area, body_type FROM organisations WHERE id = $1`, [b.demo.organisations.leicestershirePolice]))[0]).toEqual({ area: 'Leicestershire and Rutland', body_type: 'pcc' });
    expect(problems).toEqual([]);
  });

  it('edits a mediator’s ties, and the caseworker appointing a mediator sees them', async () => {
    const page = admin.page;
    await page.goto('/admin/users');
    await page.getByRole('link', { name: 'Mina Mediator' }).click();
    expect(await page.locator('#no-ties').innerText()).toContain('No ties recorded.');
    await page.getByLabel('Organisation they are tied to').selectOption(b.demo.organisations.leicestershirePolice);
    await page.getByLabel('How they are tied').fill('trustee of the police charity');
    await page.getByRole('button', { name: 'Record the tie' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#ties-list').innerText()).toContain('trustee of the police charity');
    await look(page, 'mediator-ties');

    // A case waiting for its mediator, driven there over the API.
    const filed = await send('reporter', '/api/cases', sampleReport(b.demo));
    const id = filed.id as string;
    for (const [who, event] of [
      ['caseworker', { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id }],
      ['caseworker', { type: 'ACCEPT' }],
      ['caseworker', { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.' }],
      ['caseworker', { type: 'RECORD_RESPONSE', summary: 'The council will not change its mind.' }],
      ['caseworker', { type: 'REFER_TO_MEDIATION' }],
      ['admin', { type: 'WAIVE_FEE', reason: 'A small charity' }],
    ] as Array<[string, Record<string, unknown>]>) {
      await send(who, `/api/cases/${id}/events`, event);
    }
    const caseworker = await b.personAs('caseworker@demo.compact.test');
    await caseworker.page.goto(`/cases/${id}`);
    // The action has a page of its own, linked from the case page.
    await caseworker.page.locator('#open-APPOINT_MEDIATOR').click();
    await caseworker.page.waitForURL(/\/actions\/APPOINT_MEDIATOR$/);
    const appoint = caseworker.page.locator('#form-APPOINT_MEDIATOR');
    const options = await appoint.locator('label').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['Mina Mediator (tied to Leicestershire Police)', 'Tom Tied-Mediator (tied to Harborough District Council)']));
    await look(caseworker.page, 'appoint-mediator');
    await clickLabel(caseworker.page, 'Mina Mediator (tied to Leicestershire Police)', appoint);
    await appoint.locator('#submit-APPOINT_MEDIATOR').click();
    await caseworker.page.waitForLoadState('domcontentloaded');
    expect(await caseworker.page.locator('.govuk-error-summary').count()).toBe(0);
    expect((await b.db.query(`SELECT mediator_id FROM cases WHERE id = $1`, [id]))[0].mediator_id).toBe(b.demo.users.mediator.id);

    // Taken away again on the mediator's page.
    await page.getByRole('button', { name: 'Remove the tie to Leicestershire Police' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#no-ties').count()).toBe(1);
    await look(page, 'mediator-tie-removed');
    expect(problems).toEqual([]);
  });

  it('edits a footer page, and someone not signed in reads it from the footer', async () => {
    const page = admin.page;
    await page.goto('/admin/compacts');
    await page.locator('nav[aria-label="Menu"]').getByRole('link', { name: 'Footer pages' }).click();
    await look(page, 'footer-pages');
    await page.getByRole('link', { name: 'Edit Get help or give feedback' }).click();
    await look(page, 'edit-help');
    await page.getByLabel('Text', { exact: true }).fill('## Write to us\n\nE-mail compact-help@example.org and we will answer within a week.\n\n- give your case reference\n- never send your password');
    await page.getByRole('button', { name: 'Save page' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('saved. It shows on the website now.');
    await look(page, 'footer-page-saved');

    const stranger = await b.browser.newContext({ baseURL: b.baseUrl });
    try {
      const publicPage = await stranger.newPage();
      await publicPage.goto('/statistics/public');
      for (const [link, heading] of [
        ['Accessibility statement', 'Accessibility statement for Compact Cases'],
        ['Privacy notice', 'Privacy notice'],
        ['Cookies', 'Cookies'],
        ['Help and feedback', 'Get help or give feedback'],
      ]) {
        await publicPage.locator('footer').getByRole('link', { name: link, exact: true }).click();
        await publicPage.waitForLoadState('domcontentloaded');
        expect(await publicPage.locator('h1').innerText()).toBe(heading);
        await look(publicPage, `public-${link.toLowerCase().replace(/\W+/g, '-')}`);
      }
      const help = await publicPage.locator('main').innerText();
      expect(help).toContain('Write to us');
      expect(help).toContain('never send your password');
      expect(await publicPage.getByRole('link', { name: 'compact-help@example.org' }).getAttribute('href')).toBe('mailto:compact-help@example.org');
    } finally {
      await stranger.close();
    }
    expect(problems).toEqual([]);
  });

  it('passes on the other administration pages: a Compact’s details, a new account, refused forms', async () => {
    const page = admin.page;
    await page.goto(`/admin/compacts/${b.demo.compacts.harborough2003}`);
    await page.getByRole('link', { name: /Edit the details/ }).click();
    await look(page, 'edit-compact');
    await page.getByLabel('Area', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save the details' }).click();
    expect(await errorSummary(page)).toContain('Enter the area the local Compact covers');
    await look(page, 'edit-compact-error');

    await page.goto('/admin/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    expect(await errorSummary(page)).toContain('Enter the person’s name');
    await look(page, 'add-user-errors');
    await page.getByLabel('Name', { exact: true }).fill('Sam Patel');
    await page.getByLabel('E-mail address', { exact: true }).fill('sam.patel@example.org');
    await clickLabel(page, 'Mediator');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.waitForLoadState('domcontentloaded');
    // By default the person is e-mailed a link to choose their own password.
    expect(await page.locator('#link-sent').innerText()).toContain('We have e-mailed Sam Patel a link');
    await look(page, 'user-created-link');

    await page.goto('/admin/users');
    await page.getByLabel('Name', { exact: true }).fill('Tom Patel');
    await page.getByLabel('E-mail address', { exact: true }).fill('tom.patel@example.org');
    await clickLabel(page, 'Mediator');
    await clickLabel(page, 'Show me a temporary password to give them');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#temporary-password').count()).toBe(1);
    await look(page, 'user-created');

    await page.goto('/admin/organisations');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    expect(await errorSummary(page)).toContain('Select what kind of organisation it is');
    await look(page, 'add-organisation-errors');
    await page.getByLabel('Name', { exact: true }).fill('Blaby District Council');
    await clickLabel(page, 'Council');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Blaby District Council added.');

    await page.goto('/admin/site-pages/privacy');
    await page.getByLabel('Text', { exact: true }).fill('See [our notes](ftp://example.org/notes).');
    await page.getByRole('button', { name: 'Save page' }).click();
    expect(await errorSummary(page)).toContain('must go to a web address starting https://');
    await look(page, 'edit-privacy-error');
    expect(problems).toEqual([]);
  });

  it('follows every link of the admin menu, and each page passes', async () => {
    const page = admin.page;
    await page.goto('/admin/compacts');
    const links = await page.locator('nav[aria-label="Menu"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(links).toEqual(
      expect.arrayContaining(['/triage', '/deadlines', '/cases', '/cases?stage=mediation', '/statistics', '/workflow', '/admin/compacts', '/admin/organisations', '/admin/users', '/admin/emails', '/admin/fee-instructions', '/admin/site-pages']),
    );
    for (const href of links) {
      await page.goto('/admin/compacts');
      await page.locator(`nav[aria-label="Menu"] a[href="${href}"]`).click();
      await page.waitForLoadState('domcontentloaded');
      expect({ href, at: new URL(page.url()).pathname + new URL(page.url()).search }).toEqual({ href, at: href });
      expect({ href, title: await page.title() }).not.toEqual({ href, title: expect.stringMatching(/not found|cannot do that|problem with the service/i) });
      await look(page, `menu${href.replace(/\W+/g, '-')}`);
    }
    // The signed-in bar is a landmark a screen reader can jump to.
    expect(await page.getByRole('region', { name: 'Your account' }).getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    // For the closing note: how many different pages were checked.
    process.stdout.write(`browser: administration visited ${visited.size} pages: ${[...visited].join(', ')}\n`);
  });
});
