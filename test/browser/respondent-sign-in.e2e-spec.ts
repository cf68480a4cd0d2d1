import { INestApplicationContext } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { deleteKeys, testQueuePrefix } from '../support/test-redis';
import { TestSmtp } from '../support/test-smtp';
import { startWorker, waitFor, workerConfig } from '../support/test-worker';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * A person at a public body signs in without a password, in a real browser: the link on the
 * sign-in page, their e-mail address, the link read off the real SMTP server, Continue, their
 * cases. And a caseworker keeping the public body's contacts. Every page passes axe and fits 375 px.
 */
describe('browser: respondent sign-in by link', () => {
  let b: BrowserApp;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    smtp = await new TestSmtp().start();
    b = await startBrowserApp('browser-respondent-sign-in');
    prefix = testQueuePrefix('browser-respondent-sign-in');
    worker = await startWorker(workerConfig(b.databaseUrl, prefix, smtp.url, { PUBLIC_BASE_URL: b.baseUrl }));
  });
  afterAll(async () => {
    await worker?.close();
    await b?.close();
    await smtp?.stop();
    if (prefix) await deleteKeys(prefix);
  });

  const text = (page: Page) => page.locator('main').innerText();
  const checked = async (page: Page, name: string) => {
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, `respondent-sign-in-${name}`);
  };

  it('asks for a link, opens it from the e-mail, presses Continue and lands on their cases; the link then no longer works', async () => {
    const email = b.demo.respondents.council.email;
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with a link (public bodies)' }).click();
    expect(new URL(page.url()).pathname).toBe('/sign-in/link');
    await checked(page, '01-request');
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter your e-mail address');
    await checked(page, '02-request-error');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a sign-in link' }).click();
    expect(await text(page)).toContain('Check your e-mail');
    await checked(page, '03-sent');

    const mail = await waitFor(`an e-mail to ${email}`, async () => smtp.received.filter((m) => m.rcpt.includes(email)), (list) => list.length > 0).then((list) => list[list.length - 1]);
    const link = new RegExp(`${b.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/sign-in/link/[A-Za-z0-9_-]+`).exec(mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await text(page)).toContain('Sign in to Compact Cases');
    await checked(page, '04-continue');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(new URL(page.url()).pathname).toBe('/cases');
    expect(await page.locator('body').innerText()).toContain('Priya Shah');
    await screenshot(page, 'respondent-sign-in-05-cases');

    // The same link again, in another browser: it has been used.
    const other = await b.browser.newContext({ baseURL: b.baseUrl });
    const again = await other.newPage();
    await again.goto(link!);
    expect(await text(again)).toContain('This link has expired or has been used. Ask for a new one.');
    await checked(again, '06-used');
    await again.getByRole('link', { name: 'Ask for a new sign-in link' }).click();
    expect(new URL(again.url()).pathname).toBe('/sign-in/link');
    await other.close();
    await context.close();
  });

  it('a caseworker adds and deactivates a contact of a public body', async () => {
    const { page, context } = await b.personAs(b.demo.users.caseworker.email);
    await page.goto('/public-bodies');
    await checked(page, '07-public-bodies');
    await page.getByRole('link', { name: 'Harborough District Council' }).click();
    expect(await text(page)).toContain('Contacts at Harborough District Council');
    await checked(page, '08-contacts');
    await page.getByLabel('Full name').fill('Browser Person');
    await page.getByLabel('Work e-mail address').fill('browser.person@harborough.example.gov.uk');
    await page.getByLabel('Job title (optional)').fill('Head of Commissioning');
    await page.getByRole('button', { name: 'Add contact' }).click();
    expect(await page.locator('body').innerText()).toContain('Browser Person added.');
    await page.getByRole('link', { name: 'Change Browser Person' }).click();
    await checked(page, '09-contact');
    await page.getByRole('button', { name: 'Deactivate Browser Person' }).click();
    expect(await page.locator('body').innerText()).toContain('Browser Person has been deactivated');
    await checked(page, '10-contacts-after');
    await context.close();
  });
});
