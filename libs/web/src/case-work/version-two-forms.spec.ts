import type { CallerRelation } from '@cc/workflows';
import { checkSubmission, errorView, fieldsOf, actionForms } from './action-forms';
import { ACTION_WORDS, EVENT_HEADINGS, actionWordsFor } from './action-labels';
import { Formats, historySentence, staffDetail } from './state-words';

const V2 = ['REQUEST_EXTENSION', 'GRANT_EXTENSION', 'REFUSE_EXTENSION', 'REPORT_FEE_PAID', 'PROPOSE_SESSION_TIMES', 'REPORT_ACTIONS_DONE', 'REQUEST_REVIEW', 'UPHOLD_REJECTION', 'REOPEN_AFTER_REVIEW'] as const;
const relation = (role: CallerRelation['role']): CallerRelation => ({ role, isReportingMember: role === 'reporter', isAppointedMediator: false, isNamedRespondent: role === 'respondent' });
const staff = relation('caseworker');
const f: Formats = { date: () => '29 January 2027', dateTime: (v) => `date-time(${v})`, pounds: (p) => `£${p / 100}` };
const CODE = /\b[A-Z]{3,}_[A-Z_]{2,}\b|\d{4}-\d{2}-\d{2}|pence|\bundefined\b|\bnull\b|\b[a-z]+[A-Z]\w*\b/;
const nextYear = new Date().getUTCFullYear() + 1;

describe('version 2 actions in words', () => {
  it.each(V2)('%s has a title, a button and a label for every field, none of them code', (type) => {
    const words = ACTION_WORDS[type];
    expect(words.title).toBeTruthy();
    expect(`${words.title} ${words.button ?? ''} ${words.hint ?? ''}`).not.toMatch(CODE);
    for (const field of fieldsOf(type, staff)) {
      // A label made from the field's name would be "Working days": every field has words of its own.
      expect({ type, field: field.name, label: field.label }).not.toEqual({ type, field: field.name, label: field.name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()) });
      expect(`${field.label} ${field.hint ?? ''} ${field.noun}`).not.toMatch(CODE);
    }
  });

  it('uses the wording the issue asks for', () => {
    expect(ACTION_WORDS.REQUEST_EXTENSION.title).toBe('Ask for more time');
    expect(ACTION_WORDS.GRANT_EXTENSION.title).toBe('Give more time');
    expect(ACTION_WORDS.REFUSE_EXTENSION.title).toBe('Refuse more time');
    expect(ACTION_WORDS.REPORT_FEE_PAID.button).toBe('We have paid our share');
    expect(ACTION_WORDS.PROPOSE_SESSION_TIMES.title).toBe('Offer times for the session');
    expect(ACTION_WORDS.REPORT_ACTIONS_DONE.title).toBe('Tell us the agreed actions are done');
    expect(ACTION_WORDS.REQUEST_REVIEW.title).toBe('Ask for a review of this decision');
  });

  it('words the public body’s own reply as its own, and staff’s as recording it', () => {
    expect(actionWordsFor('RECORD_RESPONSE', 'respondent')?.title).toBe('Reply online');
    expect(actionWordsFor('RECORD_RESPONSE', 'caseworker')?.title).toBe("Record the public body's response");
    expect(fieldsOf('RECORD_RESPONSE', relation('respondent'))[0].label).toBe('Your reply');
    expect(fieldsOf('RECORD_RESPONSE', staff)[0].label).toBe('Summary');
  });

  it('heads the staff timeline with what happened, not an instruction', () => {
    for (const type of V2) expect(EVENT_HEADINGS[type]).toBeTruthy();
    expect(EVENT_HEADINGS.REQUEST_EXTENSION).toBe('The public body asked for more time');
  });
});

describe('offering times for a session', () => {
  const fields = fieldsOf('PROPOSE_SESSION_TIMES', relation('respondent'));
  const times = fields.find((x) => x.name === 'times')!;
  const at = `${nextYear}-01-01T09:00:00Z`;
  const slot = (n: number, day: string, month: string, year: string | number, time: string) => ({ [`times-${n}-day`]: day, [`times-${n}-month`]: month, [`times-${n}-year`]: String(year), [`times-${n}-time`]: time });

  it('asks for up to five dates and times, the first required', () => {
    expect(times.kind).toBe('datetimes');
    expect(times.slots?.map((s) => s.label)).toEqual(['First choice', 'Second choice (optional)', 'Third choice (optional)', 'Fourth choice (optional)', 'Fifth choice (optional)']);
  });

  it('sends the times given as London times, leaving out empty slots', () => {
    const { payload, errors } = checkSubmission('PROPOSE_SESSION_TIMES', fields, { ...slot(1, '10', '3', nextYear, '2pm'), ...slot(3, '14', '7', nextYear, '9.30am') }, at);
    expect(errors).toEqual([]);
    expect(payload.times).toEqual([`${nextYear}-03-10T14:00:00+00:00`, `${nextYear}-07-14T09:30:00+01:00`]);
  });

  it('says which time is wrong and how, beside that time', () => {
    const { errors } = checkSubmission('PROPOSE_SESSION_TIMES', fields, { ...slot(1, '10', '3', nextYear - 2, '2pm'), ...slot(2, '30', '2', nextYear, '2pm'), ...slot(3, '1', '4', nextYear, '25:99'), ...slot(4, '1', '', nextYear, '10am') }, at);
    expect(errors.map((e) => e.text)).toEqual([
      'First choice must be in the future',
      'Second choice must be a real date',
      'Enter the time of the third choice, like 2pm, 2.30pm or 14:00',
      'Fourth choice must include a month',
    ]);
    expect(errors.map((e) => e.target)).toEqual(['PROPOSE_SESSION_TIMES-times-1-day', 'PROPOSE_SESSION_TIMES-times-2-day', 'PROPOSE_SESSION_TIMES-times-3-time', 'PROPOSE_SESSION_TIMES-times-4-month']);
    const view = errorView(errors);
    expect(Object.keys(view.fieldErrors)).toEqual(['times-1', 'times-2', 'times-3-time', 'times-4']);
  });

  it('asks for at least one time when none is given', () => {
    const { errors } = checkSubmission('PROPOSE_SESSION_TIMES', fields, {}, at);
    expect(errors.map((e) => [e.text, e.target])).toEqual([['Enter at least one date and time you can attend', 'PROPOSE_SESSION_TIMES-times-1-day']]);
  });
});

