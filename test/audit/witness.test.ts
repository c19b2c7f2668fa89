import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { witnessStep, type WitnessState } from '../../src/app/audit/witness.js';
import { formatCheckpoint, signCheckpoint, verifierKeyString } from '../../src/crypto/checkpoint.js';
import { signHandover } from '../../src/crypto/key-handover.js';
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

/** `audit watch` across key handovers: it follows the chain from the first key it trusted. */
describe('audit witness following key handovers', () => {
  const log = leaves(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  const second = generateKeyPairSync('ed25519');
  const SECOND = verifierKeyString(ORIGIN, second.publicKey);
  const mallory = generateKeyPairSync('ed25519');
  const MALLORY = verifierKeyString(ORIGIN, mallory.publicKey);
  const handover = (size: number, oldKey = privateKey, newKey = second.privateKey, time = 1_714_000_100) =>
    signHandover({ origin: ORIGIN, generation: 2, treeSize: size, timestamp: time }, oldKey, newKey);
  const at5 = handover(5);
  /** What a server after the handover at 5 presents. */
  const served = (ls: Buffer[], statements = [at5], key = SECOND, priv = second.privateKey) => ({
    note: note(ls, ORIGIN, priv),
    verifierKey: key,
    firstKey: KEY,
    handovers: statements,
  });
  const firstRun = (): WitnessState => {
    const v = witnessStep(
      undefined,
      { note: note(log.slice(0, 3)), verifierKey: KEY, firstKey: KEY, handovers: [] },
      undefined,
    );
    if (!v.ok) throw new Error(v.message);
    return v.state;
  };

  it('passes across a handover: the new key signs the grown log, and the state keeps the first key', () => {
    const v = witnessStep(firstRun(), served(log), proof(log, 3));
    expect(v).toMatchObject({ ok: true });
    expect(v.message).toBe('consistent: 3 → 8 entries; followed 1 key handover(s), now key generation 2');
    if (!v.ok) return;
    expect(v.state).toMatchObject({ firstKey: KEY, handovers: [at5], verifierKey: SECOND });
    // Next run: nothing new, still fine.
    expect(witnessStep(v.state, served(log), undefined)).toMatchObject({ ok: true });
    // A state written before handovers (no firstKey) trusted `verifierKey`: followed from it.
    const { firstKey: _f, handovers: _h, ...legacy } = firstRun();
    expect(witnessStep(legacy, served(log), proof(log, 3)).ok).toBe(true);
  });

  it('fails on a first-key swap, even with a chain that verifies from the swapped key', () => {
    const swapped = signHandover(
      { origin: ORIGIN, generation: 2, treeSize: 5, timestamp: 1 },
      mallory.privateKey,
      second.privateKey,
    );
    const v = witnessStep(firstRun(), { ...served(log, [swapped]), firstKey: MALLORY }, proof(log, 3));
    expect(v).toMatchObject({ ok: false });
    expect(v.message).toMatch(/different public key than the first key this witness trusts/);
  });

  it('fails on a forged handover: by a key not in the chain, or by the new key only', () => {
    const byMallory = handover(5, mallory.privateKey, second.privateKey);
    expect(witnessStep(firstRun(), served(log, [byMallory]), proof(log, 3)).message).toMatch(
      /do not form a chain from its first key/,
    );
    const lines = at5.split('\n');
    const newOnly = [...lines.slice(0, -3), lines.at(-2), ''].join('\n');
    expect(witnessStep(firstRun(), served(log, [newOnly]), proof(log, 3)).message).toMatch(
      /do not form a chain from its first key/,
    );
    // A key never handed over, presented as the current key.
    const v = witnessStep(firstRun(), served(log, [], MALLORY, mallory.privateKey), proof(log, 3));
    expect(v.message).toMatch(/different public key|not the one its key handovers lead to/);
  });

  it('fails when an earlier handover is rewritten or removed', () => {
    const after = witnessStep(firstRun(), served(log.slice(0, 6)), proof(log.slice(0, 6), 3));
    if (!after.ok) throw new Error(after.message);
    const rewritten = handover(5, privateKey, second.privateKey, 1_714_000_999);
    expect(witnessStep(after.state, served(log, [rewritten]), proof(log, 6)).message).toMatch(
      /was rewritten/,
    );
    expect(witnessStep(after.state, { ...served(log, []), verifierKey: KEY }, proof(log, 6)).message).toMatch(
      /a handover was removed/,
    );
  });

  it('fails when the old key signs beyond its span, or a new handover is below what it accepted', () => {
    // The old key signs 8 entries after handing over at 5.
    const old = witnessStep(firstRun(), { ...served(log), note: note(log) }, proof(log, 3));
    expect(old.message).toMatch(/signed by key generation 1, which signs sizes 0\.\.5/);
    // The witness accepted 7 entries by the first key; a handover at 5 appears afterwards.
    const seven = witnessStep(
      firstRun(),
      { note: note(log.slice(0, 7)), verifierKey: KEY, firstKey: KEY, handovers: [] },
      proof(log.slice(0, 7), 3),
    );
    if (!seven.ok) throw new Error(seven.message);
    expect(witnessStep(seven.state, served(log), proof(log, 7)).message).toMatch(/beyond its span/);
  });
});
