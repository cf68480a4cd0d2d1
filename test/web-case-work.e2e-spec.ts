import { breachCaseMachineV1 } from '@cc/workflows';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** Case work in the browser pages: the case page's generated action forms, queues, and the workflow diagram. */
describe('pages: case work', () => {
  let t: TestApp;
  let cases: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('web-case-work');
    cases = new CaseDriver(t);
  });
  afterAll(() => t?.close());

  const versionOf = (html: string, type: string) => {
    const form = html.slice(html.indexOf(`id="form-${type}"`));
    return /name="version" value="(\d+)"/.exec(form)?.[1] ?? '';
  };

  it('takes a caseworker from the triage queue through assigning, accepting and contacting the public body', async () => {
    const filed = await cases.file('reporter', { title: 'Consultation cut to two weeks' });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');

    const queue = await web.get('/triage');
    expect(queue.status).toBe(200);
    const newTable = queue.text.slice(queue.text.indexOf('id="triage-new"'), queue.text.indexOf('triage-mine'));
    expect(newTable).toContain(filed.reference);
    expect(newTable).toContain(`href="/cases/${filed.id}"`);

    let page = await web.get(`/cases/${filed.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="triage-hints"');
    expect(page.text).toContain('Current state: <strong>Submitted</strong>');
    // Only what the workflow allows now: ASSIGN (and WITHDRAW for the reporter), not ACCEPT yet.
    expect(page.text).toContain('action="/cases/' + filed.id + '/actions/ASSIGN"');
    expect(page.text).not.toContain('/actions/ACCEPT"');
    expect(page.text).toContain('Cara Caseworker');

    let res = await web.post(`/cases/${filed.id}/actions/ASSIGN`, { version: versionOf(page.text, 'ASSIGN'), caseworkerId: t.demo.users.caseworker.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain(`/cases/${filed.id}?done=ASSIGN`);

    const mine = await web.get('/triage');
    expect(mine.text.slice(mine.text.indexOf('triage-mine'))).toContain(filed.reference);

    page = await web.get(res.headers.location);
    expect(page.text).toContain('Done: assign a caseworker');
    res = await web.post(`/cases/${filed.id}/actions/ACCEPT`, { version: versionOf(page.text, 'ACCEPT'), note: '' });
    expect(res.status).toBe(303);

    page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toContain('/actions/CONTACT_RESPONDENT"');
    res = await web.post(`/cases/${filed.id}/actions/CONTACT_RESPONDENT`, {
      version: versionOf(page.text, 'CONTACT_RESPONDENT'),
      summary: 'Wrote to the chief executive.',
      contactName: 'Pat Officer',
      contactEmail: 'pat@council.example',
    });
    expect(res.status).toBe(303);
    const detail = await cases.get('caseworker', filed.id);
    expect(detail.body.state).toBe('advocacy.awaitingResponse');
    page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toContain('Public body to reply');
    expect(page.text).toContain('Contact the public body');
  });

  it('shows a refused action beside its fields and keeps what was typed', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const page = await web.get(`/cases/${filed.id}`);
    const res = await web.post(`/cases/${filed.id}/actions/REJECT`, { version: versionOf(page.text, 'REJECT'), reason: 'duplicate', explanation: 'Same as the food bank report', duplicateOfReference: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('href="#REJECT-duplicateOfReference"');
    expect(res.text).toContain('is required when the reason is duplicate');
    expect(res.text).toContain('Same as the food bank report');
    expect(res.text).toMatch(/value="duplicate" checked/);
    expect((await cases.get('caseworker', filed.id)).body.state).toBe('triage.reviewing');

    const empty = await web.post(`/cases/${filed.id}/actions/REQUEST_INFO`, { version: versionOf(page.text, 'REQUEST_INFO'), questions: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter questions for the reporter');
  });

  it('says clearly when someone else changed the case first', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const page = await web.get(`/cases/${filed.id}`);
    const shown = versionOf(page.text, 'ACCEPT');
    await cases.send('caseworker', filed.id, { type: 'REQUEST_INFO', questions: 'When did the council write to you?' });
    const res = await web.post(`/cases/${filed.id}/actions/ACCEPT`, { version: shown, note: 'Looks clear' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed this case');
    expect(res.text).toContain('Looks clear');
    expect(res.text).toContain('Current state: <strong>Triage: awaiting information</strong>');
  });

  it('lets the reporter answer a question and hides the case from another organisation', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', filed.id, { type: 'REQUEST_INFO', questions: 'Who signed the letter?' });

    const other = new WebClient(t);
    await other.signIn('carers@demo.compact.test');
    const hidden = await other.get(`/cases/${filed.id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain(filed.reference);

    const web = new WebClient(t);
    await web.signIn('reporter@demo.compact.test');
    const page = await web.get(`/cases/${filed.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('We have asked you some questions');
    expect(page.text).toContain('/actions/PROVIDE_INFO"');
    expect(page.text).toContain('/actions/WITHDRAW"');
    expect(page.text).not.toContain('/actions/ACCEPT"');
    expect(page.text).not.toContain('id="triage-hints"');
    const res = await web.post(`/cases/${filed.id}/actions/PROVIDE_INFO`, { version: versionOf(page.text, 'PROVIDE_INFO'), answer: 'The director of finance.' });
    expect(res.status).toBe(303);
    expect((await cases.get('reporter', filed.id)).body.state).toBe('triage.reviewing');
  });

  it('keeps notes to their audience and adds shared notes from the page', async () => {
    const filed = await cases.file();
    const staff = new WebClient(t);
    await staff.signIn('caseworker@demo.compact.test');
    await staff.get(`/cases/${filed.id}`);
    expect((await staff.post(`/cases/${filed.id}/notes`, { body: 'Internal worry about timing', visibility: 'internal' })).status).toBe(303);
    const empty = await staff.post(`/cases/${filed.id}/notes`, { body: '  ', visibility: 'shared' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the note');

    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    await reporter.get(`/cases/${filed.id}`);
    expect((await reporter.post(`/cases/${filed.id}/notes`, { body: 'We have more letters', visibility: 'shared' })).status).toBe(303);
    const seen = await reporter.get(`/cases/${filed.id}`);
    expect(seen.text).toContain('We have more letters');
    expect(seen.text).not.toContain('Internal worry about timing');
    expect((await staff.get(`/cases/${filed.id}`)).text).toContain('Internal worry about timing');
  });

  it('uploads evidence from the page and downloads it with the session', async () => {
    const filed = await cases.file();
    const web = new WebClient(t);
    await web.signIn('reporter@demo.compact.test');
    await web.get(`/cases/${filed.id}`);
    const cookie = (await (async () => (web as unknown as { cookieHeader(): string }).cookieHeader())());
    const up = await t.http
      .post(`/cases/${filed.id}/evidence`)
      .set('Cookie', cookie)
      .field('_csrf', web.csrf!)
      .field('description', 'The council letter')
      .attach('file', Buffer.from('Dear food bank, your grant ends.\n'), 'letter.txt');
    expect(up.status).toBe(303);
    const page = await web.get(`/cases/${filed.id}`);
    const link = /href="(\/cases\/[^"]+\/evidence\/[^"]+)"/.exec(page.text)?.[1];
    expect(link).toBeDefined();
    const file = await web.get(link!);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain('letter.txt');
    expect(file.text).toContain('your grant ends');

    const noToken = await t.http.post(`/cases/${filed.id}/evidence`).set('Cookie', cookie).field('description', 'x').attach('file', Buffer.from('hello'), 'a.txt');
    expect(noToken.status).toBe(403);
    const refused = await t.http.post(`/cases/${filed.id}/evidence`).set('Cookie', cookie).field('_csrf', web.csrf!).field('description', 'Kept description').attach('file', Buffer.from('MZ\x90\x00binary'), 'tool.exe');
    expect(refused.status).toBe(415);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('Kept description');
  });

  it('lists only the mediator\'s own mediations, with the session date', async () => {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await cases.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity' });
    await cases.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    await cases.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: '2027-02-10T10:00:00Z', location: 'Harborough Civic Centre' });
    const otherCase = await cases.file();

    const web = new WebClient(t);
    await web.signIn('mediator@demo.compact.test');
    const list = await web.get('/mediations');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/cases/${id}`);
    expect(list.text).toContain('Harborough Civic Centre');
    expect(list.text).toContain('10 February 2027');
    expect(list.text).not.toContain(`/cases/${otherCase.id}`);
    expect((await web.get(`/cases/${otherCase.id}`)).status).toBe(404);
    const page = await web.get(`/cases/${id}`);
    expect(page.text).toContain('/actions/RECORD_SESSION_HELD"');
    expect(page.text).toContain('/actions/RESCHEDULE"');

    const tied = new WebClient(t);
    await tied.signIn('mediator2@demo.compact.test');
    expect((await tied.get('/mediations')).text).toContain('You are not appointed to any cases');
  });

  it('groups due deadlines by caseworker and highlights overdue ones', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker2.id });
    await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 day' WHERE case_id = $1 AND kind = 'triage'`, [filed.id]);
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const res = await web.get('/deadlines?due=overdue');
    expect(res.status).toBe(200);
    const group = res.text.slice(res.text.indexOf('data-caseworker="Kofi Caseworker"'));
    expect(group).toContain(filed.reference);
    expect(group).toMatch(/app-overdue[\s\S]*Overdue/);
    const queue = await web.get('/triage');
    expect(queue.status).toBe(200);
  });

  it('draws every state of the machine on the workflow page and marks the case\'s state on its page', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const res = await web.get('/workflow');
    expect(res.status).toBe(200);
    expect(res.text).toContain('role="img"');
    const leaves = (node: { states?: Record<string, unknown> }, prefix = ''): string[] =>
      Object.entries(node.states ?? {}).flatMap(([k, v]) => {
        const child = v as { states?: Record<string, unknown> };
        const path = prefix ? `${prefix}.${k}` : k;
        return Object.keys(child.states ?? {}).length ? leaves(child, path) : [path];
      });
    const states = leaves(breachCaseMachineV1.config as never);
    expect(states.length).toBeGreaterThan(15);
    for (const s of states) expect(res.text).toContain(`data-state="${s}"`);
    expect(res.text).toContain('id="workflow-transitions"');
    expect(res.text).toContain('FEE_AGREEMENT_OVERDUE');

    const filed = await cases.file();
    const page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toMatch(/app-wf-state app-wf-state--current" data-state="submitted"/);
    expect(page.text).toContain('Current state: Submitted. It is highlighted');

    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    expect((await reporter.get('/workflow')).status).toBe(403);
  });
});
