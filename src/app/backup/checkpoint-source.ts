import type { AppContext } from '../context.js';

/**
 * The newest signed checkpoint of the ledger, as a signed note, for a backup to carry: read
 * BEFORE the snapshot, so its tree is always within the snapshot's log. Signs one when the
 * ledger has none yet. The one place a backup learns of checkpoints: point it at another
 * checkpoint store (a file outside the database) here.
 */
export async function newestSignedCheckpoint(app: AppContext): Promise<string> {
  const { ledger } = app.audit;
  const db = app.store.db;
  return ((await ledger.latestCheckpoint(db)) ?? (await ledger.checkpoint(db))).note;
}
