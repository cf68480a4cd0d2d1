import { DEADLINE_KINDS, FEE_PARTIES, MEDIATION_RESULTS, REJECTION_REASONS, breachCaseMachineV1, breachCaseMachineV2 } from '@cc/workflows';
import type { CaseOutcome } from '@cc/workflows';
import {
  CLOSED_BECAUSE,
  detailLabel,
  detailText,
  eventTitle,
  moreWorkingDays,
  DEADLINE_LABELS,
  DEADLINE_NAMES,
  FEE_PARTY_WORDS,
  MEDIATION_RESULT_WORDS,
  REJECTION_REASON_WORDS,
  REOPEN_DAYS,
  REPORTER_STAGES,
  RESPONDENT_STAGES,
  REVIEW_DAYS,
  SESSION_REMINDER_DAYS,
  STATE_NAMES,
  formatDate,
  formatDateTime,
  formatDateTimeWithDay,
  formatDateWithDay,
  formatPence,
  formatTime,
  humanise,
  rejectionSentence,
  stateName,
  whereItStands,
  workingDaysFor,
} from './index';

/** Every state path of the machine, e.g. "advocacy.reviewing", and each stage on its own. */
function statePaths(node: { key: string; states?: Record<string, unknown> }, prefix = ''): string[] {
  return Object.entries(node.states ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const c = child as { key: string; states?: Record<string, unknown> };
    return [path, ...statePaths(c, path)];
  });
}

describe('vocabulary', () => {
  // Every version still in use: cases on version 1 are shown with the same words.
  const states = [...new Set([...statePaths(breachCaseMachineV1.root as never), ...statePaths(breachCaseMachineV2.root as never)])];
  const stages = Object.keys(breachCaseMachineV2.root.states);

  it('names every state and stage of every machine version in words', () => {
    expect(states.length).toBeGreaterThan(15);
    expect(states).toContain('review');
    expect(states.filter((s) => !STATE_NAMES[s])).toEqual([]);
    expect(stages.filter((s) => !REPORTER_STAGES[s])).toEqual([]);
    expect(stages.filter((s) => !RESPONDENT_STAGES[s])).toEqual([]);
    expect(STATE_NAMES.review).toBe('Rejection being reviewed');
    // No camelCase code ("awaitingInformation") in what a reporter, the public body or staff read.
    for (const s of states) {
      for (const role of ['reporter', 'caseworker', 'respondent']) expect(whereItStands(s, role)).not.toMatch(/\b[a-z]+[A-Z][a-z]+\b/);
    }
  });

  it("tells the public body what it needs to do, never the caseworker's internal steps", () => {
    expect(whereItStands('advocacy.awaitingResponse', 'respondent')).toMatch(/Please reply within 20 working days; you may ask once for more time/);
    expect(whereItStands('resolved', 'respondent')).toContain('tell us when they are done');
    // Triage and a review are the caseworkers' business: the public body gets the neutral sentence.
    for (const s of ['submitted', 'triage.reviewing', 'triage.awaitingInformation', 'review', 'nowhere.atAll']) {
      expect(whereItStands(s, 'respondent')).toBe('The caseworker is looking at the case. We will tell you if we need anything from you.');
    }
    expect(whereItStands('review', 'reporter')).toContain('different caseworker');
    expect(whereItStands('review', 'caseworker')).toContain(`${REVIEW_DAYS} working days`);
  });

  it('says a state it has no words for without its code', () => {
    expect(stateName('mediation.someNewStep')).toBe('Mediation: some new step');
    expect(whereItStands('nowhere.atAll', 'caseworker')).toBe('The case is at: Nowhere: at all.');
    expect(humanise('REQUEST_INFO')).toBe('Request info');
  });

  it('has words for every deadline kind, rejection reason, mediation result, fee party and outcome', () => {
    expect(Object.keys(DEADLINE_LABELS).sort()).toEqual(Object.keys(DEADLINE_KINDS).sort());
    expect(Object.keys(DEADLINE_NAMES).sort()).toEqual(Object.keys(DEADLINE_KINDS).sort());
    expect(Object.keys(REJECTION_REASON_WORDS).sort()).toEqual([...REJECTION_REASONS].sort());
    expect(Object.keys(MEDIATION_RESULT_WORDS).sort()).toEqual([...MEDIATION_RESULTS].sort());
    expect(Object.keys(FEE_PARTY_WORDS).sort()).toEqual([...FEE_PARTIES].sort());
    const outcomes: Record<CaseOutcome, true> = { resolved: true, unresolved: true, rejected: true, withdrawn: true, lapsed: true };
    expect(Object.keys(CLOSED_BECAUSE).sort()).toEqual(Object.keys(outcomes).sort());
  });

  it('says a rejection reason as a sentence, and nothing for a code it does not know', () => {
    expect(rejectionSentence('notCompactMatter')).toBe('It is not a matter the Compact covers.');
    expect(rejectionSentence('toString')).toBeUndefined();
    expect(rejectionSentence(undefined)).toBeUndefined();
  });

  it('takes its lengths of time from the workflow', () => {
    expect(workingDaysFor('respondentReply')).toBe(DEADLINE_KINDS.respondentReply.workingDays);
    expect(REOPEN_DAYS).toBe(90);
    expect(SESSION_REMINDER_DAYS).toBe(2);
    expect(whereItStands('mediation.sessionScheduled', 'reporter')).toContain(`${SESSION_REMINDER_DAYS} days before`);
    expect(whereItStands('closed', 'reporter')).toContain(`${REOPEN_DAYS} days`);
  });
});

