/**
 * The audit ledger service: an append-only log of everything that matters, chained by hash,
 * organised as an RFC 9162 Merkle tree, with signed checkpoints and proofs. Services call
 * `append` inside the transaction of the action it records; HTTP and CLI adapters call the rest.
 * Design and threat model: docs/architecture.md, "Audit ledger".
 */
import { fireCreateHook } from './create-hook.js';
import { formatCheckpoint, signCheckpoint } from '../../crypto/checkpoint.js';
import type { CheckpointKeyChain } from '../../crypto/key-handover.js';
import { HashMac } from '../../crypto/hash-mac.js';
import { completedNodes } from '../../crypto/merkle-plan.js';
import { leafHashHexOfText, nodeHashHex } from '../../crypto/merkle-hex.js';
import { withTransaction, type DbOrTx, type Tx } from '../../store/database.js';
import {
  insertLedgerCheckpoint,
  latestLedgerCheckpoint,
  type LedgerCheckpointRow,
} from '../../store/ledger-checkpoint-repository.js';
import {
  findLedgerEntry,
  insertLedgerEntries,
  insertLedgerNodes,
  listLedgerEntries,
  lockLedgerHead,
  readLedgerHead,
  readLedgerNodes,
  setLedgerHead,
  type LedgerEntryFilter,
  type LedgerNodeRow,
} from '../../store/ledger-repository.js';
import { integrityFailure, invalidInput, notFound } from '../errors.js';
import type { Keyring } from '../keyring.js';
import { isAuditAction } from './actions.js';
import { checkNote } from './checkpoint-stream.js';
import { encodeEntry, entryFromRow, eventColumns, type AuditEvent, type LedgerEntry } from './entry.js';
import { GroupCommit, type GroupCommitStats } from './group-commit.js';
import type { LedgerAppend } from './ledger-append.js';
import {
  consistencyProof,
  inclusionProof,
  rootAt,
  type ConsistencyProof,
  type InclusionProof,
} from './proofs.js';
import { LedgerKeys, type Handover } from './ledger-keys.js';
import { batchNodeHashes } from './batch-nodes.js';
import { verifyLedger, type TrustedCheckpoint, type VerifyOptions, type VerifyResult } from './verify.js';

/**
 * Rows per INSERT of a batch append, under both drivers' bound-parameter limits (SQLite 32,766,
 * PostgreSQL 65,535): an entry row binds 13 values, a node row 3.
 */
const ENTRY_ROWS_PER_INSERT = 1000;
const NODE_ROWS_PER_INSERT = 5000;

/** Entries per group commit at most: one group's transaction stays short for the callers in it. */
const GROUP_MAX_ENTRIES = 2000;

/** Keyring secret whose HMAC marks every entry the ledger wrote. */
export const LEDGER_MAC_SECRET = 'ledger-mac';
export { LEDGER_SIGNING_SECRET } from './ledger-keys.js';

export interface AppendResult {
  readonly seq: number;
  /** Leaf hash, hex (the next entry's prevHash). */
  readonly leafHash: string;
}

/** A signed tree head as stored and served. */
export interface LedgerCheckpoint {
  readonly treeSize: number;
  /** base64, as in the note. */
  readonly root: string;
  /** The C2SP signed note: what a verifier or witness checks. */
  readonly note: string;
  /** When it was signed: epoch ms (the note states the same time in Unix seconds). */
  readonly createdAt: number;
}

/** The ledger's public key in the forms outside tools read. */
export interface LedgerPublicKey {
  readonly origin: string;
  /** signed-note verifier key string (Go's note.NewVerifier format). */
  readonly verifierKey: string;
  readonly pem: string;
}

export interface EntryPage {
  /** Newest first. */
  readonly entries: LedgerEntry[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  readonly nextBefore: number | null;
}

export interface PageRequest {
  /** 1..200, default 50. */
  readonly limit?: number;
  /** Only entries with seq below this (the previous page's nextBefore). */
  readonly before?: number | null;
}

export type { LedgerEntryFilter };

/** An event's validated columns, before the ledger gives them a seq and a time. */
type EventColumns = ReturnType<typeof eventColumns>;

export const MAX_PAGE = 200;
const DEFAULT_PAGE = 50;

export class AuditLedger implements LedgerAppend {
  /** Standalone appends (given the bare database), written in groups. */
  private readonly group = new GroupCommit<EventColumns, AppendResult>(
    (tx, columns) => this.writeBatch(tx, columns),
    GROUP_MAX_ENTRIES,
  );

