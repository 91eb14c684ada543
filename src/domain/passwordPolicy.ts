/** Password policy (NIST SP 800-63B style): length over composition, no obvious choices. */

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem =
  | 'too_short'
  | 'too_long'
  | 'same_as_username'
  | 'same_as_current'
  | 'too_common';

const COMMON = new Set([
  '1234567890',
  '12345678910',
  'password123',
  'password1234',
  'qwertyuiop',
  'abc1234567',
  'a123456789',
  '1qaz2wsx3edc',
  'woaini1314',
  'iloveyou12',
  '0123456789',
  '1111111111',
  '8888888888',
  'gangwei123',
  'gangwei-demo',
]);

export function checkNewPassword(
  password: string,
  context: { username: string; current?: string },
): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if ([...password].length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (password.toLowerCase().includes(context.username.toLowerCase())) return 'same_as_username';
  if (context.current !== undefined && password === context.current) return 'same_as_current';
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) return 'too_common';
  return null;
}
