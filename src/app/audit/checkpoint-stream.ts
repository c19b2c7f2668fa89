import { IntegrityError } from '../../crypto/errors.js';
import type { DbOrTx } from '../../store/database.js';
import { ledgerCheckpointsAfter } from '../../store/ledger-checkpoint-repository.js';
import type { CheckpointVerifier } from './checkpoint-verifier.js';

/** A checkpoint the verifier holds the log to, by tree size. */
export interface PendingCheckpoint {
  readonly treeSize: number;
  /** Root hash, hex; null when the checkpoint itself is bad (see `problem`). */
  readonly rootHex: string | null;
  /** Unix seconds from the signed body, 0 if it does not parse. */
  readonly timestamp: number;
  readonly note: string;
  /** "checkpoint #12" or "checkpoint file 2", for messages. */
  readonly label: string;
  /** Why this checkpoint cannot vouch for anything (bad signature, row disagrees with note). */
  readonly problem: string | null;
}

const BATCH = 500;

/**
 * The stored checkpoints in tree-size order, read in batches of 500 beside the entries, merged
 * with checkpoints supplied from outside the database (which an attacker with the database
 * cannot have removed). Each is checked for our signature as it is read.
 */
export class CheckpointStream {
  #buffer: PendingCheckpoint[] = [];
  #cursor: { treeSize: number; id: number } | null = null;
  #exhausted = false;
  readonly #extra: PendingCheckpoint[];

  constructor(
    private readonly db: DbOrTx,
    private readonly key: CheckpointVerifier,
    extra: readonly PendingCheckpoint[],
  ) {
    this.#extra = [...extra].sort((a, b) => a.treeSize - b.treeSize);
  }

  /** The checkpoint with the smallest tree size not yet taken, if any. */
  async peek(): Promise<PendingCheckpoint | undefined> {
    if (this.#buffer.length === 0 && !this.#exhausted) await this.#load();
    const stored = this.#buffer[0];
    const extra = this.#extra[0];
    if (extra !== undefined && (stored === undefined || extra.treeSize <= stored.treeSize)) return extra;
    return stored;
  }

  /** Removes what {@link peek} returned. */
  async take(): Promise<PendingCheckpoint | undefined> {
    const next = await this.peek();
    if (next === undefined) return undefined;
    if (next === this.#extra[0]) this.#extra.shift();
    else this.#buffer.shift();
    return next;
  }

  async #load(): Promise<void> {
    const rows = await ledgerCheckpointsAfter(this.db, this.#cursor, BATCH);
    if (rows.length < BATCH) this.#exhausted = true;
    const last = rows.at(-1);
    if (last !== undefined) this.#cursor = { treeSize: last.treeSize, id: last.id };
    this.#buffer = rows.map((row) => {
      const label = `checkpoint #${row.id}`;
      const checked = checkNote(row.note, this.key);
      if (typeof checked === 'string') {
        return {
          treeSize: row.treeSize,
          rootHex: null,
          timestamp: 0,
          note: row.note,
          label,
          problem: checked,
        };
      }
      // The columns are what the verifier orders by; the note is what was signed. They must agree.
      const agrees = checked.treeSize === row.treeSize && checked.rootHex === row.root;
      return {
        ...checked,
        treeSize: row.treeSize,
        note: row.note,
        label,
        problem: agrees ? null : 'its stored size or root differ from what its signed note states',
      };
    });
  }
}

/**
 * Checks a signed checkpoint against the ledger's keys (the first and every one handed over) and
 * origin: the parsed tree head, or why it is not acceptable.
 */
export function checkNote(
  note: string,
  key: CheckpointVerifier,
): { treeSize: number; rootHex: string; timestamp: number } | string {
  try {
    const cp = key.verify(note);
    return { treeSize: cp.treeSize, rootHex: cp.rootHash.toString('hex'), timestamp: cp.timestamp };
  } catch (err) {
    if (err instanceof IntegrityError) return `it is not validly signed by this ledger's key (${err.reason})`;
    throw err;
  }
}
