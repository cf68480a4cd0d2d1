import { formatDate } from '@cc/wording';
import { mintSignInLink } from '@cc/identity';
import { COMMAND_TYPES, type CallerRelation, mayRequest } from '@cc/workflows';
import { fieldsOf } from '../libs/web/src/case-work/action-forms';
import { UUID_TEXT } from '@cc/common';
import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** What a person reads: the page without markup (ids in links and forms are not read). */
function readable(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|&#8217;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

/** Codes, ids, pence and ISO times: none may be read on a page. */
function developerWords(html: string): string[] {
  const text = readable(html);
  return (
    [
      ['an event code', /\b[A-Z]{3,}_[A-Z_]{2,}\b/],
      ['an id', new RegExp(`\\b${UUID_TEXT}\\b`)],
      ['pence', /\bpence\b/i],
      ['an ISO date', /\b\d{4}-\d{2}-\d{2}/],
    ] as Array<[string, RegExp]>
  )
    .map(([what, re]) => [what, re.exec(text)] as const)
    .filter(([, m]) => m)
    .map(([what, m]) => `${what}: "${text.slice(Math.max(0, m!.index - 40), m!.index + 60)}"`);
}

/** The error summary's items, as a person reads them, with where each links to. */
function errorSummary(html: string): Array<{ text: string; href: string }> {
  const list = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1], text: readable(m[2]).trim() }));
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const versionIn = (html: string, formId: string) => /name="version" value="(\d+)"/.exec(html.slice(html.indexOf(`id="${formId}"`)))?.[1] ?? '';
const nextYear = new Date().getUTCFullYear() + 1;

/**
 * The public body's pages over HTTP: a named contact sees only its cases and their pages, every
 * other case (and every page of it) is a 404; nothing private reaches its HTML; each of its forms
 * posts and shows the result; bad input gives the GOV.UK error summary naming the field. And the
 * other side: the caseworker sees what the public body did, answers it, shares documents with the
 * identity check, and writes "only between us"; the reporter reads the public body's messages and
 * may ask for a review of a rejection.
 */
