import { APIRequestContext, Page, request } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * Letters in a real browser: a caseworker opens the case, presses "Write a letter", picks the
 * chaser, sees it filled in, finds the gaps marked in words, fills one in, cannot send while one is
 * left, sends it, and finds it on the case's page and history; an administrator changes a template
 * and is told plainly what is wrong with a field that does not exist. Fields are reached by their
 * labels; every page visited passes axe at every impact and fits 375 px.
 */
describe('browser: writing letters and keeping their templates', () => {
  let b: BrowserApp;
  let api: APIRequestContext;
  let caseworker: Person;
  let admin: Person;
  const tokens: Record<string, string> = {};
  const problems: string[] = [];
  let visited = 0;
  let theCase: { id: string; reference: string };

  beforeAll(async () => {
    b = await startBrowserApp('browser-letters');
    api = await request.newContext({ baseURL: b.baseUrl });
    for (const [who, email] of [
      ['reporter', 'reporter@demo.compact.test'],
      ['caseworker', 'caseworker@demo.compact.test'],
    ]) {
      tokens[who] = await b.apiToken(email);
    }
    const res = await api.post('/api/cases', {
      headers: { authorization: `Bearer ${tokens.reporter}` },
      data: sampleReport(b.demo, { title: 'Consultation of five weeks', commitments: ['2.4'], facts: { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-10-06' } }),
    });
    theCase = (await res.json()) as { id: string; reference: string };
    await send(theCase.id, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });
    await send(theCase.id, { type: 'ACCEPT' });
    caseworker = await b.personAs('caseworker@demo.compact.test');
    admin = await b.personAs('admin@demo.compact.test');
  }, 90_000);
  afterAll(async () => {
    await api?.dispose();
    await b?.close();
  });

  async function send(id: string, event: Record<string, unknown>): Promise<void> {
    const res = await api.post(`/api/cases/${id}/events`, { headers: { authorization: `Bearer ${tokens.caseworker}` }, data: event });
    if (res.status() !== 200) throw new Error(`${String(event.type)} failed: ${res.status()} ${await res.text()}`);
  }

  async function look(page: Page, name: string): Promise<void> {
    visited++;
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `letters-${String(visited).padStart(2, '0')}-${name}`);
  }

  it('a caseworker picks a letter, sees its gaps, cannot send it with one left, fills it in and sends it', async () => {
    const page = caseworker.page;
    await page.goto(`/cases/${theCase.id}`);
    await page.getByRole('heading', { name: 'Letters' }).waitFor();
    await page.getByRole('button', { name: 'Write a letter' }).click();
    await page.waitForURL(/\/letters\/new$/);
    await look(page, 'pick');
    // Nothing chosen: said beside the radios.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Select the letter to write').first().waitFor();
    await look(page, 'pick-refused');
    await page.locator('label').filter({ hasText: 'Chaser to the public body' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/letters\/write\?template=/);
    await look(page, 'chaser-with-gaps');

    // The public body has not been written to: no contact, no date written, no date to reply by.
    const gaps = page.locator('#letter-gap-list li');
    expect(await gaps.allInnerTexts()).toEqual([
      'The names of the people the letter is to',
      'The date we last wrote to the public body about the case',
      'The date the public body must reply by',
    ]);
    expect(await page.locator('#letter-preview mark').count()).toBe(3);
    expect(await page.locator('#letter-preview').innerText()).toContain('[Missing: the date the public body must reply by]');
    expect(await page.locator('#letter-preview').innerText()).not.toMatch(/undefined|\{\{/);
    expect(await page.locator('#letter-preview').innerText()).toContain('The Compact (2010), 2.4, asks for formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October 2026');

    // Sending with gaps left: refused, each gap listed.
    await page.getByRole('button', { name: 'Send the letter' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Select who the letter is to');
    await look(page, 'send-refused');
    expect(await b.db.query(`SELECT 1 FROM letters WHERE case_id = $1`, [theCase.id])).toEqual([]);
  });

  it('once the public body has been contacted, the chaser has what it needs; the caseworker edits and sends it', async () => {
    const [contact] = await b.db.query(`SELECT id FROM respondent_contacts WHERE organisation_id = $1 ORDER BY name LIMIT 1`, [b.demo.organisations.harboroughCouncil]);
    await send(theCase.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the council.', contactIds: [contact.id] });
    const page = caseworker.page;
    await page.goto(`/cases/${theCase.id}/letters/new`);
    await page.locator('label').filter({ hasText: 'Chaser to the public body' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/letters\/write\?template=/);
    expect(await page.locator('#letter-gaps').count()).toBe(0);
    expect(await page.locator('#letter-preview').innerText()).toMatch(/Please reply by \d{1,2} \w+ \d{4}\./);

    // An edit that leaves a gap marker is refused, naming what is missing.
    await page.locator('label').filter({ hasText: 'The letter' }).first().click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n\nP.S. Our meeting on [missing: the date of the meeting] still stands.');
    await page.getByRole('button', { name: 'Send the letter' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('still has a gap to fill: the date of the meeting');
    expect(await page.locator('#letter-preview').innerText()).toContain('[Missing: the date of the meeting]');
    await look(page, 'edited-gap-refused');

    const body = page.locator('#letter-body');
    await body.fill((await body.inputValue()).replace('[missing: the date of the meeting]', '12 January'));
    await page.getByRole('button', { name: 'Check the letter again' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#letter-preview').innerText()).toContain('Our meeting on 12 January still stands.');
    await page.getByRole('button', { name: 'Send the letter' }).click();
    await page.getByRole('heading', { name: 'Letter sent' }).waitFor();
    await look(page, 'sent');
    expect(await page.locator('#letter-outcome').innerText()).toMatch(/It is being e-mailed to .+ \(Harborough District Council\)\./);

    await page.getByRole('link', { name: 'Back to the case' }).click();
    await page.locator('#letters-sent li').first().waitFor();
    expect(await page.locator('#letters-sent').innerText()).toContain('Reminder: we are waiting for your reply about');
    expect(await page.locator('#case-timeline').innerText()).toMatch(/Letter sent: Reminder: we are waiting for your reply about [\s\S]*?Cara Caseworker\s+To: [^\n]+\(Harborough District Council\)/);
    await look(page, 'case-with-letter');
    const [{ n }] = await b.db.query(`SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND template = 'letter'`, [theCase.id]);
    expect(n).toBe(1);
  });

  it('an administrator changes a template, and is told plainly about a field that does not exist', async () => {
    const page = admin.page;
    await page.goto('/cases');
    await page.locator('nav[aria-label="Menu"]').getByRole('link', { name: 'Letter templates' }).click();
    await page.getByRole('heading', { name: 'Letter templates' }).waitFor();
    await look(page, 'templates');
    await page.getByRole('link', { name: 'Request for information to the reporter' }).click();
    await page.locator('#template-body').waitFor();
    await look(page, 'template-edit');
    const body = page.locator('#template-body');
    await page.locator('label').filter({ hasText: 'The letter' }).click();
    await body.fill(`${await body.inputValue()}\n\nYour reference with us: {{case.referense}}`);
    await page.getByRole('button', { name: 'Save the letter' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The letter uses {{case.referense}}, which is not a merge field; did you mean {{case.reference}}?');
    await look(page, 'template-refused');
    await body.fill((await body.inputValue()).replace('{{case.referense}}', '{{case.reference}}'));
    await page.getByRole('button', { name: 'Save the letter' }).click();
    await page.getByText('The letter “Request for information to the reporter” was saved.').waitFor();
    const [saved] = await b.db.query(`SELECT body FROM letter_templates WHERE default_key = 'information-request'`);
    expect(saved.body).toContain('Your reference with us: {{case.reference}}');
  });

  it('every page visited passes axe and fits 375 px', () => {
    expect(visited).toBeGreaterThanOrEqual(9);
    expect(problems).toEqual([]);
  });
});
