import type { Db, DbOrTx } from '../../store/database.js';
import type { AuditEvent } from '../audit/entry.js';
import type { DataKeys } from '../data-keys.js';
import type { Lockout } from './lockout.js';
import type { PatientSecrets } from './patient-secrets.js';
import type { Sessions } from './sessions.js';

/**
 * The audit ledger's append, called inside the transaction of the action it records. Entries
 * name actions from the ledger's closed vocabulary (src/app/audit/actions.ts); their details
 * never hold an SSN, a name, a PIN, a reason or any other patient data: ids and times only.
 */
export interface AuditAppend {
  append(tx: DbOrTx, event: AuditEvent): Promise<unknown>;
  /** Several entries in order, as one append (one head update). */
  appendMany(tx: DbOrTx, events: readonly AuditEvent[]): Promise<unknown>;
}

/** What the patient-identity and sharing services are built from (see openApp). */
export interface PatientServiceDeps {
  readonly db: Db;
  readonly dataKeys: DataKeys;
  readonly secrets: PatientSecrets;
  readonly sessions: Sessions;
  readonly lockout: Lockout;
  readonly audit: AuditAppend;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly clock?: () => number;
}
