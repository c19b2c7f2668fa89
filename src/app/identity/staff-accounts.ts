import { randomUUID } from 'node:crypto';
import { generateSigningKeyPairAsync, type SignatureAlgorithm } from '../../crypto/signature.js';
import { withTransaction, type Db, type DbOrTx } from '../../store/database.js';
import {
  findStaffKey,
  listStaffKeys,
  revokeStaffKey,
  type StaffKeyRow,
} from '../../store/staff-key-repository.js';
import { revokeStaffInvites } from '../../store/staff-invite-repository.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import {
  findUserById,
  insertUser,
  listUsersByRole,
  setUserStatus,
  usernameTaken,
  type UserRow,
} from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Approvals } from '../approvals/index.js';
import { STAFF_ROLES, isStaffRole, type StaffRole } from '../actor.js';
import type { AuditEvent } from '../audit/entry.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { conflict, notFound } from '../errors.js';
import type { CredentialHasher } from './credential-hasher.js';
import type { Sessions } from './sessions.js';
import { addStaffKey } from './staff-key-writes.js';
import type { IssuedInvite, StaffInvites } from './staff-invites.js';
import {
  acceptPublicKey,
  algorithmFor,
  assertAcceptablePassword,
  validDisplayName,
  validStaffRole,
  validUsername,
  type AcceptedKey,
  type KeySource,
} from './staff-input.js';

export type { KeySource } from './staff-input.js';

/** A registered key as admins see it (the PEM itself is not repeated in listings). */
export interface StaffKeyView {
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** A staff account as admins see it: never a password verifier. */
export interface StaffUserView {
  readonly id: string;
  readonly role: StaffRole;
  readonly username: string;
  readonly displayName: string | null;
  readonly status: 'pending' | 'active' | 'disabled';
  /** The holder has chosen a password (staff made by an admin: after enrolling). */
  readonly enrolled: boolean;
  readonly createdAt: number;
  readonly keys: readonly StaffKeyView[];
}

/** What an admin gives for a new staff account: no password, no key (the holder chooses them). */
export interface NewStaffAccount {
  readonly role: string;
  readonly username: string;
  readonly displayName: string;
}

/** What the command-line operator gives for an account made active at once (the first admin). */
export interface NewStaffUser extends NewStaffAccount {
  readonly password: string;
  readonly key: KeySource;
}

/** An account made by an admin: pending, with its invite code (shown this once) and approval request. */
export interface InvitedStaffUser {
  readonly user: StaffUserView;
  readonly invite: IssuedInvite;
  readonly approvalId: string;
}

export interface CreatedStaffUser {
  readonly user: StaffUserView;
  readonly keyId: string;
  /** PKCS#8 PEM of a key pair made by the operator's own process: handed out this once, never stored. */
  readonly privateKeyPem?: string;
}

export interface StaffAccountsDeps {
  readonly db: Db;
  readonly sessions: Sessions;
  readonly hasher: CredentialHasher;
  readonly audit: LedgerAppend;
  readonly approvals: Approvals;
  readonly invites: StaffInvites;
  readonly clock?: () => number;
}

/** Which two-person request activates a new account of each role (a new admin is its own kind). */
const ACTIVATION_KIND = {
  admin: 'admin.create',
  registrar: 'staff.activate',
  doctor: 'staff.activate',
  pharmacist: 'staff.activate',
} as const satisfies Record<StaffRole, 'admin.create' | 'staff.activate'>;

/** Who did it, for the ledger: an admin, or the trusted operator at the command line. */
type Author = { readonly scope: AccessScope } | { readonly via: 'cli' };

/**
 * Staff accounts as admins run them (issue 14: nobody but the holder sets or sees a credential,
 * no insider acts alone). An admin creates an account with no password and no key: it is
 * 'pending' with a one-time invite code, and a second admin's approval activates it; the holder
 * enrols with the code (StaffInvites). Admins list accounts, disable them, revoke keys and ask
 * for a re-enrolment (approved by another admin) — they never set a password nor register a key
 * on someone's account. Every call through an access scope needs `users.manage`; every change
 * writes its ledger entry in the same transaction as the change.
 */
export class StaffAccounts {
  private readonly clock: () => number;

