import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { witnessStep, type WitnessState } from '../../src/app/audit/witness.js';
import { formatCheckpoint, signCheckpoint, verifierKeyString } from '../../src/crypto/checkpoint.js';
import { leafHash, rootFromLeafHashes } from '../../src/crypto/merkle.js';
import { consistencyProofFromLeaves } from '../../src/crypto/merkle-reference.js';

const ORIGIN = 'medvault/test';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const KEY = verifierKeyString(ORIGIN, publicKey);

const leaves = (names: string[]) => names.map((n) => leafHash(Buffer.from(n)));
const note = (ls: Buffer[], origin = ORIGIN, priv = privateKey) =>
  signCheckpoint(
    formatCheckpoint({
      origin,
      treeSize: ls.length,
      rootHash: rootFromLeafHashes(ls),
      timestamp: 1_714_000_000,
    }),
    origin,
    priv,
  );
const proof = (ls: Buffer[], from: number) =>
  consistencyProofFromLeaves(ls, from, ls.length).map((h) => h.toString('base64'));

function accept(ls: Buffer[]): WitnessState {
  const v = witnessStep(undefined, { note: note(ls), verifierKey: KEY }, undefined);
  if (!v.ok) throw new Error(v.message);
  return v.state;
}

describe('audit witness', () => {
  const log = leaves(['a', 'b', 'c', 'd', 'e', 'f', 'g']);

  it('accepts the first checkpoint (trust on first use) and a log that only grew', () => {
    const first = accept(log.slice(0, 3));
    expect(first.treeSize).toBe(3);
    const next = witnessStep(first, { note: note(log), verifierKey: KEY }, proof(log, 3));
    expect(next).toMatchObject({ ok: true, message: 'consistent: 3 → 7 entries' });
  });

  it('accepts an unchanged log', () => {
    const first = accept(log);
    expect(witnessStep(first, { note: note(log), verifierKey: KEY }, undefined).ok).toBe(true);
  });

  it('catches a rollback to a smaller tree', () => {
    const first = accept(log);
    const v = witnessStep(first, { note: note(log.slice(0, 5)), verifierKey: KEY }, undefined);
    expect(v).toMatchObject({ ok: false });
    expect(v.message).toMatch(/^rollback: the log shows 5 entries but this witness saw 7/);
  });

  it('catches a fork: same size, another root', () => {
    const first = accept(log.slice(0, 4));
    const forked = leaves(['a', 'b', 'X', 'd']);
    const v = witnessStep(first, { note: note(forked), verifierKey: KEY }, undefined);
    expect(v.message).toMatch(/^fork: the same size 4/);
  });

  it('catches a fork that grew: the larger log does not extend the one seen', () => {
    const first = accept(log.slice(0, 3));
    const forked = leaves(['a', 'X', 'c', 'd', 'e']);
    const v = witnessStep(first, { note: note(forked), verifierKey: KEY }, proof(forked, 3));
    expect(v).toMatchObject({ ok: false });
    expect(v.message).toMatch(/^fork: the log of 5 entries does not extend the one of 3/);
  });

  it('refuses a missing or truncated consistency proof', () => {
    const first = accept(log.slice(0, 3));
    expect(witnessStep(first, { note: note(log), verifierKey: KEY }, undefined).ok).toBe(false);
    expect(witnessStep(first, { note: note(log), verifierKey: KEY }, proof(log, 3).slice(1)).ok).toBe(false);
  });

  it('refuses a checkpoint signed by another key, or a key swapped by the server', () => {
    const first = accept(log.slice(0, 3));
    const other = generateKeyPairSync('ed25519');
    const forged = note(log, ORIGIN, other.privateKey);
    expect(witnessStep(first, { note: forged, verifierKey: KEY }, proof(log, 3)).message).toMatch(
      /does not verify/,
    );
    const otherKey = verifierKeyString(ORIGIN, other.publicKey);
    expect(witnessStep(first, { note: forged, verifierKey: otherKey }, proof(log, 3)).message).toMatch(
      /different public key/,
    );
  });

  it('refuses a checkpoint altered in transit', () => {
    const first = accept(log.slice(0, 3));
    const altered = note(log).replace('\n7\n', '\n8\n');
    expect(witnessStep(first, { note: altered, verifierKey: KEY }, proof(log, 3)).ok).toBe(false);
  });
});