  private constructor(
    private readonly mac: HashMac,
    /** The checkpoint signing keys: the current one and the chain of handovers. */
    private readonly keys: LedgerKeys,
    private readonly clock: () => number,
  ) {}

  /**
   * Loads (creating on first use) the ledger's MAC and first signing secret from the keyring;
   * keys handed over to later are found by {@link syncKeys} (checkpoint and verify call it).
   */
  static async open(keyring: Keyring, options: { clock?: () => number } = {}): Promise<AuditLedger> {
    const mac = new HashMac(await keyring.secret(LEDGER_MAC_SECRET));
    return new AuditLedger(mac, await LedgerKeys.open(keyring), options.clock ?? Date.now);
  }

  /** Follows handovers another process made; see {@link LedgerKeys.sync}. */
  syncKeys(db: DbOrTx): Promise<CheckpointKeyChain> {
    return this.keys.sync(db);
  }

  /** The ledger's keys, for checking checkpoints (call {@link syncKeys} first to see new handovers). */
  get keyChain(): CheckpointKeyChain {
    return this.keys.keyChain;
  }

  /**
   * Hands the checkpoint signing key over to a new one (ledger-keys.ts), ledgered as
   * `keys.handover` in the same transaction. Checkpoints up to that size verify by the old key,
   * from it on by the new one.
   */
  handOverSigningKey(db: DbOrTx, actor: AuditEvent['actor']): Promise<Handover> {
    return this.keys.handOver(db, this.clock(), (tx, h) =>
      this.append(tx, {
        actor,
        action: 'keys.handover',
        target: { type: 'ledger_key', id: String(h.generation) },
        patientId: null,
        outcome: 'success',
        details: { generation: h.generation, treeSize: h.treeSize, verifierKey: h.verifierKey },
      }),
    );
  }

  /** Every handover statement, oldest first: what an outside verifier follows from the first key. */
  handovers(db: DbOrTx): Promise<string[]> {
    return this.keys.statements(db);
  }

  /** This log's name, e.g. `medvault/1a2b3c4d`. */
  get origin(): string {
    return this.keys.signing.origin;
  }

  /**
   * Appends an entry. Call it with the transaction of the action it records, so both commit or
   * neither does. Given the bare database (a standalone entry, such as a read's) it joins the
   * next group commit (group-commit.ts): written with the entries that arrive alongside it in one
   * transaction, and answered only once that transaction has committed.
   *
   * Serialised by the database: on PostgreSQL it locks the head row (`SELECT … FOR UPDATE`) until
   * the caller's transaction ends, so call it as late in that transaction as practical; on SQLite
   * the transaction's IMMEDIATE write lock already orders writers. Needs READ COMMITTED (the
   * PostgreSQL default) so the statements after the lock see the previous append.
   * @throws AppError invalid_audit_event for an event outside the closed vocabulary.
   */
  async append(db: DbOrTx, event: AuditEvent): Promise<AppendResult> {
    const columns = eventColumns(event);
    if (!db.isTransaction) return (await this.group.submit(db, [columns]))[0]!;
    // A create is always appended in its own transaction: mark its Idempotency-Key there.
    await fireCreateHook(db as Tx, [event]);
    const head = await lockLedgerHead(db);
    const seq = head.size;
    const entry = { seq, time: this.clock(), ...columns };
    const leaf = leafHashHexOfText(encodeEntry(entry, head.lastHash));
    const nodes = await completedNodeHashes(db, seq, leaf, head.lastHash);
    await insertLedgerEntries(db, [
      { ...entry, prev_hash: head.lastHash, leaf_hash: leaf, mac: this.mac.macHex(leaf) },
    ]);
    await insertLedgerNodes(db, nodes);
    await setLedgerHead(db, { size: seq + 1, lastHash: leaf });
    return { seq, leafHash: leaf };
  }

