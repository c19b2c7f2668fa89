import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import {
  ChallengeRefused,
  loginMessage,
  loginMessageFor,
  prescriptionMessage,
  purposeOf,
  SIGNING_CONTEXTS,
  type LoginChallenge,
} from '../../src/contract/signing/index.js';

/** The one place that says what a staff signature covers (issue 15, finding 1). */
const CHALLENGE: LoginChallenge = {
  type: 'medvault-staff-login',
  v: 1,
  origin: 'https://medvault.example',
  username: 'dr.ed',
  nonce: 'n'.repeat(43),
  expiresAt: 1_767_225_600_000,
};
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const field = (s: string): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(Buffer.byteLength(s, 'utf8'));
  return Buffer.concat([length, utf8(s)]);
};

describe('domain-separated signed messages', () => {
  it('a login message is the login context line and the length-prefixed fields, byte for byte', () => {
    const expected = Buffer.concat([
      utf8('MedVault staff login v1\n'),
      field('https://medvault.example'),
      field('dr.ed'),
      field('n'.repeat(43)),
      field('1767225600000'),
    ]);
    expect(Buffer.from(loginMessage(CHALLENGE))).toEqual(expected);
  });

  it('a prescription message is the prescription context line and the canonical JSON', () => {
    const json = canonicalJson({ b: 'ü', a: 1 });
    expect(Buffer.from(prescriptionMessage(json))).toEqual(utf8(`MedVault prescription v1\n${json}`));
  });

  it('the context lines are distinct, prefix-free and free of line feeds', () => {
    const lines = Object.values(SIGNING_CONTEXTS);
    expect(new Set(lines).size).toBe(lines.length);
    for (const a of lines) {
      expect(a).not.toContain('\n');
      for (const b of lines) if (a !== b) expect(`${b}\n`.startsWith(`${a}\n`)).toBe(false);
    }
  });

  it('every message names exactly its own purpose; old bare formats name none', () => {
    expect(purposeOf(loginMessage(CHALLENGE))).toBe('login');
    expect(purposeOf(prescriptionMessage('{}'))).toBe('prescription');
    // Whatever a login challenge's fields hold, the message is a login message.
    const sneaky = { ...CHALLENGE, origin: 'x', username: `\nMedVault prescription v1\n{}` };
    expect(purposeOf(loginMessage(sneaky))).toBe('login');
    expect(purposeOf(utf8('{"v":1}'))).toBeUndefined();
    expect(purposeOf(utf8('medvault-staff-login-v1:abc'))).toBeUndefined();
  });

  it('length prefixes keep field boundaries: moving a character between fields changes the message', () => {
    const a = loginMessage({ ...CHALLENGE, origin: 'https://a', username: 'bc' });
    const b = loginMessage({ ...CHALLENGE, origin: 'https://ab', username: 'c' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('loginMessageFor (what the browser and the CLI check before signing)', () => {
  const expected = { origin: 'https://medvault.example', username: 'Dr.Ed ' };

  it('answers the login message of a login challenge for this origin and user', () => {
    expect(Buffer.from(loginMessageFor(CHALLENGE, expected))).toEqual(Buffer.from(loginMessage(CHALLENGE)));
  });

  it('refuses anything else, signing nothing', () => {
    const prescription = canonicalJson({ v: 1, patientId: 'p', quantity: 90 });
    for (const bad of [
      prescription,
      JSON.parse(prescription) as unknown,
      'medvault-staff-login-v1:' + 'n'.repeat(43),
      null,
      { ...CHALLENGE, type: 'medvault-prescription' },
      { ...CHALLENGE, extra: 1 },
      { ...CHALLENGE, expiresAt: 1.5 },
      { ...CHALLENGE, origin: 'https://evil.example' },
      { ...CHALLENGE, username: 'dr.other' },
    ])
      expect(() => loginMessageFor(bad, expected), JSON.stringify(bad)).toThrow(ChallengeRefused);
  });
});
