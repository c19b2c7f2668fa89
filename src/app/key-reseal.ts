import { rewrapDek } from '../crypto/envelope.js';
import { withTransaction, type Db, type DbOrTx } from '../store/database.js';
import { deleteKeyCustody } from '../store/custody-repository.js';
import {
  countDataKeysByVersion,
  dataKeysNotOnVersion,
  replaceWrappedDataKeys,
} from '../store/data-key-repository.js';
import type { AuditLedger } from './audit/ledger.js';
import type { AuditActor } from './audit/entry.js';
import type { KeyRoot } from './key-root/key-root.js';
import type { Keyring } from './keyring.js';

export interface ResealOptions {
  /** DEKs read and re-wrapped per step (all in the one transaction). */
  readonly batchSize?: number;
  readonly onStart?: (pending: number) => void;
  readonly onProgress?: (rewrapped: number) => void;
  /** Runs last inside the transaction (e.g. recording a new split of the new master key). */
  readonly inTransaction?: (tx: DbOrTx) => Promise<void>;
  readonly audit: { readonly ledger: AuditLedger; readonly actor: AuditActor | null };
}

export interface ResealResult {
  /** The KEK version made by the new root, now wrapping every DEK. */
  readonly version: number;
  readonly rewrapped: number;
  /** KEK versions of the old root deleted. */
  readonly dropped: number;
}

/**
 * Re-seals the keyring under a new root (a new master key, a PKCS#11 token, a new split), in ONE
 * transaction: every named secret re-sealed, a KEK made by the new root, every DEK unwrapped by
 * its old KEK and wrapped by the new one, the old KEKs deleted, any old split forgotten, and a
 * `keys.reseal` entry. Afterwards the old root opens nothing: its KEKs are gone and the secrets
 * are sealed by the new root. Servers must be stopped (they hold the old root).
 */
export async function resealKeyring(
  db: Db,
  keyring: Keyring,
  newRoot: KeyRoot,
  options: ResealOptions,
): Promise<ResealResult> {
  const batchSize = options.batchSize ?? 2000;
  const from = keyring.rootOrigin;
  const result = await withTransaction(db, async (tx) => {
    const counts = await countDataKeysByVersion(tx);
    options.onStart?.([...counts.values()].reduce((a, b) => a + b, 0));
    const target = await keyring.resealSecrets(tx, newRoot);
    let rewrapped = 0;
    for (let afterId = 0; ;) {
      const batch = await dataKeysNotOnVersion(tx, target.version, afterId, batchSize);
      if (batch.length === 0) break;
      const rows = batch.map((row) => ({
        id: row.id,
        wrapped: rewrapDek(row.wrapped, row, keyring.lookup, target),
      }));
      rewrapped += await replaceWrappedDataKeys(tx, target.version, rows);
      afterId = (batch.at(-1) as { id: number }).id;
      options.onProgress?.(rewrapped);
    }
    const dropped = await keyring.dropKeksBelow(tx, target.version);
    await deleteKeyCustody(tx);
    await options.inTransaction?.(tx);
    await options.audit.ledger.append(tx, {
      actor: options.audit.actor,
      action: 'keys.reseal',
      target: { type: 'kek', id: String(target.version) },
      patientId: null,
      outcome: 'success',
      details: { from, to: newRoot.origin, version: target.version, rewrapped, dropped },
    });
    return { version: target.version, rewrapped, dropped };
  });
  keyring.adoptRoot(newRoot);
  return result;
}
