import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ENVELOPE_FORMAT_VERSION,
  generateDek,
  open,
  openWithDek,
  rewrapDek,
  seal,
  sealWithDek,
  unwrapDek,
  wrapDek,
  wrappedDekVersion,
  type EnvelopeContext,
  type Kek,
  type KekLookup,
} from '../../src/crypto/envelope.js';
import { IntegrityError, UnknownKeyVersionError, UnsupportedFormatError } from '../../src/crypto/errors.js';

const ctx: EnvelopeContext = { table: 'records', rowId: 'rec-1', patientId: 'pat-1', field: 'body' };
const kek1: Kek = { version: 1, key: randomBytes(32) };
const kek2: Kek = { version: 2, key: randomBytes(32) };
const keyringOf =
  (...keks: Kek[]): KekLookup =>
  (version) => {
    const kek = keks.find((k) => k.version === version);
    if (kek === undefined) throw new UnknownKeyVersionError(version);
    return kek;
  };
const lookup = keyringOf(kek1, kek2);

// Payload layout offsets (see the comment at the top of src/crypto/envelope.ts).
const P = { magic: 0, version: 4, alg: 5, salt: 6, commitment: 38, nonce: 70, ciphertext: 82 } as const;
// Wrapped-DEK layout offsets (see src/crypto/dek-wrap.ts).
const W = {
  magic: 0,
  version: 4,
  alg: 5,
  kekVersion: 6,
  nonce: 10,
  encryptedDek: 22,
  tag: 54,
  length: 70,
} as const;

function flipped(bytes: Buffer, at: number, mask = 0x01): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] as number) ^ mask;
  return copy;
}

