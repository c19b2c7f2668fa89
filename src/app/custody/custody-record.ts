import { randomBytes } from 'node:crypto';
import { split } from 'shamir-secret-sharing';
import { keyShareCommitment, masterKeyCommitment } from '../../crypto/key-commitment.js';
import type { DbOrTx } from '../../store/database.js';
import { findKeyCustody, saveKeyCustody } from '../../store/custody-repository.js';
import { StartupError } from '../startup-error.js';
import { formatShare } from './share-text.js';

/** A master key split between officers, as the database records it: commitments only. */
export interface SplitCustody {
  readonly scheme: 'shamir';
  readonly threshold: number;
  readonly shares: number;
  readonly setId: string;
  readonly keyCommitment: string;
  /** Share index → commitment. */
  readonly shareCommitments: ReadonlyMap<number, string>;
}

/** How this database's master key is held, or undefined for a key file or environment variable. */
export async function loadCustody(db: DbOrTx): Promise<SplitCustody | undefined> {
  const row = await findKeyCustody(db);
  if (row === undefined) return undefined;
  if (row.scheme !== 'shamir')
    throw new StartupError(`unknown master key custody scheme ${JSON.stringify(row.scheme)} in the database`);
  const commitments = JSON.parse(row.share_commitments) as Record<string, string>;
  return {
    scheme: 'shamir',
    threshold: row.threshold,
    shares: row.shares,
    setId: row.set_id,
    keyCommitment: row.key_commitment,
    shareCommitments: new Map(Object.entries(commitments).map(([k, v]) => [Number(k), v])),
  };
}

export interface SplitResult {
  readonly custody: SplitCustody;
  /** One text per officer, in index order. Shown once; never stored. */
  readonly shares: string[];
}

/**
 * Splits a master key into `shares` shares of which any `threshold` rebuild it (Shamir, with
 * the audited `shamir-secret-sharing`), with commitments to the key and to every share. Stores
 * nothing: see {@link splitMasterKey}.
 * @throws RangeError unless 2 ≤ threshold ≤ shares ≤ 255.
 */
export async function makeSplit(masterKey: Buffer, shares: number, threshold: number): Promise<SplitResult> {
  if (
    !Number.isInteger(shares) ||
    !Number.isInteger(threshold) ||
    threshold < 2 ||
    shares < threshold ||
    shares > 255
  )
    throw new RangeError('a split needs 2 ≤ threshold ≤ shares ≤ 255');
  const setId = randomBytes(8).toString('hex');
  const parts = await split(new Uint8Array(masterKey), shares, threshold);
  const indexOf = (p: Uint8Array): number => p[p.length - 1] as number;
  parts.sort((a, b) => indexOf(a) - indexOf(b));
  return {
    custody: {
      scheme: 'shamir',
      threshold,
      shares,
      setId,
      keyCommitment: masterKeyCommitment(masterKey, setId),
      shareCommitments: new Map(parts.map((p) => [indexOf(p), keyShareCommitment(setId, p)])),
    },
    shares: parts.map((p) => formatShare(setId, p)),
  };
}

/**
 * Splits the master key ({@link makeSplit}) and records the split's commitments in the database,
 * replacing any earlier split (whose shares then no longer unseal).
 */
export async function splitMasterKey(
  db: DbOrTx,
  masterKey: Buffer,
  shares: number,
  threshold: number,
  now = Date.now(),
): Promise<SplitResult> {
  const result = await makeSplit(masterKey, shares, threshold);
  const { custody } = result;
  await saveKeyCustody(db, {
    scheme: 'shamir',
    threshold,
    shares,
    set_id: custody.setId,
    key_commitment: custody.keyCommitment,
    share_commitments: JSON.stringify(Object.fromEntries(custody.shareCommitments)),
    created_at: now,
  });
  return result;
}
