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

    // The Compact: national and local suggestions for the body.
    const compacts = await web.get('/report/compact');
    expect(compacts.text).toContain('The Compact (2010)');
    expect(compacts.text).toContain('National Compact');
    expect((await web.post('/report/compact', {})).text).toContain('Select the Compact the public body broke');
    res = await web.post('/report/compact', { compactId: t.demo.compacts.national2010 });
    expect(res.headers.location).toBe('/report/commitments');

    // The commitments, grouped by section, with reference and text.
    const commitments = await web.get('/report/commitments');
    expect(decode(commitments.text)).toContain('2.4: Where appropriate, conduct formal written consultations lasting 12 weeks');
    expect(commitments.text).toContain('govuk-fieldset__legend--s');
    res = await web.post('/report/commitments', {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select at least one commitment the public body broke');
    res = await web.post('/report/commitments', { commitments: ['2.4', '4.4'] });
    expect(res.headers.location).toBe('/report/what-happened');

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
    // A date in the future passes this step; the use case refuses it on sending (below).
    const nextYear = String(new Date().getFullYear() + 1);
    res = await web.post('/report/what-happened', {
      title: 'Consultation cut to six weeks',
      whatHappened: 'The council ran its grants consultation for only six weeks.',
      'happenedOn-day': '1',
      'happenedOn-month': '9',
      'happenedOn-year': nextYear,
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
    expect(res.headers.location).toBe('/report/evidence');
    expect((await web.get('/report/evidence')).text).toContain('href="/report/impact"'); // back link
    // Documents go with the report: checked from their content, held until it is sent.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    res = await web.postMultipart('/report/evidence/upload', { description: 'Consultation notice' }, { field: 'file', name: 'notice.pdf', content: pdf });
    expect(res.headers.location).toBe('/report/evidence');
    const refused = await web.postMultipart('/report/evidence/upload', { description: 'A program' }, { field: 'file', name: 'minutes.pdf', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]) });
    expect(refused.status).toBe(415);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('value="A program"');
    res = await web.postMultipart('/report/evidence/upload', {}, { field: 'file', name: 'extra.txt', content: Buffer.from('Notes from the meeting.\n') });
    const withDocs = await web.get('/report/evidence');
    expect(withDocs.text).toContain('notice.pdf');
    expect(withDocs.text).toContain('extra.txt');
    const [extra] = await t.db.query(`SELECT id FROM evidence WHERE file_name = 'extra.txt' AND case_id IS NULL`);
    res = await web.post(`/report/evidence/${extra.id}/remove`, {});
    expect((await web.get('/report/evidence')).text).not.toContain('extra.txt');
    expect((await web.post('/report/evidence/not-an-id/remove', {})).status).toBe(303);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM evidence WHERE id = $1`, [extra.id]))[0].n).toBe(0);
    res = await web.post('/report/evidence', { evidence: 'The consultation notice dated 1 September 2025.' });
    expect(res.headers.location).toBe('/report/check');

    // Check your answers, with Change links.
    const check = await web.get('/report/check');
    expect(check.text).toContain('Check your answers before sending your report');
    expect(check.text).toContain('Harborough District Council');
    expect(check.text).toContain('13 October 2025');
    expect(check.text).toContain('href="/report/commitments?change=1"');
    expect(check.text).toContain('Not known'); // impact assessed: I do not know

    // The use case refuses the future date: the problem links back to its step, which shows it and keeps the answers.
    res = await web.post('/report/check', {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date it happened is in the future');
    expect(res.text).toContain('href="/report/what-happened?change=1#happenedOn-day"');
    const back = await web.get('/report/what-happened?change=1');
    expect(back.text).toContain('The date it happened is in the future');
    expect(back.text).toContain('value="Consultation cut to six weeks"');
    expect(back.text).toContain(`value="${nextYear}"`);
    res = await web.post('/report/what-happened', {
      change: '1',
      title: 'Consultation cut to six weeks',
      whatHappened: 'The council ran its grants consultation for only six weeks.',
      'happenedOn-day': '1',
      'happenedOn-month': '9',
      'happenedOn-year': '2025',
    });
    expect(res.headers.location).toBe('/report/check');

    res = await web.post('/report/check', {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/report/confirmation');
    const confirmation = await web.get('/report/confirmation');
    expect(confirmation.text).toContain('Report sent');
    const match = /id="case-reference">(CB-\d{4}-\d+)</.exec(confirmation.text);
    expect(match).not.toBeNull();
    reference = match![1];
    const [row] = await t.db.query(`SELECT id, title, happened_on::text AS "happenedOn", commitments, facts, evidence FROM cases WHERE reference = $1`, [reference]);
    caseId = row.id;
    expect(row).toMatchObject({
      title: 'Consultation cut to six weeks',
      happenedOn: '2025-09-01',
      commitments: ['2.4', '4.4'],
      facts: { consultationOpenedOn: '2025-09-01', consultationClosedOn: '2025-10-13', shorterConsultationRationaleGiven: false },
      evidence: 'The consultation notice dated 1 September 2025.',
    });
    expect(row.facts).not.toHaveProperty('impactAssessed');
    const attached = await t.db.query(`SELECT file_name AS "fileName", held_for AS "heldFor" FROM evidence WHERE case_id = $1`, [caseId]);
    expect(attached).toEqual([{ fileName: 'notice.pdf', heldFor: null }]);
    expect(confirmation.text).toContain('1 document went with your report');
    expect(confirmation.text).toContain(`href="/cases/${caseId}"`);
    expect(confirmation.text).toContain('within 5 working days');
    expect(confirmation.text).toContain('you will have 10 working days to answer');

    // The draft is gone: a new report starts afresh.
    expect((await web.get('/report')).text).not.toContain('Continue your report');
    expect((await web.get('/report/check')).headers.location).toBe('/report/organisation');

    const mine = await web.get('/cases');
    expect(mine.text).toContain("Our organisation&#39;s cases");
    expect(mine.text).toContain(`<a class="govuk-link" href="/cases/${caseId}">${reference}</a>`);
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
    expect(found.text).toContain('Clear filters');
    const none = await caseworker.get('/cases?stage=closed');
    expect(none.text).not.toContain(reference);
    expect(none.text).toContain('No cases match these filters');
    const bad = await caseworker.get('/cases?stage=nowhere&q=kept%20words');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Stage must be one of');
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
