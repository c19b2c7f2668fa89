import type { Db } from '../../store/database.js';
import type { Keyring } from '../keyring.js';
import { AuditLedger } from './ledger.js';
import { LedgerAccess } from './ledger-access.js';

/** The audit context of a running process: the ledger, and who may read which part of it. */
export interface AuditServices {
  /** The audit ledger: append inside the action's transaction; checkpoints, proofs, verify. */
  readonly ledger: AuditLedger;
  /** Who may read which part of the ledger (HTTP adapters go through this, not the ledger). */
  readonly ledgerAccess: LedgerAccess;
}

export interface AuditContextDeps {
  readonly db: Db;
  readonly keyring: Keyring;
  /** Epoch milliseconds: entry times and checkpoint ages. */
  readonly clock: () => number;
}

/** Builds the audit context (opens the ledger's MAC and signing keys from the keyring). */
export async function composeAudit(deps: AuditContextDeps): Promise<AuditServices> {
  const ledger = await AuditLedger.open(deps.keyring, { clock: deps.clock });
  return { ledger, ledgerAccess: new LedgerAccess(deps.db, ledger, deps.clock) };
}
