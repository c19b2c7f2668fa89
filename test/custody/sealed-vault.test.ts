import { randomBytes } from 'node:crypto';
import { combine } from 'shamir-secret-sharing';
import { describe, expect, it } from 'vitest';
import { makeSplit, parseShare, SealedVault, type UnsealAttempt } from '../../src/app/custody/index.js';
import { AppError } from '../../src/app/errors.js';

/** A split of a random key and a vault whose `open` hands back the key it was given. */
async function vaultOf(shares = 5, threshold = 3) {
  const key = randomBytes(32);
  const split = await makeSplit(key, shares, threshold);
  const opened: Array<{ key: Buffer; attempts: readonly UnsealAttempt[] }> = [];
  const vault = new SealedVault(split.custody, async (k, attempts) => {
    opened.push({ key: Buffer.from(k), attempts });
    return 'app';
  });
  return { key, split, vault, opened };
}

/** The same share with one byte of its y values changed (its index and format intact). */
function corrupt(share: string): string {
  const { setId, index, bytes } = parseShare(share);
  const copy = Buffer.from(bytes);
  copy[5] = (copy[5] as number) ^ 0x01;
  return `mvshare1-${setId}-${index}-${copy.toString('base64url')}`;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('a master key split between officers (Shamir with commitments)', () => {
  it('unseals with any K of the N shares, rebuilding exactly the key', async () => {
    for (const pick of [
      [0, 1, 2],
      [4, 2, 0],
      [1, 3, 4],
    ]) {
      const { key, split, vault, opened } = await vaultOf();
      for (const i of pick) await vault.submit(split.shares[i] as string, 'test');
      expect(vault.status()).toEqual({ sealed: false, threshold: 3, accepted: 3 });
      expect(vault.result).toBe('app');
      expect(opened).toHaveLength(1);
      expect(opened[0]?.key.equals(key)).toBe(true);
    }
  });

  it('stays sealed with K−1 shares, and a repeated share does not count twice', async () => {
    const { split, vault, opened } = await vaultOf();
    await vault.submit(split.shares[0] as string, 'test');
    const status = await vault.submit(split.shares[1] as string, 'test');
    expect(status).toEqual({ sealed: true, threshold: 3, accepted: 2 });
    expect(await vault.submit(split.shares[1] as string, 'test')).toEqual(status);
    expect(vault.result).toBeUndefined();
    expect(opened).toEqual([]);
  });

  it('refuses a corrupted share among K and names it; the good shares still unseal', async () => {
    const { key, split, vault, opened } = await vaultOf();
    await vault.submit(split.shares[0] as string, 'test');
    await vault.submit(split.shares[1] as string, 'test');
    const bad = corrupt(split.shares[2] as string);
    const err = await refusal(vault.submit(bad, 'officer-3'));
    expect(err.code).toBe('share_refused');
    expect(err.message).toContain(`Share ${parseShare(bad).index} `);
    expect(vault.status().sealed).toBe(true);
    await vault.submit(split.shares[3] as string, 'test');
    expect(opened[0]?.key.equals(key)).toBe(true);
    const failure = opened[0]?.attempts.find((a) => a.outcome === 'failure');
    expect(failure).toMatchObject({ share: parseShare(bad).index, reason: 'mismatch', source: 'officer-3' });
  });

  it('without the commitments, the same corrupted share would silently give a wrong key', async () => {
    const { key, split } = await vaultOf();
    const shares = [split.shares[0], split.shares[1], corrupt(split.shares[2] as string)].map(
      (s) => parseShare(s as string).bytes,
    );
    const wrong = Buffer.from(await combine(shares));
    expect(wrong.equals(key)).toBe(false);
  });

  it('refuses a share of an earlier split (an officer who left) and names it', async () => {
    const { vault } = await vaultOf();
    const other = await makeSplit(randomBytes(32), 5, 3);
    const err = await refusal(vault.submit(other.shares[0] as string, 'test'));
    expect(err.code).toBe('share_refused');
    expect(err.message).toMatch(/^Share \d+ is from another split/);
  });

  it('refuses text that is not a share, or whose index disagrees with its bytes', async () => {
    const { split, vault } = await vaultOf();
    expect((await refusal(vault.submit('hunter2', 'test'))).code).toBe('invalid_input');
    const { setId, index, bytes } = parseShare(split.shares[0] as string);
    const relabelled = `mvshare1-${setId}-${(index % 255) + 1}-${Buffer.from(bytes).toString('base64url')}`;
    expect((await refusal(vault.submit(relabelled, 'test'))).code).toBe('invalid_input');
  });

  it('opens once when the last shares arrive together, and answers not_sealed after', async () => {
    const { split, vault, opened } = await vaultOf(5, 2);
    const results = await Promise.allSettled(split.shares.map((s) => vault.submit(s, 'test')));
    expect(opened).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect(((r as PromiseRejectedResult).reason as AppError).code).toBe('not_sealed');
  });

  it('hands every attempt made while sealed to the opener, to be ledgered', async () => {
    const { split, vault, opened } = await vaultOf(3, 2);
    await vault.submit('nonsense', '10.0.0.9').catch(() => undefined);
    await vault.submit(split.shares[0] as string, '10.0.0.1');
    await vault.submit(split.shares[1] as string, '10.0.0.2');
    expect(opened[0]?.attempts.map((a) => [a.outcome, a.reason, a.source])).toEqual([
      ['failure', 'malformed', '10.0.0.9'],
      ['success', 'accepted', '10.0.0.1'],
      ['success', 'accepted', '10.0.0.2'],
    ]);
  });

  it('refuses splits outside 2 ≤ K ≤ N ≤ 255', async () => {
    await expect(makeSplit(randomBytes(32), 3, 4)).rejects.toThrow(RangeError);
    await expect(makeSplit(randomBytes(32), 3, 1)).rejects.toThrow(RangeError);
    await expect(makeSplit(randomBytes(32), 256, 2)).rejects.toThrow(RangeError);
  });
});
