import { withTransaction, type Store } from '../../store/database.js';
import { TABLE_ORDER, tableSpec, type TableName } from '../../store/store-tables.js';
import {
  advanceIdentity,
  countRows,
  deleteAllRows,
  insertRows,
  lastKey,
  readRowsAfter,
  rowKey,
  type Key,
} from '../../store/table-copy.js';
import type { AttachmentTransfer } from './attachment-transfer.js';

/** Thrown by the test seam `stopAfterBatches`: the move stops as if killed after that many batches. */
export class MoveInterrupted extends Error {
  override readonly name = 'MoveInterrupted';
}

export interface CopyOptions {
  readonly batchSize: number;
  /** Called after each committed batch (rows or attachments) with the running total. */
  readonly onProgress?: (done: number) => void;
  /** Tests only: stop (throw MoveInterrupted) once this many batches have committed. */
  readonly stopAfterBatches?: number;
}

export interface CopyResult {
  /** Rows written by this run (earlier runs' rows are not counted). */
  readonly rowsCopied: number;
  readonly attachmentsCopied: number;
  readonly attachmentBytes: number;
}

/**
 * Copies every table, then every attachment, from `source` to `target`.
 *
 * Resumable by construction: tables are copied in foreign-key order, each in primary-key order,
 * one target transaction per batch, so what a killed run leaves is, per table, a prefix of the
 * source's rows. The next run starts each table after the target's largest key (a table already
 * whole copies nothing). Seeded tables (one-row tables a migration fills) are replaced whole in
 * one transaction. Attachments are skipped when the target already holds them whole.
 */
export async function copyTables(
  source: Store,
  target: Store,
  attachments: AttachmentTransfer,
  options: CopyOptions,
): Promise<CopyResult> {
  let batches = 0;
  let done = 0;
  let rowsCopied = 0;
  const committed = (n: number): void => {
    done += n;
    options.onProgress?.(done);
    batches++;
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches)
      throw new MoveInterrupted(`stopped after ${batches} batches`);
  };

  for (const table of TABLE_ORDER) {
    const spec = tableSpec(table);
    if (spec.seeded === true) {
      const rows = await readRowsAfter(source.db, source.dialect, table, undefined, 1000);
      await withTransaction(target.db, async (tx) => {
        await deleteAllRows(tx, table);
        await insertRows(tx, target.dialect, table, rows);
      });
      rowsCopied += rows.length;
      committed(rows.length);
      continue;
    }
    let from: Key | undefined = await lastKey(target.db, target.dialect, table);
    if (from !== undefined) done += await countRows(target.db, table);
    for (;;) {
      const rows = await readRowsAfter(source.db, source.dialect, table, from, options.batchSize);
      const last = rows.at(-1);
      if (last === undefined) break;
      await withTransaction(target.db, (tx) => insertRows(tx, target.dialect, table, rows));
      rowsCopied += rows.length;
      from = rowKey(table, last);
      committed(rows.length);
      if (rows.length < options.batchSize) break;
    }
    await advanceIdentity(target.db, target.dialect, table);
  }

  let attachmentsCopied = 0;
  let attachmentBytes = 0;
  await forEachAttachment(source, options.batchSize, async (batch) => {
    for (const a of batch) {
      const bytes = await attachments.copy(a.id, a.storedBytes);
      if (bytes > 0) attachmentsCopied++;
      attachmentBytes += bytes;
    }
    committed(batch.length);
  });
  return { rowsCopied, attachmentsCopied, attachmentBytes };
}

export interface AttachmentRef {
  readonly id: string;
  readonly storedBytes: number;
}

/** Every attachment of `store` in id order, a batch at a time. */
export async function forEachAttachment(
  store: Store,
  batchSize: number,
  fn: (batch: AttachmentRef[]) => Promise<void>,
): Promise<void> {
  let from: Key | undefined;
  for (;;) {
    const rows = await readRowsAfter(store.db, store.dialect, 'attachments', from, batchSize);
    const last = rows.at(-1);
    if (last === undefined) return;
    await fn(rows.map((r) => ({ id: String(r.id), storedBytes: Number(r.stored_bytes) })));
    from = rowKey('attachments', last);
    if (rows.length < batchSize) return;
  }
}

/** Rows per table of `store`, in copy order. */
export async function tableCounts(store: Store): Promise<Map<TableName, number>> {
  const counts = new Map<TableName, number>();
  for (const table of TABLE_ORDER) counts.set(table, await countRows(store.db, table));
  return counts;
}