  constructor(private readonly deps: StaffAccountsDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * An admin creates a staff account: pending, no password, no key, with a one-time invite code
   * for the holder and a request (`staff.activate`, or `admin.create` for an admin) that another
   * admin must approve. 409 when the username is taken.
   */
  async create(scope: AccessScope, input: NewStaffAccount): Promise<InvitedStaffUser> {
    scope.require('users.manage');
    const role = validStaffRole(input.role);
    const username = validUsername(input.username);
    const displayName = validDisplayName(input.displayName);
    const id = randomUUID();
    const prepared = await this.deps.invites.prepare();
    let approvalId = '';
    await this.write(async (tx) => {
      if (await usernameTaken(tx, username)) throw conflict('That username is taken.', 'username_taken');
      await insertUser(tx, {
        id,
        role,
        username,
        displayName,
        passwordHash: null,
        status: 'pending',
        now: this.clock(),
      });
      await this.deps.invites.store(tx, id, prepared);
      await this.audit(
        tx,
        { scope },
        'user.create',
        { type: 'user', id },
        { role, username, status: 'pending' },
      );
      const approval = await this.deps.approvals.request(tx, scope, {
        kind: ACTIVATION_KIND[role],
        subjectId: id,
        payload: { role, username },
      });
      approvalId = approval.id;
    });
    return { user: await this.view(this.deps.db, id), invite: prepared.invite, approvalId };
  }

  /**
   * An admin asks for a staff member to be re-enrolled (lost key and password): a request
   * (`staff.reenrol`) another admin approves; the approval revokes the member's keys, password
   * and sessions and hands the approver a new invite code (src/app/identity/staff-approvals.ts).
   */
  async requestReenrol(scope: AccessScope, userId: string): Promise<{ approvalId: string }> {
    scope.require('users.manage');
    const user = await this.findStaff(this.deps.db, userId);
    const approval = await this.deps.approvals.requestAlone(scope, {
      kind: 'staff.reenrol',
      subjectId: user.id,
      payload: { role: user.role, username: user.username ?? '' },
    });
    return { approvalId: approval.id };
  }

  /**
   * The command-line operator creates an account (this is how the first admin exists). No scope:
   * whoever can run the CLI on the server already holds the master key and the database, so the
   * access module has nothing to add; the ledger records `via: 'cli'`.
   */
  async createAsOperator(input: NewStaffUser): Promise<CreatedStaffUser> {
    return this.insert({ via: 'cli' }, input);
  }

  /** Every staff account with its keys, oldest first. */
  async list(scope: AccessScope): Promise<StaffUserView[]> {
    scope.require('users.manage');
    const users = await listUsersByRole(this.deps.db, STAFF_ROLES);
    const keys = await listStaffKeys(
      this.deps.db,
      users.map((u) => u.id),
    );
    return users.map((u) => toView(u, keys));
  }

  /**
   * Disables an account and ends all its sessions at once (Sessions.resolve also checks the
   * status on every request). An admin may not disable themself: that could leave no admin.
   */
  async disable(scope: AccessScope, userId: string): Promise<StaffUserView> {
    scope.require('users.manage');
    if (userId === scope.userId)
      throw conflict('You cannot disable your own account.', 'cannot_disable_self');
    return withTransaction(this.deps.db, async (tx) => {
      const user = await this.findStaff(tx, userId);
      if (user.status !== 'disabled') {
        const now = this.clock();
        await setUserStatus(tx, userId, 'disabled', now);
        const sessionsRevoked = await this.deps.sessions.revokeAll(tx, userId);
        await revokeStaffInvites(tx, userId, now);
        await this.audit(tx, { scope }, 'user.disable', { type: 'user', id: userId }, { sessionsRevoked });
      }
      return this.view(tx, userId);
    });
  }

  /**
   * Revokes a key: it no longer verifies a login, but its row stays so past signatures remain
   * explainable. Revoking an already revoked key changes nothing. 404 unless the key is the user's.
   */
  async revokeKey(scope: AccessScope, userId: string, keyId: string): Promise<void> {
    scope.require('users.manage');
    await withTransaction(this.deps.db, async (tx) => {
      await this.findStaff(tx, userId);
      const key = await findStaffKey(tx, keyId);
      if (key === undefined || key.userId !== userId) throw notFound('key');
      if (await revokeStaffKey(tx, userId, keyId, this.clock())) {
        await this.audit(tx, { scope }, 'key.revoke', { type: 'staff_key', id: keyId }, { userId });
      }
    });
  }

  private async insert(author: Author, input: NewStaffUser): Promise<CreatedStaffUser> {
    const role = validStaffRole(input.role);
    const username = validUsername(input.username);
    const displayName = validDisplayName(input.displayName);
    assertAcceptablePassword(input.password, [username, displayName]);
    let key: AcceptedKey;
    let privateKeyPem: string | undefined;
    if ('publicKeyPem' in input.key) {
      key = acceptPublicKey(input.key.publicKeyPem);
    } else {
      const pair = await generateSigningKeyPairAsync(algorithmFor(input.key.generate));
      key = acceptPublicKey(pair.publicKeyPem);
      privateKeyPem = pair.privateKeyPem;
    }
    // argon2id runs before the transaction: it takes tens of milliseconds and SQLite's write
    // lock would be held all that time.
    const passwordHash = await this.deps.hasher.hash(input.password, 'password');
    const id = randomUUID();
    await this.write(async (tx) => {
      if (await usernameTaken(tx, username)) throw conflict('That username is taken.', 'username_taken');
      await insertUser(tx, { id, role, username, displayName, passwordHash, now: this.clock() });
      await addStaffKey(tx, id, key, this.clock());
      // Ledger appends last: on PostgreSQL each holds the ledger head until the commit.
      await this.audit(tx, author, 'user.create', { type: 'user', id }, { role, username });
      await this.auditKey(tx, author, id, key);
    });
    const user = await this.view(this.deps.db, id);
    return privateKeyPem === undefined
      ? { user, keyId: key.keyId }
      : { user, keyId: key.keyId, privateKeyPem };
  }

  /** A write transaction in which a unique-index violation (two writers racing) is a 409. */
  private async write(fn: (tx: DbOrTx) => Promise<void>): Promise<void> {
    try {
      await withTransaction(this.deps.db, fn);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('That username or key is already registered.', 'conflict');
      throw err;
    }
  }

  private auditKey(tx: DbOrTx, author: Author, userId: string, key: AcceptedKey): Promise<unknown> {
    const details = { userId, algorithm: key.algorithm };
    return this.audit(tx, author, 'key.register', { type: 'staff_key', id: key.keyId }, details);
  }

  /** The staff account, or 404 (patients are not managed here). */
  async findStaff(db: DbOrTx, userId: string): Promise<UserRow> {
    const user = await findUserById(db, userId);
    if (user === undefined || !isStaffRole(user.role)) throw notFound('user');
    return user;
  }

  private async view(db: DbOrTx, userId: string): Promise<StaffUserView> {
    const user = await this.findStaff(db, userId);
    return toView(user, await listStaffKeys(db, [userId]));
  }

  private audit(
    tx: DbOrTx,
    author: Author,
    action: AuditEvent['action'],
    target: AuditEvent['target'],
    details: NonNullable<AuditEvent['details']>,
  ): Promise<unknown> {
    return this.deps.audit.append(tx, {
      actor: 'scope' in author ? author.scope.actor : null,
      action,
      target,
      patientId: null,
      outcome: 'success',
      details: 'via' in author ? { ...details, via: author.via } : details,
    });
  }
}

function toView(user: UserRow, keys: readonly StaffKeyRow[]): StaffUserView {
  return {
    id: user.id,
    role: user.role as StaffRole,
    username: user.username ?? '',
    displayName: user.displayName,
    status: user.status === 'active' || user.status === 'pending' ? user.status : 'disabled',
    enrolled: user.hasPassword,
    createdAt: user.createdAt,
    keys: keys
      .filter((k) => k.userId === user.id)
      .map((k) => ({
        keyId: k.keyId,
        algorithm: k.algorithm as SignatureAlgorithm,
        createdAt: k.createdAt,
        revokedAt: k.revokedAt,
      })),
  };
}
