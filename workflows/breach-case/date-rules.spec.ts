/**
 * The date rules on their own (each side of each edge, and London's day rather than UTC's), then
 * through the machine: every event that carries a date refuses one that makes no sense.
 */
import {
  breachDateProblem,
  breachDateSensible,
  isRealDate,
  isRealDateTime,
  londonDate,
  meetingNotInFuture,
  monitoringDateSensible,
  parseClockTime,
  sessionDayReached,
  sessionNotInPast,
  yearsAfter,
} from './date-rules';
import { RULES, commandDateProblems } from './rules';
import { AT, CaseDriver, ROUTES, ev, resolvedRoute, sessionScheduledRoute, appointmentRoute } from './spec-fixtures';
import { workflowFor } from './workflow';

describe('londonDate', () => {
  test("is today in London: after 23:00 UTC in summer it is already tomorrow", () => {
    expect(londonDate('2026-07-01T22:59:00Z')).toBe('2026-07-01');
    expect(londonDate('2026-07-01T23:00:00Z')).toBe('2026-07-02');
    expect(londonDate('2026-12-01T23:30:00Z')).toBe('2026-12-01');
  });
});

describe('isRealDate and yearsAfter', () => {
  test.each(['2027-02-30', '2026-13-01', '2026-1-1', 'abc', ''])('%s is not a real date', (d) => expect(isRealDate(d)).toBe(false));
  test('29 February in a leap year is', () => expect(isRealDate('2028-02-29')).toBe(true));
  test.each(['2027-13-01', '0000-00-00', '0000-01-01', '2026-02-29', '2027-04-31', '2027-00-10', '2027-03-14T10:00:00Z', '20270314', null, 20270314])(
    '%s is not a real date either',
    (d) => expect(isRealDate(d)).toBe(false),
  );
  test.each(['2000-02-29', '1998-01-01', '2027-12-31', '0001-01-01'])('%s is', (d) => expect(isRealDate(d)).toBe(true));
  test('a date and time must be on a real day, at a real time, with an offset', () => {
    for (const ok of ['2027-03-14T10:00:00Z', '2027-03-14T10:00Z', '2028-02-29T23:59:59.999+01:00', '2027-03-14T00:00:00-05:00']) expect(isRealDateTime(ok)).toBe(true);
    for (const bad of ['2027-02-30T10:00:00Z', '2026-02-29T10:00:00Z', '2027-03-14T24:00:00Z', '2027-03-14T10:60:00Z', '2027-03-14T10:00:00', '2027-03-14', '0000-01-01T00:00:00Z', 42]) {
      expect(isRealDateTime(bad)).toBe(false);
    }
  });
  test('the date rules refuse an impossible day rather than compare it as text', () => {
    const now = '2026-12-01T10:00:00Z';
    expect(meetingNotInFuture('2026-02-30', now)).toBe(false);
    expect(monitoringDateSensible('2027-02-30', now)).toBe(false);
    expect(sessionNotInPast('2027-02-30T10:00:00Z', now)).toBe(false);
  });
  test('years later keeps the day, and 29 February becomes 28 February', () => {
    expect(yearsAfter('2026-12-01', 5)).toBe('2031-12-01');
    expect(yearsAfter('2028-02-29', 1)).toBe('2029-02-28');
  });
});

