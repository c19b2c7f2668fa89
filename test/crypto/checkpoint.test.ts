import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointFormatError,
  formatCheckpoint,
  parseCheckpointBody,
  parseSignedCheckpoint,
  parseSignedNote,
  parseVerifierKey,
  signCheckpoint,
  signNote,
  verifierKeyString,
  verifyNote,
  verifySignedCheckpoint,
  type Checkpoint,
} from '../../src/crypto/checkpoint.js';
import { IntegrityError, UnsupportedFormatError } from '../../src/crypto/errors.js';

const ORIGIN = 'medvault.example/audit';
const ROOT = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
const HEAD: Checkpoint = { origin: ORIGIN, treeSize: 8, rootHash: ROOT, timestamp: 1714000000 };

const ledger = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const LEDGER_VKEY = verifierKeyString(ORIGIN, ledger.publicKey);

function signedHead(head: Checkpoint = HEAD, key: KeyObject = ledger.privateKey, name = ORIGIN): string {
  return signCheckpoint(formatCheckpoint(head), name, key);
}

// golang.org/x/mod/sumdb/note, package documentation: a key pair and a note it signed. Ed25519 is
// deterministic, so our signer must reproduce the note byte for byte.
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE =
  GO_TEXT +
  '\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

function goPrivateKey(): KeyObject {
  // PRIVATE+KEY+<name>+<hash>+base64(0x01 || 32-byte seed); the base64 itself holds a '+'.
  const material = Buffer.from(GO_SKEY.split('+').slice(4).join('+'), 'base64');
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, material.subarray(1)]),
    format: 'der',
    type: 'pkcs8',
  });
}

describe('checkpoint body (C2SP tlog-checkpoint)', () => {
  it('is origin, size, base64 root and one time line', () => {
    expect(formatCheckpoint(HEAD)).toBe(
      'medvault.example/audit\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntime 1714000000\n',
    );
  });

  it('parses back to the same head, for any head', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9.\-/]{1,40}$/),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 99_999_999_999 }),
        (origin, treeSize, root, timestamp) => {
          const head = { origin, treeSize, rootHash: Buffer.from(root), timestamp };
          expect(parseCheckpointBody(formatCheckpoint(head))).toEqual(head);
        },
      ),
    );
  });

  it.each([
    ['an empty origin', { ...HEAD, origin: '' }],
    ['an origin with a newline', { ...HEAD, origin: 'a\nb' }],
    ['an origin with a control character', { ...HEAD, origin: 'a\tb' }],
    ['a negative size', { ...HEAD, treeSize: -1 }],
    ['a fractional size', { ...HEAD, treeSize: 1.5 }],
    ['a size beyond 2^53', { ...HEAD, treeSize: 2 ** 53 }],
    ['a 31-byte root', { ...HEAD, rootHash: ROOT.subarray(1) }],
    ['a timestamp in milliseconds', { ...HEAD, timestamp: 1714000000000 }],
    ['a negative timestamp', { ...HEAD, timestamp: -1 }],
  ])('refuses to format %s', (_, head) => {
    expect(() => formatCheckpoint(head)).toThrow(CheckpointFormatError);
  });
});

