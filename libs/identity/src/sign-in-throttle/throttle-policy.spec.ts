import {
  THROTTLE_POLICIES,
  accountKey,
  addressKey,
  delayAfter,
  delaySchedule,
  isThrottleKey,
  tooManyMessage,
  waitInWords,
} from './throttle-policy';

describe('sign-in throttle policy', () => {
  it('lets an account fail five times with no wait, then doubles the wait from 1 second up to a minute', () => {
    const account = THROTTLE_POLICIES.account;
    expect([1, 2, 3, 4, 5].map((f) => delayAfter(account, f))).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10, 11, 12, 19].map((f) => delayAfter(account, f))).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    // Far past the limit the exponent is capped, so no overflow to Infinity reaches the database.
    expect(delayAfter(account, 5000)).toBe(60);
  });

  it('gives an address twenty failures with no wait', () => {
    const address = THROTTLE_POLICIES.address;
    expect(delayAfter(address, 20)).toBe(0);
    expect(delayAfter(address, 21)).toBe(1);
    expect(delayAfter(address, 22)).toBe(2);
  });

  it('lists one wait per failure up to the limit, as the claim statement indexes them', () => {
    const schedule = delaySchedule(THROTTLE_POLICIES.account);
    expect(schedule).toHaveLength(THROTTLE_POLICIES.account.limit);
    expect(schedule[0]).toBe(0); // the first failure
    expect(schedule[5]).toBe(1); // the sixth
    expect(schedule[19]).toBe(60); // the twentieth, which also locks
  });

  it('keys an account by its e-mail address whatever the capitals and spaces', () => {
    expect(accountKey('  Jo@Example.ORG ')).toBe('account:jo@example.org');
  });

  it('keys an IPv4 client by its address, and an IPv6 client by its /64 network', () => {
    expect(addressKey('203.0.113.9')).toBe('address:203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('address:203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('address:2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::1')).toBe('address:2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('address:2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('address:fe80:0:0:0::/64');
    expect(addressKey(undefined)).toBe('address:unknown');
    expect(addressKey('not an address')).toBe('address:unknown');
  });

  it('accepts only account and address keys of a sensible length', () => {
    expect(isThrottleKey('account:jo@example.org')).toBe(true);
    expect(isThrottleKey('address:203.0.113.9')).toBe(true);
    expect(isThrottleKey('account:')).toBe(false);
    expect(isThrottleKey('user:jo')).toBe(false);
    expect(isThrottleKey(`account:${'a'.repeat(400)}`)).toBe(false);
    expect(isThrottleKey(42)).toBe(false);
  });

  it('says how long to wait in plain words, never less than the real wait', () => {
    expect(waitInWords(0.2)).toBe('1 second');
    expect(waitInWords(45)).toBe('45 seconds');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(900)).toBe('15 minutes');
    expect(waitInWords(3 * 3600)).toBe('3 hours');
    expect(tooManyMessage('password', 90)).toBe('Too many attempts to sign in. Wait 2 minutes, then try again.');
    expect(tooManyMessage('reset', 5)).toBe('Too many requests for a password reset link. Wait 5 seconds, then try again.');
    expect(tooManyMessage('second-factor', 900)).toBe('Too many attempts at the security code. Wait 15 minutes, then try again.');
  });
});
