import { APIRequestContext, Locator, Page, request } from 'playwright-core';
import { breachCaseRules } from '@cc/workflows';
import { sampleReport } from '../support/test-app';
import { BrowserApp, Person, pageProblems, screenshot, startBrowserApp } from './browser-support';

/**
 * The caseworker's and the mediator's forms on the case page in a real browser (issue 10, points
 * 2, 3, 6, 9 and 11): a note goes to the most private audience unless the person presses the
 * button that shares it, and each button says who will read it; linking a case to itself is
 * refused in words; wrong values get messages that say what to do; dates that make no sense are
 * refused; times are read as people write them; long text boxes count characters. Fields are
 * reached by clicking their labels, as a person does. Every page visited passes axe at every impact
 * and fits 375 px.
 */
describe('browser: the case page’s forms for caseworkers and mediators', () => {
  let b: BrowserApp;
  let api: APIRequestContext;
  let caseworker: Person;
  let mediator: Person;
  const tokens: Record<string, string> = {};
  const problems: string[] = [];
  let visited = 0;
  let mediationCase: { id: string; reference: string };
  let negotiationCase: { id: string; reference: string };

  beforeAll(async () => {
    b = await startBrowserApp('browser-case-forms');
    api = await request.newContext({ baseURL: b.baseUrl });
    for (const [who, email] of [
      ['reporter', 'reporter@demo.compact.test'],
      ['caseworker', 'caseworker@demo.compact.test'],
      ['admin', 'admin@demo.compact.test'],
    ]) {
      tokens[who] = await b.apiToken(email);
    }
    mediationCase = await toReview('Grant cut with a week of notice');
    await send('caseworker', mediationCase.id, { type: 'REFER_TO_MEDIATION' });
    await send('admin', mediationCase.id, { type: 'WAIVE_FEE', reason: 'Small charity with no reserves.' });
    await send('caseworker', mediationCase.id, { type: 'APPOINT_MEDIATOR', mediatorId: b.demo.users.mediator.id });
    negotiationCase = await toReview('Consultation of two weeks');
    await send('caseworker', negotiationCase.id, { type: 'OPEN_NEGOTIATION' });
    caseworker = await b.personAs('caseworker@demo.compact.test');
    mediator = await b.personAs('mediator@demo.compact.test');
  }, 90_000);
  afterAll(async () => {
    await api?.dispose();
    await b?.close();
  });

  async function send(who: string, id: string, event: Record<string, unknown>): Promise<void> {
    const res = await api.post(`/api/cases/${id}/events`, { headers: { authorization: `Bearer ${tokens[who]}` }, data: event });
    if (res.status() !== 200) throw new Error(`${String(event.type)} failed: ${res.status()} ${await res.text()}`);
  }

  async function toReview(title: string): Promise<{ id: string; reference: string }> {
    const res = await api.post('/api/cases', { headers: { authorization: `Bearer ${tokens.reporter}` }, data: sampleReport(b.demo, { title }) });
    if (res.status() !== 201) throw new Error(`filing failed: ${res.status()} ${await res.text()}`);
    const filed = (await res.json()) as { id: string; reference: string };
    await send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: b.demo.users.caseworker.id });
    await send('caseworker', filed.id, { type: 'ACCEPT' });
    await send('caseworker', filed.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.' });
    await send('caseworker', filed.id, { type: 'RECORD_RESPONSE', summary: 'The council will not move.' });
    return filed;
  }

  /** Every page: axe at every impact and the 375 px width, and a screenshot to look at. */
  async function look(page: Page, name: string): Promise<void> {
    visited++;
    problems.push(...(await pageProblems(page)));
    await screenshot(page, `case-forms-${String(visited).padStart(2, '0')}-${name}`);
  }

  /** Clicks a field's label (not the field) and types, as a person does. */
  async function typeInto(scope: Page | Locator, label: string | RegExp, text: string): Promise<void> {
    const target = scope.locator('label').filter({ hasText: label }).first();
    await target.click();
    const page = 'keyboard' in scope ? scope : scope.page();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
  }

  async function typeDate(form: Locator, legend: string | RegExp, [day, month, year]: [string, string, string], time?: string): Promise<void> {
    const group = form.getByRole('group', { name: legend });
    await typeInto(group, /^\s*Day\s*$/, day);
    await typeInto(group, /^\s*Month\s*$/, month);
    await typeInto(group, /^\s*Year\s*$/, year);
    if (time !== undefined) await typeInto(form, 'Time (UK time)', time);
  }

  /** Opens an action's page from the case page's list of what can be done, as a person would, and gives its form. */
  async function openAction(page: Page, id: string, type: string): Promise<Locator> {
    await page.goto(`/cases/${id}`);
    await page.locator(`#open-${type}`).click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname).toBe(`/cases/${id}/actions/${type}`);
    return page.locator(`#form-${type}`);
  }

  async function submit(page: Page, form: Locator, type: string): Promise<void> {
    await form.locator(`#submit-${type}`).click();
    await page.waitForLoadState('domcontentloaded');
  }

  const summary = (page: Page) => page.locator('.govuk-error-summary__list li').allInnerTexts();
  const noteButtons = (page: Page) => page.locator('#note-buttons button').allInnerTexts();
  const flash = (page: Page) => page.locator('main').innerText();

  const dateParts = (d: Date): [string, string, string] => {
    const [y, m, day] = breachCaseRules.londonDate(d.toISOString()).split('-');
    return [String(Number(day)), String(Number(m)), y];
  };
  const DAY = 24 * 3600 * 1000;

  it('a caseworker’s note is internal unless they press the button that shares it, and stays so after posting', async () => {
    const page = caseworker.page;
    await page.goto(`/cases/${mediationCase.id}`);
    await look(page, 'caseworker-case');
    expect(await noteButtons(page)).toEqual(['Add internal note (caseworkers only)', 'Add note shared with the reporting organisation']);
    expect(await page.locator('#note-buttons button').first().getAttribute('class')).not.toContain('secondary');
    expect(await page.locator('#form-note').innerText()).toContain('An internal note is seen only by caseworkers.');

    await typeInto(page.locator('#form-note'), 'Add a note', 'The council officer was hostile on the phone.');
    // The character count (JavaScript) counts down from the note's limit.
    await page.locator('#form-note .govuk-character-count__status').filter({ hasText: /You have 9,9\d\d characters remaining/ }).waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Add internal note (caseworkers only)' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await flash(page)).toContain('Your internal note was added. Only caseworkers can see it.');
    expect(await page.locator('#notes-list').innerText()).toMatch(/Caseworkers only\s+The council officer was hostile/);
    expect(await noteButtons(page)).toEqual(['Add internal note (caseworkers only)', 'Add note shared with the reporting organisation']);
    await look(page, 'caseworker-note-added');

    // An empty note is refused, and the buttons stay as they were.
    await page.getByRole('button', { name: 'Add internal note (caseworkers only)' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await summary(page)).toEqual(['Enter the note']);
    expect(await noteButtons(page)).toEqual(['Add internal note (caseworkers only)', 'Add note shared with the reporting organisation']);
    await look(page, 'caseworker-note-refused');

    const [row] = await b.db.query(`SELECT visibility FROM case_notes WHERE body LIKE 'The council officer was hostile%'`);
    expect(row.visibility).toBe('internal');
    expect(problems).toEqual([]);
  });

  it('linking a case to itself is refused with a message that says what to do', async () => {
    const page = caseworker.page;
    await page.goto(`/cases/${mediationCase.id}`);
    await typeInto(page.locator('#form-link'), 'Reference of a case to link', mediationCase.reference.toLowerCase());
    await page.getByRole('button', { name: 'Link the cases' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await summary(page)).toEqual(['You cannot link a case to itself. Enter the reference of another case']);
    expect(await page.locator('#link-case-error').innerText()).toContain('You cannot link a case to itself');
    expect(await page.locator('#link-case').inputValue()).toBe(mediationCase.reference.toLowerCase());
    await look(page, 'caseworker-link-to-itself');
    // The summary's link takes the person to the box.
    await page.locator('.govuk-error-summary__list a').first().click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('link-case');

    await typeInto(page.locator('#form-link'), 'Reference of a case to link', negotiationCase.reference);
    await page.getByRole('button', { name: 'Link the cases' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('#linked-group').innerText()).toContain(negotiationCase.reference);
    await look(page, 'caseworker-linked');
    expect(problems).toEqual([]);
  });

  it('reports that may be the same matter are a link away from the case, and one is linked from there', async () => {
    const res = await api.post('/api/cases', { headers: { authorization: `Bearer ${tokens.reporter}` }, data: sampleReport(b.demo, { title: 'The same grant cut, another group' }) });
    const sameMatter = (await res.json()) as { id: string; reference: string };
    const page = caseworker.page;
    await page.goto(`/cases/${mediationCase.id}`);
    await page.getByRole('link', { name: /See reports that may be the same matter/ }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Reports that may be the same matter');
    // Already linked (directly or through another) is not offered again.
    const offered = await page.locator('#link-suggestions').innerText();
    expect(offered).toContain(sameMatter.reference);
    expect(offered).not.toContain(negotiationCase.reference);
    await look(page, 'caseworker-same-matter');
    await page.getByRole('button', { name: `Link ${sameMatter.reference}` }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname).toBe(`/cases/${mediationCase.id}`);
    expect(await page.locator('#linked-group').innerText()).toContain(sameMatter.reference);
    expect(problems).toEqual([]);
  });

  it('wrong values and dates that make no sense get messages that say what to do', async () => {
    const page = caseworker.page;
    let form = await openAction(page, negotiationCase.id, 'RECORD_MEETING');
    await look(page, 'caseworker-meeting-form');
    await typeDate(form, 'Date of the meeting', ['30', '2', String(new Date().getUTCFullYear())]);
    await submit(page, form, 'RECORD_MEETING');
    expect(await summary(page)).toEqual(['Date of the meeting must be a real date', 'Enter a summary']);
    expect(await page.locator('#RECORD_MEETING-heldOn-error').innerText()).toContain('Date of the meeting must be a real date');
    // What was typed stays.
    expect(await page.locator('#RECORD_MEETING-heldOn-day').inputValue()).toBe('30');
    await look(page, 'caseworker-meeting-not-a-date');

    form = page.locator('#form-RECORD_MEETING');
    await typeDate(form, 'Date of the meeting', dateParts(new Date(Date.now() + 3 * DAY)));
    await typeInto(form, 'Summary', 'A meeting that has not happened yet.');
    await submit(page, form, 'RECORD_MEETING');
    expect(await summary(page)).toEqual(['The date of the meeting must be today or in the past']);
    await look(page, 'caseworker-meeting-in-the-future');

    form = await openAction(page, negotiationCase.id, 'AGREE');
    await typeInto(form, 'Agreed actions', 'Restore the grant until March');
    await typeDate(form, 'Monitor until', dateParts(new Date(Date.now() - 3 * DAY)));
    await submit(page, form, 'AGREE');
    expect(await summary(page)).toEqual(['The date to monitor until must be today or later, and within 5 years']);
    await look(page, 'caseworker-monitor-in-the-past');
    const [state] = await b.db.query(`SELECT state FROM cases WHERE id = $1`, [negotiationCase.id]);
    expect(state.state).toBe('negotiation');
    expect(problems).toEqual([]);
  });

  it('a mediator’s note is for the mediator only unless they share it, and a caseworker never sees it', async () => {
    const page = mediator.page;
    await page.goto(`/cases/${mediationCase.id}`);
    await look(page, 'mediator-case');
    expect(await noteButtons(page)).toEqual(['Add confidential note (mediator only)', 'Add note shared with the reporting organisation']);
    await typeInto(page.locator('#form-note'), 'Add a note', 'Both sides would accept a phased restoration.');
    await page.getByRole('button', { name: 'Add confidential note (mediator only)' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await flash(page)).toContain('Your confidential note was added. Only the mediator can see it.');
    expect(await page.locator('#notes-list').innerText()).toMatch(/Mediator only\s+Both sides would accept/);
    expect(await noteButtons(page)).toEqual(['Add confidential note (mediator only)', 'Add note shared with the reporting organisation']);
    await look(page, 'mediator-note-added');

    await caseworker.page.goto(`/cases/${mediationCase.id}`);
    expect(await caseworker.page.locator('main').innerText()).not.toContain('Both sides would accept');
    expect(problems).toEqual([]);
  });

  it('a mediator schedules a session: wrong values, a time in the past and times as people write them', async () => {
    const page = mediator.page;
    let form = await openAction(page, mediationCase.id, 'SCHEDULE_SESSION');
    await look(page, 'mediator-schedule-form');
    // The location box counts down from its limit.
    expect(await form.locator('.govuk-character-count').count()).toBeGreaterThan(0);
    await typeDate(form, 'Date of the session', ['30', '2', String(new Date().getUTCFullYear() + 1)], '25:99');
    await submit(page, form, 'SCHEDULE_SESSION');
    expect(await summary(page)).toEqual(['Date of the session must be a real date', 'Enter where the session will be held']);
    await look(page, 'mediator-schedule-wrong');

    form = page.locator('#form-SCHEDULE_SESSION');
    await typeDate(form, 'Date of the session', dateParts(new Date(Date.now() + 7 * DAY)), '25:99');
    await typeInto(form, 'Location', 'Harborough Civic Centre');
    await submit(page, form, 'SCHEDULE_SESSION');
    expect(await summary(page)).toEqual(['Enter the time of the session, like 2pm, 2.30pm or 14:00']);
    // Shown beside the time box, which keeps what was typed; the date is not marked wrong.
    expect(await page.locator('#SCHEDULE_SESSION-startsAt-time-error').innerText()).toContain('Enter the time of the session');
    expect(await page.locator('#SCHEDULE_SESSION-startsAt-error').count()).toBe(0);
    expect(await page.locator('#SCHEDULE_SESSION-startsAt-time').inputValue()).toBe('25:99');
    await look(page, 'mediator-schedule-bad-time');

    form = page.locator('#form-SCHEDULE_SESSION');
    await typeDate(form, 'Date of the session', dateParts(new Date(Date.now() - 2 * DAY)), '2pm');
    await submit(page, form, 'SCHEDULE_SESSION');
    expect(await summary(page)).toEqual(['The date and time of the session must be in the future']);
    await look(page, 'mediator-schedule-in-the-past');

    form = page.locator('#form-SCHEDULE_SESSION');
    await typeDate(form, 'Date of the session', dateParts(new Date(Date.now() + 7 * DAY)), '2.30pm');
    await submit(page, form, 'SCHEDULE_SESSION');
    expect(await page.locator('.govuk-error-summary').count()).toBe(0);
    const [row] = await b.db.query(`SELECT snapshot->'context'->'session'->>'startsAt' AS "startsAt" FROM cases WHERE id = $1`, [mediationCase.id]);
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(row.startsAt));
    expect(london).toBe('14:30');
    // A week away: it cannot be recorded as held yet, so it is not offered.
    expect(new URL(page.url()).pathname).toBe(`/cases/${mediationCase.id}`);
    expect(await page.locator('#action-RESCHEDULE').count()).toBe(1);
    expect(await page.locator('#action-RECORD_SESSION_HELD').count()).toBe(0);
    await look(page, 'mediator-session-scheduled');

    form = await openAction(page, mediationCase.id, 'RESCHEDULE');
    await typeDate(form, 'Date of the session', dateParts(new Date(Date.now() - DAY)), '14:00');
    await submit(page, form, 'RESCHEDULE');
    expect(await summary(page)).toEqual(['The date and time of the session must be in the future']);
    await look(page, 'mediator-reschedule-in-the-past');
    expect(problems).toEqual([]);
    expect(visited).toBeGreaterThanOrEqual(15);
  });
});
