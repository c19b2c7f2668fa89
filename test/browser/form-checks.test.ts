/**
 * The browser-side form checks and answer parsing (pure functions, run in Node). The server
 * checks everything again; these only have to agree with it and never crash on odd input.
 */
import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../src/crypto/password-policy.js';
import { endOfLocalDay, todayLocal } from '../../web/src/dates.js';
import {
  dateOfBirthError,
  newPasswordError,
  normaliseSsn,
  pinError,
  publicKeyPemError,
  repeatPinError,
  ssnError,
  usernameError,
} from '../../web/src/validation.js';

describe('form checks', () => {
  const today = new Date(2025, 5, 15);

  it('date of birth: a real past date as YYYY-MM-DD', () => {
    expect(dateOfBirthError('1990-12-10', today)).toBeUndefined();
    expect(dateOfBirthError('2025-06-15', today)).toBeUndefined();
    expect(dateOfBirthError('', today)).toBe('Enter the date of birth.');
    expect(dateOfBirthError('10/12/1990', today)).toBe('Enter the date as YYYY-MM-DD.');
    expect(dateOfBirthError('2023-02-29', today)).toBe('That date does not exist.');
    expect(dateOfBirthError('1899-12-31', today)).toBe('Enter a date after 1900.');
    expect(dateOfBirthError('2025-06-16', today)).toBe('The date of birth cannot be in the future.');
  });

  it('new passwords: at least 12 code points, no composition rules', () => {
    expect(newPasswordError('correct horse')).toBeUndefined();
    expect(newPasswordError('short')).toBe('Use at least 12 characters.');
    // Twelve emoji are twelve characters, though 24 UTF-16 units.
    expect(newPasswordError('🔒'.repeat(11))).toBe('Use at least 12 characters.');
    expect(newPasswordError('🔒'.repeat(12))).toBeUndefined();
  });

  it("new passwords: the upper bound, control characters and the account's own names, as the server", () => {
    expect(newPasswordError('a'.repeat(257).replace(/a/g, 'word '))).toBe('Use at most 256 characters.');
    expect(newPasswordError('line one\nline two')).toMatch(/control characters/);
    expect(newPasswordError('dr.meredith.grey', 'x', ['dr.meredith.grey'])).toMatch(/username or name/);
    expect(newPasswordError('Meredith Grey!!', 'x', ['dr.grey', 'Meredith Grey'])).toMatch(
      /username or name/,
    );
    // Never stricter than the server: whatever the form refuses, the policy refuses too.
    const context = ['dr.meredith.grey', 'Dr. Meredith Grey'];
    for (const password of [
      'short',
      'a'.repeat(300),
      'tab\tinside password',
      'dr.meredith.grey',
      'DrMeredithGrey',
      'Tangerine-Kettle-4471',
      'correct horse battery',
    ]) {
      if (newPasswordError(password, 'x', context) !== undefined)
        expect(checkPassword(password, context).ok, password).toBe(false);
    }
  });

  it('SSN and PIN: the shapes the server accepts, and a new PIN repeated exactly', () => {
    expect(normaliseSsn(' 123 45 6789 ')).toBe('123-45-6789');
    expect(ssnError('123456789')).toBeUndefined();
    expect(ssnError('12345678')).toBe('Enter the SSN as ###-##-#### (9 digits).');
    expect(pinError('271828')).toBeUndefined();
    expect(pinError('')).toBe('Enter your PIN.');
    expect(pinError('27182')).toBe('The PIN is exactly 6 digits.');
    expect(pinError('27182a')).toBe('The PIN is exactly 6 digits.');
    expect(repeatPinError('271828', '271828')).toBeUndefined();
    expect(repeatPinError('271829', '271828')).toBe('The two PINs differ.');
    expect(repeatPinError('', '271828')).toBe('The two PINs differ.');
  });

  it("usernames follow the server's rule", () => {
    expect(usernameError('dr.house')).toBeUndefined();
    expect(usernameError('ops@clinic-1')).toBeUndefined();
    expect(usernameError('Dr.House')).toMatch(/lowercase/);
    expect(usernameError('ab')).toMatch(/3–64/);
  });

  it('public keys: SPKI PEM only, and a pasted private key is called out', () => {
    const spki = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n';
    expect(publicKeyPemError(spki)).toBeUndefined();
    expect(publicKeyPemError('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----')).toMatch(
      /private key/,
    );
    expect(publicKeyPemError('ssh-ed25519 AAAA')).toMatch(/SPKI PEM/);
  });

  it('grant expiry: the end of the chosen local day; impossible dates refused', () => {
    const end = endOfLocalDay('2030-03-09');
    expect(end && [end.getFullYear(), end.getMonth(), end.getDate(), end.getHours()]).toEqual([
      2030, 2, 9, 23,
    ]);
    expect(endOfLocalDay('2030-02-30')).toBeUndefined();
    expect(todayLocal(new Date(2030, 0, 5))).toBe('2030-01-05');
  });
});
