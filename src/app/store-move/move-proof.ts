import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { PROOF_FORMAT, checkConsistencyOffline, type LedgerCheckpoint } from '../audit/index.js';
import { recordFieldContext, recordKeyContext } from '../records/index.js';
import { openWithDek } from '../../crypto/envelope.js';
import type { AppContext } from '../context.js';
import { TABLE_ORDER, type TableName } from '../../store/store-tables.js';
import { tableDigest } from '../../store/table-copy.js';
import { forEachAttachment } from './table-mover.js';
import type { AttachmentTransfer } from './attachment-transfer.js';

export interface TableProof {
  readonly table: TableName;
  readonly sourceRows: number;
  readonly targetRows: number;
  /** Same rows, same values, byte for byte (a SHA-256 over both sides in key order). */
  readonly identical: boolean;
}

export interface ContentProof {
  readonly tables: readonly TableProof[];
  readonly attachments: { readonly checked: number; readonly sampled: number };
  readonly problems: string[];
}

/**
 * Row counts and content digests of every table on both sides, every attachment present whole in
 * the target, and the ciphertext of a sample of attachments compared by SHA-256. Run right after
 * the copy, before anything writes to the target.
 */
export async function proveContent(
  source: AppContext,
  target: AppContext,
  attachments: AttachmentTransfer,
  options: { readonly batchSize: number; readonly sample: number },
): Promise<ContentProof> {
  const problems: string[] = [];
  const tables: TableProof[] = [];
  for (const table of TABLE_ORDER) {
    const s = await tableDigest(source.store.db, source.store.dialect, table);
    const t = await tableDigest(target.store.db, target.store.dialect, table);
    const identical = s.rows === t.rows && s.sha256 === t.sha256;
    if (s.rows !== t.rows)
      problems.push(`table ${table}: ${s.rows} rows in the source, ${t.rows} in the target`);
    else if (!identical) problems.push(`table ${table}: the same number of rows but different values`);
    tables.push({ table, sourceRows: s.rows, targetRows: t.rows, identical });
  }
  let checked = 0;
  const sampleIds: string[] = [];
  await forEachAttachment(source.store, options.batchSize, async (batch) => {
    for (const a of batch) {
      const problem = await attachments.check(a.id, a.storedBytes);
      if (problem !== undefined) problems.push(problem);
      checked++;
      // Reservoir sample: every attachment equally likely, whatever the count.
      if (sampleIds.length < options.sample) sampleIds.push(a.id);
      else {
        const j = randomInt(checked);
        if (j < options.sample) sampleIds[j] = a.id;
      }
    }
  });
  for (const id of sampleIds) {
    const d = await attachments.digests(id);
    if (d.source !== d.target) problems.push(`attachment ${id}: the target's bytes differ from the source's`);
  }
  return { tables, attachments: { checked, sampled: sampleIds.length }, problems };
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
    if (there === undefined || there.patient_id !== row.patient_id) {
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
        problems.push(`record ${row.id}: the ${field} does not decrypt (${(err as Error).message})`);
      }
    }
  }
  return { sampled: rows.length, problems };
}

export interface LedgerProof {
  readonly sourceSize: number;
  /** The source's last checkpoint, which the target must extend. */
  readonly sourceCheckpoint: number;
  readonly targetSize: number;
  /** What the consistency proof showed, in a sentence. */
  readonly consistency: string;
  readonly problems: string[];
}

/**
 * The ledger verified in full on both sides (the target also held to the source's last signed
 * checkpoint), then, after `record` wrote the move into the target's ledger, a new checkpoint
 * signed on the target and an RFC 9162 consistency proof from the source's last checkpoint to it,
 * checked offline with the source's verifier key: the target's log extends the source's, unchanged.
 */
export async function proveLedger(
  source: AppContext,
  target: AppContext,
  sourceCheckpoint: LedgerCheckpoint,
  record: () => Promise<void>,
): Promise<LedgerProof> {
  const problems: string[] = [];
  const mine = await source.audit.verification.verify();
  if (!mine.ok) problems.push(`the source's ledger does not verify: ${mine.message}`);
  const theirs = await target.audit.verification.verify({ given: [sourceCheckpoint.note] });
  if (!theirs.ok) problems.push(`the target's ledger does not verify: ${theirs.message}`);
  const sourceSize = await source.audit.ledger.size(source.store.db);
  await record();
  const head = await target.audit.ledger.checkpoint(target.store.db);
  const proof = await target.audit.ledger.consistencyProof(
    target.store.db,
    sourceCheckpoint.treeSize,
    head.treeSize,
  );
  const check = checkConsistencyOffline(
    { format: PROOF_FORMAT, type: 'consistency', origin: source.audit.ledger.origin, ...proof },
    sourceCheckpoint.note,
    head.note,
    source.audit.ledger.publicKey().verifierKey,
  );
  if (!check.ok) problems.push(`consistency proof: ${check.message}`);
  return {
    sourceSize,
    sourceCheckpoint: sourceCheckpoint.treeSize,
    targetSize: head.treeSize,
    consistency: check.message,
    problems,
  };
}
