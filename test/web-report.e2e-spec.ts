import { TestApp, sampleReport, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** Reporting a breach through the step-by-step pages, and the case lists each role sees. */
describe('pages: report a breach and case lists', () => {
  let t: TestApp;
  let reference: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp('web-report');
  });
  afterAll(() => t?.close());

  const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

  it('walks a reporter through every step, keeps what was typed when refused, and files the report', async () => {
    const web = new WebClient(t);
    await web.signIn('reporter@demo.compact.test');

    const start = await web.get('/report');
    expect(start.status).toBe(200);
    expect(start.text).toContain('Start now');

    // A later step opened too early sends the reporter back to the first unanswered one.
    expect((await web.get('/report/commitments')).headers.location).toBe('/report/organisation');

    const organisation = await web.get('/report/organisation');
    expect(organisation.text).toContain('Riverside Community Foodbank');
    let res = await web.post('/report/organisation', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/report/public-body');

    // The public body: search with a GET form, choose with radios.
    const search = await web.get('/report/public-body?q=Harborough%20District');
    expect(search.text).toContain('Harborough District Council');
    expect(search.text).toContain(`value="${t.demo.organisations.harboroughCouncil}"`);
    expect(search.text).not.toContain('Riverside Community Foodbank</label>');
    res = await web.post('/report/public-body', { q: 'Harborough District' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Select the public body');
    expect(res.text).toContain('href="#respondentId"');
    expect(res.text).toContain('value="Harborough District"'); // the search typed is kept
    res = await web.post('/report/public-body', { respondentId: t.demo.organisations.harboroughCouncil });
    expect(res.headers.location).toBe('/report/compact');

    // The Compact: only those the body signed, and "It is not listed" leading to the others.
    const compacts = await web.get('/report/compact');
    expect(compacts.text).toContain('Harborough District Compact (2003)');
    expect(compacts.text).not.toContain('The Compact (2010)');
    expect(compacts.text).toContain('It is not listed');
    expect((await web.post('/report/compact', {})).text).toContain('Select the Compact the public body broke');
    res = await web.post('/report/compact', { compactId: 'not-listed' });
    expect(res.headers.location).toBe('/report/compact?all=1');
    const all = await web.get('/report/compact?all=1');
    expect(all.text).toContain('The Compact (2010)');
    expect(all.text).toContain('National Compact');
    expect(all.text).toContain('Signed by Harborough District Council'); // the one it did sign, marked
    expect(all.text).toContain('No longer in force'); // the 1998 Compact, in words
    res = await web.post('/report/compact', { compactId: t.demo.compacts.national2010 });
    expect(res.headers.location).toBe('/report/commitments');

    // The commitments, grouped by section, with reference and text: only the public bodies' own, each id once.
    const commitments = await web.get('/report/commitments');
    expect(decode(commitments.text)).toContain('2.4: Where appropriate, conduct formal written consultations lasting 12 weeks');
    expect(commitments.text).toContain('govuk-fieldset__legend--s');
    expect(commitments.text).not.toContain('value="1.7"'); // a civil society organisations' commitment
    const ids = [...commitments.text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const [, id] of commitments.text.matchAll(/<input class="govuk-checkboxes__input" id="([^"]+)"/g)) expect(commitments.text).toContain(`for="${id}"`);
    res = await web.post('/report/commitments', {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select at least one commitment the public body broke');
    expect(res.text).toContain('href="#commitments"');
    expect(res.text).toContain('id="commitments" name="commitments"');
    expect((await web.post('/report/commitments', { commitments: ['1.7'] })).status).toBe(400);
    res = await web.post('/report/commitments', { commitments: ['2.4', '4.4'] });
    expect(res.headers.location).toBe('/report/what-happened');

    // The limited text fields count characters, to the report's own limit.
    const whatPage = await web.get('/report/what-happened');
    expect(whatPage.text).toContain('data-module="govuk-character-count" data-maxlength="10000"');
    expect(whatPage.text).toContain('You can enter up to 10,000 characters');
    expect(whatPage.text).toContain('keep a report you have not sent for 30 days');

    // What happened: a date that is not real is refused, and everything typed comes back.
    res = await web.post('/report/what-happened', {
      title: 'Consultation cut to six weeks',
      whatHappened: 'The council ran its grants consultation for only six weeks.',
      'happenedOn-day': '31',
      'happenedOn-month': '2',
      'happenedOn-year': '2025',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date it happened must be a real date');
    expect(res.text).toContain('href="#happenedOn-day"');
    expect(res.text).toContain('value="Consultation cut to six weeks"');
    expect(res.text).toContain('The council ran its grants consultation for only six weeks.</textarea>');
    expect(res.text).toMatch(/id="happenedOn-day" name="happenedOn-day" type="text" value="31"/);
    expect(res.text).toContain('govuk-input--error');
    // A date in the future is refused here, in words (the API refuses it too).
    const nextYear = String(new Date().getFullYear() + 1);
    res = await web.post('/report/what-happened', {
      title: 'Consultation cut to six weeks',
      whatHappened: 'The council ran its grants consultation for only six weeks.',
      'happenedOn-day': '1',
      'happenedOn-month': '9',
      'happenedOn-year': nextYear,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date it happened must be today or in the past');
    res = await web.post('/report/what-happened', {
      title: 'Consultation cut to six weeks',
      whatHappened: 'The council ran its grants consultation for only six weeks.',
      'happenedOn-day': '1',
      'happenedOn-month': '9',
      'happenedOn-year': '2025',
    });
    expect(res.headers.location).toBe('/report/facts');

    // The facts the chosen commitments' rules check, and only those.
    const facts = await web.get('/report/facts');
    expect(facts.text).toContain('When did the consultation open?');
    expect(facts.text).toContain('When did the consultation close?');
    expect(facts.text).toContain('Did the public body give a reason for a consultation shorter than the Compact asks?');
    expect(facts.text).toContain('Did the public body assess the impact before deciding?');
    expect(facts.text).not.toContain('When was notice of the funding change given?');
    res = await web.post('/report/facts', {
      'consultationOpenedOn-day': '1',
      'consultationOpenedOn-month': '9',
      'consultationOpenedOn-year': '2025',
      'consultationClosedOn-day': '1',
      'consultationClosedOn-month': '8',
      'consultationClosedOn-year': '2025',
      shorterConsultationRationaleGiven: 'no',
      impactAssessed: 'unknown',
    });
    expect(res.status).toBe(400); // the registry's own check: closed before it opened
    expect(res.text).toContain('check the two dates');
    expect(res.text).toContain('href="#facts-consultationClosedOn-day"');
    res = await web.post('/report/facts', {
      'consultationOpenedOn-day': '1',
      'consultationOpenedOn-month': '9',
      'consultationOpenedOn-year': '2025',
      'consultationClosedOn-day': '13',
      'consultationClosedOn-month': '10',
      'consultationClosedOn-year': '2025',
      shorterConsultationRationaleGiven: 'no',
      impactAssessed: 'unknown',
    });
    expect(res.headers.location).toBe('/report/impact');

    expect((await web.post('/report/impact', { impact: '', desiredOutcome: 'A proper consultation.' })).text).toContain('Enter the impact on your organisation');
    res = await web.post('/report/impact', { impact: 'We could not ask the families we support.', desiredOutcome: 'A twelve-week consultation.' });
    expect(res.headers.location).toBe('/report/tell-public-body');
    // Whether the public body may be told who reported: a required yes or no, with why it matters.
    const ask = await web.get('/report/tell-public-body');
    expect(ask.text).toContain('Can we tell the public body who made this report?');
    expect(ask.text).toContain('depend on the body they complain about for funding');
    expect(ask.text).toContain('href="/report/impact"'); // back link
    const unanswered = await web.post('/report/tell-public-body', {});
    expect(unanswered.status).toBe(400);
    expect(unanswered.text).toContain('Select yes if the public body may be told your organisation made this report');
    expect(unanswered.text).toContain('href="#reporterMayBeNamed"');
    res = await web.post('/report/tell-public-body', { reporterMayBeNamed: 'no' });
    expect(res.headers.location).toBe('/report/evidence');
    expect((await web.get('/report/evidence')).text).toContain('href="/report/tell-public-body"'); // back link
    // Documents go with the report: checked from their content, held until it is sent.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    res = await web.postMultipart('/report/evidence/upload', { description: 'Consultation notice', action: 'add' }, { field: 'file', name: 'notice.pdf', content: pdf });
    expect(res.headers.location).toBe('/report/evidence#held-evidence');
    const refused = await web.postMultipart('/report/evidence/upload', { description: 'A program', action: 'add' }, { field: 'file', name: 'minutes.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) });
    expect(refused.status).toBe(415);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('minutes.pdf is a Windows program, not a PDF document.');
    expect(refused.text).not.toContain('was refused');
    expect(refused.text).toContain('value="A program"');
    // "Add the document" with nothing chosen says so; an empty file input is not a file.
    const nothing = await web.postMultipart('/report/evidence/upload', { action: 'add' }, { field: 'file', name: '', content: Buffer.alloc(0) });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('Select a document to add');
    res = await web.postMultipart('/report/evidence/upload', {}, { field: 'file', name: 'extra.txt', content: Buffer.from('Notes from the meeting.\n') });
    const withDocs = await web.get('/report/evidence');
    expect(withDocs.text).toContain('notice.pdf');
    expect(withDocs.text).toContain('extra.txt');
    const [extra] = await t.db.query(`SELECT id FROM evidence WHERE file_name = 'extra.txt' AND case_id IS NULL`);
    res = await web.post(`/report/evidence/${extra.id}/remove`, {});
    expect((await web.get('/report/evidence')).text).not.toContain('extra.txt');
    expect((await web.post('/report/evidence/not-an-id/remove', {})).status).toBe(303);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM evidence WHERE id = $1`, [extra.id]))[0].n).toBe(0);
    // A refused file chosen when pressing Continue keeps the reporter on the page, told it was not added.
    const notAdded = await web.postMultipart('/report/evidence/upload', { evidence: 'Minutes we can send later.', action: 'continue' }, { field: 'file', name: 'invoice.pdf', content: Buffer.from('#!/bin/sh\necho hi\n') });
    expect(notAdded.status).toBe(415);
    expect(notAdded.text).toContain('Your document was not added. invoice.pdf is a script, not a PDF document.');
    expect(notAdded.text).toContain('Minutes we can send later.</textarea>');
    // A file chosen but not yet added goes with Continue.
    res = await web.postMultipart(
      '/report/evidence/upload',
      { description: 'Grants panel letter', evidence: 'The consultation notice dated 1 September 2025.', action: 'continue' },
      { field: 'file', name: 'panel-letter.pdf', content: pdf },
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/report/check');

    // Check your answers, with Change links.
    const check = await web.get('/report/check');
    expect(check.text).toContain('Check your answers before sending your report');
    expect(check.text).toContain('Harborough District Council');
    expect(check.text).toContain('13 October 2025');
    expect(check.text).toContain('href="/report/commitments?change=1"');
    expect(check.text).toContain('Not known'); // impact assessed: I do not know
    expect(check.text).toContain('panel-letter.pdf');
    expect(check.text).toContain('Public body may be told who reported');
    expect(check.text).toContain('a voluntary organisation in your area');
    expect(check.text).toContain('href="/report/tell-public-body?change=1"');
    expect((await web.get('/report/tell-public-body?change=1')).text).toMatch(/value="no" checked/);

    // A problem the use case finds on sending links back to its step, which shows it and keeps the answers.
    // (Here: the Compact's commitment was removed from the registry meanwhile.)
    await t.db.query(`UPDATE commitments SET reference = '4.4-old' WHERE reference = '4.4' AND compact_id = $1`, [t.demo.compacts.national2010]);
    res = await web.post('/report/check', {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Commitment 2 you chose');
    expect(res.text).toContain('href="/report/commitments?change=1#commitments"');
    await t.db.query(`UPDATE commitments SET reference = '4.4' WHERE reference = '4.4-old' AND compact_id = $1`, [t.demo.compacts.national2010]);
    const back = await web.get('/report/what-happened?change=1');
    expect(back.text).toContain('value="Consultation cut to six weeks"');

    res = await web.post('/report/check', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/report/confirmation');
    const confirmation = await web.get('/report/confirmation');
    expect(confirmation.text).toContain('Report sent');
    const match = /id="case-reference">(CB-\d{4}-\d+)</.exec(confirmation.text);
    expect(match).not.toBeNull();
    reference = match![1];
    const [row] = await t.db.query(`SELECT id, title, happened_on::text AS "happenedOn", commitments, facts, evidence, reporter_named AS "reporterNamed" FROM cases WHERE reference = $1`, [reference]);
    caseId = row.id;
    expect(row).toMatchObject({
      title: 'Consultation cut to six weeks',
      happenedOn: '2025-09-01',
      commitments: ['2.4', '4.4'],
      facts: { consultationOpenedOn: '2025-09-01', consultationClosedOn: '2025-10-13', shorterConsultationRationaleGiven: false },
      evidence: 'The consultation notice dated 1 September 2025.',
      reporterNamed: false,
    });
    expect(row.facts).not.toHaveProperty('impactAssessed');
    const attached = await t.db.query(`SELECT file_name AS "fileName", held_for AS "heldFor" FROM evidence WHERE case_id = $1 ORDER BY created_at`, [caseId]);
    expect(attached).toEqual([
      { fileName: 'notice.pdf', heldFor: null },
      { fileName: 'panel-letter.pdf', heldFor: null },
    ]);
    expect(confirmation.text).toContain('2 documents went with your report');
    expect(confirmation.text).toContain(`href="/cases/${caseId}"`);
    expect(confirmation.text).toContain('within 5 working days');
    expect(confirmation.text).toContain('you will have 10 working days to answer');

    // The draft is gone: a new report starts afresh.
    expect((await web.get('/report')).text).not.toContain('Continue your report');
    expect((await web.get('/report/check')).headers.location).toBe('/report/organisation');

    const mine = await web.get('/cases');
    expect(mine.text).toContain("Our organisation&#39;s cases");
    expect(mine.text).toContain(`<a class="govuk-link app-nowrap" href="/cases/${caseId}">${reference}</a>`);
    expect(mine.text).toContain('Consultation cut to six weeks');
  });

  it('skips the facts step when no chosen commitment has a rule, and lets a reporter start again', async () => {
    const web = new WebClient(t);
    await web.signIn('carers@demo.compact.test');
    await web.post('/report/organisation', {});
    await web.post('/report/public-body', { respondentId: t.demo.organisations.harboroughCouncil });
    await web.post('/report/compact', { compactId: t.demo.compacts.national2010 });
    const res = await web.post('/report/commitments', { commitments: '2.1' });
    expect(res.headers.location).toBe('/report/what-happened');
    await web.post('/report/what-happened', { title: 'Value ignored', whatHappened: 'x', 'happenedOn-day': '1', 'happenedOn-month': '1', 'happenedOn-year': '2025' });
    expect((await web.get('/report/facts')).headers.location).toBe('/report/impact');
    expect((await web.get('/report/impact')).text).toContain('href="/report/what-happened"');
    expect((await web.get('/report')).text).toContain('Continue your report');
    const again = await web.post('/report/start-again', {});
    expect(again.headers.location).toBe('/report/organisation');
    expect((await web.get('/report/commitments')).headers.location).toBe('/report/organisation');
  });

  it('keeps the draft for the person when the session lapses: signing in again returns to the same page, filled in', async () => {
    const web = new WebClient(t);
    await web.signIn('carers@demo.compact.test');
    await web.post('/report/organisation', {});
    await web.post('/report/public-body', { respondentId: t.demo.organisations.harboroughCouncil });
    await web.post('/report/compact', { compactId: t.demo.compacts.harborough2003 });
    await web.post('/report/commitments', { commitments: ['F5', 'J1'] });
    await web.post('/report/what-happened', { title: 'Full cost recovery refused', whatHappened: 'The council would not pay overheads.', 'happenedOn-day': '3', 'happenedOn-month': '11', 'happenedOn-year': '2026' });
    const impact = await web.get('/report/impact');
    expect(impact.text).toContain('For your security, we sign you out if you do nothing for 30 minutes');
    // The page gives the timeout warning what it needs; the warning keeps the session alive on request.
    expect(impact.text).toMatch(/data-session-timeout data-seconds-left="\d+" data-idle-minutes="30"/);
    const alive = await t.http.post('/api/web/session/keep-alive').set('Cookie', (impact.request as unknown as { header: Record<string, string> }).header.Cookie).set('x-csrf-token', web.csrf!);
    expect(alive.status).toBe(200);
    expect(alive.body).toEqual({ secondsLeft: 1800 });

    // The session lapses (as if 31 minutes passed).
    await t.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [t.demo.users.reporter2.id]);
    // A form sent now asks the person to sign in, and says why: not "Your account does not allow this".
    const lapsedPost = await web.post('/report/impact', { impact: 'Lost typing', desiredOutcome: 'x' });
    expect(lapsedPost.status).toBe(303);
    expect(lapsedPost.headers.location).toBe('/sign-in');
    const signInPage = await web.get('/sign-in');
    expect(signInPage.text).toContain('You have been signed out');
    expect(signInPage.text).toContain('we sign you out when you have not done anything for 30 minutes');
    expect(signInPage.text).toContain('a report you had started (we keep it for 30 days)');
    expect(signInPage.text).not.toContain('does not allow');
    // Signing in again goes back to the page they were on, with everything kept.
    const again = await web.post('/sign-in', { email: 'carers@demo.compact.test', password: 'demo-password' });
    expect(again.headers.location).toBe('/report/impact');
    const back = await web.get('/report/what-happened');
    expect(back.text).toContain('value="Full cost recovery refused"');
    expect(back.text).toContain('The council would not pay overheads.</textarea>');
    const check = await web.get('/report/commitments');
    expect(check.text).toMatch(/value="F5" checked/);

    // A page opened after the session lapsed comes back to itself after signing in.
    await t.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1`, [t.demo.users.reporter2.id]);
    const lapsedGet = await web.get('/report/what-happened');
    expect(lapsedGet.headers.location).toBe('/sign-in?next=%2Freport%2Fwhat-happened');
    await web.signIn('carers@demo.compact.test', '/report/what-happened');
    // Kept in the database for the person, 30 days from its last change, then gone with its documents.
    const [kept] = await t.db.query(`SELECT draft->>'title' AS title FROM report_drafts WHERE user_id = $1`, [t.demo.users.reporter2.id]);
    expect(kept.title).toBe('Full cost recovery refused');
    await t.db.query(`UPDATE report_drafts SET updated_at = now() - interval '31 days' WHERE user_id = $1`, [t.demo.users.reporter2.id]);
    expect((await web.get('/report')).text).not.toContain('Continue your report');
    await web.signIn('carers@demo.compact.test');
    expect((await t.db.query(`SELECT 1 FROM report_drafts WHERE user_id = $1`, [t.demo.users.reporter2.id])).length).toBe(0);
  });

  it('offers every Compact when the body signed none, and says a caseworker will check', async () => {
    const web = new WebClient(t);
    await web.signIn('carers@demo.compact.test');
    await web.post('/report/start-again', {});
    await web.post('/report/organisation', {});
    const [county] = await t.db.query(`SELECT id FROM organisations WHERE name = 'Leicestershire County Council'`);
    await web.post('/report/public-body', { respondentId: county.id });
    const page = await web.get('/report/compact');
    expect(page.text).toContain('Our list does not show Leicestershire County Council signing a Compact');
    expect(page.text).toContain('The Compact (2010)');
    expect(page.text).not.toContain('It is not listed');
  });

  it('takes a public body that is not listed by name and area, and lets a caseworker link it at triage', async () => {
    const web = new WebClient(t);
    await web.signIn('reporter@demo.compact.test');
    await web.post('/report/organisation', {});
    expect((await web.get('/report/public-body')).text).toContain('It is not listed');
    let res = await web.post('/report/public-body', { respondentId: 'not-listed' });
    expect(res.headers.location).toBe('/report/public-body/not-listed');
    res = await web.post('/report/public-body/not-listed', { name: '', area: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter the name of the public body');
    expect(res.text).toContain('href="#unlisted-name"');
    expect(res.text).toContain('Enter the area the public body serves');
    res = await web.post('/report/public-body/not-listed', { name: 'Kibworth Parish Council', area: 'x' });
    expect(res.text).toContain('The area the public body serves must be between 2 and 100 characters');
    res = await web.post('/report/public-body/not-listed', { name: '  Kibworth   Parish Council ', area: 'Harborough' });
    expect(res.headers.location).toBe('/report/compact');
    const compacts = await web.get('/report/compact');
    expect(compacts.text).toContain('Kibworth Parish Council is not in our list yet');
    expect(compacts.text).toContain('Harborough District Compact (2003)'); // the area's local Compact
    await web.post('/report/compact', { compactId: t.demo.compacts.harborough2003 });
    await web.post('/report/commitments', { commitments: ['F5'] });
    await web.post('/report/what-happened', { title: 'Parish grant cut', whatHappened: 'The parish cut our grant.', 'happenedOn-day': '2', 'happenedOn-month': '11', 'happenedOn-year': '2026' });
    await web.post('/report/impact', { impact: 'We closed a session.', desiredOutcome: 'Restore the grant.' });
    await web.post('/report/tell-public-body', { reporterMayBeNamed: 'yes' });
    await web.post('/report/evidence', {});
    const check = await web.get('/report/check');
    expect(check.text).toContain('Kibworth Parish Council<br>Harborough');
    expect(check.text).toContain('Not in our list yet: a caseworker will find it');
    expect(check.text).toContain('href="/report/public-body/not-listed?change=1"');
    res = await web.post('/report/check', {});
    expect(res.headers.location).toBe('/report/confirmation');
    const filed = /id="case-reference">(CB-\d{4}-\d+)</.exec((await web.get('/report/confirmation')).text)![1];
    const [c] = await t.db.query(`SELECT c.id, o.name, o.unverified FROM cases c JOIN organisations o ON o.id = c.respondent_organisation_id WHERE c.reference = $1`, [filed]);
    expect(c).toMatchObject({ name: 'Kibworth Parish Council', unverified: true });

    // The reporter's case page has no linking form; the link page is staff only (404 to others).
    const own = await web.get(`/cases/${c.id}`);
    expect(own.text).not.toContain('Not in the registry yet');
    expect((await web.get(`/cases/${c.id}/public-body`)).status).toBe(403);
    const other = new WebClient(t);
    await other.signIn('carers@demo.compact.test');
    expect((await other.get(`/cases/${c.id}/public-body`)).status).toBe(404);

    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    const page = await caseworker.get(`/cases/${c.id}`);
    expect(page.text).toContain('Not in the registry yet');
    expect(page.text).toContain('The reporter typed <strong>Kibworth Parish Council</strong>, Harborough');
    expect(page.text).toContain(`action="/cases/${c.id}/public-body"`);
    const search = await caseworker.get(`/cases/${c.id}/public-body?q=Harborough`);
    expect(search.text).toContain('Find the public body in the registry');
    expect(search.text).toContain(`value="${t.demo.organisations.harboroughCouncil}"`);
    res = await caseworker.post(`/cases/${c.id}/public-body`, { q: 'Harborough' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select the public body in the registry that the reporter meant');
    res = await caseworker.post(`/cases/${c.id}/public-body`, { organisationId: t.demo.organisations.harboroughCouncil });
    expect(res.headers.location).toBe(`/cases/${c.id}#report`);
    const after = await caseworker.get(`/cases/${c.id}`);
    expect(after.text).not.toContain('Not in the registry yet');
    expect(after.text).toContain('Harborough District Council');
    expect(after.text).toContain('the reporter typed “Kibworth Parish Council” (Harborough)');
    // Nothing left to link: the page goes back to the case.
    expect((await caseworker.get(`/cases/${c.id}/public-body`)).headers.location).toBe(`/cases/${c.id}#report`);
  });

  it('is for reporters only', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    expect((await web.get('/report')).status).toBe(403);
  });

  it('shows a caseworker every case with filters, and a reporter of another organisation none of ours', async () => {
    const caseworker = new WebClient(t);
    await caseworker.signIn('caseworker@demo.compact.test');
    const all = await caseworker.get('/cases');
    expect(all.status).toBe(200);
    expect(all.text).toContain('All cases');
    expect(all.text).toContain(reference);
    expect(all.text).toContain('id="stage"');
    const found = await caseworker.get(`/cases?q=consultation&stage=submitted&respondentId=${t.demo.organisations.harboroughCouncil}`);
    expect(found.text).toContain(reference);
    expect(found.text).toContain('Clear the search and filters');
    const none = await caseworker.get('/cases?stage=closed');
    expect(none.text).not.toContain(reference);
    expect(none.text).toContain('No cases match these filters');
    const bad = await caseworker.get('/cases?stage=nowhere&q=kept%20words');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Select a stage from the list');
    expect(bad.text).toContain('value="kept words"');

    const other = new WebClient(t);
    await other.signIn('carers@demo.compact.test');
    const theirs = await other.get('/cases');
    expect(theirs.status).toBe(200);
    expect(theirs.text).not.toContain(reference);
    expect(theirs.text).toContain('href="/report"');
    expect(theirs.text).toContain('has not reported any breaches yet');
    expect(theirs.text).not.toContain('id="stage"'); // reporters get no filters
  });

  it('pages through a long list with the cursor', async () => {
    for (let i = 0; i < 26; i++) {
      await t.http.post('/api/cases').set('Authorization', `Bearer ${t.tokens.reporter2}`).send(sampleReport(t.demo, { title: `Paged report ${i}` })).expect(201);
    }
    const web = new WebClient(t);
    await web.signIn('carers@demo.compact.test');
    const first = await web.get('/cases');
    expect(first.text).toContain('Paged report 25');
    expect(first.text).not.toContain('Paged report 0<');
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.text);
    expect(next).not.toBeNull();
    const second = await web.get(decode(next![1]));
    expect(second.text).toContain('Paged report 0<');
    expect(second.text).not.toContain('Paged report 25');
    expect(second.text).toContain('Back to the newest cases');
  });
});
