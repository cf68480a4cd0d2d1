import { randomUUID } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import MailComposer from 'nodemailer/lib/mail-composer';
import { InboundMailbox } from '@cc/inbound-mail';
import { ReplyAddresses } from '@cc/notifications';
import { deleteKeys, testQueuePrefix } from '../support/test-redis';
import { TestSmtp } from '../support/test-smtp';
import { startWorker, waitFor, workerConfig } from '../support/test-worker';
import { BrowserApp, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * Mail to sort in a real browser: a caseworker finds the e-mail from the navigation, reads why it
 * waits, files it on a case and discards another after the confirmation; every page passes axe
 * and fits a 375 px phone.
 */
describe('browser: mail to sort', () => {
  let b: BrowserApp;
  let smtp: TestSmtp;
  let worker: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    smtp = await new TestSmtp().start();
    b = await startBrowserApp('browser-mail');
    prefix = testQueuePrefix('browser-mail');
    worker = await startWorker(workerConfig(b.databaseUrl, prefix, smtp.url, { PUBLIC_BASE_URL: b.baseUrl }));
  });
  afterAll(async () => {
    await worker?.close();
    await b?.close();
    await smtp?.stop();
    if (prefix) await deleteKeys(prefix);
  });

  /** A report filed over the API, and an e-mail to its reply address from an address that is not the reporter's. */
  async function waitingMail(subject: string, text: string): Promise<{ id: string; reference: string }> {
    const token = await b.apiToken(b.demo.users.reporter.email);
    const filed = await fetch(`${b.baseUrl}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        respondentId: b.demo.organisations.harboroughCouncil,
        compactId: b.demo.compacts.national2010,
        commitments: ['4.5'],
        title: 'Grant ended with two weeks notice',
        whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
        happenedOn: '2026-10-01',
        impact: 'We had to close the Tuesday food bank session.',
        desiredOutcome: 'Three months notice, as the Compact requires.',
        evidence: 'Letter from the council.',
      }),
    });
    const c = (await filed.json()) as { id: string; reference: string };
    const [n] = await b.db.query(`SELECT id FROM notifications WHERE case_id = $1 AND recipient_user_id = $2`, [c.id, b.demo.users.reporter.id]);
    const to = await worker.get(ReplyAddresses, { strict: false }).mint(n.id);
    const raw = await new MailComposer({ from: 'Rita at home <rita.home@example.org>', to, subject, text, messageId: `<${randomUUID()}@example.org>` }).compile().build();
    const { id } = await b.app.get(InboundMailbox).accept(raw, { transport: 'imap' });
    await waitFor('the e-mail to wait to be sorted', async () => (await b.db.query(`SELECT status FROM inbound_mail WHERE id = $1`, [id]))[0].status, (s) => s === 'to_sort');
    return { id, reference: c.reference };
  }

  it('a caseworker files one e-mail on its case and discards another; every page is accessible and fits a phone', async () => {
    const letter = await waitingMail('The letter from the council', 'Here is a long line of text that a person wrote without breaking it, to see that it wraps on a small screen: https://www.harborough.gov.uk/council/consultations/2026/voluntary-sector-grants-review-final-decision-letter.pdf');
    const spam = await waitingMail('Win a prize', 'Click here.');
    const { page } = await b.personAs(b.demo.users.caseworker.email);
    await page.getByRole('link', { name: 'Mail to sort' }).first().click();
    await page.waitForURL('**/mail-to-sort');
    expect(await page.locator('main').innerText()).toContain('This e-mail came from an address other than the one our e-mail went to');
    expect(await pageProblems(page)).toEqual([]);
    await screenshot(page, 'mail-to-sort-list');

    await page.getByRole('link', { name: 'The letter from the council' }).click();
    await page.waitForURL(`**/mail-to-sort/${letter.id}`);
    expect(await pageProblems(page)).toEqual([]);
    // Sent without a reference first: the error summary says what to do.
    await page.getByRole('button', { name: 'Put it on the case' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter the reference of the case');
    expect(await pageProblems(page)).toEqual([]);
    await page.getByLabel('Case reference').fill(letter.reference);
    await page.locator('main label', { hasText: 'As an internal note by you' }).click();
    await page.getByRole('button', { name: 'Put it on the case' }).click();
    await page.waitForURL('**/mail-to-sort');
    expect(await page.locator('main').innerText()).toContain(`The e-mail was put on ${letter.reference} as an internal note.`);
    await screenshot(page, 'mail-to-sort-filed');

    await page.getByRole('link', { name: 'Win a prize' }).click();
    await page.getByRole('link', { name: 'Discard this e-mail' }).click();
    await page.waitForURL(`**/mail-to-sort/${spam.id}/discard`);
    expect(await pageProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Yes, discard it' }).click();
    await page.waitForURL('**/mail-to-sort');
    expect(await page.locator('main').innerText()).toContain('The e-mail was discarded.');
    expect(await page.locator('main').innerText()).toContain('Nothing is waiting to be sorted.');
    expect(await pageProblems(page)).toEqual([]);
    expect((await b.db.query(`SELECT status FROM inbound_mail WHERE id = ANY($1) ORDER BY status`, [[letter.id, spam.id]])).map((r: { status: string }) => r.status)).toEqual(['discarded', 'filed']);
  }, 120_000);
});
