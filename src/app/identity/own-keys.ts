import { keyAddMessage } from '../../contract/signing/index.js';
import type { SignatureAlgorithm } from '../../crypto/signature.js';
import { withTransaction } from '../../store/database.js';
import { findStaffKey, revokeStaffKey } from '../../store/staff-key-repository.js';
import { findUserById } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import { isStaffRole } from '../actor.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { AppError, notFound } from '../errors.js';
import { verifiesWith } from './staff-key-signature.js';
import { addStaffKey } from './staff-key-writes.js';
import { acceptPublicKey } from './staff-input.js';

export interface OwnKeyRequest {
  readonly publicKeyPem: string;
  /** Key id of a current (not revoked) key of the caller. */
  readonly signedBy: string;
  /** That key's signature over the key-add message (src/contract/signing). */
  readonly signature: string;
  /** Rotate: revoke the signing key once the new one is registered. */
  readonly revokeSigner?: boolean;
}

export type OwnKeysDeps = LedgeredServiceDeps;

/**
 * The holder's own keys (issue 14): a staff member adds or rotates a key of their own account,
 * with a signed-in session AND a signature by one of their current keys over the new public key
 * (the domain-separated key-add message, which no login or prescription check accepts). A stolen
 * session alone adds no key; nobody adds a key to another account — admins only revoke.
 */
export class OwnKeys {
  constructor(private readonly deps: OwnKeysDeps) {}

  async add(
    scope: AccessScope,
    input: OwnKeyRequest,
  ): Promise<{ keyId: string; algorithm: SignatureAlgorithm }> {
    scope.require('keys.own');
    const key = acceptPublicKey(input.publicKeyPem);
    const user = await findUserById(this.deps.db, scope.userId);
    if (user === undefined || !isStaffRole(user.role)) throw notFound('user');
    const signer = await findStaffKey(this.deps.db, input.signedBy);
    const message = keyAddMessage({ username: user.username ?? '', publicKeySpki: key.spkiBase64 });
    if (
      signer === undefined ||
      signer.userId !== user.id ||
      signer.revokedAt !== null ||
      !verifiesWith(signer, message, input.signature)
    )
      throw new AppError('key_proof_invalid');
    const now = this.deps.clock();
    await withTransaction(this.deps.db, async (tx) => {
      await addStaffKey(tx, user.id, key, now);
      await this.deps.audit.append(tx, {
        actor: scope.actor,
        action: 'key.register',
        target: { type: 'staff_key', id: key.keyId },
        patientId: null,
        outcome: 'success',
        details: { userId: user.id, algorithm: key.algorithm, signedBy: signer.keyId, self: true },
      });
      if (input.revokeSigner === true && (await revokeStaffKey(tx, user.id, signer.keyId, now))) {
        await this.deps.audit.append(tx, {
          actor: scope.actor,
          action: 'key.revoke',
          target: { type: 'staff_key', id: signer.keyId },
          patientId: null,
          outcome: 'success',
          details: { userId: user.id, rotatedTo: key.keyId },
        });
      }
    });
    return { keyId: key.keyId, algorithm: key.algorithm };
  }
}
