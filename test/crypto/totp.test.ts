import { describe, expect, it } from 'vitest';
import {
  base32Encode,
  hotp,
  matchTotp,
  newTotpSecret,
  TOTP_SECRET_BYTES,
  TOTP_STEP_SECONDS,
  totpUri,
} from '../../src/crypto/totp.js';
import { oathtool } from '../support/oathtool.js';

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 4226 test vectors', () => {
    const secret = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((c) => hotp(secret, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('agrees with Debian oathtool on fresh secrets at many moments', () => {
    for (let i = 0; i < 5; i++) {
      const secret = newTotpSecret();
      expect(secret.length).toBe(TOTP_SECRET_BYTES);
      const at = Date.UTC(2030, 0, 1) + i * 7_919_000;
      const code = oathtool(base32Encode(secret), at);
      expect(matchTotp(secret, code, at)).toBe(Math.floor(at / 1000 / TOTP_STEP_SECONDS));
    }
  });

  it('accepts one step of skew either way, never two', () => {
    const secret = newTotpSecret();
    const b32 = base32Encode(secret);
    const at = Date.UTC(2030, 5, 1, 12, 0, 10);
    const step = TOTP_STEP_SECONDS * 1000;
    expect(matchTotp(secret, oathtool(b32, at - step), at)).toBeDefined();
    expect(matchTotp(secret, oathtool(b32, at + step), at)).toBeDefined();
    expect(matchTotp(secret, oathtool(b32, at - 2 * step), at)).toBeUndefined();
    expect(matchTotp(secret, oathtool(b32, at + 2 * step), at)).toBeUndefined();
  });

  it('refuses what is not six digits', () => {
    const secret = newTotpSecret();
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 345'])
      expect(matchTotp(secret, bad, 0)).toBeUndefined();
  });

  it('encodes base32 as RFC 4648 and builds a Key URI', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    const uri = new URL(totpUri(Buffer.from('12345678901234567890'), 'MedVault', 'dr.grey'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(uri.searchParams.get('issuer')).toBe('MedVault');
    expect(uri.href.startsWith('otpauth://totp/MedVault:dr.grey?')).toBe(true);
  });
});