describe('naming the public body’s contacts', () => {
  const people = { contactIds: [{ value: '0b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b', text: 'Pat Jones, Head of Commissioning' }, { value: '1b6f6a38-1c2d-4e5f-8a9b-0c1d2e3f4a5b', text: 'Sam Lee' }], contactsPage: '/organisations/x/contacts' };

  it('offers the contacts as checkboxes with a link to add one', () => {
    const [form] = actionForms(['CONTACT_RESPONDENT'], staff, people);
    const field = form.fields.find((x) => x.name === 'contactIds')!;
    expect(field.kind).toBe('people');
    expect(field.options).toHaveLength(2);
    expect(field.addLink).toEqual({ href: '/organisations/x/contacts', text: 'Add a contact for this public body' });
  });

  it('sends the contacts ticked, one or several, and refuses one not offered', () => {
    const fields = fieldsOf('CONTACT_RESPONDENT', staff, people);
    expect(checkSubmission('CONTACT_RESPONDENT', fields, { summary: 'Wrote', contactIds: people.contactIds[0].value }, new Date().toISOString()).payload.contactIds).toEqual([people.contactIds[0].value]);
    expect(checkSubmission('CONTACT_RESPONDENT', fields, { summary: 'Wrote', contactIds: people.contactIds.map((c) => c.value) }, new Date().toISOString()).payload.contactIds).toHaveLength(2);
    expect(checkSubmission('CONTACT_RESPONDENT', fields, { summary: 'Wrote' }, new Date().toISOString()).payload.contactIds).toBeUndefined();
    expect(checkSubmission('CONTACT_RESPONDENT', fields, { summary: 'Wrote', contactIds: 'someone' }, new Date().toISOString()).errors.map((e) => e.text)).toEqual(['Select who to contact at the public body']);
  });
});

describe('more working days', () => {
  it('says what to type when the number is wrong', () => {
    const fields = fieldsOf('REQUEST_EXTENSION', relation('respondent'));
    const check = (workingDays: string) => checkSubmission('REQUEST_EXTENSION', fields, { reason: 'Officer away', workingDays }, new Date().toISOString()).errors.map((e) => e.text);
    expect(check('')).toEqual(['Enter how many more working days you need, from 1 to 20']);
    expect(check('ten')).toEqual(['Enter how many more working days you need as a number, like 10']);
    expect(check('30')).toEqual(['The number of working days must be from 1 to 20']);
    expect(check('10')).toEqual([]);
  });
});

describe('version 2 history in words', () => {
  const facts = { respondent: 'Harborough District Council' };
  const say = (type: string, details: Record<string, unknown>, actorRole = 'respondent') => historySentence({ type, at: '2027-01-20T10:00:00Z', actorRole, details }, facts, f);

  it('tells the reporter what the public body and we did', () => {
    expect(say('REQUEST_EXTENSION', { reason: 'Away', workingDays: 10 }).text).toBe('Harborough District Council asked on 29 January 2027 for 10 more working days to reply.');
    expect(say('GRANT_EXTENSION', { workingDays: 1 }, 'caseworker').text).toBe('We gave Harborough District Council 1 more working day to reply on 29 January 2027.');
    expect(say('REPORT_FEE_PAID', { party: 'respondent' }).text).toBe('Harborough District Council told us on 29 January 2027 that it has paid its share of the mediation fee.');
    expect(say('REPORT_FEE_PAID', { party: 'reporter' }, 'reporter').text).toBe('You told us on 29 January 2027 that you have paid your share of the mediation fee.');
    expect(say('PROPOSE_SESSION_TIMES', { times: ['2027-03-10T14:00:00Z'] }).list).toEqual(['date-time(2027-03-10T14:00:00Z)']);
    expect(say('REQUEST_REVIEW', { reason: 'You missed the letter' }, 'reporter').quote).toBe('You missed the letter');
  });

  it('shows staff the details in words', () => {
    const names = new Map([['c1', 'Pat Jones']]);
    const detail = (key: string, value: unknown) => staffDetail(key, value, names, f, {});
    expect(detail('workingDays', 5)).toEqual({ key: 'More time', value: '5 working days' });
    expect(detail('times', ['2027-03-10T14:00:00Z'])).toEqual({ key: 'Times offered', value: 'date-time(2027-03-10T14:00:00Z)' });
    expect(detail('contactIds', ['c1', 'c2'])).toEqual({ key: 'Contacts named', value: 'Pat Jones; A contact no longer listed' });
  });
});