describe('formats', () => {
  it('writes pence as pounds', () => {
    expect(formatPence(123456)).toBe('£1,234.56');
    expect(formatPence('2500')).toBe('£25.00');
    expect(formatPence(12.5)).toBeUndefined();
    expect(formatPence(null)).toBeUndefined();
  });

  it('writes dates in England, with or without the weekday', () => {
    expect(formatDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(formatDateWithDay('2026-06-30T23:30:00Z')).toBe('Wednesday 1 July 2026');
    expect(formatDate(new Date('2026-12-31T23:30:00Z'))).toBe('31 December 2026');
    expect(formatDate('2026-07-01')).toBe('1 July 2026');
    expect(formatDate('not a date')).toBeUndefined();
    expect(formatDate(new Date(Number.NaN))).toBeUndefined();
  });

  it('writes times GOV.UK style in England', () => {
    expect(formatDateTime('2026-07-01T09:00:00Z')).toBe('1 July 2026 at 10am');
    expect(formatDateTime(new Date('2026-12-10T14:30:00Z'))).toBe('10 December 2026 at 2:30pm');
    expect(formatDateTimeWithDay('2026-12-10T14:30:00Z')).toBe('Thursday 10 December 2026 at 2:30pm');
    expect(formatTime('2026-07-01T11:00:00Z')).toBe('midday');
    expect(formatTime('2026-06-30T23:00:00Z')).toBe('midnight');
    expect(formatDateTime('2026-07-01')).toBe('1 July 2026');
  });
});

describe("events' details in words", () => {
  const f = { date: (v: string) => `date ${v}`, dateTime: (v: string) => `time ${v}`, pounds: (p: number) => `£${(p / 100).toFixed(2)}` };
  const names = new Map([['c1', 'Cara Caseworker']]);

  it('says choices in words and keeps a free-text reason as it was written', () => {
    expect(detailText('reason', 'insufficientEvidence', {}, names, f)).toBe('There was not enough evidence of a breach');
    expect(detailText('reason', 'We could not go on with it.', {}, names, f)).toBe('We could not go on with it.');
    expect(detailText('result', 'settled', {}, names, f)).toBe('Settled');
  });

  it('says money, shares, people, dates and working days for people', () => {
    expect(detailText('amountPence', 120_000, {}, names, f)).toBe('£1200.00');
    expect(detailText('reporterSharePercent', 25, { amountPence: 120_000 }, names, f)).toBe('£300.00 (the public body pays £900.00)');
    expect(detailText('caseworkerId', 'c1', {}, names, f)).toBe('Cara Caseworker');
    expect(detailText('mediatorId', 'gone', {}, names, f)).toBe('Someone no longer registered');
    expect(detailText('times', ['a', 'b'], {}, names, f)).toBe('time a; time b');
    expect(detailText('monitorUntil', '2027-03-31', {}, names, f)).toBe('date 2027-03-31');
    expect(detailText('workingDays', 1, {}, names, f)).toBe('1 working day');
    expect(moreWorkingDays(5)).toBe('5 more working days');
    expect(detailLabel('contactEmail')).toBe('Contact e-mail address');
    expect(detailLabel('someNewField')).toBe('Some new field');
  });

  it('titles events in the third person, messages by who wrote them', () => {
    expect(eventTitle('CONTACT_RESPONDENT', 'caseworker')).toBe('Public body contacted');
    expect(eventTitle('MESSAGE', 'respondent')).toBe('Message from the public body');
    expect(eventTitle('SOMETHING_NEW', 'caseworker')).toBe('Something new');
  });
});
