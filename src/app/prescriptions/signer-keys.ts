import { prepareVerifier, type PreparedVerifier } from '../../crypto/prepared-verifier.js';
import { parsePublicKeyPem, type ParsedPublicKey } from '../../crypto/signature.js';
import type { DbOrTx } from '../../store/database.js';
import { findStaffKey, type StaffKeyRow } from '../../store/staff-key-repository.js';

/** A registered staff key with its parsed public key. */
export interface SignerKey {
  readonly row: StaffKeyRow;
  /** Undefined when the stored PEM no longer parses (then nothing verifies with it). */
  readonly parsed: ParsedKey | undefined;
}

/** A parsed key with its prepared verifier (src/crypto/prepared-verifier.ts). */
export interface ParsedKey extends ParsedPublicKey {
  readonly verify: PreparedVerifier;
}

const MAX_CACHED = 1024;

/**
 * Looks up a signer's registered key. The row is read from the database on every call (its
 * revocation time must be current), but the parsed KeyObject is cached by key id and PEM text:
 * parsing an SPKI costs more than verifying an Ed25519 signature with it, and Node verifies
 * fastest with a ready KeyObject. A PEM changed in the database misses the cache (the text is
 * compared), so the cache never vouches for a key the row no longer holds.
 */
export class SignerKeys {
  private readonly cache = new Map<string, { pem: string; parsed: ParsedKey | undefined }>();

  async find(db: DbOrTx, keyId: string): Promise<SignerKey | undefined> {
    const row = await findStaffKey(db, keyId);
    if (row === undefined) return undefined;
    return { row, parsed: this.parse(keyId, row.publicKeyPem) };
  }

  /** The parsed key for `pem` (cached), or undefined when it is not an acceptable key. */
  parse(keyId: string, pem: string): ParsedKey | undefined {
    const hit = this.cache.get(keyId);
    if (hit !== undefined && hit.pem === pem) return hit.parsed;
    let parsed: ParsedKey | undefined;
    try {
      const key = parsePublicKeyPem(pem);
      parsed = { ...key, verify: prepareVerifier(key) };
    } catch {
      parsed = undefined;
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(keyId, { pem, parsed });
    return parsed;
  }
}
