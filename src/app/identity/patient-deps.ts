import type { Db } from '../../store/database.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { DataKeys } from '../data-keys.js';
import type { Lockout } from './lockout.js';
import type { PatientSecrets } from './patient-secrets.js';
import type { Sessions } from './sessions.js';

/** What the patient-identity and sharing services are built from (see openApp). */
export interface PatientServiceDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly secrets: PatientSecrets;
  readonly sessions: Sessions;
  readonly lockout: Lockout;
  readonly audit: LedgerAppend;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly clock?: () => number;
}
