import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseSsn, ssnBlindIndex } from '../../src/crypto/blind-index.js';

const KEY = randomBytes(32);
const SSN = '123-45-6789';

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const validSsn = fc.tuple(digits(3), digits(2), digits(4)).map(([a, b, c]) => `${a}-${b}-${c}`);

describe('normaliseSsn', () => {
  it('accepts ###-##-#### and returns it unchanged', () => {
    fc.assert(fc.property(validSsn, (ssn) => normaliseSsn(ssn) === ssn));
  });

  it('ignores surrounding whitespace', () => {
    expect(normaliseSsn('  123-45-6789\n')).toBe(SSN);
  });

  it.each([
    '',
    '123456789',
    '123 45 6789',
    '123-456-789',
    '12-345-6789',
    '1234-5-6789',
    '123-45-67890',
    '0123-45-6789',
    'abc-de-fghi',
    '123-45-678a',
    '123\u201045-6789', // Unicode hyphen
    '\uff11\uff12\uff13-\uff14\uff15-\uff16\uff17\uff18\uff19', // full-width digits
    '\u0661\u0662\u0663-\u0664\u0665-\u0666\u0667\u0668\u0669', // Arabic-Indic digits
    '123-45-6789-123-45-6789',
    '123-45 -6789',
    `${SSN}\u0000`,
  ])('refuses %j', (input) => {
    expect(normaliseSsn(input)).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 40 }), (s) => {
        const out = normaliseSsn(s);
        return out === null || /^\d{3}-\d{2}-\d{4}$/.test(out);
      }),
    );
  });
});

describe('ssnBlindIndex', () => {
  it('is a deterministic 32-byte value, equal for equal SSNs (the documented leakage)', () => {
    const a = ssnBlindIndex(SSN, KEY);
    expect(a).toHaveLength(32);
    expect(ssnBlindIndex(SSN, KEY).equals(a)).toBe(true);
    expect(ssnBlindIndex(` ${SSN} `, KEY).equals(a)).toBe(true);
  });

  it('differs for different SSNs', () => {
    fc.assert(
      fc.property(
        validSsn,
        validSsn,
        (x, y) => x === y || !ssnBlindIndex(x, KEY).equals(ssnBlindIndex(y, KEY)),
      ),
    );
  });

  it('depends on the key: without it the 10^9 SSNs cannot be enumerated', () => {
    expect(ssnBlindIndex(SSN, randomBytes(32)).equals(ssnBlindIndex(SSN, KEY))).toBe(false);
    // Unkeyed or unlabelled hashes an attacker could compute are not the index.
    const index = ssnBlindIndex(SSN, KEY);
    expect(index.equals(createHash('sha256').update(SSN).digest())).toBe(false);
    expect(index.equals(createHmac('sha256', KEY).update(SSN).digest())).toBe(false);
  });

  it('does not contain the SSN', () => {
    const index = ssnBlindIndex(SSN, KEY);
    expect(index.includes(Buffer.from('123456789'))).toBe(false);
    expect(index.toString('hex')).not.toContain('123456789');
  });

  it('refuses an invalid SSN and a short key', () => {
    expect(() => ssnBlindIndex('123456789', KEY)).toThrow(RangeError);
    expect(() => ssnBlindIndex(SSN, randomBytes(16))).toThrow(RangeError);
  });
});
