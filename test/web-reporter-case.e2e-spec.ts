import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';
import { UUID_TEXT } from '@cc/common';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** What a person reads: the page without its markup, scripts and attributes (ids in links are not read). */
function readable(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#39;|&rsquo;|&#8217;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/** The list of what no page may show a person: event codes, ids, pence, ISO times, a state moving to itself. */
function developerWords(html: string): string[] {
  const text = readable(html);
  const found: string[] = [];
  for (const [what, re] of [
    ['an event code', /\b[A-Z]{3,}_[A-Z_]{2,}\b/],
    ['an id', new RegExp(`\\b${UUID_TEXT}\\b`)],
    ['pence', /\bpence\b/i],
    ['an ISO date', /\b\d{4}-\d{2}-\d{2}\b/],
    ['a state to itself', /\b(\w+) to \1\b/i],
    ['a per cent', /\d+ ?%/],
  ] as Array<[string, RegExp]>) {
    const m = re.exec(text);
    if (m) found.push(`${what}: "${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}"`);
  }
  return found;
}

/** The reporter's case page in plain English (issue 10, points 7, 8, 10 and 13). */
describe('pages: the reporter’s case page in plain English', () => {
  let t: TestApp;
  let cases: CaseDriver;
  let reporter: WebClient;
  let caseworker: WebClient;

  beforeAll(async () => {
    t = await startTestApp('web-reporter-case');
    cases = new CaseDriver(t);
    reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
  });
  afterAll(() => t?.close());

  const versionIn = (html: string, formId: string) => /name="version" value="(\d+)"/.exec(html.slice(html.indexOf(`id="${formId}"`)))?.[1] ?? '';
  const dueOn = async (caseId: string, kind: string) => {
    const [row] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = $2 AND status = 'pending'`, [caseId, kind]);
    return LONG_DATE.format(row.due_at);
  };

  async function inMediation(): Promise<string> {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await cases.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
    return id;
  }

  it('shows the questions asked and the date to answer by, takes documents and the answer on a page of its own', async () => {
    const { id } = await cases.file();
    await cases.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', id, { type: 'REQUEST_INFO', questions: 'Who signed the letter ending the grant?' });
    const by = await dueOn(id, 'informationRequest');

    const page = await reporter.get(`/cases/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`You need to answer our questions by ${by}.`);
    // The questions are on the case page, and above the answer box of the action's own page, linked from it.
    expect(readable(page.text)).toContain('Who signed the letter ending the grant?');
    expect(page.text).toContain(`href="/cases/${id}/actions/PROVIDE_INFO"`);
    const actionPage = await reporter.get(`/cases/${id}/actions/PROVIDE_INFO`);
    expect(actionPage.status).toBe(200);
    const form = actionPage.text.slice(actionPage.text.indexOf('id="action-PROVIDE_INFO"'));
    expect(form.indexOf('Who signed the letter ending the grant?')).toBeGreaterThan(-1);
    expect(form.indexOf('Who signed the letter ending the grant?')).toBeLessThan(form.indexOf('name="answer"'));
    expect(page.text).toContain(`href="/cases/${id}/answer"`);
    expect(actionPage.text).toContain(`href="/cases/${id}/answer"`);
    expect(developerWords(page.text)).toEqual([]);
    expect(developerWords(actionPage.text)).toEqual([]);

    const answer = await reporter.get(`/cases/${id}/answer`);
    expect(answer.status).toBe(200);
    expect(readable(answer.text)).toContain('Who signed the letter ending the grant?');
    expect(answer.text).toContain(`You need to answer our questions by ${by}.`);
    const empty = await reporter.post(`/cases/${id}/answer`, { version: versionIn(answer.text, 'form-answer'), answer: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your answer');

    const added = await reporter.postMultipart(`/cases/${id}/answer/documents`, { description: 'The letter' }, { field: 'file', name: 'signed-letter.txt', content: Buffer.from('Signed by the director of finance.\n') });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`/cases/${id}/answer#documents`);
    const after = await reporter.get(`/cases/${id}/answer`);
    expect(after.text).toContain('signed-letter.txt was added to the case.');
    expect(after.text).toContain('signed-letter.txt: The letter');
    const noFile = await reporter.postMultipart(`/cases/${id}/answer/documents`, { description: 'Nothing' });
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('Select a file to add');

    const sent = await reporter.post(`/cases/${id}/answer`, { version: versionIn(after.text, 'form-answer'), answer: 'The director of finance signed it.' });
    expect(sent.status).toBe(303);
    expect((await cases.get('reporter', id)).body.state).toBe('triage.reviewing');
    const back = await reporter.get(`/cases/${id}`);
    expect(readable(back.text)).toMatch(/You answered our questions on \d{1,2} [A-Z][a-z]+ \d{4}\./);
    expect(back.text).toContain('You do not need to do anything now.');
  });

  it('gives the fee in pounds, asks the reporter to confirm before agreeing, then says how and by when to pay', async () => {
    const id = await inMediation();
    const by = await dueOn(id, 'feeAgreement');
    const page = await reporter.get(`/cases/${id}`);
    const text = readable(page.text);
    expect(text).toContain('Your share: £300.00 of £1,200.00');
    expect(text).toContain(`You need to tell us by ${by} whether you agree to pay your share of the mediation fee.`);
    expect(page.text).toContain(`href="/cases/${id}/agree-fee"`);
    expect(developerWords(page.text)).toEqual([]);

    const confirm = await reporter.get(`/cases/${id}/agree-fee`);
    expect(confirm.status).toBe(200);
    expect(readable(confirm.text)).toContain('Your share: £300.00 of £1,200.00');
    expect(readable(confirm.text)).toContain('Agree to pay £300.00');
    // Nothing is agreed until the confirmation is sent.
    expect((await cases.get('reporter', id)).body.fee.agreedByReporter).toBe(false);
    const agreed = await reporter.post(`/cases/${id}/agree-fee`, { version: versionIn(confirm.text, 'form-agree-fee') });
    expect(agreed.status).toBe(303);
    expect(agreed.headers.location).toBe(`/cases/${id}/fee-agreed`);
    expect((await cases.get('reporter', id)).body.fee.agreedByReporter).toBe(true);

    const done = readable((await reporter.get(`/cases/${id}/fee-agreed`)).text);
    expect(done).toContain('You have agreed to pay your share');
    expect(done).toContain('We will send you an invoice by e-mail');
    expect(done).toContain('Harborough District Council has not agreed to pay its share yet');

    // An administrator changes how to pay; the reporter sees the new words, and the date once both have agreed.
    const admin = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    const form = await admin.get('/admin/fee-instructions');
    expect(form.status).toBe(200);
    const refused = await admin.post('/admin/fee-instructions', { body: '   ' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Enter how to pay the mediation fee');
    const saved = await admin.post('/admin/fee-instructions', { body: 'Pay Compact Advocacy Trust by bank transfer.\nSort code 00-00-00, account 12345678.\n\nQuestions: fees@advocacy.example' });
    expect(saved.status).toBe(303);
    expect((await admin.get('/admin/fee-instructions')).text).toContain('The payment instructions were saved.');
    expect((await reporter.get('/admin/fee-instructions')).status).toBe(403);

    await cases.send('caseworker', id, { type: 'AGREE_FEE', party: 'respondent' });
    const payBy = await dueOn(id, 'feePayment');
    const paying = readable((await reporter.get(`/cases/${id}/fee-agreed`)).text);
    expect(paying).toContain('Pay Compact Advocacy Trust by bank transfer.');
    expect(paying).toContain(`Pay £300.00 by ${payBy}.`);
    const casePage = await reporter.get(`/cases/${id}`);
    expect(readable(casePage.text)).toContain(`You need to pay your share of the mediation fee, £300.00, by ${payBy}.`);
    expect(readable(casePage.text)).toContain('Sort code 00-00-00, account 12345678.');
    expect(readable(casePage.text)).toMatch(/We quoted a fee of £1,200\.00 for the mediation on \d{1,2} [A-Z][a-z]+ \d{4}\. Your share is £300\.00\./);
    expect(developerWords(casePage.text)).toEqual([]);
  });

  it("shows the caseworker's payment form with what each party has paid and still owes", async () => {
    const id = await inMediation();
    await cases.send('reporter', id, { type: 'AGREE_FEE', party: 'reporter' });
    await cases.send('caseworker', id, { type: 'AGREE_FEE', party: 'respondent' });
    await cases.send('caseworker', id, { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 10_000 });
    const page = await caseworker.get(`/cases/${id}`);
    // The payment form is on its own page, linked from the case page.
    expect(page.text).toContain(`href="/cases/${id}/actions/RECORD_PAYMENT"`);
    const paymentPage = await caseworker.get(`/cases/${id}/actions/RECORD_PAYMENT`);
    const form = readable(paymentPage.text.slice(paymentPage.text.indexOf('id="action-RECORD_PAYMENT"'), paymentPage.text.indexOf('id="form-RECORD_PAYMENT"')));
    expect(form).toMatch(/The reporting organisation: .*Share £300\.00 of £1,200\.00 Paid £100\.00 Outstanding £200\.00/);
    expect(form).toMatch(/The public body: Harborough District Council Share £900\.00 of £1,200\.00 Paid £0\.00 Outstanding £900\.00/);
    // Staff keep every detail, written for people: pounds and names, not pence and ids.
    const timeline = readable(page.text.slice(page.text.indexOf('id="case-timeline"')));
    expect(timeline).toContain('Amount: £1,200.00');
    expect(timeline).toContain('Amount: £100.00');
    expect(developerWords(page.text.slice(page.text.indexOf('id="case-status"'), page.text.indexOf('id="workflow"')))).toEqual([]);
  });

  it('withdraws only through a page that says what happens', async () => {
    const id = await cases.toAdvocacyReview();
    const page = await reporter.get(`/cases/${id}`);
    expect(page.text).toContain(`href="/cases/${id}/withdraw"`);
    const confirm = await reporter.get(`/cases/${id}/withdraw`);
    expect(confirm.status).toBe(200);
    const text = readable(confirm.text);
    expect(text).toContain('Are you sure you want to withdraw this case?');
    expect(text).toContain('We stop working on the case and close it straight away.');
    expect(text).toContain('We will not take it any further with Harborough District Council.');
    expect(text).toMatch(/a caseworker can reopen the case within 90 days/);
    const sent = await reporter.post(`/cases/${id}/withdraw`, { version: versionIn(confirm.text, 'form-withdraw'), reason: 'The council restored the grant.' });
    expect(sent.status).toBe(303);
    const detail = (await cases.get('reporter', id)).body;
    expect(detail).toMatchObject({ state: 'closed', outcome: 'withdrawn' });
    const closed = readable((await reporter.get(`/cases/${id}`)).text);
    expect(closed).toMatch(/You withdrew the case on \d{1,2} [A-Z][a-z]+ \d{4}\./);
    expect(closed).toContain('Case closed: you withdrew it');
    // A closed case cannot be withdrawn again: the page sends the person back to the case.
    expect((await reporter.get(`/cases/${id}/withdraw`)).status).toBe(303);
  });

  it('refuses a stale withdrawal with a plain message and keeps the reason typed', async () => {
    const id = await cases.toAdvocacyReview();
    const confirm = await reporter.get(`/cases/${id}/withdraw`);
    await cases.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    const res = await reporter.post(`/cases/${id}/withdraw`, { version: versionIn(confirm.text, 'form-withdraw'), reason: 'Kept words' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed this case');
    expect(res.text).toContain('Kept words');
  });

  it('says at the top of a rejected case why it was rejected', async () => {
    const { id } = await cases.file();
    await cases.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', id, { type: 'REJECT', reason: 'insufficientEvidence', explanation: 'We need the council’s letter to show the notice given.' });
    const page = await reporter.get(`/cases/${id}`);
    const banner = page.text.indexOf('id="case-rejection"');
    expect(banner).toBeGreaterThan(-1);
    expect(banner).toBeLessThan(page.text.indexOf('id="case-status"'));
    const text = readable(page.text.slice(banner));
    expect(text).toContain('We could not take up your case because there was not enough evidence of a breach.');
    expect(text).toContain('We need the council’s letter to show the notice given.');
    expect(developerWords(page.text)).toEqual([]);
  });

  it('gives the reporter stages, what happens next and a history in sentences, newest first; staff keep the diagram', async () => {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    await cases.send('caseworker', id, { type: 'RECORD_MEETING', heldOn: '2026-11-02', summary: 'Met the grants officer.' });
    const page = await reporter.get(`/cases/${id}`);
    const text = readable(page.text);
    expect(text).toMatch(/Report received Done Checking the report Done Taking it up with the public body Done Negotiating with the public body Now Agreement reached: checking it is carried out Next/);
    const history = readable(page.text.slice(page.text.indexOf('id="case-timeline"')));
    const sentences = ['We recorded a meeting with Harborough District Council', 'We started negotiating with Harborough District Council', 'Harborough District Council replied to us', 'We contacted Harborough District Council', 'We took up your case', 'A caseworker was given your case', 'We received your report'];
    const positions = sentences.map((s) => history.indexOf(s));
    expect(positions.every((p) => p > -1)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(history).toMatch(/We contacted Harborough District Council on \d{1,2} [A-Z][a-z]+ \d{4}\./);
    // Internal details (the caseworker's summaries) stay internal.
    expect(text).not.toContain('Met the grants officer.');
    expect(text).not.toContain('Wrote to the council chief executive.');
    expect(page.text).not.toContain('data-state=');
    expect(page.text).not.toContain('id="workflow-transitions"');
    expect(developerWords(page.text)).toEqual([]);

    const staff = await caseworker.get(`/cases/${id}`);
    expect(staff.text).toContain('data-state="negotiation"');
    expect(staff.text).toContain('Met the grants officer.');
    expect(readable(staff.text)).not.toMatch(/Negotiation to Negotiation/);
    expect(readable(staff.text)).toContain('Held on: 2 November 2026');
  });
  it('says on the case page whether the public body is told who reported, and what the public body sees of the evidence', async () => {
    const named = await cases.file();
    const unnamed = await cases.file('reporter', { reporterMayBeNamed: false });
    const text = async (web: WebClient, id: string) => readable((await web.get(`/cases/${id}`)).text);
    expect(await text(reporter, named.id)).toContain('Public body told who reported Yes');
    expect(await text(reporter, unnamed.id)).toContain('Public body told who reported No: it is told only “a voluntary organisation” and your area');
    expect(await text(reporter, unnamed.id)).toContain('The public body sees only the documents your caseworker shares with it, after checking they do not say who you are.');
    expect(await text(caseworker, unnamed.id)).toContain('The public body is not told who reported.');
    expect(await text(caseworker, named.id)).toContain('The public body may be told who reported.');
  });

  it('offers a reporter a review of a rejection (version 2), with the date to ask by, and words the review on the history', async () => {
    const { id } = await cases.file();
    await cases.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', id, { type: 'REJECT', reason: 'insufficientEvidence', explanation: 'We need the letter.' });
    let page = await reporter.get(`/cases/${id}`);
    expect(readable(page.text)).toMatch(/If you think our decision is wrong, you can ask for a review until \d{1,2} \w+ \d{4}\./);
    expect(page.text).toContain(`href="/cases/${id}/actions/REQUEST_REVIEW"`);
    expect(developerWords(page.text)).toEqual([]);
    const reviewPage = await reporter.get(`/cases/${id}/actions/REQUEST_REVIEW`);
    expect(readable(reviewPage.text)).toMatch(/You can ask for a review until \d{1,2} \w+ \d{4}\./);
    const res = await reporter.post(`/cases/${id}/actions/REQUEST_REVIEW`, { version: versionIn(reviewPage.text, 'form-REQUEST_REVIEW'), reason: 'We have the letter now.' });
    expect(res.status).toBe(303);
    page = await reporter.get(res.headers.location);
    expect(readable(page.text)).toContain('You asked for a review. A caseworker who did not make the decision will look at it and tell you the result.');
    expect(readable(page.text)).toMatch(/You asked us on \d{1,2} \w+ \d{4} to review our decision not to take up your case\./);
    // The one who rejected cannot decide the review; another caseworker can.
    const rejecters = await caseworker.get(`/cases/${id}`);
    expect(rejecters.text).not.toContain('/actions/UPHOLD_REJECTION"');
    expect(readable(rejecters.text)).toContain('A different caseworker must decide it.');
    const notTheirs = await caseworker.get(`/cases/${id}/actions/UPHOLD_REJECTION`);
    expect(notTheirs.status).toBe(409);
    expect(notTheirs.text).not.toContain('id="form-UPHOLD_REJECTION"');
    await cases.send('caseworker2', id, { type: 'UPHOLD_REJECTION', explanation: 'The letter does not change the decision.' });
    page = await reporter.get(`/cases/${id}`);
    expect(readable(page.text)).toContain('The decision stands: we cannot take up your case.');
    expect(developerWords(page.text)).toEqual([]);
  });
  it('lets the reporter offer times for the mediation session (version 2), several date-and-time groups, and say its share is paid', async () => {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await cases.send('caseworker', id, { type: 'QUOTE_FEE', amountPence: 40_000, reporterSharePercent: 50 });
    await cases.send('reporter', id, { type: 'AGREE_FEE', party: 'reporter' });
    await cases.send('caseworker', id, { type: 'AGREE_FEE', party: 'respondent' });
    let page = await reporter.get(`/cases/${id}/actions/REPORT_FEE_PAID`);
    expect(page.text).toContain('Your share is £200.00');
    let res = await reporter.post(`/cases/${id}/actions/REPORT_FEE_PAID`, { version: versionIn(page.text, 'form-REPORT_FEE_PAID'), party: 'reporter', note: '' });
    expect(res.status).toBe(303);
    page = await reporter.get(res.headers.location);
    expect(readable(page.text)).toContain('Thank you. We will check that your payment has arrived.');
    expect(readable(page.text)).toMatch(/You told us on \d{1,2} \w+ \d{4} that you have paid your share of the mediation fee\./);
    await cases.send('admin', id, { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 20_000 });
    await cases.send('admin', id, { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 20_000 });
    page = await reporter.get(`/cases/${id}/actions/PROPOSE_SESSION_TIMES`);
    const year = String(new Date().getUTCFullYear() + 1);
    for (const n of [1, 2, 3, 4, 5]) expect(page.text).toContain(`id="PROPOSE_SESSION_TIMES-times-${n}-day"`);
    res = await reporter.post(`/cases/${id}/actions/PROPOSE_SESSION_TIMES`, { version: versionIn(page.text, 'form-PROPOSE_SESSION_TIMES'), 'times-2-day': '3', 'times-2-month': '4', 'times-2-year': year, 'times-2-time': 'noonish' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter the time of the second choice, like 2pm, 2.30pm or 14:00');
    // What was typed stays, and the message is beside the time box.
    expect(res.text).toMatch(/id="PROPOSE_SESSION_TIMES-times-2-time-error"/);
    expect(res.text).toContain('value="noonish"');
    res = await reporter.post(`/cases/${id}/actions/PROPOSE_SESSION_TIMES`, { version: versionIn(page.text, 'form-PROPOSE_SESSION_TIMES'), 'times-1-day': '3', 'times-1-month': '4', 'times-1-year': year, 'times-1-time': '11am' });
    expect(res.status).toBe(303);
    page = await reporter.get(`/cases/${id}`);
    expect(readable(page.text)).toContain(`You offered times for the mediation session on`);
    expect(readable(page.text)).toContain(`3 April ${year} at 11am`);
    expect(developerWords(page.text)).toEqual([]);
  });
});
