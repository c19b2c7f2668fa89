/**
 * Bench-only bulk loader: fills an empty ledger with `n` entries as `append` would write them —
 * the same validation, canonical encoding, leaf hash, MAC and tree nodes — but in big multi-row
 * inserts, so a 1,000,000-entry log takes a minute rather than hours of single appends.
 */
import { hash } from 'node:crypto';
import { eventColumns, encodeEntry, ZERO_HASH_HEX, type AuditEvent } from '../src/app/audit/entry.js';
import type { HashMac } from '../src/crypto/hash-mac.js';
import { HexMerkleAccumulator, leafHashHexOfText } from '../src/crypto/merkle-hex.js';
import { withTransaction, type Store } from '../src/store/database.js';
import {
  insertLedgerEntries,
  insertLedgerNodes,
  setLedgerHead,
  type LedgerEntryRow,
  type LedgerNodeRow,
} from '../src/store/ledger-repository.js';
import { startProgress } from '../src/cli/progress.js';

const ACTIONS = ['record.read', 'record.create', 'login.success', 'prescription.sign', 'search.hit'] as const;

/** A deterministic, realistic-looking event (ids and counts only, as the ledger holds). */
export function benchEvent(i: number): AuditEvent {
  return {
    actor: { userId: `u-${(i * 7919) % 5000}`, role: i % 3 === 0 ? 'patient' : 'doctor' },
    action: ACTIONS[i % ACTIONS.length] as AuditEvent['action'],
    target: { type: 'record', id: `rec-${(i * 104729) % 1_000_000}` },
    patientId: `pat-${i % 20_000}`,
    outcome: i % 50 === 0 ? 'denied' : 'success',
    details: { recordVersion: i % 9, via: 'api' },
  };
}

export interface LoadResult {
  /** Seconds spent SHA-256-hashing the entries' canonical bytes alone (crypto.hash → Buffer). */
  readonly rawHashSeconds: number;
  /** The same with hex output, Node's fastest one-shot form. */
  readonly rawHashHexSeconds: number;
}

const ROWS_PER_INSERT = 2000; // 13 columns: 26,000 parameters, under SQLite's and PostgreSQL's limits
const NODES_PER_INSERT = 5000;
const ROWS_PER_TRANSACTION = 20_000;

/** Loads entries 0..n−1 into an empty ledger and sets its head. */
export async function bulkLoadLedger(store: Store, mac: HashMac, n: number): Promise<LoadResult> {
  const acc = new HexMerkleAccumulator();
  let prev = ZERO_HASH_HEX;
  let rawHashSeconds = 0;
  let rawHashHexSeconds = 0;
  const progress = startProgress(
    `loading ${n.toLocaleString('en-US')} ledger entries on ${store.dialect}`,
    n,
  );
  const t0 = 1_714_000_000_000;
  for (let start = 0; start < n; start += ROWS_PER_TRANSACTION) {
    const end = Math.min(n, start + ROWS_PER_TRANSACTION);
    const entries: LedgerEntryRow[] = [];
    const nodes: LedgerNodeRow[] = [];
    const texts: Buffer[] = [];
    for (let seq = start; seq < end; seq++) {
      const row = { seq, time: t0 + seq * 13, ...eventColumns(benchEvent(seq)) };
      const text = encodeEntry(row, prev);
      texts.push(Buffer.from(text, 'utf8'));
      const leaf = leafHashHexOfText(text);
      entries.push({ ...row, prev_hash: prev, leaf_hash: leaf, mac: mac.macHex(leaf) });
      const completed = acc.push(leaf);
      for (let level = 1; level < completed.length; level++) {
        nodes.push({ level, idx: (seq + 1) / 2 ** level - 1, hash: completed[level] as string });
      }
      prev = leaf;
    }
    rawHashSeconds += timeHashing(texts, 'buffer');
    rawHashHexSeconds += timeHashing(texts, 'hex');
    await withTransaction(store.db, async (tx) => {
      for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
        await insertLedgerEntries(tx, entries.slice(i, i + ROWS_PER_INSERT));
      }
      for (let i = 0; i < nodes.length; i += NODES_PER_INSERT) {
        await insertLedgerNodes(tx, nodes.slice(i, i + NODES_PER_INSERT));
      }
      await setLedgerHead(tx, { size: end, lastHash: prev });
    });
    progress.update(end);
  }
  progress.stop();
  return { rawHashSeconds, rawHashHexSeconds };
}

function timeHashing(texts: readonly Buffer[], encoding: 'buffer' | 'hex'): number {
  const started = process.hrtime.bigint();
  let sink = 0;
  for (const t of texts) sink += hash('sha256', t, encoding).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return seconds;
}
