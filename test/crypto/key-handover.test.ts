import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint, verifierKeyString } from '../../src/crypto/checkpoint.js';
import { IntegrityError } from '../../src/crypto/errors.js';
import { CheckpointKeyChain, parseHandover, signHandover } from '../../src/crypto/key-handover.js';

const origin = 'medvault/0a1b2c3d';
const key = (): KeyObject => generateKeyPairSync('ed25519').privateKey;
const vkey = (k: KeyObject): string => verifierKeyString(origin, createPublicKey(k));
const checkpoint = (k: KeyObject, treeSize: number, log = origin): string =>
  signCheckpoint(
    formatCheckpoint({
      origin: log,
      treeSize,
      rootHash: Buffer.alloc(32, treeSize),
      timestamp: 1_700_000_000,
    }),
    log,
    k,
  );
const handover = (
  from: KeyObject,
  to: KeyObject,
  generation: number,
  treeSize: number,
  log = origin,
): string => signHandover({ origin: log, generation, treeSize, timestamp: 1_700_000_100 }, from, to);

describe('checkpoint signing key handover', () => {
  const k1 = key();
  const k2 = key();
  const k3 = key();
  const chain = CheckpointKeyChain.follow(vkey(k1), [handover(k1, k2, 2, 10), handover(k2, k3, 3, 25)]);

  it('follows the chain: old checkpoints still verify, new ones verify, each within its key span', () => {
    expect(chain.keys.map((k) => [k.generation, k.fromSize, k.toSize])).toEqual([
      [1, 0, 10],
      [2, 10, 25],
      [3, 25, null],
    ]);
    expect(chain.current.verifierKey).toBe(vkey(k3));
    expect(chain.verify(checkpoint(k1, 4)).treeSize).toBe(4);
    expect(chain.verify(checkpoint(k1, 10)).treeSize).toBe(10);
    expect(chain.verify(checkpoint(k2, 10)).treeSize).toBe(10);
    expect(chain.verify(checkpoint(k2, 20)).treeSize).toBe(20);
    expect(chain.verify(checkpoint(k3, 1000)).treeSize).toBe(1000);
  });

  it('refuses a checkpoint signed by a key that was never handed over', () => {
    expect(() => chain.verify(checkpoint(key(), 30))).toThrow(IntegrityError);
    expect(() => chain.verify(checkpoint(key(), 30))).toThrow(/no signature by the expected key/);
  });

  it('refuses an old key signing past its handover (a leaked retired key), and a new key before it', () => {
    expect(() => chain.verify(checkpoint(k1, 11))).toThrow(
      /signed by key generation 1, which signs sizes 0..10/,
    );
    expect(() => chain.verify(checkpoint(k3, 24))).toThrow(/generation 3, which signs sizes 25../);
  });

  it('refuses another log’s checkpoint signed by a key of the chain', () => {
    expect(() => chain.verify(checkpoint(k3, 30, 'medvault/ffffffff'))).toThrow(IntegrityError);
  });

  it('breaks at a statement not signed by the previous key, or not by the key it names', () => {
    const mallory = key();
    expect(() => CheckpointKeyChain.follow(vkey(k1), [handover(mallory, k2, 2, 10)])).toThrow(
      /no signature by the expected key/,
    );
    // Only the old key's signature (the new key's line removed): possession of the new key unproven.
    const statement = handover(k1, k2, 2, 10);
    const onlyOld = statement.slice(0, statement.trimEnd().lastIndexOf('\n') + 1);
    expect(() => CheckpointKeyChain.follow(vkey(k1), [onlyOld])).toThrow(IntegrityError);
    // A byte of the body changed.
    expect(() => CheckpointKeyChain.follow(vkey(k1), [statement.replace('size 10', 'size 11')])).toThrow(
      /signed note signature/,
    );
  });

  it('breaks at a skipped generation, a size that goes back, or another log', () => {
    expect(() => CheckpointKeyChain.follow(vkey(k1), [handover(k1, k2, 3, 10)])).toThrow(
      /generation 3 after 1/,
    );
    expect(() =>
      CheckpointKeyChain.follow(vkey(k1), [handover(k1, k2, 2, 10), handover(k2, k3, 3, 5)]),
    ).toThrow(/size goes back/);
    expect(() => CheckpointKeyChain.follow(vkey(k1), [handover(k1, k2, 2, 10, 'medvault/ffffffff')])).toThrow(
      /another log/,
    );
    expect(() => CheckpointKeyChain.follow(vkey(k1), ['not a note\n'])).toThrow(/not a signed note/);
  });

  it('reads the statement it writes, and refuses malformed fields', () => {
    expect(parseHandover(handover(k1, k2, 2, 10))).toEqual({
      origin,
      generation: 2,
      treeSize: 10,
      newKey: vkey(k2),
      timestamp: 1_700_000_100,
    });
    expect(() => handover(k1, k2, 1, 10)).toThrow(/generation 2 or later/);
    expect(() => handover(k1, k2, 2, -1)).toThrow(/size must be a whole number/);
    const note = checkpoint(k1, 3);
    expect(() => parseHandover(note)).toThrow(/handover statement body/);
  });
});
