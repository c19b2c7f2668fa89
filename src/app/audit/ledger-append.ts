import type { Db, DbOrTx } from '../../store/database.js';
import type { AuditEvent } from './entry.js';

/**
 * THE port through which services write to the audit ledger (AuditLedger implements it; tests
 * pass recording stand-ins). Call it with the transaction of the action it records, so both
 * commit or neither does; given the bare database it runs in a transaction of its own. Entries
 * name actions from the ledger's closed vocabulary (actions.ts); their details never hold an SSN,
 * a name, a PIN, a reason or any other patient data: ids, counts and times only.
 */
export interface LedgerAppend {
  /** Appends one entry; answers its seq (a privacy-budget spend names its entry). */
  append(tx: DbOrTx, event: AuditEvent): Promise<{ readonly seq: number }>;
  /** Several entries in order, as one append (one head update). */
  appendMany(tx: DbOrTx, events: readonly AuditEvent[]): Promise<ReadonlyArray<{ readonly seq: number }>>;
}

/**
 * What a service that ledgers its own changes is built with: the database, the ledger port and the
 * clock (milliseconds since the epoch; tests pass a fixed one). Services add what else they need.
 */
export interface LedgeredServiceDeps {
  readonly db: Db;
  readonly audit: LedgerAppend;
  readonly clock: () => number;
}
