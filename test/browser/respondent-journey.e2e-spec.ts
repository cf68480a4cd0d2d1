import type { Page } from 'playwright-core';
import { mintSignInLink } from '@cc/identity';
import { BrowserApp, Person, accessibilityProblems, pageProblems, screenshot, msLeftInUkDay, startBrowserApp, untilTodayHasLeft, widthProblems } from './browser-support';

/**
 * The public body's side in a real browser: a caseworker contacts the council naming its contact,
 * the contact signs in from the e-mail's link, asks for more time (the caseworker gives it),
 * replies online with a document, agrees its share of the mediation fee and, once the mediation
 * has settled, reports the agreed actions done, which the caseworker confirms. People click labels
 * and buttons; every respondent page is checked with axe, and the case page at 375 px.
 */
describe('browser: the public body replies, asks for more time, agrees the fee and reports the actions done', () => {
  let b: BrowserApp;
  let caseworker: Person;
  let respondent: Person;
  let caseId: string;
  let reference: string;
  let contact: { id: string; userId: string };
  const tokens: Record<string, string> = {};
  const problems: string[] = [];
  let shot = 1;

  const api = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${b.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` }, body: body ? JSON.stringify(body) : undefined });
    if (res.status >= 300) throw new Error(`${method} ${path} by ${who}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const send = (who: string, event: Record<string, unknown>) => api(who, 'POST', `/api/cases/${caseId}/events`, event);

  /** axe on the page (every impact on the public body's pages, serious and critical on staff's as the other journeys), and a screenshot. */
  async function look(page: Page, name: string): Promise<void> {
    problems.push(...(page === caseworker?.page ? await accessibilityProblems(page) : await pageProblems(page)));
    await screenshot(page, `respondent-${String(shot++).padStart(2, '0')}-${name}`);
  }

  beforeAll(async () => {
    b = await startBrowserApp('browser-respondent');
    for (const [who, email] of [['reporter', 'reporter@demo.compact.test'], ['caseworker', 'caseworker@demo.compact.test'], ['admin', 'admin@demo.compact.test']]) tokens[who] = await b.apiToken(email);
    contact = (await api('caseworker', 'POST', `/api/organisations/${b.demo.organisations.harboroughCouncil}/contacts`, { name: 'Pat Jones', email: 'pat.jones@harborough.example', jobTitle: 'Head of Commissioning' })) as unknown as typeof contact;
    const filed = await api('reporter', 'POST', '/api/cases', {
      respondentId: b.demo.organisations.harboroughCouncil,
      compactId: b.demo.compacts.national2010,
      commitments: ['4.5'],
      title: 'Grant ended with two weeks notice',
      whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
      happenedOn: '2026-10-01',
      impact: 'We had to close the Tuesday food bank session.',
      desiredOutcome: 'Three months notice as the Compact requires.',
      reporterMayBeNamed: false,
    });
    caseId = String(filed.id);
    reference = String(filed.reference);
    await send('caseworker', { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });
    await send('caseworker', { type: 'ACCEPT' });
    caseworker = await b.personAs('caseworker@demo.compact.test');
  }, 90_000);
  afterAll(() => b?.close());

  it('the caseworker contacts the council, ticking its named contact', async () => {
    const page = caseworker.page;
    await page.goto(`/cases/${caseId}`);
    await page.getByText('Contact the public body', { exact: true }).click();
    await page.getByLabel('Summary').fill('We wrote to the council about the notice period.');
    await page.getByLabel('Pat Jones, Head of Commissioning').check();
    await page.getByRole('button', { name: 'Record the contact' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#named-contacts').innerText()).toContain('Pat Jones');
    expect(await page.locator('#reporter-named').innerText()).toContain('The public body is not told who reported.');
    await look(page, 'caseworker-contacted');
  });

  it('the contact signs in from the link, sees its cases and the case page', async () => {
    const token = await mintSignInLink(b.db.manager, contact.userId, 'caseEmail');
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    respondent = { context, page: await context.newPage() };
    const page = respondent.page;
    await page.goto(`/sign-in/link/${token}`);
    await look(page, 'link-continue');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.goto('/cases');
    expect(await page.locator('h1').innerText()).toBe('Your cases');
    expect(await page.locator('#cases-table').innerText()).toContain('A voluntary organisation in Harborough');
    await look(page, 'your-cases');
    await page.getByRole('link', { name: reference }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#task-reply').innerText()).toMatch(/Reply by \d{1,2} \w+ \d{4}\./);
    expect(await page.content()).not.toContain('Riverside');
    await look(page, 'case');
    // A 375 px phone: the page fits, and a screenshot of it.
    problems.push(...(await widthProblems(page)));
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'respondent-case-375px');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(problems).toEqual([]);
  });

  it('asks for more time; a wrong number is shown beside the field; the caseworker gives it', async () => {
    const page = respondent.page;
    await page.getByText('Ask for more time', { exact: true }).first().click();
    await page.getByLabel('Why you need more time').fill('Our officer is away until next month.');
    await page.getByLabel('How many more working days you need').fill('thirty');
    await page.getByRole('button', { name: 'Ask for more time' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter how many more working days you need as a number, like 10');
    await look(page, 'more-time-error');
    await page.getByLabel('How many more working days you need').fill('5');
    await page.getByRole('button', { name: 'Ask for more time' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#case-extension').innerText()).toContain('The caseworker will tell you their answer by e-mail.');
    await look(page, 'more-time-asked');

    const staff = caseworker.page;
    await staff.goto(`/cases/${caseId}`);
    expect(await staff.locator('#public-body-did').innerText()).toContain('You need to give or refuse more time.');
    await staff.getByText('Give more time', { exact: true }).first().click();
    await staff.getByLabel('Working days to give').fill('5');
    await staff.getByRole('button', { name: 'Give more time' }).click();
    await staff.waitForLoadState('domcontentloaded');
    expect(await staff.locator('.govuk-notification-banner').first().innerText()).toContain('More time was given.');

    await page.reload();
    expect(await page.locator('#case-extension').innerText()).toContain('You were given 5 more working days.');
    expect(problems).toEqual([]);
  });

  it('replies online with a document', async () => {
    const page = respondent.page;
    await page.locator('#task-reply-link').click();
    await page.waitForLoadState('domcontentloaded');
    await look(page, 'reply');
    await page.getByLabel('What the document is (optional)').fill('Our notice letter');
    await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'notice-letter.txt', mimeType: 'text/plain', buffer: Buffer.from('Notice was given on 1 September.\n') });
    await page.getByRole('button', { name: 'Add the document' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#step-documents').innerText()).toContain('notice-letter.txt');
    await page.getByRole('button', { name: 'Send your reply' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter your reply');
    await look(page, 'reply-error');
    await page.getByLabel('Your reply').fill('We gave notice by phone on 1 September, and by letter.');
    await page.getByRole('button', { name: 'Send your reply' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#case-timeline').innerText()).toContain('You replied on');
    expect(await page.locator('#evidence-list').innerText()).toContain('notice-letter.txt');
    await look(page, 'replied');
    expect(problems).toEqual([]);
  });

  it('agrees its share of the mediation fee', async () => {
    await send('caseworker', { type: 'REFER_TO_MEDIATION' });
    await send('caseworker', { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
    const page = respondent.page;
    await page.reload();
    expect(await page.locator('#task-fee').innerText()).toContain('Your share: £900.00 of £1,200.00.');
    await look(page, 'fee-to-agree');
    // The task's button leads to the action's own page, which also offers declining.
    await page.locator('#task-fee-link').click();
    await page.waitForURL(/\/actions\/AGREE_FEE$/);
    expect(await page.locator('#AGREE_FEE-share').innerText()).toBe('Your share: £900.00 of £1,200.00.');
    expect(await page.locator('#AGREE_FEE-decline').count()).toBe(1);
    await look(page, 'agree-fee-page');
    await page.getByRole('button', { name: 'Agree to pay our share' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#case-fee').innerText()).toMatch(/You agreed to pay\s+Yes/);
    await look(page, 'fee-agreed');
    expect(problems).toEqual([]);
  });

  it('reports the agreed actions done after the mediation settles; the caseworker confirms', async () => {
    await send('reporter', { type: 'AGREE_FEE', party: 'reporter' });
    await send('admin', { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 90_000 });
    await send('admin', { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 30_000 });
    await send('caseworker', { type: 'APPOINT_MEDIATOR', mediatorId: b.demo.users.mediator.id });
    // A session later today: it can be recorded as held from its day on.
    tokens.mediator = await b.apiToken('mediator@demo.compact.test');
    await untilTodayHasLeft(30_000);
    const startsAt = new Date(Date.now() + Math.min(120_000, msLeftInUkDay() / 2)).toISOString();
    await send('mediator', { type: 'SCHEDULE_SESSION', startsAt, location: 'Harborough Civic Centre' });
    await send('mediator', { type: 'RECORD_SESSION_HELD' });
    const monitorUntil = `${new Date().getUTCFullYear() + 1}-06-30`;
    await send('mediator', { type: 'RECORD_OUTCOME', result: 'settled', summary: 'Both sides agreed.', agreedActions: ['Restore the grant until March'], monitorUntil });

    const page = respondent.page;
    await page.reload();
    await look(page, 'monitoring');
    await page.locator('#task-actions-link').click();
    await page.waitForLoadState('domcontentloaded');
    await look(page, 'actions-done');
    await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'grant-letter.txt', mimeType: 'text/plain', buffer: Buffer.from('The grant is restored.\n') });
    await page.getByRole('button', { name: 'Add the document' }).click();
    await page.waitForLoadState('domcontentloaded');
    await page.getByLabel('What was done').fill('The grant was restored on 3 December.');
    await page.getByRole('button', { name: 'Tell us the actions are done' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-notification-banner').first().innerText()).toContain('Your caseworker will check and confirm.');
    await look(page, 'actions-reported');

    const staff = caseworker.page;
    await staff.goto(`/cases/${caseId}`);
    expect(await staff.locator('#public-body-did').innerText()).toContain('that the agreed actions are done');
    await look(staff, 'caseworker-sees-actions-done');
    await staff.getByText('Confirm the agreed actions were carried out', { exact: true }).first().click();
    await staff.waitForURL(/\/actions\/CONFIRM_IMPLEMENTED$/);
    await look(staff, 'caseworker-confirm-page');
    await staff.getByRole('button', { name: 'Confirm and close' }).click();
    await staff.waitForLoadState('domcontentloaded');

    await page.reload();
    expect(await page.locator('#case-timeline').innerText()).toContain('The caseworker confirmed');
    await look(page, 'closed');
    expect(problems).toEqual([]);
  }, 120_000);
});
