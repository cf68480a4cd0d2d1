import { PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';

describe('password policy (NCSC)', () => {
  const owner = { email: 'jo.bloggs@example.org', displayName: 'Josephine Bloggs' };

  it.each([
    ['a long passphrase', 'purple kettle river spoon'],
    ['twelve ordinary characters', 'tangerine-owl'],
    ['128 characters', 'a quiet river runs by the old mill '.repeat(4).slice(0, 128)],
    ['non-Latin letters', 'сорок два ёжика в тумане'],
  ])('accepts %s', (_label, password) => {
    expect(passwordProblem(password, owner)).toBeNull();
  });

  it.each([
    ['too short', 'short-one', /at least 12/],
    ['a common password', 'qwerty123456', /most common/],
    ['a common password padded', '!!password2026', /most common/],
    ['a common password twice', 'monkeymonkey', /most common/],
    ['a repeated pattern', 'abcabcabcabc', /repeated/],
    ['one character', 'zzzzzzzzzzzzzzzz', /repeated/],
    ['the e-mail address', 'jo.bloggs@example.org', /name or e-mail/],
    ['the name', 'JosephineBloggs!', /name or e-mail/],
    ['only spaces', ' '.repeat(14), /spaces|repeated/],
    ['over the cap', 'x y '.repeat(80), /256 characters|repeated/],
  ])('refuses %s', (_label, password, reason) => {
    expect(passwordProblem(password, owner)).toMatch(reason);
  });

  it('counts characters as people see them', () => {
    expect(passwordProblem('🙂'.repeat(PASSWORD_MIN_LENGTH - 1) + 'x', owner)).toMatch(/repeated/);
    expect(passwordProblem('🙂🐢🌲🍐🚲📚🎈🧩🔭🪁🎻🧃', owner)).toBeNull();
  });
});
