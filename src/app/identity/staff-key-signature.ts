import { SIGNATURE_ALGORITHMS, parsePublicKeyPem, verifySignature } from '../../crypto/signature.js';
import type { StaffKeyRow } from '../../store/staff-key-repository.js';

/**
 * Whether `signature` verifies over `message` with this stored staff key (by its own algorithm).
 * Callers pass only a domain-separated message (src/contract/signing): a signature over anything
 * else — a prescription message for a login, a login for a key — never passes.
 */
export function verifiesWith(key: StaffKeyRow, message: Uint8Array, signature: string): boolean {
  try {
    const parsed = parsePublicKeyPem(key.publicKeyPem);
    // The stored algorithm must agree with the key itself; a mismatch is a corrupt row, never a pass.
    if (
      !(SIGNATURE_ALGORITHMS as readonly string[]).includes(key.algorithm) ||
      parsed.algorithm !== key.algorithm
    )
      return false;
    return verifySignature(parsed.algorithm, parsed.keyObject, message, signature);
  } catch {
    return false;
  }
}
