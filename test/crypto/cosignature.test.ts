import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint } from '../../src/crypto/checkpoint.js';
import {
  cosign,
  cosignerVerifierKey,
  parseCosignerKey,
  verifyCosignature,
} from '../../src/crypto/cosignature.js';
import { IntegrityError, UnsupportedFormatError } from '../../src/crypto/errors.js';

const LOG = generateKeyPairSync('ed25519');
const WITNESS = generateKeyPairSync('ed25519');
const NAME = 'witness.example/w1';
const body = (size = 8, root = 7) =>
  formatCheckpoint({
    origin: 'medvault/test',
    treeSize: size,
    rootHash: Buffer.alloc(32, root),
    timestamp: 1_714_000_000,
  });
const note = (size?: number, root?: number) =>
  signCheckpoint(body(size, root), 'medvault/test', LOG.privateKey);
const KEY = parseCosignerKey(cosignerVerifierKey(NAME, WITNESS.publicKey));

describe('C2SP tlog-cosignature (Ed25519 cosignature/v1)', () => {
  it('signs "cosignature/v1\\ntime <t>\\n" + the checkpoint body, with key ID over 0x04 and a big-endian time', () => {
    const line = cosign(body(), NAME, WITNESS.privateKey, 1_679_315_147);
    expect(line).toMatch(new RegExp(`^\u2014 ${NAME.replace('/', '\\/')} [A-Za-z0-9+/=]+\n$`));
    const blob = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    expect(blob.length).toBe(4 + 8 + 64);
    const raw = Buffer.from(String(WITNESS.publicKey.export({ format: 'jwk' }).x), 'base64url');
    const keyId = createHash('sha256')
      .update(`${NAME}\n`)
      .update(Buffer.from([0x04]))
      .update(raw)
      .digest()
      .subarray(0, 4);
    expect(blob.subarray(0, 4)).toEqual(keyId);
    expect(blob.readBigUInt64BE(4)).toBe(1_679_315_147n);
    const message = Buffer.from(`cosignature/v1\ntime 1679315147\n${body()}`);
    expect(verify(null, message, WITNESS.publicKey, blob.subarray(12))).toBe(true);
  });

  it('verifies a cosignature on the checkpoint and states when it was made', () => {
    const cosigned = note() + cosign(body(), NAME, WITNESS.privateKey, 1_700_000_000);
    expect(verifyCosignature(cosigned, KEY)).toEqual({ witness: NAME, timestamp: 1_700_000_000 });
  });

  it('fails if one bit of the cosignature is changed (a forged cosignature is never skipped)', () => {
    const line = cosign(body(), NAME, WITNESS.privateKey, 1_700_000_000);
    const blob = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    blob[40] = (blob[40] as number) ^ 1;
    const forged = `${note()}\u2014 ${NAME} ${blob.toString('base64')}\n`;
    expect(() => verifyCosignature(forged, KEY)).toThrow(IntegrityError);
  });

  it('fails if the time is changed: the timestamp is signed', () => {
    const line = cosign(body(), NAME, WITNESS.privateKey, 1_700_000_000);
    const blob = Buffer.from(line.trim().split(' ')[2] as string, 'base64');
    blob.writeBigUInt64BE(1_800_000_000n, 4);
    expect(() => verifyCosignature(`${note()}\u2014 ${NAME} ${blob.toString('base64')}\n`, KEY)).toThrow(
      /does not verify/,
    );
  });

  it('fails if the cosignature was made for another checkpoint (moved onto a rolled-back one)', () => {
    const line = cosign(body(8, 7), NAME, WITNESS.privateKey, 1_700_000_000);
    expect(() => verifyCosignature(note(5, 7) + line, KEY)).toThrow(IntegrityError);
    expect(() => verifyCosignature(note(8, 9) + line, KEY)).toThrow(IntegrityError);
  });

  it('fails if the cosignature is by another key under the same name, or missing', () => {
    const other = generateKeyPairSync('ed25519');
    const line = cosign(body(), NAME, other.privateKey, 1_700_000_000);
    expect(() => verifyCosignature(note() + line, KEY)).toThrow(/no cosignature by/);
    expect(() => verifyCosignature(note(), KEY)).toThrow(/no cosignature by/);
  });

  it('refuses a plain signed-note key (type 0x01) as a witness key, and a key ID that does not match', () => {
    const vkey = cosignerVerifierKey(NAME, WITNESS.publicKey);
    // The base64 key may itself hold '+': only the first two delimit the name and the key ID.
    const first = vkey.indexOf('+');
    const second = vkey.indexOf('+', first + 1);
    const [name, id, material] = [
      vkey.slice(0, first),
      vkey.slice(first + 1, second),
      vkey.slice(second + 1),
    ];
    const asNoteKey = Buffer.from(material, 'base64');
    asNoteKey[0] = 0x01;
    expect(() => parseCosignerKey(`${name}+${id}+${asNoteKey.toString('base64')}`)).toThrow(
      UnsupportedFormatError,
    );
    expect(() => parseCosignerKey(`${name}+00000000+${material}`)).toThrow(/key ID/);
  });
});
