import { sql } from 'kysely';
import { openWithDek } from '../../crypto/envelope.js';
import type { CopyTable } from '../../store/copy-plan.js';
import type { Store } from '../../store/database.js';
import { readRowsAfter, rowKey, tableDigest, type Key } from '../../store/table-copy.js';
import { checkRestoredLedger } from '../backup/index.js';
import type { AppContext } from '../context.js';
import { recordFieldContext, recordKeyContext } from '../records/index.js';
import { plaintextDigest, type AttachmentSide, type AttachmentTransfer } from './attachment-transfer.js';

export interface TableProof {
  readonly table: string;
  readonly sourceRows: number;
  readonly targetRows: number;
  /** Same rows, same values, byte for byte (a SHA-256 over each side in key order). */
  readonly identical: boolean;
}

/**
 * Every table's row count and content digest on both sides, read from the stores themselves:
 * run right after the copy, before the target is opened as an application (opening a split-key
 * vault ledgers its unseal, which is the target's own history, not a difference in the copy).
 */
export async function proveTables(
  source: Store,
  target: Store,
  plan: readonly CopyTable[],
): Promise<{ tables: TableProof[]; problems: string[] }> {
  const problems: string[] = [];
  const tables: TableProof[] = [];
  for (const table of plan) {
    const s = await tableDigest(source.db, source.dialect, table);
    const t = await tableDigest(target.db, target.dialect, table);
    const identical = s.rows === t.rows && s.sha256 === t.sha256;
    if (s.rows !== t.rows)
      problems.push(`table ${table.name}: ${s.rows} rows in the source, ${t.rows} in the target`);
    else if (!identical) problems.push(`table ${table.name}: the same number of rows but different values`);
    tables.push({ table: table.name, sourceRows: s.rows, targetRows: t.rows, identical });
  }
  return { tables, problems };
}

/**
 * Every attachment present in the target at its recorded length; a sample of them (at least one
 * when there is any) decrypted on both sides, each with its own keyring and storage, and their
 * plaintext compared by SHA-256.
 */
export async function proveAttachments(
  source: AppContext,
  plan: readonly CopyTable[],
  attachments: {
    readonly transfer: AttachmentTransfer;
    readonly source: AttachmentSide;
    readonly target: AttachmentSide;
  },
  sample: number,
): Promise<{ checked: number; decrypted: number; problems: string[] }> {
  const problems: string[] = [];
  const list = plan.find((t) => t.name === 'attachments');
  let checked = 0;
  let decrypted = 0;
  // Every n-th attachment, `sample` of them in all.
  const total = list === undefined ? 0 : await countAttachments(source);
  const every = Math.max(1, Math.floor(total / Math.max(1, sample)));
  let from: Key | undefined;
  while (list !== undefined) {
    const rows = await readRowsAfter(source.store.db, source.store.dialect, list, from, 500);
    for (const row of rows) {
      const id = String(row.id);
      const problem = await attachments.transfer.check(id, Number(row.stored_bytes));
      if (problem !== undefined) problems.push(problem);
      if (checked % every === 0 && decrypted < Math.max(1, sample)) {
        const patientId = String(row.patient_id);
        const mine = await plaintextDigest(attachments.source, id, patientId);
        const theirs = await plaintextDigest(attachments.target, id, patientId).catch(
          (err: unknown) => `unreadable (${(err as Error).message})`,
        );
        if (mine !== theirs)
          problems.push(`attachment ${id}: decrypts differently in the target (${theirs})`);
        decrypted++;
      }
      checked++;
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < 500) break;
    from = rowKey(list, last);
  }
  return { checked, decrypted, problems };
}

async function countAttachments(app: AppContext): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from attachments`.execute(app.store.db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * A random sample of records whose title and body are decrypted on both sides (each with its own
 * keyring, data key and place) and compared as plaintext. Nothing decrypted leaves this function.
 */
export async function proveRecords(
  source: AppContext,
  target: AppContext,
  sample: number,
): Promise<{ sampled: number; problems: string[] }> {
  const problems: string[] = [];
  const { rows } = await sql<{ id: string; patient_id: string; title_ct: Buffer; body_ct: Buffer }>`
    select id, patient_id, title_ct, body_ct from records order by random() limit ${sample}`.execute(
    source.store.db,
  );
  for (const row of rows) {
    const there = await target.store.db
      .selectFrom('records')
      .select(['patient_id', 'title_ct', 'body_ct'])
      .where('id', '=', row.id)
      .executeTakeFirst();
    if (there?.patient_id !== row.patient_id) {
      problems.push(`record ${row.id} is missing in the target`);
      continue;
    }
    const keyCtx = recordKeyContext(row.id, row.patient_id);
    for (const field of ['title', 'body'] as const) {
      const ctx = recordFieldContext(row.id, row.patient_id, field);
      try {
        const mine = openWithDek(
          row[`${field}_ct`],
          ctx,
          await source.dataKeys.dekFor(source.store.db, keyCtx),
        );
        const theirs = openWithDek(
          there[`${field}_ct`],
          ctx,
          await target.dataKeys.dekFor(target.store.db, keyCtx),
        );
        if (!mine.equals(theirs))
          problems.push(`record ${row.id}: the ${field} decrypts differently in the target`);
        mine.fill(0);
        theirs.fill(0);
      } catch (err) {
        problems.push(
          `record ${row.id}: the ${field} does not decrypt in the target (${(err as Error).message})`,
        );
      }
    }
  }
  return { sampled: rows.length, problems };
}

export interface LedgerProof {
  readonly sourceSize: number;
  /** The source's last checkpoint (tree size), which the target's log must extend. */
  readonly sourceCheckpoint: number;
  readonly targetSize: number;
  /** What the target's verification and the consistency proof showed, in a sentence. */
  readonly message: string;
  readonly problems: string[];
}

/** The source's ledger verified in full (`audit verify`'s code). */
export async function verifySourceLedger(source: AppContext): Promise<{ size: number; problem?: string }> {
  const mine = await source.audit.ledger.verify(source.store.db);
  return mine.ok
    ? { size: mine.size }
    : { size: 0, problem: `the source's ledger does not verify: ${JSON.stringify(mine)}` };
}

/**
 * After the move is written into the target's ledger: the target's ledger verified in full, held
 * to the source's last signed checkpoint, and an RFC 9162 consistency proof from that checkpoint
 * to a fresh checkpoint of the target, checked offline (the target's log extends the source's,
 * unchanged) — the check a restore makes (backup's `checkRestoredLedger`).
 */
export async function proveTargetLedger(
  target: AppContext,
  sourceSize: number,
  sourceCheckpoint: { readonly treeSize: number; readonly note: string },
): Promise<LedgerProof> {
  const check = await checkRestoredLedger(target, sourceCheckpoint.note);
  return {
    sourceSize,
    sourceCheckpoint: sourceCheckpoint.treeSize,
    targetSize: check.size,
    message: check.message.replace("the backup's checkpoint", "the source's checkpoint"),
    problems: check.ok ? [] : [`the target's ledger: ${check.message}`],
  };
}
