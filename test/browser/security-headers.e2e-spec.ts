import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIRequestContext, BrowserContext, Page, request } from 'playwright-core';
import { DEMO_PASSWORD } from '@cc/demo-data';
import { sampleReport } from '../support/test-app';
import { REDIS_URL, deleteKeys, testQueuePrefix } from '../support/test-redis';
import { BrowserApp, Person, startBrowserApp } from './browser-support';

/** What the browser said about the Content-Security-Policy on one page. */
interface PolicyReport {
  header: string | undefined;
  violations: string[];
  consoleErrors: string[];
}

/** Listens, before any of the page's own script runs, for every CSP violation the browser reports. */
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + (e.sample || '') + ')');
  });
`;

/**
 * The headers in a real browser: every page is under a Content-Security-Policy that the browser
 * enforces without a single violation (GOV.UK Frontend's JavaScript still runs: its inline script
 * is allowed by hash, the rest are files), SwaggerUI and the queue dashboard still work under
 * theirs, and no other site can frame a page.
 */
describe('browser: security headers', () => {
  const prefix = testQueuePrefix('browser-headers');
  let b: BrowserApp;
  let api: APIRequestContext;
  let caseworker: Person;
  let admin: Person;
  let caseId: string;

  beforeAll(async () => {
    b = await startBrowserApp('browser-security-headers', { REDIS_URL, QUEUE_PREFIX: prefix });
    api = await request.newContext({ baseURL: b.baseUrl });
    const login = await api.post('/api/auth/login', { data: { email: 'reporter@demo.compact.test', password: DEMO_PASSWORD } });
    const filed = await api.post('/api/cases', { headers: { authorization: `Bearer ${(await login.json()).token}` }, data: sampleReport(b.demo) });
    if (filed.status() !== 201) throw new Error(`filing failed: ${filed.status()} ${await filed.text()}`);
    caseId = (await filed.json()).id;
    caseworker = await b.personAs('caseworker@demo.compact.test');
    admin = await b.personAs('admin@demo.compact.test');
  }, 90_000);
  afterAll(async () => {
    await api?.dispose();
    await b?.close();
    await deleteKeys(prefix);
  });

  /** Opens a path in the context's page with violations recorded from the first byte; what the browser saw. */
  async function visit(context: BrowserContext, path: string, ready?: (page: Page) => Promise<unknown>): Promise<PolicyReport & { page: Page }> {
    const page = await context.newPage();
    await page.addInitScript(RECORD_VIOLATIONS);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    const response = await page.goto(path);
    await page.waitForLoadState('load');
    if (ready) await ready(page);
    // Give late work (images, script-made styles) a moment to be reported.
    await page.waitForTimeout(300);
    const violations = (await page.evaluate('window.__cspViolations')) as string[];
    return { page, header: await response?.headerValue('content-security-policy') ?? undefined, violations, consoleErrors };
  }

  it('the sign-in page: under the policy, no violation, GOV.UK JavaScript running', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const { page, header, violations, consoleErrors } = await visit(context, '/sign-in');
    expect(header).toMatch(/script-src 'self' 'sha256-/);
    expect(header).toContain("frame-ancestors 'none'");
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    // The template's inline script ran (allowed by its hash) and so did GOV.UK Frontend's module.
    expect(await page.locator('body').getAttribute('class')).toMatch(/\bjs-enabled\b.*\bgovuk-frontend-supported\b/);
    // The error summary takes focus: GOV.UK Frontend's JavaScript initialised its component.
    await page.getByLabel('E-mail address').fill('reporter@demo.compact.test');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState('load');
    // A locator, not a waitForFunction string: the page's CSP (rightly) forbids evaluating strings.
    await page.locator('.govuk-error-summary:focus-within').waitFor();
    expect((await page.evaluate('window.__cspViolations')) as string[]).toEqual([]);
    await context.close();
  });

  it('a signed-in case page: no violation, GOV.UK JavaScript and the timeout warning script running', async () => {
    const { page, header, violations, consoleErrors } = await visit(caseworker.context, `/cases/${caseId}`);
    expect(header).toContain("default-src 'self'");
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator('body').getAttribute('class')).toMatch(/\bjs-enabled\b/);
    // The session timeout warning (our own script file) has built its dialog, ready to show.
    expect(await page.locator('dialog#session-timeout').count()).toBe(1);
    // The note's character count was set up by GOV.UK Frontend (it adds the live status).
    expect(await page.locator('#form-note .govuk-character-count__status').count()).toBe(1);
    await page.close();
  });

  it('SwaggerUI at /api/docs: draws the API under its policy, with no violation', async () => {
    const context = await b.browser.newContext({ baseURL: b.baseUrl });
    const { page, header, violations, consoleErrors } = await visit(context, '/api/docs', (p) => p.locator('.swagger-ui .opblock').first().waitFor({ timeout: 15_000 }));
    expect(header).not.toContain('unsafe-inline');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('Compact Cases API');
    await context.close();
  });

  it('the queue dashboard: shows the queues under its policy, with no violation', async () => {
    const { page, header, violations, consoleErrors } = await visit(admin.context, '/admin/queues', (p) => p.getByText('deadlines', { exact: false }).first().waitFor({ timeout: 15_000 }));
    expect(header).not.toContain('unsafe-inline');
    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(await page.locator('body').innerText()).toMatch(/email/i);
    await page.close();
  });

  it('cannot be framed by another site', async () => {
    // Another origin (another port) whose page frames the sign-in page.
    const target = `${b.baseUrl}/sign-in`;
    const other: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!DOCTYPE html><title>Another site</title><iframe id="framed" src="${target}" width="600" height="400"></iframe>`);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const context = await b.browser.newContext();
      const page = await context.newPage();
      const messages: string[] = [];
      page.on('console', (message) => messages.push(message.text()));
      const signInLoaded = page.waitForResponse((res) => res.url() === target);
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      // The browser did fetch the page, then refused to show it inside the frame.
      expect((await signInLoaded).status()).toBe(200);
      await page.waitForTimeout(500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame).toBeDefined();
      expect(await frame!.locator('input[name="email"]').count()).toBe(0);
      expect(frame!.url()).not.toBe(target);
      expect(messages.join('\n')).toMatch(/frame-ancestors 'none'/);
      await context.close();
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
