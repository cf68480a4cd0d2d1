import {
  COMMAND_TYPES,
  FEE_PARTIES,
  MEDIATION_RESULTS,
  REJECTION_REASONS,
  type CallerRelation,
  type CommandType,
  mayRequest,
} from '@cc/workflows';
import { type FormField, fieldsOf } from '../libs/web/src/case-work/action-forms';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/**
 * Every action form (each on its action's own page), for every kind of person who can send it, submitted empty
 * and with wrong types (letters in a number, 30 February, "25:99", a choice that is not offered,
 * text over its limit): every message shown is written for a person. It says what to do (Enter,
 * Select) or what the answer must be, and never shows a developer's words, a code or a format name.
 *
 * The forms are posted to a closed case, so nothing is applied: each post is refused, either by the
 * page's checks (400) or, when there is nothing to check, by the workflow (409), whose words are
 * checked too.
 */
describe('pages: the words of every action form\'s errors', () => {
  let t: TestApp;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp('web-wording');
    const d = new CaseDriver(t);
    caseId = await d.toAdvocacyReview();
    await d.send('caseworker', caseId, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', caseId, { type: 'WAIVE_FEE', reason: 'Small charity' });
    // Appointed, so the mediator sees the case (and its forms) after it closes.
    await d.send('caseworker', caseId, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    await d.send('reporter', caseId, { type: 'WITHDRAW', reason: 'Sorted out between us.' });
  });
  afterAll(() => t?.close());

  const people: Array<{ who: string; email: string; relation: CallerRelation }> = [
    { who: 'caseworker', email: 'caseworker@demo.compact.test', relation: { role: 'caseworker', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false } },
    { who: 'administrator', email: 'admin@demo.compact.test', relation: { role: 'administrator', isReportingMember: false, isAppointedMediator: false, isNamedRespondent: false } },
    { who: 'mediator', email: 'mediator@demo.compact.test', relation: { role: 'mediator', isReportingMember: false, isAppointedMediator: true, isNamedRespondent: false } },
    { who: 'reporter', email: 'reporter@demo.compact.test', relation: { role: 'reporter', isReportingMember: true, isAppointedMediator: false, isNamedRespondent: false } },
  ];

  // Codes that are also plain words ("reporter", "settled") can be said; the others cannot.
  const codes = [...COMMAND_TYPES, ...REJECTION_REASONS, ...FEE_PARTIES, ...MEDIATION_RESULTS, 'returnToAdvocacy'].filter((c) => c !== c.toLowerCase());
  const BANNED = /invalid input|invalid option|invalid (iso|email|uuid)|expected (number|string|int|one of)|received|ISO 8601|YYYY|UUID|undefined|NaN|null|too (big|small)/i;

  /** The error summary's items and the messages beside fields, as a person reads them. */
  function messagesOf(html: string): { summary: Array<{ text: string; href: string }>; inline: string[] } {
    const plainText = (s: string) => s.replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
    const list = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    const summary = [...list.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1], text: plainText(m[2]) }));
    const inline = [...html.matchAll(/<p id="[^"]*-error" class="govuk-error-message">([\s\S]*?)<\/p>/g)].map((m) => plainText(m[1]));
    return { summary, inline };
  }

  function expectWrittenForPeople(message: string, where: string) {
    const context = `${where}: "${message}"`;
    expect({ context, banned: BANNED.test(message) }).toEqual({ context, banned: false });
    for (const code of codes) expect({ context, code, shown: new RegExp(`\\b${code}\\b`).test(message) }).toEqual({ context, code, shown: false });
    // No field names or other identifiers: camelCase and UPPER_SNAKE words are code.
    expect({ context, identifier: /\b[a-z]+[A-Z]\w*\b|\b[A-Z]{2,}_[A-Z_]+\b/.test(message) }).toEqual({ context, identifier: false });
    // Says what to do, or what the answer must be.
    expect({ context, saysWhatToDo: /^(Enter|Select) |\bmust\b|^You can(not)? / .test(message) }).toEqual({ context, saysWhatToDo: true });
    expect({ context, endsWithoutFullStop: !/^(Enter|Select) /.test(message) || !message.endsWith('.') }).toEqual({ context, endsWithoutFullStop: true });
  }

  /** Values of the wrong type for each field; a field with nothing wrong to type is left out. */
  function wrongValues(f: FormField): Record<string, string> | null {
    if (f.fixed) return null;
    switch (f.kind) {
      case 'pounds':
      case 'number':
        return { [f.name]: 'twelve' };
      case 'date':
        return { [`${f.name}-day`]: '30', [`${f.name}-month`]: '2', [`${f.name}-year`]: '2027' };
      case 'datetime':
        return { [`${f.name}-day`]: '30', [`${f.name}-month`]: '2', [`${f.name}-year`]: '2027', [`${f.name}-time`]: '25:99' };
      case 'choice':
        return { [f.name]: 'bogus' };
      case 'person':
        return { [f.name]: 'nobody' };
      case 'email':
        return { [f.name]: 'not an address' };
      case 'lines':
      case 'textarea':
      case 'input':
        return f.maxLength ? { [f.name]: 'x'.repeat(f.maxLength + 1) } : null;
      default:
        return null;
    }
  }

  const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
  /**
   * The case's version as a person's page gives it: from the form of the first action the case
   * page links to (each action has a page of its own); none when the page offers no action.
   */
  const pageVersion = async (web: WebClient) => {
    const page = await web.get(`/cases/${caseId}`);
    expect(page.status).toBe(200);
    const first = /href="\/cases\/[0-9a-f-]{36}\/actions\/([A-Z_]+)"/.exec(page.text)?.[1];
    return first ? versionOf((await web.get(`/cases/${caseId}/actions/${first}`)).text) : '';
  };

  for (const person of people) {
    const types = COMMAND_TYPES.filter((type) => mayRequest(person.relation, type));

    it(`every form a ${person.who} can send (${types.length}), empty and with wrong types`, async () => {
      expect(types.length).toBeGreaterThan(0);
      const web = new WebClient(t);
      await web.signIn(person.email);
      const version = await pageVersion(web);
      let checked = 0;
      for (const type of types) {
        const fields = fieldsOf(type, person.relation);
        const wrong = Object.assign({}, ...fields.map((f) => wrongValues(f) ?? {})) as Record<string, string>;
        const fixed = Object.fromEntries(fields.filter((f) => f.fixed).map((f) => [f.name, f.fixed!.value]));
        for (const [label, form] of [
          ['empty', { ...fixed }],
          ['wrong types', { ...fixed, ...wrong }],
        ] as const) {
          const res = await web.post(`/cases/${caseId}/actions/${type}`, { version, ...form });
          const where = `${person.who} ${type} (${label})`;
          expect({ where, status: res.status }).toEqual({ where, status: expect.any(Number) });
          expect([400, 409]).toContain(res.status);
          const { summary, inline } = messagesOf(res.text);
          expect({ where, messages: summary.length }).toEqual({ where, messages: expect.any(Number) });
          expect(summary.length).toBeGreaterThan(0);
          for (const m of [...summary.map((s) => s.text), ...inline]) {
            expectWrittenForPeople(m, where);
            checked++;
          }
          if (label === 'empty') {
            // Every required field is asked for, by name.
            for (const f of fields.filter((x) => x.required && !x.fixed)) {
              expect({ where, field: f.name, linked: summary.some((s) => s.href.startsWith(`#${f.id}`)) }).toEqual({ where, field: f.name, linked: true });
            }
          } else {
            // Every field given a wrong value gets its own message.
            for (const f of fields.filter((x) => wrongValues(x))) {
              expect({ where, field: f.name, linked: summary.some((s) => s.href.startsWith(`#${f.id}`)) }).toEqual({ where, field: f.name, linked: true });
            }
          }
        }
      }
      expect(checked).toBeGreaterThan(types.length);
    });
  }

  it('says exactly what to do for the fee, an impossible date, a time and a choice', async () => {
    const web = new WebClient(t);
    await web.signIn('admin@demo.compact.test');
    const version = await pageVersion(web);
    const post = async (type: CommandType, form: Record<string, string>) => messagesOf((await web.post(`/cases/${caseId}/actions/${type}`, { version, ...form })).text).summary.map((s) => s.text);

    expect(await post('QUOTE_FEE', { amountPence: '1,2OO', reporterSharePercent: 'half' })).toEqual([
      'Enter the fee in pounds, like 1,200',
      "Enter the reporting organisation's share as a whole number from 0 to 100, like 50",
    ]);
    expect(await post('QUOTE_FEE', { amountPence: '1200', reporterSharePercent: '150' })).toEqual([
      "The reporting organisation's share must be a whole number from 0 to 100",
    ]);
    expect(await post('RECORD_PAYMENT', { amountPence: '', party: '' })).toEqual(['Select which party', 'Enter the amount paid in pounds, like 450 or 450.50']);
    expect(await post('RECORD_MEETING', { 'heldOn-day': '30', 'heldOn-month': '2', 'heldOn-year': '2026', summary: 'Met' })).toEqual(['Date of the meeting must be a real date']);
    expect(await post('RECORD_MEETING', { 'heldOn-day': '3', 'heldOn-year': '2026', summary: 'Met' })).toEqual(['Date of the meeting must include a month']);
    const nextYear = String(new Date().getUTCFullYear() + 1);
    expect(await post('SCHEDULE_SESSION', { 'startsAt-day': '10', 'startsAt-month': '3', 'startsAt-year': nextYear, 'startsAt-time': '25:99', location: 'Town hall' })).toEqual([
      'Enter the time of the session, like 2pm, 2.30pm or 14:00',
    ]);
    expect(await post('SCHEDULE_SESSION', {})).toEqual(['Enter the date of the session', 'Enter where the session will be held']);
    expect(await post('REJECT', { reason: 'duplicate', explanation: 'Same as another' })).toEqual(['Enter the reference of the case this duplicates, like CB-2026-00042']);
    expect(await post('REJECT', {})).toEqual(['Select the reason for rejecting the case', 'Enter an explanation for the reporter']);
    expect(await post('RECORD_OUTCOME', { result: 'settled', summary: 'Agreed' })).toEqual([
      'Enter the agreed actions, one on each line, as the mediation settled the dispute',
      'Enter the date to monitor until, as the mediation settled the dispute',
    ]);
    expect(await post('CONTACT_RESPONDENT', { summary: 'Wrote', contactEmail: 'pat at council' })).toEqual(['Enter the e-mail address in the correct format, like name@example.com']);
    expect(await post('ASSIGN', { caseworkerId: 'someone' })).toEqual(['Select a caseworker from the list']);
    expect(await post('REQUEST_INFO', { questions: 'q'.repeat(10_001) })).toEqual(['Questions for the reporter must be 10,000 characters or fewer']);
    expect(await post('RESOLVE', { agreedActions: 'a'.repeat(2_001), 'monitorUntil-day': '1', 'monitorUntil-month': '1', 'monitorUntil-year': nextYear })).toEqual([
      'Each line of agreed actions must be 2,000 characters or fewer',
    ]);
  });
});