describe('the rules', () => {
  const now = '2026-12-01T10:00:00Z';
  test('a breach happened between 1998 and today', () => {
    expect(breachDateSensible('2026-12-01', now)).toBe(true);
    expect(breachDateSensible('1998-01-01', now)).toBe(true);
    expect(breachDateSensible('2026-12-02', now)).toBe(false);
    expect(breachDateSensible('1997-12-31', now)).toBe(false);
    expect(breachDateSensible('2026-02-30', now)).toBe(false);
    expect(breachDateProblem('2026-12-02', now)).toBe('The date it happened must be today or in the past');
    expect(breachDateProblem('1997-12-31', now)).toMatch(/1998 or later/);
    expect(breachDateProblem('2026-11-30', now)).toBeNull();
  });

  test('a meeting was held today or before', () => {
    expect(meetingNotInFuture('2026-12-01', now)).toBe(true);
    expect(meetingNotInFuture('2026-12-02', now)).toBe(false);
  });

  test('a session is scheduled for a time still to come', () => {
    expect(sessionNotInPast('2026-12-01T10:30:00Z', now)).toBe(true);
    expect(sessionNotInPast('2026-12-01T09:59:00Z', now)).toBe(false);
  });

  test('a session is recorded as held from its day (London), not before', () => {
    expect(sessionDayReached('2026-12-01T15:00:00Z', now)).toBe(true);
    expect(sessionDayReached('2026-11-20T15:00:00Z', now)).toBe(true);
    expect(sessionDayReached('2026-12-02T09:00:00Z', now)).toBe(false);
    expect(sessionDayReached(null, now)).toBe(true);
  });

  test('monitoring runs to today or later, within five years', () => {
    expect(monitoringDateSensible('2026-12-01', now)).toBe(true);
    expect(monitoringDateSensible('2031-12-01', now)).toBe(true);
    expect(monitoringDateSensible('2026-11-30', now)).toBe(false);
    expect(monitoringDateSensible('2031-12-02', now)).toBe(false);
    expect(monitoringDateSensible('2207-03-31', now)).toBe(false);
    expect(monitoringDateSensible(undefined, now)).toBe(true);
  });

  test('commandDateProblems names the field and the rule, for the page to show before sending', () => {
    expect(commandDateProblems('RECORD_MEETING', { heldOn: '2027-01-01' }, now)).toEqual([{ field: 'heldOn', rule: 'meetingNotInFuture' }]);
    expect(commandDateProblems('RESCHEDULE', { startsAt: '2026-11-01T10:00:00Z' }, now)).toEqual([{ field: 'startsAt', rule: 'sessionNotInPast' }]);
    expect(commandDateProblems('RECORD_OUTCOME', { monitorUntil: '2020-01-01' }, now)).toEqual([{ field: 'monitorUntil', rule: 'monitoringDateSensible' }]);
    expect(commandDateProblems('AGREE', { monitorUntil: '2027-03-31' }, now)).toEqual([]);
    // Version 2: every time offered for a session must be in the future.
    expect(commandDateProblems('PROPOSE_SESSION_TIMES', { times: ['2027-01-05T10:00:00Z', '2026-11-01T10:00:00Z'] }, now)).toEqual([
      { field: 'times', rule: 'proposedTimesNotInPast' },
    ]);
    expect(commandDateProblems('PROPOSE_SESSION_TIMES', { times: ['2027-01-05T10:00:00Z'] }, now)).toEqual([]);
    for (const rule of ['meetingNotInFuture', 'sessionNotInPast', 'monitoringDateSensible', 'proposedTimesNotInPast'] as const) {
      expect(RULES[rule].field).toBeDefined();
    }
  });
});

describe('parseClockTime: times as people write them', () => {
  test.each([
    ['14:00', 14, 0],
    ['14.30', 14, 30],
    ['9:05', 9, 5],
    ['2pm', 14, 0],
    ['2 PM', 14, 0],
    ['2.30pm', 14, 30],
    ['2:30 p.m.', 14, 30],
    ['12pm', 12, 0],
    ['12am', 0, 0],
    ['11.45am', 11, 45],
    ['noon', 12, 0],
    ['midday', 12, 0],
    ['midnight', 0, 0],
  ])('%s is %i:%i', (text, hour, minute) => expect(parseClockTime(text)).toEqual({ hour, minute }));

  test.each(['25:99', '24:00', '14:60', '13pm', '0am', '2', 'two', '', '14:0', '2.3pm'])('%s is not a time', (text) =>
    expect(parseClockTime(text)).toBeNull(),
  );
});

