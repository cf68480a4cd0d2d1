import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { readPdfText } from '../support/pdf-text';
import { readZip } from '../support/zip-read';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * The case file from the case page in a real browser: the reporter and the caseworker each find
 * "Download the case file", click the PDF and the ZIP links as people do, and get their own files
 * (read back: the reporter's holds no internal note). The page passes axe at every impact and fits 375 px.
 */
describe('browser: downloading the case file', () => {
  let b: BrowserApp;
  let caseId: string;
  let reference: string;

  beforeAll(async () => {
    b = await startBrowserApp('browser-case-file');
    const call = async (token: string, path: string, body: unknown, expected: number) => {
      const res = await fetch(`${b.baseUrl}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      if (res.status !== expected) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; reference: string };
    };
    const reporter = await b.apiToken(b.demo.users.reporter.email);
    const caseworker = await b.apiToken(b.demo.users.caseworker.email);
    const filed = await call(reporter, '/cases', sampleReport(b.demo), 201);
    caseId = filed.id;
    reference = filed.reference;
    await call(caseworker, `/cases/${caseId}/events`, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id }, 200);
    await call(caseworker, `/cases/${caseId}/notes`, { visibility: 'internal', body: 'INTERNAL-ONLY: for caseworkers' }, 201);
  }, 90_000);
  afterAll(() => b?.close());

  async function download(page: Page, linkText: string): Promise<{ name: string; bytes: Buffer }> {
    const link = page.getByRole('link', { name: linkText, exact: true });
    expect(await link.isVisible()).toBe(true);
    const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await file.path();
    return { name: file.suggestedFilename(), bytes: readFileSync(path) };
  }

  for (const who of ['reporter', 'caseworker'] as const) {
    it(`the ${who} downloads the PDF and the ZIP from the case page`, async () => {
      const person = await b.personAs(b.demo.users[who].email);
      await person.page.goto(`/cases/${caseId}`);
      expect(await person.page.getByRole('heading', { name: 'Download the case file' }).isVisible()).toBe(true);
      expect(await pageProblems(person.page)).toEqual([]);
      await person.page.locator('#case-file').scrollIntoViewIfNeeded();
      await screenshot(person.page, `case-file-${who}`);

      const pdf = await download(person.page, 'Download the case file (PDF)');
      expect(pdf.name).toBe(`${reference}-case-file.pdf`);
      const text = (await readPdfText(pdf.bytes)).text;
      expect(text).toContain(`Case file: ${reference}`);
      if (who === 'reporter') expect(text).not.toContain('INTERNAL-ONLY');
      else expect(text).toContain('INTERNAL-ONLY');

      const zip = await download(person.page, 'Download the case file with documents (ZIP)');
      expect(zip.name).toBe(`${reference}-case-file.zip`);
      expect(readZip(zip.bytes)[0].name).toBe(`${reference}-case-file.pdf`);
      await person.context.close();
    });
  }
});
