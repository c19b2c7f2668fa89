import { withTransaction, type Db } from '../../store/database.js';
import { findUserById } from '../../store/user-repository.js';
import type { AccessScope } from '../access/index.js';
import type { Role } from '../actor.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import { unauthenticated } from '../errors.js';
import type { Sessions } from './sessions.js';

/** The logged-in user as the UI shows them. Patients have no username or display name here. */
export interface SessionUser {
  readonly id: string;
  readonly role: Role;
  readonly username: string | null;
  readonly displayName: string | null;
}

export interface CurrentSessionDeps {
  readonly db: Db;
  readonly sessions: Sessions;
  readonly audit: LedgerAppend;
}

/** What any logged-in caller may do with their own session: see who they are, and end it. */
export class CurrentSession {
  constructor(private readonly deps: CurrentSessionDeps) {}

  /** The caller's own account (every role may read itself). */
  async me(scope: AccessScope): Promise<SessionUser> {
    const user = await findUserById(this.deps.db, scope.userId);
    // The session resolved a moment ago; a vanished account is a session that no longer holds.
    if (user === undefined) throw unauthenticated();
    return { id: user.id, role: scope.role, username: user.username, displayName: user.displayName };
  }

  /**
   * Ends the session `token` stands for, at once, for every server process (the row is revoked).
   * Idempotent: logging out without a live session does nothing. The ledger entry is written in
   * the same transaction as the revocation.
   */
  async logout(scope: AccessScope | null, token: string | null): Promise<void> {
    if (token === null) return;
    await withTransaction(this.deps.db, async (tx) => {
      const revoked = await this.deps.sessions.revoke(tx, token);
      if (!revoked || scope === null) return;
      await this.deps.audit.append(tx, {
        actor: scope.actor,
        action: 'logout',
        target: { type: 'user', id: scope.userId },
        patientId: null,
        outcome: 'success',
        details: {},
      });
    });
  }
}
