import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CROCKFORD_ALPHABET,
  hashToken,
  isRecoveryCode,
  normaliseRecoveryCode,
  randomToken,
  recoveryCode,
} from '../../src/crypto/random-token.js';

const N = 1000;

describe('randomToken', () => {
  it('is 32 bytes of unpadded base64url by default (43 characters)', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('has the stated length for other sizes', () => {
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
    expect(randomToken(16)).toHaveLength(22);
    expect(Buffer.from(randomToken(64), 'base64url')).toHaveLength(64);
  });

  it('refuses sizes under 128 bits or absurdly large', () => {
    for (const bytes of [0, 8, 15, 1025, 1.5, Number.NaN])
      expect(() => randomToken(bytes)).toThrow(RangeError);
  });

  it('is unique across many draws', () => {
    expect(new Set(Array.from({ length: N }, () => randomToken())).size).toBe(N);
  });
});

describe('hashToken', () => {
  it('is SHA-256 of the token, 32 bytes, and not the token', () => {
    const token = randomToken();
    const hash = hashToken(token);
    expect(hash).toHaveLength(32);
    expect(hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(hash.toString('base64url')).not.toBe(token);
    expect(hashToken(token).equals(hash)).toBe(true);
    expect(hashToken(randomToken()).equals(hash)).toBe(false);
  });
});

describe('recoveryCode', () => {
  const GROUP = `[${CROCKFORD_ALPHABET}]{5}`;
  const FORMAT = new RegExp(`^${GROUP}-${GROUP}-${GROUP}-${GROUP}-${GROUP}$`);

  it('is 5 dash-separated groups of 5 Crockford base32 characters (125 bits)', () => {
    for (let i = 0; i < 100; i++) expect(recoveryCode()).toMatch(FORMAT);
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it('is unique across many draws and uses the whole alphabet', () => {
    const codes = Array.from({ length: N }, () => recoveryCode());
    expect(new Set(codes).size).toBe(N);
    const seen = new Set(codes.join('').replace(/-/g, ''));
    expect(seen.size).toBe(32);
  });

  it('normalises what a person types back to one form', () => {
    const code = recoveryCode();
    const canonical = code.replace(/-/g, '');
    expect(normaliseRecoveryCode(code)).toBe(canonical);
    expect(normaliseRecoveryCode(code.toLowerCase())).toBe(canonical);
    expect(normaliseRecoveryCode(` ${code.replace(/-/g, ' ')} `)).toBe(canonical);
    expect(isRecoveryCode(normaliseRecoveryCode(code))).toBe(true);
  });

  it('reads Crockford look-alikes: I and L as 1, O as 0', () => {
    expect(normaliseRecoveryCode('ilo00-11111-00000-22222-33333')).toBe('1100011111000002222233333');
  });

  it('isRecoveryCode refuses other shapes', () => {
    for (const s of [
      '',
      'ABCDE',
      'ABCDE-FGHJK-MNPQR-STVW',
      'ABCDE-FGHJK-MNPQR-STVWX',
      'ABCDE-FGHJK-MNPQR-STVWX-YZ012-3',
      'UUUUUUUUUUUUUUUUUUUU',
      'ABCDEFGHJKMNPQRSTVWXY',
      '0000000000000000000!',
    ])
      expect(isRecoveryCode(normaliseRecoveryCode(s)), s).toBe(false);
  });
});
