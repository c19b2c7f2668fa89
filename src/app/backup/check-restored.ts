import { chainVerifier, checkConsistencyOffline, PROOF_FORMAT } from '../audit/index.js';
import type { AppContext } from '../context.js';

export interface RestoredLedgerCheck {
  readonly ok: boolean;
  readonly message: string;
  /** Entries in the restored log. */
  readonly size: number;
}

/**
 * After a restore: verifies the whole ledger held to the backup's checkpoint, then signs a
 * checkpoint of the restored log and checks a consistency proof from the backup's checkpoint to
 * it, offline, as an outside verifier would (the restored log extends what the backup vouched for).
 */
export async function checkRestoredLedger(
  app: AppContext,
  backupCheckpoint: string,
): Promise<RestoredLedgerCheck> {
  const { ledger } = app.audit;
  const db = app.store.db;
  const verified = await ledger.verify(db, { checkpoints: [backupCheckpoint] });
  if (!verified.ok)
    return { ok: false, message: `audit verify failed: ${JSON.stringify(verified)}`, size: 0 };
  const from = Number(backupCheckpoint.split('\n')[1]);
  const now = await ledger.checkpoint(db);
  const proof = await ledger.consistencyProof(db, from, now.treeSize);
  const check = checkConsistencyOffline(
    { format: PROOF_FORMAT, type: 'consistency', origin: ledger.origin, ...proof },
    backupCheckpoint,
    now.note,
    // The backup's checkpoint may be signed by a key handed over since: the whole chain, each in its span.
    chainVerifier(ledger.keyChain),
  );
  return {
    ok: check.ok,
    message: check.ok
      ? `audit verify passed (${verified.size} entries); ${check.message}`
      : `consistency proof from the backup's checkpoint REJECTED: ${check.message}`,
    size: verified.size,
  };
}