describe('signed checkpoints (C2SP signed-note, Ed25519)', () => {
  it('round-trips: sign, then verify, gives the same head', () => {
    expect(verifySignedCheckpoint(signedHead(), LEDGER_VKEY)).toEqual(HEAD);
    expect(verifySignedCheckpoint(signedHead(), parseVerifierKey(LEDGER_VKEY), { origin: ORIGIN })).toEqual(
      HEAD,
    );
  });

  it('has the signed-note layout: body, blank line, em dash line with key hash and signature', () => {
    const text = signedHead();
    expect(text).toMatch(
      /^medvault\.example\/audit\n8\n\S{44}\ntime 1714000000\n\n\u2014 medvault\.example\/audit \S+\n$/,
    );
    const parsed = parseSignedCheckpoint(text);
    expect(parsed.checkpoint).toEqual(HEAD);
    expect(parsed.body).toBe(formatCheckpoint(HEAD));
    expect(parsed.signatures).toHaveLength(1);
    const [sig] = parsed.signatures;
    expect(sig?.keyName).toBe(ORIGIN);
    expect(sig?.keyId.equals(parseVerifierKey(LEDGER_VKEY).keyId)).toBe(true);
    expect(sig?.signature).toHaveLength(64);
  });

  it('fails if any single character of the note is altered', () => {
    const text = signedHead();
    const accepted: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Flip a low bit; the em dash becomes a hyphen, which has no such neighbour.
      const altered =
        text.slice(0, i) + (c === 0x2014 ? '-' : String.fromCharCode(c ^ 1)) + text.slice(i + 1);
      try {
        verifySignedCheckpoint(altered, LEDGER_VKEY);
        accepted.push(i);
      } catch (e) {
        expect(e).toBeInstanceOf(IntegrityError);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('fails if the signature bytes are altered, even keeping the key hash', () => {
    const text = signedHead();
    const { signatures } = parseSignedCheckpoint(text);
    const sig = signatures[0];
    if (sig === undefined) throw new Error('unreachable');
    for (const bit of [0, 100, 511]) {
      const forged = Buffer.from(sig.signature);
      forged[bit >> 3] = (forged[bit >> 3] as number) ^ (1 << (bit & 7));
      const line = `\u2014 ${ORIGIN} ${Buffer.concat([sig.keyId, forged]).toString('base64')}\n`;
      const altered = `${formatCheckpoint(HEAD)}\n${line}`;
      expect(() => verifySignedCheckpoint(altered, LEDGER_VKEY)).toThrow(IntegrityError);
    }
  });

  it('fails under another key with the same name', () => {
    const strangerVkey = verifierKeyString(ORIGIN, stranger.publicKey);
    expect(() => verifySignedCheckpoint(signedHead(), strangerVkey)).toThrow(IntegrityError);
    expect(() => verifySignedCheckpoint(signedHead(HEAD, stranger.privateKey), LEDGER_VKEY)).toThrow(
      /no signature by the expected key/,
    );
  });

  it('rejects a note signed only under another key name, even with the right key', () => {
    const text = signedHead(HEAD, ledger.privateKey, 'someone-else');
    expect(() => verifySignedCheckpoint(text, LEDGER_VKEY)).toThrow(IntegrityError);
  });

  it('ignores signatures by other keys (cosignatures) next to a valid one', () => {
    const ours = signedHead();
    const theirs = signedHead(HEAD, stranger.privateKey, 'witness.example');
    const cosigned = ours + (theirs.split('\n\n')[1] as string);
    expect(parseSignedCheckpoint(cosigned).signatures).toHaveLength(2);
    expect(verifySignedCheckpoint(cosigned, LEDGER_VKEY)).toEqual(HEAD);
  });

  it('refuses a checkpoint of another origin when the origin is given', () => {
    expect(() => verifySignedCheckpoint(signedHead(), LEDGER_VKEY, { origin: 'other.example/log' })).toThrow(
      IntegrityError,
    );
  });

  it('turns malformed text into an IntegrityError when verifying', () => {
    for (const text of ['', 'garbage', formatCheckpoint(HEAD), `${signedHead()}\n`]) {
      expect(() => verifySignedCheckpoint(text, LEDGER_VKEY)).toThrow(IntegrityError);
    }
  });

  it('refuses to sign a malformed body or with a key that is not Ed25519', () => {
    expect(() => signCheckpoint('origin\n8\n', ORIGIN, ledger.privateKey)).toThrow(CheckpointFormatError);
    expect(() => signCheckpoint(formatCheckpoint(HEAD), 'bad name', ledger.privateKey)).toThrow(
      CheckpointFormatError,
    );
    expect(() => signCheckpoint(formatCheckpoint(HEAD), ORIGIN, ledger.publicKey)).toThrow(TypeError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signCheckpoint(formatCheckpoint(HEAD), ORIGIN, ec.privateKey)).toThrow(TypeError);
  });

  describe('parse errors are typed', () => {
    const body = formatCheckpoint(HEAD);
    const good = signedHead();
    const sigLine = good.slice(body.length + 1);
    const b64Root = ROOT.toString('base64');
    it.each([
      ['no signature block', body],
      ['a blank line but no signatures', `${body}\n`],
      ['no final newline', good.slice(0, -1)],
      ['a hyphen for the em dash', `${body}\n${sigLine.replace('\u2014', '-')}`],
      ['a signature line without a signature', `${body}\n\u2014 ${ORIGIN}\n`],
      ['a signature too short for a key hash', `${body}\n\u2014 ${ORIGIN} AAAA\n`],
      ['a signature in unpadded base64', `${body}\n${sigLine.replace('=\n', '\n')}`],
      ['a carriage return', good.replace('\n8\n', '\r\n8\n')],
      ['a NUL character', good.replace('time', 'ti\u0000me')],
      ['a lone surrogate', good.replace('medvault', 'med\ud800vault')],
      ['the same signature twice', `${good}${sigLine}`],
      [
        '101 signatures',
        `${body}\n${Array.from({ length: 101 }, (_, i) => `\u2014 k${i} AAAAAAAA\n`).join('')}`,
      ],
      ['a size with a leading zero', good.replace('\n8\n', '\n08\n')],
      ['a signed size', good.replace('\n8\n', '\n+8\n')],
      ['a size beyond 2^53', good.replace('\n8\n', '\n9007199254740993\n')],
      ['a root in base64url', good.replace(b64Root, ROOT.toString('base64url'))],
      ['a 31-byte root', good.replace(b64Root, ROOT.subarray(1).toString('base64'))],
      ['a root with stray bits', good.replace(b64Root, b64Root.replace('yg=', 'yh='))],
      ['no time line', good.replace('time 1714000000\n', '')],
      ['a time line in milliseconds', good.replace('time 1714000000', 'time 1714000000000')],
      ['an extra extension line', good.replace('time 1714000000\n', 'time 1714000000\nother\n')],
      ['an empty origin', good.replace(ORIGIN, '')],
    ])('%s', (_, text) => {
      expect(() => parseSignedCheckpoint(text)).toThrow(CheckpointFormatError);
    });
  });
});

describe('signed-note interoperability and verifier keys', () => {
  it('computes the key hash and key string of the Go note package', () => {
    expect(verifierKeyString('PeterNeumann', createPublicKey(goPrivateKey()))).toBe(GO_VKEY);
    const key = parseVerifierKey(GO_VKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId.toString('hex')).toBe('c74f20a3');
  });

  it('signs a note exactly as the Go note package does, and verifies its note', () => {
    expect(signNote(GO_TEXT, 'PeterNeumann', goPrivateKey())).toBe(GO_NOTE);
    expect(verifyNote(GO_NOTE, GO_VKEY)).toBe(GO_TEXT);
    expect(parseSignedNote(GO_NOTE).body).toBe(GO_TEXT);
    expect(() => verifyNote(GO_NOTE.replace('cryptography', 'cryptographY'), GO_VKEY)).toThrow(
      IntegrityError,
    );
  });

  it('round-trips a verifier key string', () => {
    const key = parseVerifierKey(LEDGER_VKEY);
    expect(LEDGER_VKEY).toMatch(/^medvault\.example\/audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(verifierKeyString(key.name, key.publicKey)).toBe(LEDGER_VKEY);
  });

  it.each([
    ['no separators', 'PeterNeumann'],
    ['one separator', 'PeterNeumann+c74f20a3'],
    ['an empty name', '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a name with a space', 'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a hash that does not match', 'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['an upper-case hash', 'PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a short hash', 'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a renamed key', 'PaulNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'],
    ['a truncated key', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10='],
    ['a key that is not base64', 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T!'],
    ['an empty key', 'PeterNeumann+c74f20a3+'],
  ])('refuses a verifier key with %s', (_, text) => {
    expect(() => parseVerifierKey(text)).toThrow(CheckpointFormatError);
  });

  it('refuses a verifier key of an unknown algorithm as unsupported', () => {
    const material = Buffer.concat([Buffer.from([0x02]), Buffer.alloc(32, 7)]).toString('base64');
    expect(() => parseVerifierKey(`PeterNeumann+c74f20a3+${material}`)).toThrow(UnsupportedFormatError);
  });

  it('refuses to make a key string from a private or non-Ed25519 key', () => {
    expect(() => verifierKeyString(ORIGIN, ledger.privateKey)).toThrow(TypeError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => verifierKeyString(ORIGIN, ec.publicKey)).toThrow(TypeError);
    expect(() => verifierKeyString('a+b', ledger.publicKey)).toThrow(CheckpointFormatError);
  });
});
