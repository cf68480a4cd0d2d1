import { formatDate } from '@cc/wording';
import { breachCaseMachineV1, breachCaseMachineV2 } from '@cc/workflows';
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
  /** Each action has a page of its own, linked from the case page: its form is there. */
  const actionPage = async (client: WebClient, id: string, type: string) => {
    const page = await client.get(`/cases/${id}/actions/${type}`);
    expect(page.status).toBe(200);
    return page;
  };
  const versionFor = async (client: WebClient, id: string, type: string) => versionOf((await actionPage(client, id, type)).text, type);

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
    // Only what the workflow allows now: ASSIGN (and WITHDRAW for the reporter), not ACCEPT yet,
    // each a link to the action's own page, where its form is.
    expect(page.text).toContain('href="/cases/' + filed.id + '/actions/ASSIGN"');
    expect(page.text).not.toContain('/actions/ACCEPT"');
    const assign = await actionPage(web, filed.id, 'ASSIGN');
    expect(assign.text).toContain('action="/cases/' + filed.id + '/actions/ASSIGN"');
    expect(assign.text).toContain('Cara Caseworker');
    expect(assign.text).toContain(`href="/cases/${filed.id}#actions"`);

    let res = await web.post(`/cases/${filed.id}/actions/ASSIGN`, { version: versionOf(assign.text, 'ASSIGN'), caseworkerId: t.demo.users.caseworker.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain(`/cases/${filed.id}?done=ASSIGN`);

    const mine = await web.get('/triage');
    expect(mine.text.slice(mine.text.indexOf('triage-mine'))).toContain(filed.reference);

    page = await web.get(res.headers.location);
    expect(page.text).toContain('Done: assign a caseworker');
    res = await web.post(`/cases/${filed.id}/actions/ACCEPT`, { version: await versionFor(web, filed.id, 'ACCEPT'), note: '' });
    expect(res.status).toBe(303);

    page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toContain('/actions/CONTACT_RESPONDENT"');
    res = await web.post(`/cases/${filed.id}/actions/CONTACT_RESPONDENT`, {
      version: await versionFor(web, filed.id, 'CONTACT_RESPONDENT'),
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

  it('gives each action a page of its own: its heading, the case it is on, a way back, and a 404 or 409 when it is not there to take', async () => {
    const filed = await cases.file('reporter', { title: 'Grant cut without notice' });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const casePage = await web.get(`/cases/${filed.id}`);
    // The case page lists what can be done as links, and renders no action's form.
    expect(casePage.text).toContain(`<a class="govuk-link govuk-link--no-visited-state" href="/cases/${filed.id}/actions/ASSIGN" id="open-ASSIGN">Assign a caseworker</a>`);
    expect(casePage.text).not.toContain('id="form-ASSIGN"');
    expect(casePage.text).not.toContain('/actions/ASSIGN" novalidate');

    const page = await actionPage(web, filed.id, 'ASSIGN');
    expect(page.text).toContain('<h1 class="govuk-heading-l" id="action-heading">Assign a caseworker</h1>');
    expect(page.text).toContain(`${filed.reference}: Grant cut without notice`);
    expect(page.text).toContain(`<title>Assign a caseworker: ${filed.reference} – Compact Cases</title>`);
    expect(page.text).toContain('Current state: <strong>Submitted</strong>');
    expect(page.text).toContain(`class="govuk-back-link"`);
    expect(page.text).toContain(`href="/cases/${filed.id}" id="cancel-action"`);
    expect(page.text).toContain('id="form-ASSIGN"');

    // Not offered now: said on the page, with no form, as a conflict.
    const notNow = await web.get(`/cases/${filed.id}/actions/ACCEPT`);
    expect(notNow.status).toBe(409);
    expect(notNow.text).toContain('You cannot do this on the case now. The case page shows what you can do now.');
    expect(notNow.text).not.toContain('id="form-ACCEPT"');
    // No such action, or a case the person may not see: not found.
    expect((await web.get(`/cases/${filed.id}/actions/NOT_AN_ACTION`)).status).toBe(404);
    expect((await web.get(`/cases/${filed.id}/actions/toString`)).status).toBe(404);
    const other = new WebClient(t);
    await other.signIn('carers@demo.compact.test');
    const hidden = await other.get(`/cases/${filed.id}/actions/WITHDRAW`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain(filed.reference);
    // Withdrawing is confirmed on its own page, never one click: the case page links there.
    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    expect((await reporter.get(`/cases/${filed.id}`)).text).toContain(`href="/cases/${filed.id}/withdraw" id="open-WITHDRAW"`);
    const withdraw = await reporter.get(`/cases/${filed.id}/actions/WITHDRAW`);
    expect(withdraw.status).toBe(200);
    expect(withdraw.text).toContain(`href="/cases/${filed.id}/withdraw"`);
    expect(withdraw.text).not.toContain('id="form-WITHDRAW"');
  });

  it('shows a refused action beside its fields and keeps what was typed', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const page = await actionPage(web, filed.id, 'REJECT');
    const res = await web.post(`/cases/${filed.id}/actions/REJECT`, { version: versionOf(page.text, 'REJECT'), reason: 'duplicate', explanation: 'Same as the food bank report', duplicateOfReference: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('href="#REJECT-duplicateOfReference"');
    expect(res.text).toContain('Enter the reference of the case this duplicates, like CB-2026-00042');
    expect(res.text).toContain('Same as the food bank report');
    expect(res.text).toMatch(/value="duplicate" checked/);
    expect((await cases.get('caseworker', filed.id)).body.state).toBe('triage.reviewing');

    const empty = await web.post(`/cases/${filed.id}/actions/REQUEST_INFO`, { version: await versionFor(web, filed.id, 'REQUEST_INFO'), questions: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your questions for the reporter');
  });

  it('says clearly when someone else changed the case first', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const shown = await versionFor(web, filed.id, 'ACCEPT');
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
    // Withdrawing is offered through its confirmation page, never one click.
    expect(page.text).toContain(`/cases/${filed.id}/withdraw"`);
    expect(page.text).not.toContain('/actions/WITHDRAW"');
    expect(page.text).not.toContain('/actions/ACCEPT"');
    expect(page.text).not.toContain('id="triage-hints"');
    const res = await web.post(`/cases/${filed.id}/actions/PROVIDE_INFO`, { version: await versionFor(web, filed.id, 'PROVIDE_INFO'), answer: 'The director of finance.' });
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
    await cases.send('mediator', id, { type: 'SCHEDULE_SESSION', startsAt: `${new Date().getUTCFullYear() + 1}-02-10T10:00:00Z`, location: 'Harborough Civic Centre' });
    const otherCase = await cases.file();

    const web = new WebClient(t);
    await web.signIn('mediator@demo.compact.test');
    const list = await web.get('/mediations');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/cases/${id}`);
    expect(list.text).toContain('Harborough Civic Centre');
    expect(list.text).toContain(`10 February ${new Date().getUTCFullYear() + 1}`);
    expect(list.text).not.toContain(`/cases/${otherCase.id}`);
    expect((await web.get(`/cases/${otherCase.id}`)).status).toBe(404);
    const page = await web.get(`/cases/${id}`);
    // The session is next year: it cannot be recorded as held until its day, so it is not offered.
    expect(page.text).not.toContain('/actions/RECORD_SESSION_HELD"');
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

  it("shows each report's triage clock in the queue: its date and whether it is overdue, or that it is paused", async () => {
    const late = await cases.file();
    const waiting = await cases.file();
    await cases.send('caseworker', waiting.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', waiting.id, { type: 'REQUEST_INFO', questions: 'When was the grant ended?' });
    // The oldest in each list, so each is on the first page whatever else is waiting.
    await t.db.query(`UPDATE cases SET submitted_at = now() - interval '400 days' WHERE id = ANY($1)`, [[late.id, waiting.id]]);
    await t.db.query(`UPDATE deadlines SET due_at = now() - interval '1 day' WHERE case_id = $1 AND kind = 'triage'`, [late.id]);
    const [{ due }] = await t.db.query(`SELECT due_at AS due FROM deadlines WHERE case_id = $1 AND kind = 'triage'`, [late.id]);
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const queue = (await web.get('/triage')).text;
    const rowOf = (reference: string) => {
      const at = queue.indexOf(`>${reference}</a>`);
      expect(at).toBeGreaterThan(-1);
      return queue.slice(at, queue.indexOf('</tr>', at));
    };
    const lateRow = rowOf(late.reference);
    expect(lateRow).toContain(formatDate(due));
    expect(lateRow).toMatch(/app-overdue[\s\S]*Overdue/);
    const pausedRow = rowOf(waiting.reference);
    expect(pausedRow).toContain('Paused');
    expect(pausedRow).not.toContain('Overdue');
    expect(queue.indexOf(`>${waiting.reference}</a>`)).toBeGreaterThan(queue.indexOf('id="triage-mine"'));
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

    // Version 2, which new cases follow, is drawn by default: the review, and the public body among the roles.
    for (const s of leaves(breachCaseMachineV2.config as never)) expect(res.text).toContain(`data-state="${s}"`);
    expect(res.text).toContain('data-state="review"');
    expect(res.text).toContain('This is version 2 of the process, which new cases follow.');
    const table = res.text.slice(res.text.indexOf('id="workflow-transitions"'));
    const extensionRow = table.slice(table.lastIndexOf('<tr', table.indexOf('REQUEST_EXTENSION')), table.indexOf('</tr>', table.indexOf('REQUEST_EXTENSION')));
    expect(extensionRow).toContain('Ask for more time');
    expect(extensionRow).toContain('Public body');
    expect(table).toContain('REQUEST_REVIEW');
    // Version 1, for the cases still on it, on request: its own states, none of version 2's steps.
    const older = await web.get('/workflow?version=1');
    expect(older.status).toBe(200);
    for (const s of states) expect(older.text).toContain(`data-state="${s}"`);
    expect(older.text).not.toContain('data-state="review"');
    expect(older.text).not.toContain('REQUEST_EXTENSION');
    expect(older.text).toContain('This is version 1 of the process, which cases started on it still follow.');
    expect(older.text).toContain('href="/workflow"');
    const unknown = await web.get('/workflow?version=7');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Choose version 1 or version 2 of the process');
    expect(unknown.text).toContain('<title>Error: How a case moves');

    const filed = await cases.file();
    const page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toMatch(/app-wf-state app-wf-state--current" data-state="submitted"/);
    expect(page.text).toContain('Current state: Submitted. It is highlighted');

    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    expect((await reporter.get('/workflow')).status).toBe(403);
  });

  /** The note form's buttons, in order: what each says and the audience it posts. */
  const noteButtons = (html: string) => {
    const form = html.slice(html.indexOf('id="form-note"'), html.indexOf('</form>', html.indexOf('id="form-note"')));
    return [...form.matchAll(/<button([^>]*)>\s*([^<]*?)\s*<\/button>/g)]
      .filter((m) => /name="visibility"/.test(m[1]))
      .map((m) => ({ value: /value="(\w+)"/.exec(m[1])?.[1], text: m[2], primary: !/govuk-button--secondary/.test(m[1]) }));
  };

  it("defaults a caseworker's and a mediator's note to the most private audience, says who will see it on the button, and keeps it that way after posting", async () => {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await cases.send('admin', id, { type: 'WAIVE_FEE', reason: 'Small charity' });
    await cases.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });

    const staff = new WebClient(t);
    await staff.signIn('caseworker@demo.compact.test');
    let page = await staff.get(`/cases/${id}`);
    // Nothing is shared unless the person presses the button that says so.
    expect(noteButtons(page.text)).toEqual([
      { value: 'internal', text: 'Add internal note (caseworkers only)', primary: true },
      { value: 'shared', text: 'Add note shared with the reporting organisation', primary: false },
    ]);
    expect(page.text).not.toMatch(/name="visibility" value="shared" checked/);
    let res = await staff.post(`/cases/${id}/notes`, { body: 'Council officer seemed hostile', visibility: 'internal' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('done=note-internal');
    page = await staff.get(res.headers.location);
    expect(page.text).toContain('Only caseworkers can see it');
    expect(page.text).toMatch(/govuk-tag[^"]*">\s*Caseworkers only/);
    // After posting (a shared note, even) the main button is still the private one.
    res = await staff.post(`/cases/${id}/notes`, { body: 'We will meet the council next week', visibility: 'shared' });
    page = await staff.get(res.headers.location);
    expect(noteButtons(page.text)[0]).toEqual({ value: 'internal', text: 'Add internal note (caseworkers only)', primary: true });
    // A refused post keeps what was typed and the same buttons.
    const refused = await staff.post(`/cases/${id}/notes`, { body: 'n'.repeat(10_001), visibility: 'internal' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The note must be 10,000 characters or fewer');
    expect(noteButtons(refused.text).map((b) => b.value)).toEqual(['internal', 'shared']);
    // A post that names no audience (an old page, a script) gets the most private one.
    await staff.post(`/cases/${id}/notes`, { body: 'No audience given' });
    const [row] = await t.db.query(`SELECT visibility FROM case_notes WHERE body = 'No audience given'`);
    expect(row.visibility).toBe('internal');

    const mediator = new WebClient(t);
    await mediator.signIn('mediator@demo.compact.test');
    page = await mediator.get(`/cases/${id}`);
    expect(noteButtons(page.text)).toEqual([
      { value: 'mediator', text: 'Add confidential note (mediator only)', primary: true },
      { value: 'shared', text: 'Add note shared with the reporting organisation', primary: false },
    ]);
    res = await mediator.post(`/cases/${id}/notes`, { body: 'Both sides want a phased restoration' });
    page = await mediator.get(res.headers.location);
    expect(page.text).toContain('Your confidential note was added. Only the mediator can see it.');
    expect(noteButtons(page.text)[0].value).toBe('mediator');
    expect((await staff.get(`/cases/${id}`)).text).not.toContain('Both sides want a phased restoration');

    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    page = await reporter.get(`/cases/${id}`);
    expect(noteButtons(page.text)).toEqual([{ value: 'shared', text: 'Add note', primary: true }]);
    expect(page.text).not.toContain('Council officer seemed hostile');
  });

  it('refuses to link a case to itself with a clear message, by its reference or its id', async () => {
    const filed = await cases.file();
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    await web.get(`/cases/${filed.id}`);
    for (const self of [filed.reference, filed.reference.toLowerCase(), filed.id.toUpperCase()]) {
      const res = await web.post(`/cases/${filed.id}/links`, { caseId: self, reason: '' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('You cannot link a case to itself. Enter the reference of another case');
      expect(res.text).toContain('href="#link-case"');
      expect(res.text).toContain(`value="${self}"`);
    }
    const unknown = await web.post(`/cases/${filed.id}/links`, { caseId: 'CB-1999-99999' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('There is no case CB-1999-99999. Check the reference');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM case_links WHERE $1 IN (case_id, linked_case_id)`, [filed.id]);
    expect(n).toBe(0);
  });

  it('offers reports that may be the same matter on a page of their own, linked from the case, and links one from there', async () => {
    const first = await cases.file();
    const second = await cases.file();
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const casePage = await web.get(`/cases/${first.id}`);
    expect(casePage.text).toContain(`href="/cases/${first.id}/links"`);
    expect(casePage.text).toContain('See reports that may be the same matter');
    // The case page itself no longer reads them: they are the dearest read a case has.
    expect(casePage.text).not.toContain('id="link-suggestions"');
    const offered = await web.get(`/cases/${first.id}/links`);
    expect(offered.status).toBe(200);
    expect(offered.text).toContain('Reports that may be the same matter');
    expect(offered.text).toContain(second.reference);
    const res = await web.post(`/cases/${first.id}/links`, { caseId: second.id });
    expect(res.status).toBe(303);
    expect((await web.get(`/cases/${first.id}`)).text).toMatch(new RegExp(`id="linked-group"[\\s\\S]*${second.reference}`));
    const after = await web.get(`/cases/${first.id}/links`);
    expect(after.text).not.toContain(`<a class="govuk-link" href="/cases/${second.id}">`);

    const reporter = new WebClient(t);
    await reporter.signIn('reporter@demo.compact.test');
    expect((await reporter.get(`/cases/${first.id}`)).text).not.toContain(`/cases/${first.id}/links`);
    expect((await reporter.get(`/cases/${first.id}/links`)).status).toBe(403);
  });

  it('counts characters against the schema\'s limits on the action forms and the note form', async () => {
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    // The action forms are on their own pages; the note form is on the case page.
    const [casePage, ask, reject] = [await web.get(`/cases/${filed.id}`), await actionPage(web, filed.id, 'REQUEST_INFO'), await actionPage(web, filed.id, 'REJECT')];
    // The limit is on the box's form group, the group the text box sits in.
    const countFor = (page: { text: string }, id: string) => {
      const box = page.text.indexOf(`<textarea class="govuk-textarea govuk-js-character-count" id="${id}"`);
      if (box < 0) return undefined;
      const group = page.text.slice(page.text.lastIndexOf('<div class="govuk-form-group', box), box);
      return /data-module="govuk-character-count" data-maxlength="(\d+)"/.exec(group)?.[1];
    };
    expect(countFor(ask, 'REQUEST_INFO-questions')).toBe('10000');
    expect(countFor(reject, 'REJECT-explanation')).toBe('10000');
    expect(countFor(casePage, 'note-body')).toBe('10000');
    // A short reference is a plain input, not a box with a count.
    expect(reject.text).toContain('id="REJECT-duplicateOfReference"');
    expect(countFor(reject, 'REJECT-duplicateOfReference')).toBeUndefined();
  });

  it('refuses dates that make no sense on the forms, and reads times as people write them', async () => {
    const id = await cases.toAdvocacyReview();
    await cases.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const next = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const parts = (d: Date, prefix: string) => ({ [`${prefix}-day`]: String(d.getUTCDate()), [`${prefix}-month`]: String(d.getUTCMonth() + 1), [`${prefix}-year`]: String(d.getUTCFullYear()) });
    let res = await web.post(`/cases/${id}/actions/RECORD_MEETING`, { version: await versionFor(web, id, 'RECORD_MEETING'), ...parts(next, 'heldOn'), summary: 'Not yet held' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date of the meeting must be today or in the past');
    expect(res.text).toContain('href="#RECORD_MEETING-heldOn-day"');
    const past = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    res = await web.post(`/cases/${id}/actions/AGREE`, { version: await versionFor(web, id, 'AGREE'), agreedActions: 'Restore the grant', ...parts(past, 'monitorUntil') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date to monitor until must be today or later, and within 5 years');
    res = await web.post(`/cases/${id}/actions/AGREE`, { version: await versionFor(web, id, 'AGREE'), agreedActions: 'Restore the grant', 'monitorUntil-day': '31', 'monitorUntil-month': '3', 'monitorUntil-year': '2207' });
    expect(res.text).toContain('The date to monitor until must be today or later, and within 5 years');
    expect((await cases.get('caseworker', id)).body.state).toBe('negotiation');

    const med = await cases.toAdvocacyReview();
    await cases.send('caseworker', med, { type: 'REFER_TO_MEDIATION' });
    await cases.send('admin', med, { type: 'WAIVE_FEE', reason: 'Small charity' });
    await cases.send('caseworker', med, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    const mediator = new WebClient(t);
    await mediator.signIn('mediator@demo.compact.test');
    res = await mediator.post(`/cases/${med}/actions/SCHEDULE_SESSION`, { version: await versionFor(mediator, med, 'SCHEDULE_SESSION'), ...parts(past, 'startsAt'), 'startsAt-time': '2pm', location: 'Town hall' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The date and time of the session must be in the future');
    for (const [time, expected] of [['2pm', '14:00'], ['2.30pm', '14:30'], ['14:00', '14:00']] as const) {
      const page = await mediator.get(`/cases/${med}`);
      const type = page.text.includes('/actions/RESCHEDULE"') ? 'RESCHEDULE' : 'SCHEDULE_SESSION';
      res = await mediator.post(`/cases/${med}/actions/${type}`, { version: await versionFor(mediator, med, type), ...parts(next, 'startsAt'), 'startsAt-time': time, location: 'Town hall' });
      expect(res.status).toBe(303);
      const startsAt = (await cases.get('mediator', med)).body.session.startsAt as string;
      const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(startsAt));
      expect(london).toBe(expected);
    }
  });
  it('names the public body’s contacts by checkbox when contacting it, with a link to add one, and shows them on the case', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const police = t.demo.organisations.leicestershirePolice;
    // A body with no active contacts: the form says so and links to where they are added.
    const dan = t.demo.respondents.police;
    await t.http.patch(`/api/organisations/${police}/contacts/${dan.contactId}`).set(cases.auth('caseworker')).send({ active: false }).expect(200);
    const bare = await cases.file('reporter', { respondentId: police, title: 'Police grant ended' });
    await cases.send('caseworker', bare.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', bare.id, { type: 'ACCEPT' });
    let page = await actionPage(web, bare.id, 'CONTACT_RESPONDENT');
    const at = page.text.indexOf('id="form-CONTACT_RESPONDENT"');
    expect(page.text.slice(at, at + 3000)).toContain('This public body has no contacts who can answer online yet.');
    expect(page.text).toContain(`href="/public-bodies/${police}/contacts" id="CONTACT_RESPONDENT-contactIds-add"`);

    const council = t.demo.organisations.harboroughCouncil;
    const added = await t.http.post(`/api/organisations/${council}/contacts`).set(cases.auth('caseworker')).send({ name: 'Pat Jones', email: 'pat.jones@harborough.example', jobTitle: 'Head of Commissioning' });
    expect(added.status).toBe(201);
    const filed = await cases.file();
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await cases.send('caseworker', filed.id, { type: 'ACCEPT' });
    page = await actionPage(web, filed.id, 'CONTACT_RESPONDENT');
    expect(page.text).toMatch(new RegExp(`<input class="govuk-checkboxes__input" id="CONTACT_RESPONDENT-contactIds(-\\d+)?" name="contactIds" type="checkbox" value="${added.body.id}"`));
    expect(page.text).toContain('Pat Jones, Head of Commissioning');
    expect(page.text).toContain('Each contact you tick gets an e-mail with a link to sign in');
    // A contact not offered is refused in words.
    let res = await web.post(`/cases/${filed.id}/actions/CONTACT_RESPONDENT`, { version: versionOf(page.text, 'CONTACT_RESPONDENT'), summary: 'Wrote.', contactIds: t.demo.users.caseworker.id });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select who to contact at the public body');
    res = await web.post(`/cases/${filed.id}/actions/CONTACT_RESPONDENT`, { version: versionOf(page.text, 'CONTACT_RESPONDENT'), summary: 'Wrote to the council.', contactIds: added.body.id });
    expect(res.status).toBe(303);
    page = await web.get(`/cases/${filed.id}`);
    expect(page.text).toContain('id="named-contacts"');
    expect(page.text.slice(page.text.indexOf('id="named-contacts"'))).toContain('Pat Jones, Head of Commissioning (pat.jones@harborough.example)');
    // The timeline says who was named, by name.
    expect(page.text).toContain('Contacts named: Pat Jones');
  });
  it('the triage queue shows the 50 reports waiting longest, oldest first, and links to the rest', async () => {
    for (let i = 0; i < 52; i++) await cases.file('reporter', { title: `Queued report ${i}` });
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const queue = await web.get('/triage');
    const newTable = queue.text.slice(queue.text.indexOf('id="triage-new"'), queue.text.indexOf('triage-mine'));
    const shown = [...newTable.matchAll(/href="\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(shown).toHaveLength(50);
    const waiting = await t.db.query(
      `SELECT id FROM cases WHERE assignee_id IS NULL AND stage IN ('submitted', 'triage') ORDER BY submitted_at, id LIMIT 50`,
    );
    expect(shown).toEqual(waiting.map((r: { id: string }) => r.id));
    expect(newTable).toContain('These are the 50 waiting longest; more are waiting.');
    expect(newTable).toContain('href="/cases?assigneeId=none"');
    // The API reads oldest first too, and pages on in that order.
    const first = await t.http.get('/api/cases?stage=submitted&order=oldest&limit=30').set(cases.auth('caseworker')).expect(200);
    const next = await t.http.get(`/api/cases?stage=submitted&order=oldest&limit=30&cursor=${first.body.nextCursor}`).set(cases.auth('caseworker')).expect(200);
    const times = [...first.body.items, ...next.body.items].map((c: { submittedAt: string }) => c.submittedAt);
    expect(times.length).toBeGreaterThan(50);
    expect([...times].sort()).toEqual(times);
    expect((await t.http.get('/api/cases?order=sideways').set(cases.auth('caseworker'))).body).toMatchObject({ errors: [{ field: 'order' }] });
  });
});
