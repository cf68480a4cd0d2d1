import { BrowserApp, accessibilityProblems, screenshot, startBrowserApp } from './browser-support';

/** The sign-in page in a real browser: works, keeps the e-mail when refused, passes axe. */
describe('browser: sign in', () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp('browser-sign-in');
  });
  afterAll(() => b?.close());

  it('refuses a wrong password with a summary linked to the field, keeping the e-mail, and passes axe', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const page = await context.newPage();
    await page.goto('/sign-in');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '01-sign-in');
    await page.getByLabel('E-mail address').fill('reporter@demo.compact.test');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeTruthy();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('The e-mail address or password is not right');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('reporter@demo.compact.test');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, '02-sign-in-error');
    await context.close();
  });

  it('signs a reporter in and out, without JavaScript too', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail address').fill('reporter@demo.compact.test');
    await page.getByLabel('Password', { exact: true }).fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/cases');
    expect(await page.locator('body').innerText()).toContain('Signed in as Rita Reporter');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.locator('body').innerText()).toContain('You have signed out');
    await context.close();
  });
});
