import { randomUUID } from 'node:crypto';
import { INVITE_TTL_MS } from '../../contract/vocabulary/approvals.js';
import type { SignatureAlgorithm } from '../../crypto/signature.js';
import { isRecoveryCode, normaliseRecoveryCode, recoveryCode } from '../../crypto/random-token.js';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import { findStaffInvite, insertStaffInvite, useStaffInvite } from '../../store/staff-invite-repository.js';
import { findUserById, setFirstPassword } from '../../store/user-repository.js';
import { isStaffRole, type StaffRole } from '../actor.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import { AppError } from '../errors.js';
import type { CredentialHasher } from './credential-hasher.js';
import { addStaffKey } from './staff-key-writes.js';
import { acceptPublicKey, assertAcceptablePassword } from './staff-input.js';

/** The context of an invite code's keyed verifier (lookup-secret.ts): its use of the pepper. */
const INVITE_CONTEXT = 'staff-invite';

/** An invite code as handed to the staff member, this once. */
export interface IssuedInvite {
  readonly code: string;
  readonly expiresAt: number;
}

/** A code made (with its verifier) before the transaction that stores it. */
export interface PreparedInvite {
  readonly invite: IssuedInvite;
  readonly verifier: string;
}

/** What the staff member sends to enrol: the code, the password they chose, their public key. */
export interface StaffEnrolment {
  readonly inviteCode: string;
  readonly password: string;
  readonly publicKeyPem: string;
}

export interface StaffEnrolled {
  readonly userId: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  /** False until a second admin approves the account. */
  readonly active: boolean;
}

export interface StaffInvitesDeps extends LedgeredServiceDeps {
  readonly hasher: CredentialHasher;
}

/**
 * One-time staff invite codes and enrolment with them. A code is 125 bits from the CSPRNG in five
 * readable groups (Crockford base32), valid three days, once; it is stored only as its keyed
 * verifier (HMAC under the keyring's pepper, lookup-secret.ts), which is also how a typed code
 * finds its row — a copy of the database can neither read nor test a code. A newer code for the
 * same account replaces the older one.
 *
 * Enrolling, the staff member chooses the password (the policy applies) and registers the public
 * half of a key pair made in their browser or CLI: the server never sees a private key, and no
 * admin ever learns the password. The account is usable once it is also approved (a second admin).
 */
export class StaffInvites {
  constructor(private readonly deps: StaffInvitesDeps) {}

  /** A fresh code and its verifier (before the transaction: the pepper may need reading). */
  async prepare(): Promise<PreparedInvite> {
    const code = recoveryCode();
    const verifier = await this.deps.hasher.codeVerifier(normaliseRecoveryCode(code), INVITE_CONTEXT);
    return { invite: { code, expiresAt: this.deps.clock() + INVITE_TTL_MS }, verifier };
  }

  /** Stores a prepared code for `userId`, replacing any earlier unused one. */
  async store(tx: DbOrTx, userId: string, prepared: PreparedInvite): Promise<void> {
    await insertStaffInvite(tx, {
      id: randomUUID(),
      userId,
      verifier: prepared.verifier,
      now: this.deps.clock(),
      expiresAt: prepared.invite.expiresAt,
    });
  }

  /** A new code for `userId`, stored in `tx` (a re-enrolment's approval). */
  async issue(tx: DbOrTx, userId: string): Promise<IssuedInvite> {
    const prepared = await this.prepare();
    await this.store(tx, userId, prepared);
    return prepared.invite;
  }

  /**
   * Enrols with an invite code: refused with `invite_invalid` (401: never issued, replaced, or
   * its account disabled), `invite_used` or `invite_expired` (409), `weak_password` or
   * `invalid_key` (400), `key_registered` (409). Each refusal is a ledger entry; the route is
   * rate-limited per address with the other credential routes.
   */
  async enrol(input: StaffEnrolment): Promise<StaffEnrolled> {
    const now = this.deps.clock();
    const normalised = normaliseRecoveryCode(input.inviteCode);
    if (!isRecoveryCode(normalised)) return this.refuse('invite_invalid', null);
    const verifier = await this.deps.hasher.codeVerifier(normalised, INVITE_CONTEXT);
    const invite = await findStaffInvite(this.deps.db, verifier);
    const user = invite === undefined ? undefined : await findUserById(this.deps.db, invite.userId);
    if (invite === undefined || invite.revokedAt !== null || user === undefined || !isStaffRole(user.role))
      return this.refuse('invite_invalid', null);
    if (user.status === 'disabled') return this.refuse('invite_invalid', user.id);
    if (invite.usedAt !== null) return this.refuse('invite_used', user.id);
    if (invite.expiresAt <= now) return this.refuse('invite_expired', user.id);
    const role = user.role;
    assertAcceptablePassword(input.password, [user.username ?? '', user.displayName ?? '']);
    const key = acceptPublicKey(input.publicKeyPem);
    // argon2id before the transaction: SQLite's write lock is not held while it runs.
    const passwordHash = await this.deps.hasher.hash(input.password, 'password');
    await withTransaction(this.deps.db, async (tx) => {
      if (!(await useStaffInvite(tx, invite.id, now))) throw new AppError('invite_used');
      if (!(await setFirstPassword(tx, user.id, passwordHash, now))) throw new AppError('invite_used');
      await addStaffKey(tx, user.id, key, now);
      await this.deps.audit.append(tx, {
        actor: { userId: user.id, role },
        action: 'user.enrol',
        target: { type: 'user', id: user.id },
        patientId: null,
        outcome: 'success',
        details: { keyId: key.keyId, algorithm: key.algorithm },
      });
    });
    return {
      userId: user.id,
      username: user.username ?? '',
      role,
      keyId: key.keyId,
      algorithm: key.algorithm,
      active: user.status === 'active',
    };
  }

  /** Ledgers a refused enrolment (committed first) and throws its error. */
  private async refuse(
    code: 'invite_invalid' | 'invite_used' | 'invite_expired',
    userId: string | null,
  ): Promise<never> {
    await withTransaction(this.deps.db, (tx) =>
      this.deps.audit.append(tx, {
        actor: null,
        action: 'user.enrol',
        target: userId === null ? null : { type: 'user', id: userId },
        patientId: null,
        outcome: 'failure',
        details: { reason: code },
      }),
    );
    throw new AppError(code);
  }
}