  /**
   * Appends several entries in order, as one append: the head is locked and advanced once, the
   * older tree nodes the batch needs are read in one query (batch-nodes.ts), and the entries and
   * the nodes they complete are written in a few statements whatever their number (a page of
   * search hits or of listed patients is one entry per hit or patient). Given the bare database,
   * the entries join the next group commit as one contiguous run, like {@link append}.
   * @throws AppError invalid_audit_event for an event outside the closed vocabulary.
   */
  async appendMany(db: DbOrTx, events: readonly AuditEvent[]): Promise<AppendResult[]> {
    if (events.length === 0) return [];
    const columns = events.map(eventColumns);
    if (!db.isTransaction) return this.group.submit(db, columns);
    await fireCreateHook(db as Tx, events);
    return this.writeBatch(db, columns);
  }

  /** Groups written so far by the group commit, and their entries (tests, bench). */
  get groupCommitStats(): Readonly<GroupCommitStats> {
    return this.group.stats;
  }

  /** Writes `columns` as the next entries, inside `tx` (which must be a transaction). */
  private async writeBatch(tx: DbOrTx, columns: readonly EventColumns[]): Promise<AppendResult[]> {
    const head = await lockLedgerHead(tx);
    let lastHash = head.lastHash;
    const rows = columns.map((c, k) => {
      const seq = head.size + k;
      const entry = { seq, time: this.clock(), ...c };
      const leaf = leafHashHexOfText(encodeEntry(entry, lastHash));
      const row = { ...entry, prev_hash: lastHash, leaf_hash: leaf, mac: this.mac.macHex(leaf) };
      lastHash = leaf;
      return row;
    });
    const leaves = rows.map((r) => r.leaf_hash);
    const nodes = await batchNodeHashes(tx, head.size, head.lastHash, leaves);
    for (let i = 0; i < rows.length; i += ENTRY_ROWS_PER_INSERT)
      await insertLedgerEntries(tx, rows.slice(i, i + ENTRY_ROWS_PER_INSERT));
    for (let i = 0; i < nodes.length; i += NODE_ROWS_PER_INSERT)
      await insertLedgerNodes(tx, nodes.slice(i, i + NODE_ROWS_PER_INSERT));
    await setLedgerHead(tx, { size: head.size + rows.length, lastHash });
    return rows.map((r) => ({ seq: r.seq, leafHash: r.leaf_hash }));
  }

  /** Signs the current tree head {origin, size, root, time}, stores it and returns it. */
  async checkpoint(db: DbOrTx): Promise<LedgerCheckpoint> {
    await this.syncKeys(db);
    return withTransaction(db, async (tx) => {
      const { size } = await readLedgerHead(tx);
      const root = await rootAt(tx, size);
      const createdAt = this.clock();
      const body = formatCheckpoint({
        origin: this.keys.signing.origin,
        treeSize: size,
        rootHash: root,
        timestamp: Math.floor(createdAt / 1000),
      });
      const note = signCheckpoint(body, this.keys.signing.origin, this.keys.signing.privateKey);
      await insertLedgerCheckpoint(tx, { treeSize: size, root: root.toString('hex'), note, createdAt });
      return { treeSize: size, root: root.toString('base64'), note, createdAt };
    });
  }

  /** The checkpoint of the largest tree signed so far, or null. */
  async latestCheckpoint(db: DbOrTx): Promise<LedgerCheckpoint | null> {
    const row = await latestLedgerCheckpoint(db);
    return row === undefined ? null : toCheckpoint(row);
  }

  publicKey(): LedgerPublicKey {
    return {
      origin: this.keys.signing.origin,
      verifierKey: this.keys.signing.verifierKey,
      pem: this.keys.signing.pem,
    };
  }

  /** How many entries the log holds. */
  async size(db: DbOrTx): Promise<number> {
    return (await readLedgerHead(db)).size;
  }

  /** RFC 9162 inclusion proof of entry `index` in the tree of the first `treeSize` entries. */
  inclusionProof(db: DbOrTx, index: number, treeSize: number): Promise<InclusionProof> {
    return inclusionProof(db, index, treeSize);
  }

  /** RFC 9162 consistency proof between the trees of `from` and `to` entries. */
  consistencyProof(db: DbOrTx, from: number, to: number): Promise<ConsistencyProof> {
    return consistencyProof(db, from, to);
  }