describe('through the machine (the API refuses with the same rules)', () => {
  const workflow = workflowFor(1);
  const newCase = (...events: Parameters<CaseDriver['send']>) => {
    const driver = new CaseDriver(workflow);
    driver.send(...events);
    return driver;
  };

  test('a negotiation meeting in the future is refused; one today is taken', () => {
    const c = newCase(...ROUTES.negotiation);
    expect(c.try(ev('RECORD_MEETING', { heldOn: '2026-03-11' }))).toMatchObject({ ok: false, code: 'RULE_VIOLATED', rule: 'meetingNotInFuture' });
    expect(c.send(ev('RECORD_MEETING', { heldOn: '2026-03-10' })).ok).toBe(true);
  });

  test('RESOLVE and AGREE refuse monitoring until a past day or decades away', () => {
    const reviewing = newCase(...ROUTES.advocacyReviewing);
    expect(reviewing.try(ev('RESOLVE', { monitorUntil: '2026-03-09' }))).toMatchObject({ ok: false, rule: 'monitoringDateSensible', message: RULES.monitoringDateSensible.message });
    expect(reviewing.try(ev('RESOLVE', { monitorUntil: '2060-01-01' }))).toMatchObject({ ok: false, rule: 'monitoringDateSensible' });
    expect(reviewing.try(ev('RESOLVE', { monitorUntil: '2026-03-10' })).ok).toBe(true);
    const negotiating = newCase(...ROUTES.negotiation);
    expect(negotiating.try(ev('AGREE', { monitorUntil: '2025-12-31' }))).toMatchObject({ ok: false, rule: 'monitoringDateSensible' });
    expect(newCase(...resolvedRoute()).state).toBe('resolved');
  });

  test('a session in the past is refused when scheduling and when moving it', () => {
    const scheduling = newCase(...appointmentRoute(), ev('APPOINT_MEDIATOR'));
    expect(scheduling.try(ev('SCHEDULE_SESSION', { startsAt: '2026-03-10T09:59:00.000Z' }))).toMatchObject({ ok: false, rule: 'sessionNotInPast' });
    const scheduled = newCase(...sessionScheduledRoute());
    expect(scheduled.try(ev('RESCHEDULE', { startsAt: '2026-03-01T10:00:00.000Z' }))).toMatchObject({ ok: false, rule: 'sessionNotInPast' });
  });

  test('a session cannot be recorded as held before its day, and is not offered until then', () => {
    const c = newCase(...sessionScheduledRoute());
    const early = c.try(ev('RECORD_SESSION_HELD', { at: AT }));
    expect(early).toMatchObject({ ok: false, rule: 'sessionDayReached', message: RULES.sessionDayReached.message });
    expect(workflow.enabledEvents(c.snapshot, AT)).not.toContain('RECORD_SESSION_HELD');
    // The session is on 20 April at 10:00 UTC: by 08:00 that day it can be recorded.
    expect(workflow.enabledEvents(c.snapshot, '2026-04-20T08:00:00.000Z')).toContain('RECORD_SESSION_HELD');
    expect(c.send(ev('RECORD_SESSION_HELD', { at: '2026-04-20T08:00:00.000Z' })).state).toBe('mediation.sessionHeld');
  });

  test('a settled outcome with monitoring already past is refused; a failed one needs no date', () => {
    const held = () => newCase(...sessionScheduledRoute(), ev('RECORD_SESSION_HELD'));
    expect(held().try(ev('RECORD_OUTCOME', { monitorUntil: '2026-01-01' }))).toMatchObject({ ok: false, rule: 'monitoringDateSensible' });
    expect(held().send({ type: 'RECORD_OUTCOME', result: 'notSettled', summary: 'No.', next: 'close', at: AT }).state).toBe('closed');
  });
});
