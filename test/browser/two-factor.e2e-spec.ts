import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@cc/demo-data';
import { TestAuthenticator, nextCode } from '../support/second-factor';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/** Records every CSP violation from the first byte, so the QR code (a data: image) is shown under the policy. */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline'));
  });
`;

/**
 * Two-factor sign-in in a real browser, as a person does it: the key is read off the page (as a
 * person would type it into their app), the code is computed from it, and every field is found by
 * its label and every button by its words.
 */
describe('browser: two-factor sign-in', () => {
  let b: BrowserApp;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    b = await startBrowserApp('browser-two-factor');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await b?.close();
  });

  const freshBrowser = async (): Promise<Page> => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    contexts.push(context);
    const page = await context.newPage();
    await page.addInitScript(RECORD_VIOLATIONS);
    return page;
  };
  const path = (page: Page) => new URL(page.url()).pathname;
  const violations = (page: Page) => page.evaluate('window.__cspViolations') as Promise<string[]>;
  const signInWithPassword = async (page: Page, email: string) => {
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const userId = async (email: string): Promise<string> => (await b.db.query(`SELECT id FROM users WHERE email = $1`, [email]))[0].id;

  /** On the set-up page: checks it, reads the key as a person would, and enters the app's code. */
  const setUpOnPage = async (page: Page, email: string, shot: string): Promise<TestAuthenticator> => {
    const qr = page.getByRole('img', { name: /QR code for adding Compact Cases to your authenticator app/ });
    expect(await qr.isVisible()).toBe(true);
    // The QR code really drew: the browser decoded the PNG under the page's policy.
    expect(await qr.evaluate((img) => { const i = img as unknown as { complete: boolean; naturalWidth: number }; return i.complete ? i.naturalWidth : 0; })).toBeGreaterThan(100);
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, `${shot}-set-up`);
    const key = (await page.locator('#secret-key').innerText()).replace(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    const authenticator: TestAuthenticator = { userId: await userId(email), secret: key, recoveryCodes: [] };
    await page.getByLabel('Security code').fill(await nextCode(b.db, authenticator));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Save these recovery codes');
    authenticator.recoveryCodes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim());
    expect(authenticator.recoveryCodes).toHaveLength(10);
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, `${shot}-recovery-codes`);
    return authenticator;
  };

  it('a caseworker sets it up from their account, then signs in again with a code from the app', async () => {
    const page = await freshBrowser();
    await signInWithPassword(page, 'caseworker@demo.compact.test');
    expect(path(page)).toBe('/triage');
    await page.getByRole('link', { name: 'Cara Caseworker' }).click();
    await page.getByRole('link', { name: 'Two-factor sign-in settings' }).click();
    expect(await page.locator('#two-factor-status').innerText()).toContain('Off');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    expect(path(page)).toBe('/account/two-factor/set-up');

    // A mistyped code first: the error is said beside the field, and the key stays the same.
    const key = await page.locator('#secret-key').innerText();
    await page.getByLabel('Security code').fill('12345');
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('That code is not right');
    expect(await page.locator('#secret-key').innerText()).toBe(key);

    const authenticator = await setUpOnPage(page, 'caseworker@demo.compact.test', 'two-factor-01');
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Two-factor sign-in is on');
    expect(await page.locator('#two-factor-status').innerText()).toContain('10 of 10');
    expect(await violations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'caseworker@demo.compact.test');
    expect(path(page)).toBe('/sign-in/two-factor');
    expect(await page.getByLabel('Security code').getAttribute('autocomplete')).toBe('one-time-code');
    expect(await page.getByLabel('Security code').getAttribute('inputmode')).toBe('numeric');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'two-factor-02-code');
    // "I cannot use my phone" opens to the recovery code page.
    await page.getByText('I cannot use my phone').click();
    expect(await page.getByRole('link', { name: 'Use a recovery code' }).isVisible()).toBe(true);

    await page.getByLabel('Security code').fill(await nextCode(b.db, authenticator));
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(path(page)).toBe('/triage');
    expect(await page.locator('body').innerText()).toContain('Signed in as Cara Caseworker');

    // Another time, without the phone: a recovery code on its own page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'caseworker@demo.compact.test');
    await page.getByText('I cannot use my phone').click();
    await page.getByRole('link', { name: 'Use a recovery code' }).click();
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('Recovery code').fill(authenticator.recoveryCodes[0]);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(path(page)).toBe('/triage');
    expect(await violations(page)).toEqual([]);
  });

  it('an administrator without it is sent to set it up before anything else, then goes on', async () => {
    // A second administrator, with the demo password, who has not set it up yet.
    await b.db.query(
      `INSERT INTO users (email, display_name, role, password_hash) SELECT 'admin2@demo.compact.test', 'Abe Administrator', 'administrator', password_hash FROM users WHERE id = $1`,
      [b.demo.users.admin.id],
    );
    const page = await freshBrowser();
    await signInWithPassword(page, 'admin2@demo.compact.test');
    expect(path(page)).toBe('/account/two-factor/set-up');
    expect(await page.locator('body').innerText()).toContain('Administrators must use two-factor sign-in. Set it up now to finish signing in.');
    // The menu is not offered until it is done; asking for a page comes back here.
    await page.goto('/admin/users');
    expect(path(page)).toBe('/account/two-factor/set-up');

    const authenticator = await setUpOnPage(page, 'admin2@demo.compact.test', 'two-factor-03-admin');
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    expect(path(page)).toBe('/cases');
    await page.getByRole('link', { name: 'Users' }).first().click();
    expect(path(page)).toBe('/admin/users');

    // Next time, a code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(page, 'admin2@demo.compact.test');
    expect(path(page)).toBe('/sign-in/two-factor');
    await page.getByLabel('Security code').fill(await nextCode(b.db, authenticator));
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(path(page)).toBe('/cases');

    // The administrator resets the caseworker's second factor from the caseworker's page, after confirming.
    await page.goto('/admin/users');
    await page.getByRole('link', { name: 'Cara Caseworker' }).first().click();
    await page.getByRole('button', { name: 'Reset two-factor sign-in' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Reset Cara Caseworker’s two-factor sign-in?');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'two-factor-04-reset');
    await page.getByRole('button', { name: 'Reset two-factor sign-in' }).click();
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Cara Caseworker’s two-factor sign-in is reset');
    expect(await page.locator('#account-events').innerText()).toContain('two-factor sign-in reset by Abe Administrator');
    expect(await pageProblems(page)).toEqual([]);
    expect(await violations(page)).toEqual([]);
  });
});
