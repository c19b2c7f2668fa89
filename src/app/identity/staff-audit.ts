import type { DbOrTx } from '../../store/database.js';
import type { AuditEvent } from '../audit/entry.js';

/** One ledger entry as the identity services write it (never a secret in `details`). */
export type IdentityAuditEntry = AuditEvent;

/** The part of the audit ledger the identity services need: append inside the caller's transaction. */
export interface AuditAppender {
  append(tx: DbOrTx, entry: AuditEvent): Promise<unknown>;
}
