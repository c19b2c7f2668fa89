import type { CopyTable } from '../../store/copy-plan.js';
import { withTransaction, type Store } from '../../store/database.js';
import { saveMoveState, type MoveStateRow } from '../../store/move-state.js';
import {
  advanceIdentity,
  countRows,
  deleteAllRows,
  insertRows,
  readRowsAfter,
  rowKey,
  rowBytes,
} from '../../store/table-copy.js';
import type { AttachmentTransfer } from './attachment-transfer.js';

/** The item of the attachment contents in the move's state. */
export const ATTACHMENTS_ITEM = 'attachments';

/** Thrown by the test seam `stopAfterBatches`: the copy stops as if killed after that many batches. */
export class MoveInterrupted extends Error {
  override readonly name = 'MoveInterrupted';
}

/** What the copy reports as it goes (the CLI draws one progress bar per table and for attachments). */
export interface CopyProgress {
  /** A table (or `attachments`) starts: `total` rows in the source, `done` copied by earlier runs. */
  readonly onItem?: (item: string, total: number, done: number) => void;
  /** After each committed batch of the current item: how many of its rows are copied. */
  readonly onDone?: (done: number) => void;
}

export interface CopyOptions extends CopyProgress {
  readonly batchSize: number;
  /** The source's fingerprint, written on every state row. */
  readonly source: string;
  /** Tests only: stop (throw MoveInterrupted) once this many batches have committed. */
  readonly stopAfterBatches?: number;
}

export interface CopyResult {
  /** Rows and their bytes written by this run (earlier runs' are not counted). */
  readonly rows: number;
  readonly bytes: number;
  readonly attachments: number;
  readonly attachmentBytes: number;
  readonly seconds: number;
}

/**
 * Copies every table of `plan` (foreign-key order), then every attachment's content, from
 * `source` into `target`, continuing from `state` (what earlier runs copied).
 *
 * Each table is read in primary-key order, a batch at a time; each batch is inserted in ONE
 * target transaction together with the table's state row (last key, rows, bytes), so a run
 * killed anywhere leaves a state that names exactly the rows that are there. A table's first
 * batch also deletes what migrations put in it (the ledger head, the privacy lock), and its last
 * moves its identity sequence past the copied ids. Attachments follow in id order, through the
 * {@link AttachmentTransfer}; their state row is saved after each batch, and a batch cut short is
 * copied again (each copy removes what a killed one left).
 */
export async function copyTables(
  source: Store,
  target: Store,
  plan: readonly CopyTable[],
  state: ReadonlyMap<string, MoveStateRow>,
  transfer: AttachmentTransfer,
  options: CopyOptions,
): Promise<CopyResult> {
  const started = process.hrtime.bigint();
  let batches = 0;
  const committed = (): void => {
    batches++;
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches)
      throw new MoveInterrupted(`stopped after ${batches} batches`);
  };
  let rows = 0;
  let bytes = 0;

  for (const table of plan) {
    const before = state.get(table.name);
    if (before?.done === true) continue;
    let at: MoveStateRow = before ?? {
      item: table.name,
      source: options.source,
      lastKey: undefined,
      rows: 0,
      bytes: 0,
      done: false,
    };
    options.onItem?.(table.name, await countRows(source.db, table.name), at.rows);
    let first = before === undefined;
    while (!at.done) {
      const batch = await readRowsAfter(source.db, source.dialect, table, at.lastKey, options.batchSize);
      const last = batch.at(-1);
      const batchBytes = batch.reduce((n, r) => n + rowBytes(r), 0);
      const next: MoveStateRow = {
        ...at,
        lastKey: last === undefined ? at.lastKey : rowKey(table, last),
        rows: at.rows + batch.length,
        bytes: at.bytes + batchBytes,
        done: batch.length < options.batchSize,
      };
      const clear = first;
      await withTransaction(target.db, async (tx) => {
        if (clear) await deleteAllRows(tx, table.name);
        await insertRows(tx, table, batch);
        if (next.done) await advanceIdentity(tx, table);
        await saveMoveState(tx, next);
      });
      first = false;
      at = next;
      rows += batch.length;
      bytes += batchBytes;
      options.onDone?.(at.rows);
      committed();
    }
  }

  const moved = await copyAttachments(source, target, plan, state, transfer, options, committed);
  return { rows, bytes, ...moved, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function copyAttachments(
  source: Store,
  target: Store,
  plan: readonly CopyTable[],
  state: ReadonlyMap<string, MoveStateRow>,
  transfer: AttachmentTransfer,
  options: CopyOptions,
  committed: () => void,
): Promise<{ attachments: number; attachmentBytes: number }> {
  const list = plan.find((t) => t.name === 'attachments');
  const before = state.get(ATTACHMENTS_ITEM);
  if (list === undefined || before?.done === true) return { attachments: 0, attachmentBytes: 0 };
  let at: MoveStateRow = before ?? {
    item: ATTACHMENTS_ITEM,
    source: options.source,
    lastKey: undefined,
    rows: 0,
    bytes: 0,
    done: false,
  };
  options.onItem?.(ATTACHMENTS_ITEM, await countRows(source.db, 'attachments'), at.rows);
  let attachments = 0;
  let attachmentBytes = 0;
  while (!at.done) {
    const batch = await readRowsAfter(source.db, source.dialect, list, at.lastKey, options.batchSize);
    let batchBytes = 0;
    for (const row of batch) batchBytes += await transfer.copy(String(row.id));
    const last = batch.at(-1);
    at = {
      ...at,
      lastKey: last === undefined ? at.lastKey : rowKey(list, last),
      rows: at.rows + batch.length,
      bytes: at.bytes + batchBytes,
      done: batch.length < options.batchSize,
    };
    await saveMoveState(target.db, at);
    attachments += batch.length;
    attachmentBytes += batchBytes;
    options.onDone?.(at.rows);
    committed();
  }
  return { attachments, attachmentBytes };
}
