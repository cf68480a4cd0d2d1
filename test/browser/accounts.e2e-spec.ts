import { INestApplicationContext } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { deleteKeys, testQueuePrefix } from '../support/test-redis';
import { TestSmtp } from '../support/test-smtp';
import { startWorker, waitFor, workerConfig } from '../support/test-worker';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

const FIRST = 'purple kettle river spoon';
const SECOND = 'seven quiet owls at dusk';

/**
 * A person's account in a real browser, clicking what people click: changing a password, a
 * forgotten password by a link read off the real SMTP server, a temporary password replaced at
 * first sign-in, and signing out on every device.
 */
describe('browser: accounts', () => {
  let b: BrowserApp;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    smtp = await new TestSmtp().start();
    b = await startBrowserApp('browser-accounts');
    prefix = testQueuePrefix('browser-accounts');
    worker = await startWorker(workerConfig(b.databaseUrl, prefix, smtp.url, { PUBLIC_BASE_URL: b.baseUrl }));
  });
  afterAll(async () => {
    await worker?.close();
    await b?.close();
    await smtp?.stop();
    if (prefix) await deleteKeys(prefix);
  });

  const text = (page: Page) => page.locator('main').innerText();
  const signIn = async (page: Page, email: string, password: string) => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  /** An administrator adds a caseworker on the pages, asking to be shown a temporary password. */
  const addPerson = async (name: string, email: string): Promise<string> => {
    const admin = await b.personAs(b.demo.users.admin.email);
    await admin.page.goto('/admin/users');
    await admin.page.getByLabel('Name', { exact: true }).fill(name);
    await admin.page.getByLabel('E-mail address', { exact: true }).fill(email);
    // People click the words of a radio button, not the small circle.
    for (const words of ['Caseworker', 'Show me a temporary password to give them']) {
      await admin.page.locator('main label', { hasText: words }).first().click();
      expect(await admin.page.getByLabel(words, { exact: true }).isChecked()).toBe(true);
    }
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    const password = (await admin.page.locator('#temporary-password').innerText()).trim();
    await admin.context.close();
    return password;
  };
  /** Signs in with the temporary password and chooses one of their own, as the service asks first. */
  const firstSignIn = async (page: Page, email: string, temporary: string, chosen = FIRST) => {
    await signIn(page, email, temporary);
    expect(new URL(page.url()).pathname).toBe('/account/new-password');
    await page.getByLabel('New password').fill(chosen);
    await page.getByRole('button', { name: 'Save password and continue' }).click();
  };

  it('a temporary password is replaced before anything else', async () => {
    const email = 'tess.temporary@example.org';
    const temporary = await addPerson('Tess Temporary', email);
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    await signIn(page, email, temporary);
    expect(new URL(page.url()).pathname).toBe('/account/new-password');
    expect(await text(page)).toContain('You signed in with a temporary password');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'accounts-01-new-password');
    // Nowhere else opens until it is done.
    await page.goto('/triage');
    expect(new URL(page.url()).pathname).toBe('/account/new-password');
    await page.getByLabel('New password').fill('password1234');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('one of the most common passwords');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('New password').fill(FIRST);
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    expect(new URL(page.url()).pathname).toBe('/triage');
    await context.close();
  });

  it('changes a password from the account page; the other browser is signed out', async () => {
    const email = 'carl.changer@example.org';
    const temporary = await addPerson('Carl Changer', email);
    const laptop = await b.browser.newContext({ baseURL: b.baseUrl });
    const phone = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await laptop.newPage();
    const other = await phone.newPage();
    await firstSignIn(page, email, temporary);
    await signIn(other, email, FIRST);
    expect(new URL(other.url()).pathname).toBe('/triage');

    await page.getByRole('link', { name: 'Carl Changer' }).click();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByRole('link', { name: 'Change your password' }).click();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password').fill(SECOND);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Your current password is not right');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('Current password').fill(FIRST);
    await page.getByLabel('New password').fill(SECOND);
    await page.getByRole('button', { name: 'Change password' }).click();
    expect(await text(page)).toContain('Your password has been changed');
    await screenshot(page, 'accounts-02-password-changed');

    await other.reload();
    expect(new URL(other.url()).pathname).toBe('/sign-in');
    await signIn(other, email, SECOND);
    expect(new URL(other.url()).pathname).toBe('/triage');
    await laptop.close();
    await phone.close();
  });

  it('a forgotten password: the link comes by e-mail and works once', async () => {
    const email = 'fern.forgetful@example.org';
    const temporary = await addPerson('Fern Forgetful', email);
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    await firstSignIn(page, email, temporary);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    expect(await text(page)).toContain('Check your e-mail');
    expect(await pageProblems(page)).toEqual([]);

    const mail = await waitFor('the reset e-mail', async () => smtp.received.filter((m) => m.rcpt.includes(email)), (list) => list.length > 0);
    const raw = mail[0].raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const link = new RegExp(`${b.baseUrl.replace(/[.]/g, '\\.')}/reset-password\\?token=[A-Za-z0-9_-]+`).exec(raw)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await text(page)).toContain('Choose a new password');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('New password').fill(SECOND);
    await page.getByRole('button', { name: 'Save new password' }).click();
    expect(await text(page)).toContain('Your password has been changed');
    await signIn(page, email, SECOND);
    expect(new URL(page.url()).pathname).toBe('/triage');

    await page.goto(link!);
    await page.getByLabel('New password').fill('a third good passphrase');
    await page.getByRole('button', { name: 'Save new password' }).click();
    expect(await text(page)).toContain('This link has expired');
    expect(await pageProblems(page)).toEqual([]);
    await context.close();
  });

  it('signs out on every device from the account page', async () => {
    const email = 'eve.everywhere@example.org';
    const temporary = await addPerson('Eve Everywhere', email);
    const laptop = await b.browser.newContext({ baseURL: b.baseUrl });
    const phone = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await laptop.newPage();
    const other = await phone.newPage();
    await firstSignIn(page, email, temporary);
    await signIn(other, email, FIRST);
    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out on every device' }).click();
    expect(await text(page)).toContain('You have signed out on every device');
    await other.goto('/cases');
    expect(new URL(other.url()).pathname).toBe('/sign-in');
    await laptop.close();
    await phone.close();
  });
});
