import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lookupSecretVerifier, verifyLookupSecret } from '../../src/crypto/lookup-secret.js';

describe('lookup-secret verifiers (keyed HMAC for generated codes)', () => {
  const pepper = { version: 1, key: randomBytes(32) };
  const peppers = (v: number): Buffer | undefined => (v === 1 ? pepper.key : undefined);
  const code = '7QKX2M9D4R0HZ3TWB1NE4G8JA';
  const stored = lookupSecretVerifier(code, 'recovery-code:patient-a', pepper);

  it('has the documented shape and verifies its own code and context only', () => {
    expect(stored).toMatch(/^mv1\$p1\$hmac-sha256\$[A-Za-z0-9+/]{43}=$/);
    expect(stored).not.toContain(code);
    expect(verifyLookupSecret(stored, code, 'recovery-code:patient-a', peppers)).toBe(true);
    expect(verifyLookupSecret(stored, code.replace('7', '8'), 'recovery-code:patient-a', peppers)).toBe(
      false,
    );
    // Moved to another row: the context differs, so nothing matches there.
    expect(verifyLookupSecret(stored, code, 'recovery-code:patient-b', peppers)).toBe(false);
  });

  it('is deterministic for one pepper and differs under another (a database copy cannot test a guess)', () => {
    expect(lookupSecretVerifier(code, 'recovery-code:patient-a', pepper)).toBe(stored);
    const thief = (): Buffer => randomBytes(32);
    expect(verifyLookupSecret(stored, code, 'recovery-code:patient-a', thief)).toBe(false);
  });

  it('fails, never throws, on a tampered, malformed or unknown-pepper verifier', () => {
    const flipped = stored.slice(0, -5) + (stored.at(-5) === 'A' ? 'B' : 'A') + stored.slice(-4);
    const throwing = (): Buffer => {
      throw new Error('no such pepper');
    };
    for (const s of [
      flipped,
      '',
      'x',
      stored.replace('$p1$', '$p2$'),
      stored.replace('hmac-sha256', 'argon2id'),
      stored + 'A',
    ])
      expect(verifyLookupSecret(s, code, 'recovery-code:patient-a', peppers), s).toBe(false);
    expect(verifyLookupSecret(stored, code, 'recovery-code:patient-a', throwing)).toBe(false);
  });
});
