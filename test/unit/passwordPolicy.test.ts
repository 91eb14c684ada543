import { expect } from 'chai';
import { checkNewPassword } from '../../src/domain/passwordPolicy.js';

describe('password policy', () => {
  const ctx = { username: 'officer', current: 'old-password-1' };
  const cases: Array<[string, string, string | null]> = [
    ['long enough and unusual', 'river-lantern-42', null],
    ['shorter than 10', 'short-1', 'too_short'],
    ['containing the username', 'my-officer-pass', 'same_as_username'],
    ['the same as now', 'old-password-1', 'same_as_current'],
    ['a common one', '1234567890', 'too_common'],
    ['one repeated character', 'aaaaaaaaaaaa', 'too_common'],
    ['counts characters, not bytes (Chinese)', '岗位通岗位通岗位通岗位', null],
  ];
  for (const [what, password, problem] of cases) {
    it(`${problem ?? 'accepts'}: ${what}`, () => {
      expect(checkNewPassword(password, ctx)).to.equal(problem);
    });
  }
});
