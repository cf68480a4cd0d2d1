/**
 * Every clock says what its running out does, once, and what it says is something the machine and
 * the notices understand.
 */
import { DEADLINE_KINDS, type DeadlineKind } from './effects';
import { SYSTEM_EVENT_TYPES } from './events';
import { ON_EXPIRY, REMINDER_NOTICE, type ExpiryConsequence } from './expiry';
import { breachCaseMachineV1 } from './machine.v1';

const KINDS = Object.keys(DEADLINE_KINDS) as DeadlineKind[];

/** The fields each kind of consequence has; any other field would be a second consequence hiding in one entry. */
const FIELDS: Record<ExpiryConsequence['type'], string[]> = {
  systemEvent: ['event', 'type'],
  notice: ['audience', 'template', 'type'],
  nothing: ['type'],
};

describe('what a clock does when it runs out', () => {
  it('is defined for every deadline kind and for nothing else', () => {
    expect(Object.keys(ON_EXPIRY).sort()).toEqual([...KINDS].sort());
  });

  it.each(KINDS)('%s has exactly one consequence: an event, a notice, or explicitly nothing', (kind) => {
    const consequence = ON_EXPIRY[kind];
    expect(Object.keys(FIELDS)).toContain(consequence.type);
    expect(Object.keys(consequence).sort()).toEqual(FIELDS[consequence.type]);
    if (consequence.type === 'systemEvent') {
      expect(SYSTEM_EVENT_TYPES).toContain(consequence.event);
      expect(breachCaseMachineV1.events).toContain(consequence.event);
    }
    if (consequence.type === 'notice') {
      expect(['deadlineOverdue', 'deadlineReminder']).toContain(consequence.template);
      expect(consequence.audience.length).toBeGreaterThan(0);
      expect(new Set(consequence.audience).size).toBe(consequence.audience.length);
    }
  });

  it('sends every system event from some clock (the worker is the only sender)', () => {
    const sent = new Set(Object.values(ON_EXPIRY).flatMap((c) => (c.type === 'systemEvent' ? [c.event] : [])));
    expect([...sent].sort()).toEqual([...SYSTEM_EVENT_TYPES].sort());
  });

  it('reminds someone for the clocks that have a reminder', () => {
    const withReminder = KINDS.filter((kind) => 'reminderAfterWorkingDays' in DEADLINE_KINDS[kind]);
    expect(withReminder).toEqual(['respondentReply']);
    expect(REMINDER_NOTICE.template).toBe('deadlineReminder');
    expect(REMINDER_NOTICE.audience).toEqual(expect.arrayContaining(['respondent']));
  });
});