  /** One entry. @throws AppError not_found. */
  async entry(db: DbOrTx, seq: number): Promise<LedgerEntry> {
    const row = Number.isSafeInteger(seq) && seq >= 0 ? await findLedgerEntry(db, seq) : undefined;
    if (row === undefined) throw notFound('ledger entry');
    return entryFromRow(row);
  }

  /** An entry's canonical bytes as text (what its leaf hash is over), rebuilt from its columns. */
  async canonicalEntry(db: DbOrTx, seq: number): Promise<string> {
    const row = Number.isSafeInteger(seq) && seq >= 0 ? await findLedgerEntry(db, seq) : undefined;
    if (row === undefined) throw notFound('ledger entry');
    return encodeEntry(row, row.prev_hash);
  }

  /**
   * A page of entries matching `filter`, newest first.
   * @throws AppError invalid_input for a limit outside 1..200, a bad cursor or time, or an unknown action.
   */
  async entries(db: DbOrTx, filter: LedgerEntryFilter = {}, page: PageRequest = {}): Promise<EntryPage> {
    const limit = page.limit ?? DEFAULT_PAGE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw invalidInput(`limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const before = page.before ?? null;
    if (before !== null && (!Number.isSafeInteger(before) || before < 0)) {
      throw invalidInput('before must be a sequence number');
    }
    if (filter.action !== undefined && !isAuditAction(filter.action))
      throw invalidInput('unknown audit action');
    for (const t of [filter.from, filter.to]) {
      if (t !== undefined && !Number.isSafeInteger(t))
        throw invalidInput('from and to must be epoch milliseconds');
    }
    const rows = await listLedgerEntries(db, filter, before, limit + 1);
    const entries = rows.slice(0, limit).map(entryFromRow);
    const last = entries.at(-1);
    return { entries, nextBefore: rows.length > limit && last !== undefined ? last.seq : null };
  }

  /**
   * Verifies the whole log (see ./verify.ts). `checkpoints` are signed notes kept outside the
   * database (a witness's copy, a file): the log is held to them as to the stored ones.
   * @throws AppError invalid_input if a given checkpoint is not signed by this ledger's key.
   */
  async verify(
    db: DbOrTx,
    options: VerifyOptions & {
      readonly checkpoints?: readonly (string | { readonly note: string; readonly label: string })[];
    } = {},
  ): Promise<VerifyResult> {
    const chain = await this.syncKeys(db);
    const trusted: TrustedCheckpoint[] = (options.checkpoints ?? []).map((given, i) => {
      const { note, label } =
        typeof given === 'string' ? { note: given, label: `the given checkpoint ${i + 1}` } : given;
      const checked = checkNote(note, chain);
      if (typeof checked === 'string') throw invalidInput(`${label} is refused: ${checked}`);
      return { ...checked, note, label };
    });
    return verifyLedger(db, this.mac, chain, trusted, options);
  }
}

/**
 * Hashes of the nodes leaf `seq` completes (level ≥ 1), reading the left children it needs in one
 * query. The level-1 left child is the previous leaf, which the head already holds.
 */
async function completedNodeHashes(
  tx: DbOrTx,
  seq: number,
  leaf: string,
  previousLeaf: string,
): Promise<LedgerNodeRow[]> {
  const nodes = completedNodes(seq).slice(1);
  if (nodes.length === 0) return [];
  const wanted = nodes.slice(1).map((n) => (n.children as NonNullable<typeof n.children>)[0]);
  const stored = wanted.length === 0 ? [] : await readLedgerNodes(tx, wanted);
  const left = new Map(stored.map((r) => [r.level, r.hash]));
  left.set(0, previousLeaf);
  let h = leaf;
  return nodes.map((node) => {
    const sibling = left.get(node.level - 1);
    if (sibling === undefined) {
      throw integrityFailure('The audit ledger is missing a tree node: run `medvault audit verify`.');
    }
    h = nodeHashHex(sibling, h);
    return { level: node.level, idx: node.index, hash: h };
  });
}

function toCheckpoint(row: LedgerCheckpointRow): LedgerCheckpoint {
  return {
    treeSize: row.treeSize,
    root: Buffer.from(row.root, 'hex').toString('base64'),
    note: row.note,
    createdAt: row.createdAt,
  };
}
