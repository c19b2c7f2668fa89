import type { Db } from '../../store/database.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { Keyring } from '../keyring.js';
import { CredentialHasher } from './credential-hasher.js';
import { CurrentSession } from './current-session.js';
import type { Lockout } from './lockout.js';
import type { Sessions } from './sessions.js';
import { StaffAccounts } from './staff-accounts.js';
import { StaffLogin } from './staff-login.js';

/** The staff-identity services a running process holds (fields of AppContext). */
export interface StaffServices {
  readonly staffAccounts: StaffAccounts;
  readonly staffLogin: StaffLogin;
  readonly currentSession: CurrentSession;
}

/** Builds the staff-identity services over one store, keyring, session store, lockout and ledger. */
export function createStaffServices(deps: {
  db: Db;
  keyring: Keyring;
  sessions: Sessions;
  lockout: Lockout;
  audit: LedgerAppend;
}): StaffServices {
  const hasher = new CredentialHasher(deps.keyring);
  return {
    staffAccounts: new StaffAccounts({ db: deps.db, sessions: deps.sessions, hasher, audit: deps.audit }),
    staffLogin: new StaffLogin({ ...deps, hasher }),
    currentSession: new CurrentSession({ db: deps.db, sessions: deps.sessions, audit: deps.audit }),
  };
}