/** Runs `fn`, expecting it to throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, got a result');
}

function integrityReason(fn: () => unknown): string {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(IntegrityError);
  return (err as IntegrityError).reason;
}

function isTypedError(err: unknown): boolean {
  return (
    err instanceof IntegrityError ||
    err instanceof UnsupportedFormatError ||
    err instanceof UnknownKeyVersionError
  );
}

const contextArb: fc.Arbitrary<EnvelopeContext> = fc.record({
  table: fc.string({ unit: 'grapheme' }),
  rowId: fc.string({ unit: 'grapheme' }),
  patientId: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
  field: fc.string({ unit: 'grapheme' }),
});

describe('seal and open', () => {
  it.each([0, 1, 1024, 65536, 65537, 1024 * 1024])('round-trips %i bytes', (size) => {
    const plaintext = randomBytes(size);
    const { payload, wrappedDek } = seal(plaintext, ctx, kek1);
    expect(open(payload, wrappedDek, ctx, lookup).equals(plaintext)).toBe(true);
  });

  it('round-trips random plaintexts under random contexts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), contextArb, (plaintext, c) => {
        const { payload, wrappedDek } = seal(plaintext, c, kek2);
        expect(open(payload, wrappedDek, c, lookup).equals(Buffer.from(plaintext))).toBe(true);
      }),
    );
  });

  it('round-trips with a caller-held DEK (sealWithDek / openWithDek)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), contextArb, (plaintext, c) => {
        const dek = generateDek();
        const payload = sealWithDek(plaintext, c, dek);
        expect(openWithDek(payload, c, dek).equals(Buffer.from(plaintext))).toBe(true);
        expect(unwrapDek(wrapDek(dek, c, kek1), c, lookup).equals(dek)).toBe(true);
      }),
    );
  });

  it('opens a payload given as a Uint8Array view into a larger buffer', () => {
    const dek = generateDek();
    const payload = sealWithDek(Buffer.from('hello'), ctx, dek);
    const backing = new Uint8Array(payload.length + 10);
    backing.set(payload, 5);
    const view = backing.subarray(5, 5 + payload.length);
    expect(openWithDek(view, ctx, dek).toString()).toBe('hello');
  });

  it('draws a fresh DEK, salt and nonces each time: equal plaintexts give unrelated blobs', () => {
    const a = seal(Buffer.from('same'), ctx, kek1);
    const b = seal(Buffer.from('same'), ctx, kek1);
    expect(a.payload.equals(b.payload)).toBe(false);
    expect(a.wrappedDek.equals(b.wrappedDek)).toBe(false);
    expect(a.payload.subarray(P.salt, P.nonce + 12).equals(b.payload.subarray(P.salt, P.nonce + 12))).toBe(
      false,
    );
    expect(generateDek()).toHaveLength(32);
    expect(generateDek().equals(generateDek())).toBe(false);
  });

  it('writes self-describing blobs: magic, format version, algorithm, KEK version', () => {
    const { payload, wrappedDek } = seal(Buffer.alloc(10), ctx, kek2);
    expect(payload.subarray(0, 4).toString('latin1')).toBe('MVEP');
    expect(payload[P.version]).toBe(ENVELOPE_FORMAT_VERSION);
    expect(payload[P.alg]).toBe(1);
    expect(payload).toHaveLength(82 + 10 + 16);
    expect(wrappedDek.subarray(0, 4).toString('latin1')).toBe('MVDK');
    expect(wrappedDek).toHaveLength(W.length);
    expect(wrappedDek.readUInt32BE(W.kekVersion)).toBe(2);
    expect(wrappedDekVersion(wrappedDek)).toBe(2);
  });

  it('does not return plaintext bytes inside the payload', () => {
    const plaintext = Buffer.from('a very recognisable diagnosis text');
    const { payload } = seal(plaintext, ctx, kek1);
    expect(payload.includes(plaintext)).toBe(false);
  });
});

describe('payload tampering', () => {
  const dek = generateDek();
  const payload = sealWithDek(Buffer.from('blood type O-, allergic to penicillin'), ctx, dek);

  it('fails with a typed error when any single byte is flipped, at every position', () => {
    for (let at = 0; at < payload.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const err = thrown(() => openWithDek(flipped(payload, at, mask), ctx, dek));
        const expected = at === P.version || at === P.alg ? UnsupportedFormatError : IntegrityError;
        expect(err, `byte ${at} mask ${mask}`).toBeInstanceOf(expected);
      }
    }
  });

  it('fails if the magic is altered', () => {
    expect(integrityReason(() => openWithDek(flipped(payload, P.magic + 2), ctx, dek))).toMatch(/magic/);
  });

  it('refuses an unknown format version or algorithm (downgrade guard)', () => {
    const version = thrown(() => openWithDek(flipped(payload, P.version, 0x03), ctx, dek));
    expect(version).toBeInstanceOf(UnsupportedFormatError);
    expect(thrown(() => openWithDek(flipped(payload, P.alg, 0x02), ctx, dek))).toBeInstanceOf(
      UnsupportedFormatError,
    );
  });

  it('fails the key commitment if the salt or the commitment is altered', () => {
    expect(integrityReason(() => openWithDek(flipped(payload, P.salt + 5), ctx, dek))).toBe('key commitment');
    expect(integrityReason(() => openWithDek(flipped(payload, P.commitment + 31), ctx, dek))).toBe(
      'key commitment',
    );
  });

  it('fails authentication if the nonce, ciphertext or tag is altered', () => {
    const tagAt = payload.length - 16;
    for (const at of [P.nonce, P.nonce + 11, P.ciphertext, tagAt - 1, tagAt, payload.length - 1]) {
      expect(integrityReason(() => openWithDek(flipped(payload, at), ctx, dek))).toBe(
        'payload authentication',
      );
    }
  });

  it('fails authentication if a byte deep inside a large (multi-piece) payload is altered', () => {
    const big = sealWithDek(randomBytes(300_000), ctx, dek);
    for (const at of [P.ciphertext + 65_536, P.ciphertext + 200_001, big.length - 17]) {
      expect(integrityReason(() => openWithDek(flipped(big, at), ctx, dek))).toBe('payload authentication');
    }
  });

  it('fails with IntegrityError, never a RangeError, for every truncation and for extra bytes', () => {
    for (let length = 0; length < payload.length; length++) {
      expect(thrown(() => openWithDek(payload.subarray(0, length), ctx, dek))).toBeInstanceOf(IntegrityError);
    }
    const extended = Buffer.concat([payload, Buffer.from([0])]);
    expect(thrown(() => openWithDek(extended, ctx, dek))).toBeInstanceOf(IntegrityError);
  });

  it('fails with a typed error on arbitrary garbage, including garbage behind a valid prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, withPrefix) => {
        const blob = withPrefix ? Buffer.concat([payload.subarray(0, 6), bytes]) : Buffer.from(bytes);
        expect(isTypedError(thrown(() => openWithDek(blob, ctx, dek)))).toBe(true);
        expect(isTypedError(thrown(() => open(blob, blob, ctx, lookup)))).toBe(true);
      }),
    );
  });
});

describe('wrapped DEK tampering', () => {
  const dek = generateDek();
  const wrapped = wrapDek(dek, ctx, kek1);

  it('fails with a typed error when any single byte is flipped, at every position', () => {
    for (let at = 0; at < wrapped.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const err = thrown(() => unwrapDek(flipped(wrapped, at, mask), ctx, lookup));
        expect(isTypedError(err), `byte ${at} mask ${mask}: ${String(err)}`).toBe(true);
        if (at >= W.nonce) expect(err).toBeInstanceOf(IntegrityError);
      }
    }
  });

  it('fails if the header (magic, version, algorithm) is altered', () => {
    expect(thrown(() => unwrapDek(flipped(wrapped, W.magic), ctx, lookup))).toBeInstanceOf(IntegrityError);
    expect(thrown(() => unwrapDek(flipped(wrapped, W.version), ctx, lookup))).toBeInstanceOf(
      UnsupportedFormatError,
    );
    expect(thrown(() => unwrapDek(flipped(wrapped, W.alg), ctx, lookup))).toBeInstanceOf(
      UnsupportedFormatError,
    );
  });

  it('fails if the nonce, encrypted DEK or tag is altered', () => {
    for (const at of [W.nonce, W.encryptedDek, W.encryptedDek + 31, W.tag, W.length - 1]) {
      expect(integrityReason(() => unwrapDek(flipped(wrapped, at), ctx, lookup))).toBe(
        'wrapped DEK authentication',
      );
    }
  });

  it('fails if the KEK version it names is changed, whether or not the keyring has that version', () => {
    const renamed = Buffer.from(wrapped);
    renamed.writeUInt32BE(2, W.kekVersion);
    expect(integrityReason(() => unwrapDek(renamed, ctx, lookup))).toBe('wrapped DEK authentication');
    renamed.writeUInt32BE(77, W.kekVersion);
    expect(thrown(() => unwrapDek(renamed, ctx, lookup))).toBeInstanceOf(UnknownKeyVersionError);
    renamed.writeUInt32BE(0, W.kekVersion);
    expect(thrown(() => unwrapDek(renamed, ctx, lookup))).toBeInstanceOf(IntegrityError);
  });

  it('fails if the KEK version is changed even when that version holds the same key bytes (header in AAD)', () => {
    const sameKeyEverywhere: KekLookup = (version) => ({ version, key: kek1.key });
    const renamed = Buffer.from(wrapped);
    renamed.writeUInt32BE(5, W.kekVersion);
    expect(unwrapDek(wrapped, ctx, sameKeyEverywhere).equals(dek)).toBe(true);
    expect(integrityReason(() => unwrapDek(renamed, ctx, sameKeyEverywhere))).toBe(
      'wrapped DEK authentication',
    );
  });

  it('fails if a keyring has a different key under the same version', () => {
    const impostor = keyringOf({ version: 1, key: randomBytes(32) });
    expect(integrityReason(() => unwrapDek(wrapped, ctx, impostor))).toBe('wrapped DEK authentication');
  });

  it('parse-checks the blob before naming its KEK version', () => {
    for (let length = 0; length < W.length; length++) {
      expect(thrown(() => wrappedDekVersion(wrapped.subarray(0, length)))).toBeInstanceOf(IntegrityError);
      expect(thrown(() => unwrapDek(wrapped.subarray(0, length), ctx, lookup))).toBeInstanceOf(
        IntegrityError,
      );
    }
    expect(thrown(() => wrappedDekVersion(Buffer.concat([wrapped, Buffer.alloc(1)])))).toBeInstanceOf(
      IntegrityError,
    );
    expect(thrown(() => wrappedDekVersion(flipped(wrapped, W.magic)))).toBeInstanceOf(IntegrityError);
    expect(thrown(() => wrappedDekVersion(flipped(wrapped, W.version)))).toBeInstanceOf(
      UnsupportedFormatError,
    );
  });
});

describe('context binding', () => {
  const others: [string, EnvelopeContext][] = [
    ['another table', { ...ctx, table: 'notes' }],
    ['another row', { ...ctx, rowId: 'rec-2' }],
    ['another patient', { ...ctx, patientId: 'pat-2' }],
    ['no patient', { ...ctx, patientId: null }],
    ['another field', { ...ctx, field: 'title' }],
  ];
  const { payload, wrappedDek } = seal(Buffer.from('diagnosis'), ctx, kek1);
  const dek = unwrapDek(wrappedDek, ctx, lookup);

  it.each(others)('fails to open a payload moved to %s', (_name, other) => {
    expect(integrityReason(() => openWithDek(payload, other, dek))).toBe('payload authentication');
  });

  it.each(others)('fails to unwrap a DEK moved to %s', (_name, other) => {
    expect(integrityReason(() => unwrapDek(wrappedDek, other, lookup))).toBe('wrapped DEK authentication');
    expect(thrown(() => open(payload, wrappedDek, other, lookup))).toBeInstanceOf(IntegrityError);
  });

  it('fails when a payload is paired with another object’s wrapped DEK', () => {
    const other = seal(Buffer.from('other'), ctx, kek1);
    expect(integrityReason(() => open(payload, other.wrappedDek, ctx, lookup))).toBe('key commitment');
  });

  it('treats patientId null and "" as different contexts', () => {
    const nullCtx = { ...ctx, patientId: null };
    const emptyCtx = { ...ctx, patientId: '' };
    const a = seal(Buffer.from('x'), nullCtx, kek1);
    const b = seal(Buffer.from('x'), emptyCtx, kek1);
    expect(open(a.payload, a.wrappedDek, nullCtx, lookup).toString()).toBe('x');
    expect(open(b.payload, b.wrappedDek, emptyCtx, lookup).toString()).toBe('x');
    expect(thrown(() => open(a.payload, a.wrappedDek, emptyCtx, lookup))).toBeInstanceOf(IntegrityError);
    expect(thrown(() => open(b.payload, b.wrappedDek, nullCtx, lookup))).toBeInstanceOf(IntegrityError);
  });

  it('encodes fields unambiguously: shifting characters between fields is a different context', () => {
    const a: EnvelopeContext = { table: 'ab', rowId: 'c', patientId: 'd', field: 'e' };
    const shifted: EnvelopeContext[] = [
      { table: 'a', rowId: 'bc', patientId: 'd', field: 'e' },
      { table: 'ab', rowId: '', patientId: 'cd', field: 'e' },
      { table: 'ab', rowId: 'c', patientId: '', field: 'de' },
      { table: 'ab', rowId: 'c', patientId: null, field: 'de' },
    ];
    const sealed = seal(Buffer.from('x'), a, kek1);
    for (const other of shifted) {
      expect(thrown(() => open(sealed.payload, sealed.wrappedDek, other, lookup))).toBeInstanceOf(
        IntegrityError,
      );
    }
  });

  it('opens only under the exact context it was sealed with (property)', () => {
    fc.assert(
      fc.property(contextArb, contextArb, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        const sealed = seal(Buffer.from('x'), a, kek1);
        expect(thrown(() => open(sealed.payload, sealed.wrappedDek, b, lookup))).toBeInstanceOf(
          IntegrityError,
        );
      }),
    );
  });

  it('refuses a context string with a lone surrogate (its UTF-8 would be ambiguous)', () => {
    expect(() => seal(Buffer.from('x'), { ...ctx, rowId: 'a\uD800' }, kek1)).toThrow(TypeError);
  });
});

describe('key commitment', () => {
  const dek = generateDek();
  const payload = sealWithDek(Buffer.from('secret'), ctx, dek);

  it('fails with "key commitment", before decryption, under a different DEK', () => {
    expect(integrityReason(() => openWithDek(payload, ctx, generateDek()))).toBe('key commitment');
  });

  it('fails with "key commitment" under a DEK one bit away', () => {
    expect(integrityReason(() => openWithDek(payload, ctx, flipped(dek, 0)))).toBe('key commitment');
  });

  it('fails with "key commitment" when the stored commitment is replaced by another key’s', () => {
    const other = sealWithDek(Buffer.from('secret'), ctx, generateDek());
    const forged = Buffer.from(payload);
    other.copy(forged, P.commitment, P.commitment, P.nonce);
    expect(integrityReason(() => openWithDek(forged, ctx, dek))).toBe('key commitment');
  });
});

describe('rewrapDek (key rotation)', () => {
  it('names the new KEK version, unwraps to the same DEK, and leaves the payload untouched', () => {
    const plaintext = Buffer.from('lab results');
    const { payload, wrappedDek } = seal(plaintext, ctx, kek1);
    const payloadBefore = Buffer.from(payload);
    const rewrapped = rewrapDek(wrappedDek, ctx, lookup, kek2);
    expect(wrappedDekVersion(rewrapped)).toBe(2);
    expect(unwrapDek(rewrapped, ctx, lookup).equals(unwrapDek(wrappedDek, ctx, lookup))).toBe(true);
    expect(payload.equals(payloadBefore)).toBe(true);
    expect(open(payload, rewrapped, ctx, lookup).equals(plaintext)).toBe(true);
    // Once KEK 1 is retired, only the re-wrapped DEK opens the payload.
    const onlyV2 = keyringOf(kek2);
    expect(open(payload, rewrapped, ctx, onlyV2).equals(plaintext)).toBe(true);
    expect(thrown(() => open(payload, wrappedDek, ctx, onlyV2))).toBeInstanceOf(UnknownKeyVersionError);
  });

  it('refuses to re-wrap a DEK presented under another context', () => {
    const { wrappedDek } = seal(Buffer.from('x'), ctx, kek1);
    expect(thrown(() => rewrapDek(wrappedDek, { ...ctx, rowId: 'rec-9' }, lookup, kek2))).toBeInstanceOf(
      IntegrityError,
    );
  });
});

describe('argument checks (programming errors, not attacks)', () => {
  it('refuses a DEK or KEK that is not 32 bytes, and a KEK version outside 1..2^32-1', () => {
    expect(() => sealWithDek(Buffer.from('x'), ctx, Buffer.alloc(16))).toThrow(TypeError);
    expect(() => openWithDek(Buffer.alloc(100), ctx, Buffer.alloc(31))).toThrow(TypeError);
    expect(() => wrapDek(generateDek(), ctx, { version: 1, key: Buffer.alloc(24) })).toThrow(TypeError);
    for (const version of [0, -1, 1.5, 2 ** 32]) {
      expect(() => wrapDek(generateDek(), ctx, { version, key: randomBytes(32) })).toThrow(TypeError);
    }
    expect(
      wrappedDekVersion(wrapDek(generateDek(), ctx, { version: 2 ** 32 - 1, key: randomBytes(32) })),
    ).toBe(2 ** 32 - 1);
  });

  it('refuses a keyring that answers with another version than asked', () => {
    const wrapped = wrapDek(generateDek(), ctx, kek1);
    expect(() => unwrapDek(wrapped, ctx, () => kek2)).toThrow(TypeError);
  });
});
