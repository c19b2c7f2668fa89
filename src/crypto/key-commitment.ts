/**
 * Commitments to a split master key and to each of its shares, so a wrong or corrupted share is
 * named instead of silently combining into a wrong key (Shamir's scheme has no integrity of its
 * own: any K byte strings combine into *some* secret).
 *
 * - Key commitment: HMAC-SHA-256 keyed by the master key over a label and the split's id. Only
 *   the key's holder can compute it; it reveals nothing about the key.
 * - Share commitment: SHA-256 over a label, the split's id and the share. A share is 32 uniformly
 *   random bytes to anyone holding fewer than K shares, so its hash reveals nothing usable.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const KEY_LABEL = 'medvault/master-key-commitment/v1';
const SHARE_LABEL = 'medvault/key-share-commitment/v1';

/** The commitment to a master key under one split, hex. */
export function masterKeyCommitment(key: Uint8Array, setId: string): string {
  return createHmac('sha256', key).update(`${KEY_LABEL}\n${setId}`).digest('hex');
}

/** The commitment to one share of a split, hex. */
export function keyShareCommitment(setId: string, share: Uint8Array): string {
  return createHash('sha256').update(`${SHARE_LABEL}\n${setId}\n`).update(share).digest('hex');
}

/** Compares two hex commitments in constant time (a mismatch position must not leak). */
export function commitmentsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
