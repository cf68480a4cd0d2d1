import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { INestApplication } from '@nestjs/common';
import { AppConfig, loadConfig } from '@cc/config';
import { createApiApp } from '@cc/api';
import { DEMO_PASSWORD, DemoData, seedDemoData } from '@cc/demo-data';
import { TestDatabase, createTestDatabase } from '../support/test-database';
import { TestAuthenticator, giveAuthenticator, nextCode } from '../support/second-factor';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Kept out of git; look at them after a run. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'screenshots');

export interface BrowserApp {
  baseUrl: string;
  /** The test's own database, for a worker to share. */
  databaseUrl: string;
  app: INestApplication;
  db: DataSource;
  demo: DemoData;
  browser: Browser;
  /** The demo administrator's authenticator app (administrators must sign in with a second factor). */
  adminAuthenticator: TestAuthenticator;
  /** A fresh browser profile per person, as if each used their own computer. */
  personAs(email: string): Promise<Person>;
  /** A bearer token for a demo account over the API, with the second factor where it has one. */
  apiToken(email: string): Promise<string>;
  close(): Promise<void>;
}

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** The real app on its own database and a real port, and Debian's Chromium driven by Playwright. */
export async function startBrowserApp(label: string, overrides: Partial<AppConfig> = {}): Promise<BrowserApp> {
  const database: TestDatabase = await createTestDatabase(label);
  const dataDir = mkdtempSync(join(tmpdir(), `cc-browser-${label}-`));
  const config: AppConfig = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir }), ...overrides };
  const app = await createApiApp(config);
  const db = app.get(DataSource);
  const demo = await seedDemoData(db);
  const adminAuthenticator = await giveAuthenticator(app, demo.users.admin.id);
  const authenticators = new Map([[demo.users.admin.email.toLowerCase(), adminAuthenticator]]);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  return {
    baseUrl,
    databaseUrl: database.url,
    app,
    db,
    demo,
    browser,
    adminAuthenticator,
    async personAs(email: string) {
      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: true });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('E-mail address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState('domcontentloaded');
      const authenticator = authenticators.get(email.toLowerCase());
      if (authenticator && new URL(page.url()).pathname === '/sign-in/two-factor') {
        // As a person would: read the code off the phone and type it in.
        await page.getByLabel('Security code').fill(await nextCode(db, authenticator));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForLoadState('domcontentloaded');
      }
      return { context, page };
    },
    async apiToken(email: string) {
      const post = async (path: string, body: unknown, token?: string) => {
        const res = await fetch(`${baseUrl}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
        if (res.status !== 200) throw new Error(`${path} for ${email}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { token: string; step: string | null };
      };
      const signedIn = await post('/api/auth/login', { email, password: DEMO_PASSWORD });
      const authenticator = authenticators.get(email.toLowerCase());
      if (signedIn.step !== 'second-factor' || !authenticator) return signedIn.token;
      return (await post('/api/auth/login/two-factor', { code: await nextCode(db, authenticator) }, signedIn.token)).token;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** axe-core against WCAG 2.2 AA; returns the serious and critical violations, described. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${page.url()}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** axe-core against WCAG 2.2 AA, every impact (minor and moderate too); the violations, described. */
export async function allAccessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${page.url()}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** Whether the page fits a 375 px phone without sideways scrolling (checked at 375 px, then the viewport is put back). */
export async function widthProblems(page: Page): Promise<string[]> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  try {
    // A string, as the project compiles without the DOM's types; it runs in the page.
    const wide = (await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      // Name the elements that stick out, so the problem can be found.
      return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
        .filter((el) => !el.closest('[data-scrolls-inside]'))
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '') +
          ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px)');
    })()`)) as string[];
    return wide.map((w) => `${page.url()}: wider than 375 px: ${w}`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/** Every check a page must pass: axe at every impact, and 375 px width. */
export async function pageProblems(page: Page): Promise<string[]> {
  return [...(await allAccessibilityProblems(page)), ...(await widthProblems(page))];
}

/** Milliseconds left in today as the UK counts it (the case process's days are UK days). */
export function msLeftInUkDay(now = new Date()): number {
  const [h, m, s] = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23', timeZone: 'Europe/London' })
    .format(now)
    .split(':')
    .map(Number);
  return 86_400_000 - ((h * 60 + m) * 60 + s) * 1000 - now.getMilliseconds();
}

/**
 * A session "later today" must start in the future when it is set and be on today's UK date when
 * it is recorded as held. Run in the last `neededMs` of a UK day, that cannot both hold, so this
 * waits for the day to turn first; at any other time it returns at once.
 */
export async function untilTodayHasLeft(neededMs: number): Promise<void> {
  const left = msLeftInUkDay();
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 1000));
}