describe('pages: the public body answers for itself', () => {
  let t: TestApp;
  let d: CaseDriver;
  let pat: { id: string; userId: string };
  let sam: { id: string; userId: string };
  let police: { id: string; userId: string };
  let caseworker: WebClient;
  let reporter: WebClient;
  let respondent: WebClient;
  let anonymous: { id: string; reference: string };
  let notNamed: { id: string; reference: string };
  let reporterFileId: string;

  const contact = async (organisationId: string, name: string, email: string, jobTitle?: string) => {
    const res = await t.http.post(`/api/organisations/${organisationId}/contacts`).set(d.auth('caseworker')).send({ name, email, ...(jobTitle ? { jobTitle } : {}) });
    if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; userId: string };
  };

  /** A contact signs in as they would from a case e-mail: open the link, press Continue. */
  const signInByLink = async (userId: string) => {
    const web = new WebClient(t);
    const token = await mintSignInLink(t.db.manager, userId, 'caseEmail');
    const page = await web.get(`/sign-in/link/${token}`);
    expect(page.status).toBe(200);
    const res = await web.post(`/sign-in/link/${token}`, {});
    expect(res.status).toBe(303);
    await web.get(res.headers.location);
    return web;
  };

  const contacted = async (contactIds: string[], overrides: Record<string, unknown> = {}) => {
    const filed = await d.file('reporter', overrides);
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'ACCEPT' });
    await d.send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Please reply about the grant notice.', ...(contactIds.length ? { contactIds } : {}) });
    return filed;
  };

  beforeAll(async () => {
    t = await startTestApp('web-respondent');
    d = new CaseDriver(t);
    pat = await contact(t.demo.organisations.harboroughCouncil, 'Pat Jones', 'pat.jones@harborough.example', 'Head of Commissioning');
    sam = await contact(t.demo.organisations.harboroughCouncil, 'Sam Lee', 'sam.lee@harborough.example');
    police = await contact(t.demo.organisations.leicestershirePolice, 'Priya Shah', 'priya.shah@police.example');
    anonymous = await contacted([pat.id], { reporterMayBeNamed: false, title: 'Grant ended without notice' });
    notNamed = await contacted([sam.id], { title: 'Consultation closed early' });
    // What the public body must never read: an internal note, a note for the reporter, the reporter's own document.
    await t.http.post(`/api/cases/${anonymous.id}/notes`).set(d.auth('caseworker')).send({ body: 'INTERNAL: the council officer is on leave', visibility: 'internal' }).expect(201);
    await t.http.post(`/api/cases/${anonymous.id}/notes`).set(d.auth('caseworker')).send({ body: 'SHARED-WITH-REPORTER only', visibility: 'shared' }).expect(201);
    const upload = await t.http.post(`/api/cases/${anonymous.id}/evidence`).set(d.auth('reporter')).field('description', 'Our letter').attach('file', Buffer.from('Riverside Community Foodbank letterhead\n'), 'riverside-letter.txt');
    expect(upload.status).toBe(201);
    reporterFileId = upload.body.id;
    caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    respondent = await signInByLink(pat.userId);
  });
  afterAll(() => t?.close());

  it('lists only the cases the contact is named on, as "Your cases"', async () => {
    const page = await respondent.get('/cases');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l" id="cases-heading">Your cases</h1>');
    expect(page.text).toContain(anonymous.reference);
    expect(page.text).not.toContain(`href="/cases/${notNamed.id}"`);
    // Not told who reported: the area only.
    expect(readable(page.text)).toContain('A voluntary organisation in Harborough');
    expect(page.text).not.toContain('Riverside');
    expect(developerWords(page.text)).toEqual([]);
    // What each case waits for it to do, and by when, in words.
    const [due] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [anonymous.id]);
    expect(readable(page.text)).toContain(`Action needed Reply to us by ${formatDate(due.due_at.toISOString())}`);
    // Searching finds nothing the contact is not named on.
    const search = await respondent.get('/cases?q=Consultation');
    expect(search.status).toBe(200);
    expect(search.text).not.toContain(`href="/cases/${notNamed.id}"`);
    expect(search.text).toContain('id="no-cases"');
  });

  it('shows the case page: where it stands, what to do and by when, the report, and nothing private', async () => {
    const page = await respondent.get(`/cases/${anonymous.id}`);
    expect(page.status).toBe(200);
    const [due] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [anonymous.id]);
    const text = readable(page.text);
    expect(text).toContain(`Reply by ${LONG_DATE.format(due.due_at)}.`);
    expect(page.text).toContain('id="task-reply"');
    expect(text).toContain('Grant ended without notice');
    expect(text).toContain('The council told us on 1 October that our grant would end on 15 October.');
    expect(text).toContain('a voluntary organisation in Harborough');
    for (const secret of ['Riverside', 'Rita Reporter', 'reporter@demo.compact.test', 'INTERNAL: the council officer', 'SHARED-WITH-REPORTER', 'riverside-letter.txt', 'pat.jones@harborough.example', 'sam.lee@harborough.example', 'Triage hints']) {
      expect({ secret, shown: page.text.includes(secret) }).toEqual({ secret, shown: false });
    }
    expect(developerWords(page.text)).toEqual([]);
  });

  it('gives every page of a case a named contact cannot see as a 404, as for a case that does not exist', async () => {
    const sams = await signInByLink(sam.userId);
    const priya = await signInByLink(police.userId);
    for (const [who, web, id] of [
      ['a contact at the body not named on it', sams, anonymous.id],
      ['a contact at another body', priya, anonymous.id],
      ['the named contact, on a case they are not named on', respondent, notNamed.id],
    ] as const) {
      for (const path of ['', '/reply', '/actions-done', `/evidence/${reporterFileId}`, '/answer', '/withdraw', '/agree-fee', '/actions/REQUEST_EXTENSION']) {
        const res = await web.get(`/cases/${id}${path}`);
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 404 });
      }
      for (const [path, form] of [
        ['/messages', { body: 'Hello' }],
        ['/actions/REQUEST_EXTENSION', { reason: 'Away', workingDays: '5' }],
        ['/reply', { summary: 'Our reply' }],
        ['/notes', { body: 'A note' }],
      ] as const) {
        const res = await web.post(`/cases/${id}${path}`, form);
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 404 });
      }
    }
    // And the named contact's own pages are there.
    for (const path of ['', '/reply']) expect((await respondent.get(`/cases/${anonymous.id}${path}`)).status).toBe(200);
    expect((await sams.get(`/cases/${notNamed.id}`)).status).toBe(200);
  });

  it('asks for more time: a wrong number is named in the error summary; the caseworker gives it', async () => {
    let page = await respondent.get(`/cases/${anonymous.id}`);
    // Each action has a page of its own, linked from the public body's case page.
    expect(page.text).toContain(`href="/cases/${anonymous.id}/actions/REQUEST_EXTENSION"`);
    page = await respondent.get(`/cases/${anonymous.id}/actions/REQUEST_EXTENSION`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 class="govuk-heading-l" id="action-heading">Ask for more time</h1>');
    let res = await respondent.post(`/cases/${anonymous.id}/actions/REQUEST_EXTENSION`, { version: versionIn(page.text, 'form-REQUEST_EXTENSION'), reason: '', workingDays: 'ten' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="form-REQUEST_EXTENSION"');
    expect(errorSummary(res.text)).toEqual([
      { text: 'Enter why you need more time', href: '#REQUEST_EXTENSION-reason' },
      { text: 'Enter how many more working days you need as a number, like 10', href: '#REQUEST_EXTENSION-workingDays' },
    ]);
    res = await respondent.post(`/cases/${anonymous.id}/actions/REQUEST_EXTENSION`, { version: versionIn(page.text, 'form-REQUEST_EXTENSION'), reason: 'Our officer is away until next month.', workingDays: '5' });
    expect(res.status).toBe(303);
    page = await respondent.get(res.headers.location);
    expect(readable(page.text)).toContain('You asked for more time. The caseworker will give it or tell you why not, by e-mail.');
    expect(readable(page.text)).toContain('for 5 more working days. The caseworker will tell you their answer by e-mail.');

    const staffPage = await caseworker.get(`/cases/${anonymous.id}`);
    expect(readable(staffPage.text)).toContain('for 5 more working days to reply. You need to give or refuse more time.');
    expect(staffPage.text).toContain('Our officer is away until next month.');
    // Each answer is an action with a page of its own, linked from the case page.
    expect(staffPage.text).toContain(`href="/cases/${anonymous.id}/actions/GRANT_EXTENSION"`);
    expect(staffPage.text).toContain(`href="/cases/${anonymous.id}/actions/REFUSE_EXTENSION"`);
    const grantPage = await caseworker.get(`/cases/${anonymous.id}/actions/GRANT_EXTENSION`);
    expect(grantPage.text).toContain('id="form-GRANT_EXTENSION"');
    expect(grantPage.text).toContain('Our officer is away until next month.');
    expect((await caseworker.get(`/cases/${anonymous.id}/actions/REFUSE_EXTENSION`)).text).toContain('id="form-REFUSE_EXTENSION"');
    const [before] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [anonymous.id]);
    res = await caseworker.post(`/cases/${anonymous.id}/actions/GRANT_EXTENSION`, { version: versionIn(grantPage.text, 'form-GRANT_EXTENSION'), workingDays: '5', note: '' });
    expect(res.status).toBe(303);
    const [after] = await t.db.query(`SELECT due_at FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [anonymous.id]);
    expect(after.due_at.getTime()).toBeGreaterThan(before.due_at.getTime());

    page = await respondent.get(`/cases/${anonymous.id}`);
    const text = readable(page.text);
    expect(text).toContain('You were given 5 more working days.');
    expect(text).toContain(`Reply by ${LONG_DATE.format(after.due_at)}.`);
    expect(text).toContain('The caseworker gave you 5 more working days to reply');
    // Asked once: the action is gone.
    expect(page.text).not.toContain('/actions/REQUEST_EXTENSION"');
    expect((await respondent.get(`/cases/${anonymous.id}/actions/REQUEST_EXTENSION`)).status).toBe(409);
  });

  it('writes messages: the public body’s reach the reporter, "only between us" does not', async () => {
    let res = await respondent.post(`/cases/${anonymous.id}/messages`, { body: '' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Enter your message', href: '#message-body' }]);
    res = await respondent.post(`/cases/${anonymous.id}/messages`, { body: 'We are looking into the notice period.' });
    expect(res.status).toBe(303);
    res = await caseworker.post(`/cases/${anonymous.id}/messages`, { body: 'Between us: the reporter is worried about funding.', onlyBetweenUs: 'true' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('done=message-private');
    res = await caseworker.post(`/cases/${anonymous.id}/messages`, { body: 'Thank you, we look forward to your reply.' });
    expect(res.status).toBe(303);

    const theirs = await respondent.get(`/cases/${anonymous.id}`);
    for (const m of ['We are looking into the notice period.', 'Between us: the reporter is worried about funding.', 'Thank you, we look forward to your reply.']) expect(theirs.text).toContain(m);
    expect(theirs.text).toContain('Only between you and the caseworker');
    const reporters = await reporter.get(`/cases/${anonymous.id}`);
    expect(reporters.text).toContain('We are looking into the notice period.');
    expect(reporters.text).toContain('Thank you, we look forward to your reply.');
    expect(reporters.text).not.toContain('Between us: the reporter is worried');
    const staff = await caseworker.get(`/cases/${anonymous.id}`);
    expect(staff.text).toContain('Only between us and the public body');
    expect(developerWords(theirs.text)).toEqual([]);
  });

  it('shares the reporter’s document only after the identity check, when the reporter is not named', async () => {
    let staff = await caseworker.get(`/cases/${anonymous.id}`);
    expect(readable(staff.text)).toContain('The public body is not told who reported.');
    expect(readable(staff.text)).toContain('Pat Jones, Head of Commissioning');
    expect(staff.text).toContain(`id="share-${reporterFileId}"`);
    // Straight to sharing (an old page): the check comes first.
    let res = await caseworker.post(`/cases/${anonymous.id}/evidence/${reporterFileId}/share`, { shared: 'true' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('I have checked this document does not say who reported');
    expect(developerWords(res.text)).toEqual([]);
    res = await caseworker.post(`/cases/${anonymous.id}/evidence/${reporterFileId}/share`, { shared: 'true', fromConfirmation: 'true' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Confirm that you have checked the document does not say who reported', href: '#checkedForIdentity' }]);
    expect((await respondent.get(`/cases/${anonymous.id}`)).text).not.toContain('riverside-letter.txt');
    res = await caseworker.post(`/cases/${anonymous.id}/evidence/${reporterFileId}/share`, { shared: 'true', fromConfirmation: 'true', checkedForIdentity: 'true' });
    expect(res.status).toBe(303);
    staff = await caseworker.get(res.headers.location);
    expect(readable(staff.text)).toContain('The document is now shared with the public body.');
    const theirs = await respondent.get(`/cases/${anonymous.id}`);
    expect(theirs.text).toContain('riverside-letter.txt');
    expect((await respondent.get(`/cases/${anonymous.id}/evidence/${reporterFileId}`)).status).toBe(200);
  });

  it('replies online with a document: the reply clock is met and the caseworker and reporter see it', async () => {
    let page = await respondent.get(`/cases/${anonymous.id}/reply`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Please reply about the grant notice.');
    for (const secret of ['Riverside', 'Rita Reporter', 'INTERNAL: the council officer', 'SHARED-WITH-REPORTER']) expect({ secret, shown: page.text.includes(secret) }).toEqual({ secret, shown: false });
    expect(developerWords(page.text)).toEqual([]);
    let res = await respondent.postMultipart(`/cases/${anonymous.id}/reply/documents`, { description: 'No file' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Select a document to add', href: '#document-file' }]);
    res = await respondent.postMultipart(`/cases/${anonymous.id}/reply/documents`, {}, { field: 'file', name: 'program.exe', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff') });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(errorSummary(res.text)[0]?.href).toBe('#document-file');
    res = await respondent.postMultipart(`/cases/${anonymous.id}/reply/documents`, { description: 'Our notice letter' }, { field: 'file', name: 'council-notice.txt', content: Buffer.from('Notice given on 1 September.\n') });
    expect(res.status).toBe(303);
    page = await respondent.get(res.headers.location);
    expect(page.text).toContain('council-notice.txt');
    res = await respondent.post(`/cases/${anonymous.id}/reply`, { version: versionIn(page.text, 'form-reply'), summary: '  ' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Enter your reply', href: '#summary' }]);
    res = await respondent.post(`/cases/${anonymous.id}/reply`, { version: versionIn(page.text, 'form-reply'), summary: 'We gave notice by phone on 1 September and by letter.' });
    expect(res.status).toBe(303);
    expect(await t.db.query(`SELECT 1 FROM deadlines WHERE case_id = $1 AND kind = 'respondentReply' AND status = 'pending'`, [anonymous.id])).toEqual([]);
    page = await respondent.get(`/cases/${anonymous.id}`);
    expect(readable(page.text)).toContain('You replied on');
    expect((await respondent.get(`/cases/${anonymous.id}/reply`)).status).toBe(303);
    const staff = await caseworker.get(`/cases/${anonymous.id}`);
    expect(readable(staff.text)).toContain('Replied online on');
    expect(staff.text).toContain('We gave notice by phone on 1 September and by letter.');
    const reporters = await reporter.get(`/cases/${anonymous.id}`);
    expect(reporters.text).toContain('council-notice.txt');
  });

  it('agrees the fee, says its share is paid and offers session times', async () => {
    await d.send('caseworker', anonymous.id, { type: 'REFER_TO_MEDIATION' });
    await d.send('caseworker', anonymous.id, { type: 'QUOTE_FEE', amountPence: 120_000, reporterSharePercent: 25 });
    let page = await respondent.get(`/cases/${anonymous.id}`);
    let text = readable(page.text);
    expect(text).toContain('whether you agree to pay your share of the mediation fee.');
    expect(text).toContain('Your share: £900.00 of £1,200.00.');
    page = await respondent.get(`/cases/${anonymous.id}/actions/AGREE_FEE`);
    expect(readable(page.text)).toContain('Your share: £900.00 of £1,200.00.');
    expect(readable((await respondent.get(`/cases/${anonymous.id}/actions/DECLINE_FEE`)).text)).toContain('Your share: £900.00 of £1,200.00.');
    let res = await respondent.post(`/cases/${anonymous.id}/actions/AGREE_FEE`, { version: versionIn(page.text, 'form-AGREE_FEE'), party: 'respondent' });
    expect(res.status).toBe(303);
    await d.send('reporter', anonymous.id, { type: 'AGREE_FEE', party: 'reporter' });
    page = await respondent.get(`/cases/${anonymous.id}`);
    expect(readable(page.text)).toContain('Pay your share of the mediation fee, £900.00');
    expect(page.text).toContain(`href="/cases/${anonymous.id}/actions/REPORT_FEE_PAID"`);
    page = await respondent.get(`/cases/${anonymous.id}/actions/REPORT_FEE_PAID`);
    expect(readable(page.text)).toContain('Your share is £900.00');
    res = await respondent.post(`/cases/${anonymous.id}/actions/REPORT_FEE_PAID`, { version: versionIn(page.text, 'form-REPORT_FEE_PAID'), party: 'respondent', note: 'Paid by BACS, reference CB-1' });
    expect(res.status).toBe(303);
    page = await respondent.get(res.headers.location);
    expect(readable(page.text)).toContain('Thank you. We will check that your payment has arrived.');
    const staff = await caseworker.get(`/cases/${anonymous.id}`);
    expect(readable(staff.text)).toContain('that it has paid its share of the mediation fee');

    await d.send('admin', anonymous.id, { type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 90_000 });
    await d.send('admin', anonymous.id, { type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 30_000 });
    page = await respondent.get(`/cases/${anonymous.id}`);
    expect(page.text).toContain(`href="/cases/${anonymous.id}/actions/PROPOSE_SESSION_TIMES"`);
    page = await respondent.get(`/cases/${anonymous.id}/actions/PROPOSE_SESSION_TIMES`);
    expect(page.text).toContain('id="form-PROPOSE_SESSION_TIMES"');
    const version = versionIn(page.text, 'form-PROPOSE_SESSION_TIMES');
    res = await respondent.post(`/cases/${anonymous.id}/actions/PROPOSE_SESSION_TIMES`, { version, 'times-1-day': '30', 'times-1-month': '2', 'times-1-year': String(nextYear), 'times-1-time': '2pm' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'First choice must be a real date', href: '#PROPOSE_SESSION_TIMES-times-1-day' }]);
    res = await respondent.post(`/cases/${anonymous.id}/actions/PROPOSE_SESSION_TIMES`, { version });
    expect(errorSummary(res.text)).toEqual([{ text: 'Enter at least one date and time you can attend', href: '#PROPOSE_SESSION_TIMES-times-1-day' }]);
    res = await respondent.post(`/cases/${anonymous.id}/actions/PROPOSE_SESSION_TIMES`, {
      version,
      'times-1-day': '10', 'times-1-month': '3', 'times-1-year': String(nextYear), 'times-1-time': '2pm',
      'times-2-day': '12', 'times-2-month': '3', 'times-2-year': String(nextYear), 'times-2-time': '10.30am',
    });
    expect(res.status).toBe(303);
    page = await respondent.get(`/cases/${anonymous.id}`);
    text = readable(page.text);
    expect(text).toContain('You offered times for the mediation session on');
    expect(text).toContain(`10 March ${nextYear}`);
    expect(developerWords(page.text)).toEqual([]);

    // The mediator picks from the times offered; the public body sees the session booked.
    await d.send('caseworker', anonymous.id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    const mediator = new WebClient(t);
    await mediator.signIn('mediator@demo.compact.test');
    // The times offered are shown where the mediator schedules the session: its action's own page.
    const mediators = await mediator.get(`/cases/${anonymous.id}/actions/SCHEDULE_SESSION`);
    const offered = readable(mediators.text.slice(mediators.text.indexOf('id="SCHEDULE_SESSION-proposals"')));
    expect(offered).toMatch(new RegExp(`Harborough District Council \\(\\d{1,2} \\w+ \\d{4}\\): 10 March ${nextYear} at 2(:00)? ?pm; 12 March ${nextYear} at 10:30 ?am`));
    await d.send('mediator', anonymous.id, { type: 'SCHEDULE_SESSION', startsAt: `${nextYear}-03-10T14:00:00Z`, location: 'Harborough Civic Centre' });
    page = await respondent.get(`/cases/${anonymous.id}`);
    expect(readable(page.text)).toMatch(new RegExp(`The mediation session is on 10 March ${nextYear} at 2(:00)? ?pm, at Harborough Civic Centre\\. We will remind you before it\\.`));
  });

  it('reports the agreed actions done, with a document; the caseworker sees it beside Confirm', async () => {
    const filed = await contacted([pat.id]);
    await d.send('caseworker', filed.id, { type: 'RECORD_RESPONSE', summary: 'Reply by phone.' });
    await d.send('caseworker', filed.id, { type: 'RESOLVE', agreedActions: ['Restore the grant until March'], monitorUntil: MONITOR_UNTIL });
    let page = await respondent.get(`/cases/${filed.id}`);
    expect(readable(page.text)).toContain('then tell us they are done.');
    page = await respondent.get(`/cases/${filed.id}/actions-done`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Restore the grant until March');
    expect(developerWords(page.text)).toEqual([]);
    let res = await respondent.post(`/cases/${filed.id}/actions-done`, { version: versionIn(page.text, 'form-actions-done'), summary: '' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Enter what was done', href: '#summary' }]);
    res = await respondent.postMultipart(`/cases/${filed.id}/actions-done/documents`, {}, { field: 'file', name: 'grant-letter.txt', content: Buffer.from('Grant restored.\n') });
    expect(res.status).toBe(303);
    page = await respondent.get(res.headers.location);
    res = await respondent.post(`/cases/${filed.id}/actions-done`, { version: versionIn(page.text, 'form-actions-done'), summary: 'The grant was restored on 3 December.' });
    expect(res.status).toBe(303);
    const staff = await caseworker.get(`/cases/${filed.id}`);
    expect(readable(staff.text)).toContain('that the agreed actions are done. Check with the reporting organisation, then confirm');
    expect(staff.text).toContain('The grant was restored on 3 December.');
    expect(staff.text).toContain('grant-letter.txt');
  });

  it('lets the reporter ask for a review of a rejection, and a different caseworker decide it', async () => {
    const filed = await d.file('reporter', { title: 'A case we reject' });
    await d.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', filed.id, { type: 'REJECT', reason: 'notCompactMatter', explanation: 'This is not about the Compact.' });
    let page = await reporter.get(`/cases/${filed.id}`);
    const text = readable(page.text);
    expect(text).toMatch(/you can ask for a review until \d{1,2} \w+ \d{4}\./);
    expect(page.text).toContain(`href="/cases/${filed.id}/actions/REQUEST_REVIEW"`);
    page = await reporter.get(`/cases/${filed.id}/actions/REQUEST_REVIEW`);
    expect(page.text).toContain('id="form-REQUEST_REVIEW"');
    let res = await reporter.post(`/cases/${filed.id}/actions/REQUEST_REVIEW`, { version: versionIn(page.text, 'form-REQUEST_REVIEW'), reason: '' });
    expect(res.status).toBe(400);
    expect(errorSummary(res.text)).toEqual([{ text: 'Enter why the decision should be looked at again', href: '#REQUEST_REVIEW-reason' }]);
    res = await reporter.post(`/cases/${filed.id}/actions/REQUEST_REVIEW`, { version: versionIn(page.text, 'form-REQUEST_REVIEW'), reason: 'It is about section 4.5 of the Compact.' });
    expect(res.status).toBe(303);
    page = await reporter.get(`/cases/${filed.id}`);
    expect(readable(page.text)).toContain('You asked us on');
    const other = new WebClient(t);
    await other.signIn('caseworker2@demo.compact.test');
    expect((await other.get(`/cases/${filed.id}`)).text).toContain(`href="/cases/${filed.id}/actions/REOPEN_AFTER_REVIEW"`);
    const staff = await other.get(`/cases/${filed.id}/actions/REOPEN_AFTER_REVIEW`);
    expect(staff.text).toContain('id="form-REOPEN_AFTER_REVIEW"');
    res = await other.post(`/cases/${filed.id}/actions/REOPEN_AFTER_REVIEW`, { version: versionIn(staff.text, 'form-REOPEN_AFTER_REVIEW'), explanation: 'It is within the Compact after all.' });
    expect(res.status).toBe(303);
    page = await reporter.get(`/cases/${filed.id}`);
    expect(readable(page.text)).toContain('Another caseworker reviewed our decision on');
  });
  it('words every form the public body can send for a person, empty and with wrong types, on its own page', async () => {
    const closed = await contacted([pat.id]);
    await d.send('reporter', closed.id, { type: 'WITHDRAW' });
    const relation: CallerRelation = { role: 'respondent', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: true };
    const types = COMMAND_TYPES.filter((type) => mayRequest(relation, type));
    expect(types).toEqual(expect.arrayContaining(['RECORD_RESPONSE', 'REQUEST_EXTENSION', 'AGREE_FEE', 'DECLINE_FEE', 'REPORT_FEE_PAID', 'PROPOSE_SESSION_TIMES', 'REPORT_ACTIONS_DONE']));
    const page = await respondent.get(`/cases/${closed.id}`);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '';
    for (const type of types) {
      const fields = fieldsOf(type, relation);
      const fixed = Object.fromEntries(fields.filter((x) => x.fixed).map((x) => [x.name, x.fixed!.value]));
      const wrong: Record<string, string> = { ...fixed };
      for (const x of fields.filter((y) => !y.fixed)) {
        if (x.kind === 'number') wrong[x.name] = 'twelve';
        else if (x.maxLength) wrong[x.name] = 'x'.repeat(x.maxLength + 1);
        else if (x.kind === 'datetimes') Object.assign(wrong, { [`${x.name}-1-day`]: '30', [`${x.name}-1-month`]: '2', [`${x.name}-1-year`]: String(nextYear), [`${x.name}-1-time`]: '25:99' });
      }
      for (const [label, form] of [['empty', fixed], ['wrong types', wrong]] as const) {
        const res = await respondent.post(`/cases/${closed.id}/actions/${type}`, { version, ...form });
        const where = `${type} (${label})`;
        expect({ where, status: [400, 409].includes(res.status) }).toEqual({ where, status: true });
        // Refused on the action's own page, never the staff case page.
        expect({ where, ownPage: res.text.includes('id="action-heading"') && !res.text.includes('id="workflow"') && !res.text.includes('Current state:') }).toEqual({ where, ownPage: true });
        const messages = errorSummary(res.text).map((m) => m.text);
        expect({ where, some: messages.length > 0 }).toEqual({ where, some: true });
        for (const m of messages) {
          expect({ where, m, code: /\b[A-Z]{2,}_[A-Z_]+\b|\b[a-z]+[A-Z]\w*\b|invalid|expected|received|undefined|ISO|UUID/.test(m) }).toEqual({ where, m, code: false });
          expect({ where, m, saysWhatToDo: /^(Enter|Select) |\bmust\b|^You can(not)? / .test(m) }).toEqual({ where, m, saysWhatToDo: true });
        }
      }
    }
  });
});
