import { APIRequestContext, Page, request } from 'playwright-core';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';
import { UUID_TEXT } from '@cc/common';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const A_DATE = /\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/;

/** What no page may show a person (issue 10): event codes, ids, pence, ISO dates and times, a state moving to itself. */
function developerWords(text: string): string[] {
  const found: string[] = [];
  for (const [what, re] of [
    ['an event code', /\b[A-Z]{3,}_[A-Z_]{2,}\b/],
    ['an id', new RegExp(`\\b${UUID_TEXT}\\b`)],
    ['pence', /\bpence\b/i],
    ['an ISO date', /\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b/],
    ['a state to itself', /\b(\w+) to \1\b/i],
  ] as Array<[string, RegExp]>) {
    const m = re.exec(text);
    if (m) found.push(`${what}: "${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).replace(/\s+/g, ' ')}"`);
  }
  return found;
}

/**
 * The reporter's side of a case in a real browser (issue 10, points 7, 8, 10 and 13): questions
 * asked and answered with a document, a fee agreed through its confirmation step and paid as an
 * administrator says, a caseworker recording a payment, a withdrawal through its confirmation page,
 * a rejected case saying why, and the case page in words. Every page visited passes axe at every
 * impact and fits 375 px.
 */
describe('browser: the reporter’s case page in plain English', () => {
  let b: BrowserApp;
  let api: APIRequestContext;
  let reporter: Person;
  let caseworker: Person;
  let admin: Person;
  const tokens: Record<string, string> = {};
  const problems: string[] = [];
  let visited = 0;
  let caseId: string;

  beforeAll(async () => {
    b = await startBrowserApp('browser-reporter-case');
    api = await request.newContext({ baseURL: b.baseUrl });
    for (const [who, email] of [['reporter', 'reporter@demo.compact.test'], ['caseworker', 'caseworker@demo.compact.test']]) {
      tokens[who] = await b.apiToken(email);
    }
    reporter = await b.personAs('reporter@demo.compact.test');
    caseworker = await b.personAs('caseworker@demo.compact.test');
    admin = await b.personAs('admin@demo.compact.test');
  }, 90_000);
  afterAll(async () => {
    await api?.dispose();
    await b?.close();
  });

  /** Every page: axe at every impact and the 375 px width; a screenshot to look at; no developer words in what it says. */
  async function look(page: Page, name: string, { words = true } = {}): Promise<string> {
    visited++;
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `reporter-case-${String(visited).padStart(2, '0')}-${name}`);
    const text = await page.locator('main').innerText();
    if (words) problems.push(...developerWords(text).map((w) => `${page.url()}: ${w}`));
    return text;
  }

  async function fileCase(title: string): Promise<string> {
    const res = await api.post('/api/cases', { headers: { authorization: `Bearer ${tokens.reporter}` }, data: sampleReport(b.demo, { title }) });
    if (res.status() !== 201) throw new Error(`filing failed: ${res.status()} ${await res.text()}`);
    return (await res.json()).id;
  }

  async function send(who: 'reporter' | 'caseworker', id: string, event: Record<string, unknown>): Promise<void> {
    const res = await api.post(`/api/cases/${id}/events`, { headers: { authorization: `Bearer ${tokens[who]}` }, data: event });
    if (res.status() !== 200) throw new Error(`${String(event.type)} failed: ${res.status()} ${await res.text()}`);
  }

  async function dueOn(id: string, kind: string): Promise<string> {
    const [row] = await b.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = $2 AND status = 'pending'`, [id, kind]);
    return LONG_DATE.format(row.due_at);
  }

  /** Opens an action's own page by clicking its link on the case page; gives what the page shows for it (what to know, and the form). */
  async function open(page: Page, type: string) {
    await page.locator(`#open-${type}`).click();
    await page.waitForURL(new RegExp(`/actions/${type}$`));
    return page.locator(`#action-${type}`);
  }

  /** Clicks a radio's or checkbox's words, and checks the click chose that very box. */
  async function clickLabel(page: Page, scope: ReturnType<Page['locator']>, words: string) {
    const label = scope.locator('label', { hasText: words }).first();
    const target = await label.getAttribute('for');
    await label.click();
    expect(await page.locator(`[id="${target}"]`).isChecked()).toBe(true);
  }

  it('a caseworker asks questions; the reporter sees them and the date to answer by, adds a document and answers', async () => {
    caseId = await fileCase('Grant ended with two weeks notice');
    await send('caseworker', caseId, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });

    const cw = caseworker.page;
    await cw.goto(`/cases/${caseId}`);
    const ask = await open(cw, 'REQUEST_INFO');
    await look(cw, 'caseworker-request-info-page', { words: false });
    await ask.getByLabel('Questions for the reporter').fill('Who signed the letter ending the grant?\nWhen did it arrive?');
    await ask.locator('#submit-REQUEST_INFO').click();
    await cw.waitForLoadState('domcontentloaded');
    await look(cw, 'caseworker-asked', { words: false });

    const page = reporter.page;
    await page.goto(`/cases/${caseId}`);
    const by = await dueOn(caseId, 'informationRequest');
    let text = await look(page, 'reporter-questions');
    expect(text).toContain(`You need to answer our questions by ${by}.`);
    expect(await page.locator('#task-answer').innerText()).toContain('Who signed the letter ending the grant?');
    // The answer action's own page shows the questions above its answer box.
    const inline = await open(page, 'PROVIDE_INFO');
    await look(page, 'reporter-provide-info-page');
    const questions = await inline.locator('#PROVIDE_INFO-questions').boundingBox();
    const box = await inline.locator('textarea[name="answer"]').boundingBox();
    expect(questions!.y).toBeLessThan(box!.y);
    expect(await inline.locator('#PROVIDE_INFO-by').innerText()).toBe(`You need to answer our questions by ${by}.`);
    await page.locator('#back-to-case').click();
    await page.waitForURL(new RegExp(`/cases/${caseId}#actions$`));

    await page.locator('#task-answer-link').click();
    await page.waitForURL(/\/answer$/);
    text = await look(page, 'reporter-answer-page');
    expect(text).toContain('Who signed the letter ending the grant?');
    expect(text).toContain(`You need to answer our questions by ${by}.`);
    await page.getByLabel('What the document is (optional)').fill('The letter, signed');
    await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'signed-letter.txt', mimeType: 'text/plain', buffer: Buffer.from('Signed by the director of finance on 1 October.\n') });
    await page.getByRole('button', { name: 'Add the document' }).click();
    await page.waitForLoadState('domcontentloaded');
    text = await look(page, 'reporter-answer-document-added');
    expect(text).toContain('signed-letter.txt was added to the case.');
    await page.locator('label[for="answer"]').click();
    await page.keyboard.type('The director of finance signed it; it arrived on 1 October.');
    await page.getByRole('button', { name: 'Send your answer' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]+\?done=PROVIDE_INFO/);
    text = await look(page, 'reporter-answered');
    expect(text).toMatch(new RegExp(`You answered our questions on ${A_DATE.source}\\.`));
    expect(text).toContain('signed-letter.txt');
    expect(text).toContain('You do not need to do anything now.');
    expect(problems).toEqual([]);
  });

  it('an administrator sets how to pay a fee', async () => {
    const page = admin.page;
    await page.goto('/admin/fee-instructions');
    await look(page, 'admin-fee-instructions');
    const field = page.getByLabel('How, to whom and by when to pay');
    await page.getByText('How, to whom and by when to pay', { exact: true }).click();
    await field.fill('Pay Compact Advocacy Trust by bank transfer.\nSort code 00-00-00, account 12345678.\n\nAsk fees@advocacy.example if you need an invoice.');
    await page.getByRole('button', { name: 'Save the instructions' }).click();
    await page.waitForLoadState('domcontentloaded');
    const text = await look(page, 'admin-fee-instructions-saved');
    expect(text).toContain('The payment instructions were saved.');
    expect(await page.locator('#fee-instructions-shown').innerText()).toContain('Sort code 00-00-00, account 12345678.');
    expect(problems).toEqual([]);
  });

  it('the reporter sees the fee in pounds, agrees through the confirmation step, and is told how and by when to pay', async () => {
    await send('caseworker', caseId, { type: 'ACCEPT' });
    await send('caseworker', caseId, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.' });
    await send('caseworker', caseId, { type: 'RECORD_RESPONSE', summary: 'The council will not restore the grant.' });
    await send('caseworker', caseId, { type: 'REFER_TO_MEDIATION' });
    await send('caseworker', caseId, { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
    const by = await dueOn(caseId, 'feeAgreement');

    const page = reporter.page;
    await page.goto(`/cases/${caseId}`);
    let text = await look(page, 'reporter-fee-quoted');
    expect(text).toContain(`You need to tell us by ${by} whether you agree to pay your share of the mediation fee.`);
    expect(text).toContain('Your share: £300.00 of £1,200.00');
    // The one-click form is not offered: the case page links straight to the confirmation page.
    expect(await page.locator('#form-AGREE_FEE').count()).toBe(0);
    await page.locator('#open-AGREE_FEE').click();
    await page.waitForURL(/\/agree-fee$/);
    expect(await page.locator('#form-AGREE_FEE').count()).toBe(0);
    text = await look(page, 'reporter-agree-fee-confirm');
    expect(text).toContain('Your share: £300.00 of £1,200.00');
    expect((await page.locator('#fee-summary').innerText()).replace(/\s+/g, ' ')).toContain(`Tell us by ${by}`);
    await page.getByRole('button', { name: 'Agree to pay £300.00' }).click();
    await page.waitForURL(/\/fee-agreed$/);
    text = await look(page, 'reporter-fee-agreed');
    expect(text).toContain('You have agreed to pay your share');
    expect(text).toContain('Pay Compact Advocacy Trust by bank transfer.');
    expect(text).toContain('Harborough District Council has not agreed to pay its share yet');
    expect(problems).toEqual([]);
  });

  it('the caseworker records the public body’s agreement and a payment, seeing paid and outstanding for each party', async () => {
    const page = caseworker.page;
    await page.goto(`/cases/${caseId}`);
    const agree = await open(page, 'AGREE_FEE');
    await look(page, 'caseworker-agree-fee-page', { words: false });
    expect(await agree.locator('#AGREE_FEE-share').innerText()).toContain('£900.00 of £1,200.00');
    await agree.locator('#submit-AGREE_FEE').click();
    await page.waitForLoadState('domcontentloaded');

    let pay = await open(page, 'RECORD_PAYMENT');
    expect((await pay.locator('#RECORD_PAYMENT-reporter').innerText()).replace(/\s+/g, ' ')).toContain('Share £300.00 of £1,200.00 Paid £0.00 Outstanding £300.00');
    expect((await pay.locator('#RECORD_PAYMENT-respondent').innerText()).replace(/\s+/g, ' ')).toContain('Share £900.00 of £1,200.00 Paid £0.00 Outstanding £900.00');
    await look(page, 'caseworker-payment-form', { words: false });
    await clickLabel(page, pay, 'The reporting organisation');
    await pay.locator('label', { hasText: 'Amount' }).first().click();
    await page.keyboard.type('100');
    await pay.locator('#submit-RECORD_PAYMENT').click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    await look(page, 'caseworker-payment-recorded', { words: false });
    pay = await open(page, 'RECORD_PAYMENT');
    expect((await pay.locator('#RECORD_PAYMENT-reporter').innerText()).replace(/\s+/g, ' ')).toContain('Paid £100.00 Outstanding £200.00');
    await page.locator('#back-to-case').click();
    await page.waitForURL(new RegExp(`/cases/${caseId}#actions$`));
    // Staff keep the full detail, in pounds and names.
    const timeline = await page.locator('#case-timeline').innerText();
    expect(timeline).toContain('Amount: £1,200.00');
    expect(timeline).toContain('Caseworker: Cara Caseworker');
    expect(timeline).not.toMatch(/\b(\w+: \w+) to \1\b/);
    expect(problems).toEqual([]);
  });

  it('the reporter sees what to pay and by when, the stages and the history in sentences', async () => {
    const payBy = await dueOn(caseId, 'feePayment');
    const page = reporter.page;
    await page.goto(`/cases/${caseId}`);
    const text = await look(page, 'reporter-paying');
    expect(text).toContain(`You need to pay your share of the mediation fee, £200.00, by ${payBy}.`);
    expect(text).toContain('Sort code 00-00-00, account 12345678.');
    const stages = (await page.locator('#case-stages').innerText()).replace(/\s+/g, ' ');
    expect(stages).toBe('Report received Done Checking the report Done Taking it up with the public body Done Mediation with an independent mediator Now Agreement reached: checking it is carried out Next');
    const history = (await page.locator('#case-timeline').innerText()).split('\n').filter(Boolean);
    expect(history[0]).toMatch(new RegExp(`^We received £100\\.00 from you towards the mediation fee on ${A_DATE.source}\\.$`));
    expect(history).toContainEqual(expect.stringMatching(new RegExp(`^We contacted Harborough District Council on ${A_DATE.source}\\.$`)));
    expect(history).toContainEqual(expect.stringMatching(/^We quoted a fee of £1,200\.00 for the mediation on .*\. Your share is £300\.00\.$/));
    expect(history[history.length - 1]).toMatch(new RegExp(`^We received your report on ${A_DATE.source}\\.$`));
    // Staff-only things stay off the reporter's page: the diagram and the caseworker's summaries.
    expect(await page.locator('#workflow-diagram').count()).toBe(0);
    expect(text).not.toContain('Wrote to the chief executive.');
    expect(problems).toEqual([]);
  });

  it('withdrawing goes through a page that says what happens', async () => {
    const id = await fileCase('Consultation cut to two weeks');
    await send('caseworker', id, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });
    await send('caseworker', id, { type: 'ACCEPT' });
    const page = reporter.page;
    await page.goto(`/cases/${id}`);
    // No one-click form: the case page links straight to the page that says what happens.
    expect(await page.locator('#form-WITHDRAW').count()).toBe(0);
    await look(page, 'reporter-before-withdrawing');
    await page.locator('#open-WITHDRAW').click();
    await page.waitForURL(/\/withdraw$/);
    let text = await look(page, 'reporter-withdraw-confirm');
    expect(text).toContain('Are you sure you want to withdraw this case?');
    expect(text).toContain('We stop working on the case and close it straight away.');
    await page.getByText('Why are you withdrawing it? (optional)').click();
    await page.keyboard.type('The council agreed to talk to us directly.');
    await page.getByRole('button', { name: 'Yes, withdraw the case' }).click();
    await page.waitForURL(/done=WITHDRAW/);
    text = await look(page, 'reporter-withdrawn');
    expect(text).toContain('Case closed: you withdrew it');
    expect(text).toMatch(new RegExp(`You withdrew the case on ${A_DATE.source}\\.`));
    expect(text).toContain('The council agreed to talk to us directly.');
    expect(problems).toEqual([]);
  });

  it('a rejected case says why at the top of its page', async () => {
    const id = await fileCase('A matter for the courts');
    await send('caseworker', id, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });
    await send('caseworker', id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'This is about a planning decision, which the Compact does not cover.' });
    const page = reporter.page;
    await page.goto(`/cases/${id}`);
    const text = await look(page, 'reporter-rejected');
    const banner = page.locator('#case-rejection');
    expect(await banner.innerText()).toContain('We could not take up your case because it is not a matter the Compact covers.');
    expect(await banner.innerText()).toContain('This is about a planning decision, which the Compact does not cover.');
    // At the top: above where the case stands.
    expect((await banner.boundingBox())!.y).toBeLessThan((await page.locator('#case-status').boundingBox())!.y);
    expect(text).toContain('Case closed: we could not take it up');
    expect(problems).toEqual([]);
  });

  it('staff keep the diagram, with no label over another and text that passes axe', async () => {
    const page = caseworker.page;
    await page.goto('/workflow');
    await look(page, 'workflow', { words: false });
    await page.goto(`/cases/${caseId}`);
    await look(page, 'caseworker-case-with-diagram', { words: false });
    for (const path of ['/workflow', `/cases/${caseId}`]) {
      await page.goto(path);
      // A string, as the project compiles without the DOM's types; it runs in the page.
      const clashes = (await page.evaluate(`(() => {
        const texts = [...document.querySelectorAll('#workflow-diagram svg text')].map((t) => ({ words: t.textContent, box: t.getBBox(), rect: t.closest('g') && t.closest('g').querySelector('rect') }));
        const out = [];
        for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i].box, c = texts[j].box;
          if (a.x < c.x + c.width && c.x < a.x + a.width && a.y < c.y + c.height && c.y < a.y + a.height) out.push(texts[i].words + ' overlaps ' + texts[j].words);
        }
        for (const t of texts) {
          if (!t.rect) continue;
          const r = t.rect.getBBox();
          if (t.box.x + t.box.width > r.x + r.width || t.box.y + t.box.height > r.y + r.height) out.push(t.words + ' spills out of its box');
        }
        return out;
      })()`)) as string[];
      expect(clashes).toEqual([]);
      expect(await page.locator('#workflow-note').innerText()).toContain('WITHDRAW');
    }
    expect(problems).toEqual([]);
    // The closing note's count: every page above was checked with axe and at 375 px.
    console.log(`reporter-case browser test: ${visited} pages checked with axe (every impact) and at 375 px`);
  });
});
