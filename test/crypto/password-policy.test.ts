import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS, isCommonPassword } from '../../src/crypto/common-passwords.js';
import {
  checkPassword,
  MAX_PASSWORD_LENGTH,
  PASSWORD_REASONS,
  type PasswordProblem,
} from '../../src/crypto/password-policy.js';

function problemOf(pw: string, context?: string[]): PasswordProblem | 'ok' {
  const result = checkPassword(pw, context);
  return result.ok ? 'ok' : result.code;
}

describe('password policy (NIST SP 800-63B)', () => {
  it.each([
    'correct horse battery staple',
    'Zebra Quilt Moon 7',
    'my cat is named Pickles',
    'Xk9#mP2$vL5q',
    'héllo wörld çava',
    '😀🐱🌍🎉🍕🚀🌈🎸📚⚽🍎🐶',
    'correcthorse',
    '8392017468451920',
  ])('accepts a long, uncommon password: %j', (pw) => {
    expect(checkPassword(pw)).toEqual({ ok: true });
  });

  it('has no composition rules: lower-case letters and spaces alone are fine', () => {
    expect(checkPassword('purple elephants dance quietly').ok).toBe(true);
  });

  it('refuses fewer than 12 characters and says how long to make it', () => {
    const result = checkPassword('Tr0ub4dor&3');
    expect(result).toEqual({ ok: false, code: 'too-short', reason: PASSWORD_REASONS['too-short'] });
    if (!result.ok) expect(result.reason).toMatch(/at least 12 characters/);
  });

  it('counts Unicode code points after NFC, not UTF-16 units or bytes', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters: too short.
    expect(problemOf('😀🐱🌍🎉🍕🚀🌈🎸📚⚽🍎')).toBe('too-short');
    // 11 decomposed "é" are 22 code points before NFC but 11 after: too short.
    expect(problemOf('e\u0301'.repeat(11))).toBe('too-short');
    // 12 of them pass the length rule (and are then refused as one repeated character).
    expect(problemOf('e\u0301'.repeat(12))).toBe('pattern');
  });

  it('refuses more than 256 characters', () => {
    const long = Array.from({ length: MAX_PASSWORD_LENGTH + 1 }, (_, i) => 'kq7zvx'[i % 6]! + (i % 7)).join(
      '',
    );
    expect(problemOf(long)).toBe('too-long');
    expect(problemOf('x'.repeat(100_000))).toBe('too-long');
  });

  it('refuses control characters and lone surrogates', () => {
    expect(problemOf('tab\there password')).toBe('bad-characters');
    expect(problemOf('line\nbreak password')).toBe('bad-characters');
    expect(problemOf('lone \ud800 surrogate here')).toBe('bad-characters');
  });

  it.each([
    '123456789012',
    'qwerty123456',
    'password1234',
    'passwordpassword',
    'iloveyou1234',
    'qwertyuiop123',
    '1q2w3e4r5t6y',
    'administrator',
  ])('refuses the listed common password %j', (pw) => {
    expect(checkPassword(pw).ok).toBe(false);
    expect(isCommonPassword(pw.toUpperCase())).toBe(true);
  });

  it.each([
    ['PASSWORD1234', 'common'],
    ['Password1234!', 'common'],
    ['2024password!!', 'common'],
    ['P@ssw0rd2024', 'common'],
    ['i love you 1234', 'common'],
    ['monkeymonkey1', 'common'],
    ['letmeinletmein', 'common'],
    ['Sunshine12345678', 'common'],
    ['dragon!!!!!!', 'common'],
    ['p.a.s.s.w.o.r.d.!', 'common'],
  ] as const)('refuses %j, a common password padded, repeated or disguised', (pw, code) => {
    const result = checkPassword(pw);
    expect(result).toEqual({ ok: false, code, reason: PASSWORD_REASONS[code] });
    if (!result.ok) expect(result.reason).toMatch(/too common/);
  });

  it.each([
    'aaaaaaaaaaaa',
    '111111111111',
    '😀😀😀😀😀😀😀😀😀😀😀😀',
    'abababababab',
    'abcdefghijkl',
    'zyxwvutsrqpo',
    '987654321098',
    '345678901234',
    'asdfghjklzxc',
    'abcdef123456',
    'aaaaaa111111',
  ])('refuses %j, a repeated or sequential pattern', (pw) => {
    expect(problemOf(pw)).toBe('pattern');
  });

  it('refuses the username or SSN, and variations of them, given as context', () => {
    expect(problemOf('dr.gregory.house', ['dr.gregory.house'])).toBe('context');
    expect(problemOf('DR.Gregory.House', ['dr.gregory.house'])).toBe('context');
    expect(problemOf('drgregoryhouse2024!', ['dr.gregory.house'])).toBe('context');
    expect(problemOf('123-45-6789!!', ['123-45-6789'])).toBe('context');
    expect(problemOf('1234567890123-45-6789', ['123-45-6789'])).not.toBe('ok');
    // Context that is not in the password changes nothing.
    expect(problemOf('correct horse battery staple', ['dr.gregory.house', '123-45-6789'])).toBe('ok');
  });

  it('refuses a password made only of the identifiers and their words, in any order', () => {
    const identity = ['123-45-6789', 'Ada Quill 1868b6', '1984-07-19'];
    expect(problemOf('Ada Quill 1868b6 1984-07-19', identity)).toBe('context');
    expect(problemOf('quill.ada.1984-07-19', identity)).toBe('context');
    expect(problemOf('1984-07-19 Quill Ada 123456789', identity)).toBe('context');
    // One word of one's own beside unrelated words is allowed: the rest is a passphrase.
    expect(problemOf('ada paints blue herons', identity)).toBe('ok');
  });

  it('bundles several hundred lower-case entries, including 12+ character ones', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(500);
    for (const pw of COMMON_PASSWORDS) expect(pw).toBe(pw.toLowerCase());
    expect([...COMMON_PASSWORDS].filter((pw) => pw.length >= 12).length).toBeGreaterThan(10);
  });

  it('every reason tells the user what to do', () => {
    for (const reason of Object.values(PASSWORD_REASONS))
      expect(reason).toMatch(/^(Use|Remove|Do not|This password)/);
  });

  it('never throws, and every refusal carries a reason', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (pw, ctx) => {
          const result = checkPassword(pw, ctx);
          return result.ok || result.reason.length > 0;
        },
      ),
    );
  });
});
