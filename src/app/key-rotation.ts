import { rewrapDek } from '../crypto/envelope.js';
import { withTransaction, type Db } from '../store/database.js';
import {
  countDataKeysByVersion,
  dataKeysNotOnVersion,
  replaceWrappedDataKeys,
} from '../store/data-key-repository.js';
import type { Keyring } from './keyring.js';
import type { AuditLedger } from './audit/ledger.js';
import type { AuditActor } from './audit/entry.js';

export interface RotationPlan {
  /** The KEK version every DEK ends up wrapped by. */
  readonly version: number;
  /** True when an earlier, interrupted rotation is being finished rather than a new one started. */
  readonly resumed: boolean;
  /** DEKs to re-wrap. */
  readonly pending: number;
}

export interface RotationOptions {
  readonly batchSize?: number;
  readonly onStart?: (plan: RotationPlan) => void;
  /** Called after each committed batch with the running total. */
  readonly onBatch?: (rewrapped: number) => void;
  /** Where to record the rotation (a `keys.rotate` entry), and who ran it (null: the operator's CLI). */
  readonly audit?: { readonly ledger: AuditLedger; readonly actor: AuditActor | null };
}

export interface RotationResult extends RotationPlan {
  readonly rewrapped: number;
}

/**
 * Rotates the key-encryption key: adds a KEK version, then re-wraps every DEK under it in
 * batches, one transaction per batch, never touching an object's payload.
 *
 * Resumable by construction: progress is the DEKs' own `kek_version`, so a rotation killed
 * midway leaves committed batches on the new version and the rest on old ones. Run again, it
 * sees DEKs not on the newest version and finishes that rotation instead of adding another.
 */
export async function rotateKeys(
  db: Db,
  keyring: Keyring,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 2000;
  await keyring.reload();
  const current = keyring.currentKek();
  const counts = await countDataKeysByVersion(db);
  const pendingOnCurrent = sum(counts) - (counts.get(current.version) ?? 0);
  const resumed = pendingOnCurrent > 0;
  const target = resumed ? current : await keyring.addKekVersion();
  const plan: RotationPlan = {
    version: target.version,
    resumed,
    pending: resumed ? pendingOnCurrent : sum(counts),
  };
  options.onStart?.(plan);

  let rewrapped = 0;
  let afterId = 0;
  for (;;) {
    const batch = await dataKeysNotOnVersion(db, target.version, afterId, batchSize);
    if (batch.length === 0) break;
    if (batch.some((row) => !keyring.has(row.kekVersion))) await keyring.reload();
    const rewrappedBatch = batch.map((row) => ({
      id: row.id,
      wrapped: rewrapDek(row.wrapped, row, keyring.lookup, target),
    }));
    rewrapped += await withTransaction(db, (tx) =>
      replaceWrappedDataKeys(tx, target.version, rewrappedBatch),
    );
    afterId = (batch.at(-1) as { id: number }).id;
    options.onBatch?.(rewrapped);
  }
  // Recorded when the rotation completes, so the entry states what was done. The KEK version is
  // added in the keyring's own transaction; a rotation killed before this point leaves the version
  // without an entry until the re-run that finishes it writes one (with resumed: true).
  await options.audit?.ledger.append(db, {
    actor: options.audit.actor,
    action: 'keys.rotate',
    target: { type: 'kek', id: String(target.version) },
    patientId: null,
    outcome: 'success',
    details: { version: target.version, rewrapped, resumed },
  });
  return { ...plan, rewrapped };
}

/** How many DEKs each KEK version wraps, with every known version listed. */
export async function keyStatus(
  db: Db,
  keyring: Keyring,
): Promise<Array<{ version: number; deks: number; current: boolean }>> {
  await keyring.reload();
  const counts = await countDataKeysByVersion(db);
  const current = keyring.currentKek().version;
  const versions = new Set([...keyring.versions(), ...counts.keys()]);
  return [...versions]
    .sort((a, b) => a - b)
    .map((version) => ({ version, deks: counts.get(version) ?? 0, current: version === current }));
}

function sum(counts: Map<number, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
