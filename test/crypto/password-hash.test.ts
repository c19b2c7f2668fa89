import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_ARGON2_PARAMS,
  dummyVerify,
  hashSecret,
  pepperVersionOf,
  verifySecret,
  type Argon2Params,
  type Pepper,
  type PepperLookup,
} from '../../src/crypto/password-hash.js';

const P1: Pepper = { version: 1, key: randomBytes(32) };
const P2: Pepper = { version: 2, key: randomBytes(32) };
const peppers: PepperLookup = (v) => (v === 1 ? P1.key : v === 2 ? P2.key : undefined);
const CURRENT = { pepperVersion: 1 };
// Cheap parameters for tests that are not about cost; production never uses them.
const WEAK: Argon2Params = { memoryCost: 8192, timeCost: 1, parallelism: 1 };
const WEAK_CURRENT = { pepperVersion: 1, params: WEAK };

const PIN = '493027';
const PASSWORD = 'correct horse battery staple';

let pinHash: string;
let passwordHash: string;

beforeAll(async () => {
  [pinHash, passwordHash] = await Promise.all([
    hashSecret(PIN, 'pin', P1),
    hashSecret(PASSWORD, 'password', P1),
  ]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function phcParams(stored: string): Argon2Params {
  const m = /\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (m === null) throw new Error('no params');
  return { memoryCost: Number(m[1]), timeCost: Number(m[2]), parallelism: Number(m[3]) };
}

describe('password-hash', () => {
  it('verifies the right secret, with nothing to upgrade', async () => {
    expect(await verifySecret(pinHash, PIN, 'pin', peppers, CURRENT)).toEqual({
      ok: true,
      needsRehash: false,
    });
    expect(await verifySecret(passwordHash, PASSWORD, 'password', peppers, CURRENT)).toEqual({
      ok: true,
      needsRehash: false,
    });
  });

  it('fails for a wrong secret', async () => {
    const result = await verifySecret(pinHash, '493028', 'pin', peppers, CURRENT);
    expect(result).toEqual({ ok: false, needsRehash: false });
  });

  it('a verifier made for one purpose does not verify as another', async () => {
    const asPassword = await verifySecret(pinHash, PIN, 'password', peppers, CURRENT);
    expect(asPassword.ok).toBe(false);
  });

  it('fails under a different pepper: the database alone is not enough', async () => {
    const stolen = (): Buffer => randomBytes(32); // the thief's best guess at the pepper
    expect((await verifySecret(pinHash, PIN, 'pin', stolen, CURRENT)).ok).toBe(false);
  });

  it('the argon2 input is not the secret: plain argon2 over the stored PHC string finds nothing', async () => {
    const phc = pinHash.slice(pinHash.indexOf('$argon2id$'));
    expect(await argon2.verify(phc, PIN)).toBe(false);
  });

  it('the stored string does not contain the secret in any common encoding', () => {
    for (const encoded of [
      PASSWORD,
      Buffer.from(PASSWORD).toString('base64').replace(/=+$/, ''),
      Buffer.from(PASSWORD).toString('hex'),
    ])
      expect(passwordHash).not.toContain(encoded);
    expect(pinHash).not.toContain(PIN);
  });

  it('names the format, the pepper version and argon2id with at least ASVS 5.0 parameters', () => {
    expect(pinHash).toMatch(
      /^mv1\$p1\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    const params = phcParams(pinHash);
    expect(params.memoryCost).toBeGreaterThanOrEqual(47104);
    expect(params.timeCost).toBeGreaterThanOrEqual(1);
    expect(params.parallelism).toBeGreaterThanOrEqual(1);
    expect(DEFAULT_ARGON2_PARAMS).toEqual({ memoryCost: 47104, timeCost: 1, parallelism: 1 });
    expect(pepperVersionOf(pinHash)).toBe(1);
  });

  it('two hashes of the same secret differ (unique salt) and both verify', async () => {
    const again = await hashSecret(PIN, 'pin', P1);
    expect(again).not.toBe(pinHash);
    expect(again.split('$')[5]).not.toBe(pinHash.split('$')[5]);
    expect((await verifySecret(again, PIN, 'pin', peppers, CURRENT)).ok).toBe(true);
  });

  it('asks for a rehash when the parameters are below the current ones', async () => {
    const weak = await hashSecret(PIN, 'pin', P1, WEAK);
    expect(await verifySecret(weak, PIN, 'pin', peppers, CURRENT)).toEqual({ ok: true, needsRehash: true });
    // …and never on a failed check, so a wrong guess cannot trigger a write.
    expect(await verifySecret(weak, '000000', 'pin', peppers, WEAK_CURRENT)).toEqual({
      ok: false,
      needsRehash: false,
    });
    expect(await verifySecret(weak, PIN, 'pin', peppers, WEAK_CURRENT)).toEqual({
      ok: true,
      needsRehash: false,
    });
  });

  it('asks for a rehash when the pepper version is old, and verifies under the new one', async () => {
    expect(await verifySecret(pinHash, PIN, 'pin', peppers, { pepperVersion: 2 })).toEqual({
      ok: true,
      needsRehash: true,
    });
    const upgraded = await hashSecret(PIN, 'pin', P2, WEAK);
    expect(pepperVersionOf(upgraded)).toBe(2);
    expect(await verifySecret(upgraded, PIN, 'pin', peppers, { pepperVersion: 2, params: WEAK })).toEqual({
      ok: true,
      needsRehash: false,
    });
  });

  it('a verifier relabelled with another pepper version fails', async () => {
    const relabelled = pinHash.replace(/^mv1\$p1\$/, 'mv1$p2$');
    expect((await verifySecret(relabelled, PIN, 'pin', peppers, CURRENT)).ok).toBe(false);
  });

  it('malformed stored strings give ok:false, never a throw', async () => {
    const phc = pinHash.slice(pinHash.indexOf('$argon2id$'));
    const [, , , , , salt, hash] = pinHash.split('$');
    const malformed = [
      '',
      'garbage',
      phc, // no format tag
      `mv2$p1${phc}`,
      `mv1$p0${phc}`,
      `mv1$p01${phc}`,
      `mv1$p${phc}`,
      `mv1$p99999999999${phc}`,
      pinHash.replace('argon2id', 'argon2i'),
      pinHash.replace('v=19', 'v=16'),
      pinHash.replace(/m=\d+/, 'm=4294967295'), // would allocate 4 TiB
      pinHash.replace(/t=\d+/, 't=1000000'),
      pinHash.replace(/p=\d+/, 'p=0'),
      pinHash.replace(/m=\d+/, 'm=7'),
      pinHash + '$',
      pinHash + '\n',
      ` ${pinHash}`,
      pinHash.replace(`$${hash}`, ''),
      pinHash.replace(`$${salt}`, '$'),
      pinHash.replace(hash!, `${hash!.slice(0, -1)}B`), // non-canonical last base64 character
      pinHash.replace(hash!, 'AAAA'),
      pinHash.replace(salt!, 'AAAAAAAA'),
      pinHash.replace(hash!, `${hash}==`),
      pinHash.replace(/,p=1/, ',p=1,data=AAAA'),
      'mv1$p1' + '$argon2id$v=19$m=47104,t=1,p=1$' + 'A'.repeat(600),
    ];
    for (const stored of malformed) {
      const result = await verifySecret(stored, PIN, 'pin', peppers, WEAK_CURRENT);
      expect(result, JSON.stringify(stored)).toEqual({ ok: false, needsRehash: false, problem: 'malformed' });
    }
  });

  it('an unknown pepper version, or a lookup that throws, gives ok:false', async () => {
    const unknown = pinHash.replace(/^mv1\$p1\$/, 'mv1$p7$');
    expect(await verifySecret(unknown, PIN, 'pin', peppers, WEAK_CURRENT)).toEqual({
      ok: false,
      needsRehash: false,
      problem: 'unknown-pepper-version',
    });
    const throwing: PepperLookup = () => {
      throw new Error('keyring unavailable');
    };
    expect((await verifySecret(pinHash, PIN, 'pin', throwing, WEAK_CURRENT)).ok).toBe(false);
    expect((await verifySecret(pinHash, PIN, 'pin', () => Buffer.alloc(8), WEAK_CURRENT)).ok).toBe(false);
  });

  it('normalises to NFC: a composed and a decomposed accent are the same password', async () => {
    const composed = 'caf\u00e9 au lait tous les matins';
    const decomposed = 'cafe\u0301 au lait tous les matins';
    const stored = await hashSecret(composed, 'password', P1, WEAK);
    expect((await verifySecret(stored, decomposed, 'password', peppers, WEAK_CURRENT)).ok).toBe(true);
  });

  it('refuses to hash a lone surrogate, and never verifies one', async () => {
    await expect(hashSecret('pass\ud800word long enough', 'password', P1, WEAK)).rejects.toThrow(TypeError);
    const stored = await hashSecret('pass\ufffdword long enough', 'password', P1, WEAK);
    // Encoded as UTF-8 the lone surrogate would become U+FFFD and match: it must not.
    expect(
      (await verifySecret(stored, 'pass\ud800word long enough', 'password', peppers, WEAK_CURRENT)).ok,
    ).toBe(false);
  });

  it('refuses a short pepper and out-of-range parameters (programmer errors)', async () => {
    await expect(hashSecret(PIN, 'pin', { version: 1, key: randomBytes(16) })).rejects.toThrow(RangeError);
    await expect(hashSecret(PIN, 'pin', { version: 0, key: P1.key })).rejects.toThrow(RangeError);
    await expect(hashSecret(PIN, 'pin', P1, { memoryCost: 4, timeCost: 1, parallelism: 1 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      hashSecret(PIN, 'pin', P1, { memoryCost: 2 ** 31, timeCost: 1, parallelism: 1 }),
    ).rejects.toThrow(RangeError);
  });

  it('dummyVerify performs exactly one argon2 verify, like a real one', async () => {
    const spy = vi.spyOn(argon2, 'verify');
    await dummyVerify('pin', P1, WEAK);
    expect(spy).toHaveBeenCalledTimes(1);
    await verifySecret(pinHash, PIN, 'pin', peppers, CURRENT);
    expect(spy).toHaveBeenCalledTimes(2);
    await verifySecret('malformed', PIN, 'pin', peppers, WEAK_CURRENT);
    expect(spy).toHaveBeenCalledTimes(3); // a broken row costs the same work too
  });

  it('dummyVerify does the work of a real verify (fastest of 7 within 0.25x-4x)', async () => {
    // What this catches: a dummy that skips the argon2id run answers in microseconds, thousands of
    // times faster. The band is wide and the fastest run of each is compared (load only ever
    // slows a run down), so a busy machine running other tests does not make it fail.
    const time = async (fn: () => Promise<unknown>): Promise<number> => {
      const start = process.hrtime.bigint();
      await fn();
      return Number(process.hrtime.bigint() - start);
    };
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 7; i++) {
      real.push(await time(() => verifySecret(pinHash, '000000', 'pin', peppers, CURRENT)));
      dummy.push(await time(() => dummyVerify('pin', P1)));
    }
    const ratio = Math.min(...dummy) / Math.min(...real);
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(4);
  });
});
