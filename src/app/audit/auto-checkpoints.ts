/**
 * The server's own checkpoints: a background task of `medvault serve` signs a checkpoint when the
 * log has grown by N entries or T seconds have passed since the last one (only if it grew), and
 * publishes every new checkpoint outside the database — appended to the checkpoint file and
 * submitted to the configured witnesses, whose cosigned copies are appended too. Before this,
 * checkpoints were signed only when someone asked, so deleting the newest entries together with
 * the head row went unnoticed.
 *
 * It also watches for what it can see from here: a database whose log or newest checkpoint is
 * smaller than what was already published, and a witness that has cosigned more, are reported.
 */
import { IntegrityError } from '../../crypto/errors.js';
import type { Db } from '../../store/database.js';
import { appendCheckpointNote, readCheckpointNotes } from './checkpoint-file.js';
import type { AuditLedger, LedgerCheckpoint } from './ledger.js';
import type { WitnessClient } from './witness-client.js';

export interface CheckpointPolicy {
  /** Sign when the log grew by this many entries since the last checkpoint. */
  readonly everyEntries: number;
  /** …or when the last checkpoint is this old and the log grew at all. */
  readonly everySeconds: number;
}

export interface CheckpointOutlets {
  /** The append-only checkpoint file, outside the database. */
  readonly file: string;
  readonly witnesses: readonly WitnessClient[];
}

/** What one run of the task did, for tests and the final run at shutdown. */
export interface TickResult {
  /** The checkpoint signed by this run, if any. */
  readonly signed: LedgerCheckpoint | null;
  /** The size appended to the checkpoint file by this run, if any. */
  readonly published: number | null;
  /** Witness name → the size it cosigned in this run. */
  readonly cosigned: ReadonlyMap<string, number>;
}

/** How often the task looks at the log (one indexed read of the head and the newest checkpoint). */
const POLL_MS = 1_000;

export class AutoCheckpoints {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickResult> | undefined;
  /** Largest size in the checkpoint file (−1: not read yet). */
  #published = -1;
  /** Witness name → size it cosigned, and when to try again after a failure. */
  readonly #witnessed = new Map<string, { size: number; retryAt: number }>();
  readonly #reported = new Map<string, string>();
  #report: (line: string) => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly ledger: AuditLedger,
    private readonly policy: CheckpointPolicy,
    readonly outlets: CheckpointOutlets,
    private readonly clock: () => number,
  ) {}

  /** Starts the periodic task; `report` receives problems (a rollback seen, a witness refusing). */
  start(options: { report?: (line: string) => void; pollMs?: number } = {}): void {
    if (this.#timer !== undefined) return;
    this.#report = options.report ?? this.#report;
    this.#timer = setInterval(() => void this.#serialised(false), options.pollMs ?? POLL_MS);
    this.#timer.unref();
  }

  /** Stops the task after a last run that signs and publishes whatever the log still holds. */
  async stop(): Promise<void> {
    const wasRunning = this.#timer !== undefined;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
    if (wasRunning) await this.#serialised(true).catch(() => undefined);
  }

  /**
   * One run: sign when due (`force`: whenever the log grew), then publish what is not yet out.
   * Runs are serialised.
   */
  tick(force = false): Promise<TickResult> {
    return this.#serialised(force);
  }

  #serialised(force: boolean): Promise<TickResult> {
    const previous = this.#running ?? Promise.resolve(undefined);
    const run = previous
      .catch(() => undefined)
      .then(() => this.#run(force))
      .catch((err: unknown) => {
        this.#say('task', `automatic checkpoint failed: ${(err as Error).message}`);
        return { signed: null, published: null, cosigned: new Map<string, number>() };
      });
    this.#running = run;
    return run;
  }

  async #run(force: boolean): Promise<TickResult> {
    if (this.#published < 0) this.#published = this.#largestInFile();
    const [size, latest] = await Promise.all([
      this.ledger.size(this.db),
      this.ledger.latestCheckpoint(this.db),
    ]);
    const signedSize = latest?.treeSize ?? 0;
    let checkpoint = latest;
    let signed: LedgerCheckpoint | null = null;
    const due =
      latest === null ||
      force ||
      size - signedSize >= this.policy.everyEntries ||
      this.clock() - latest.createdAt >= this.policy.everySeconds * 1000;
    if (size > signedSize && due) {
      signed = await this.ledger.checkpoint(this.db);
      checkpoint = signed;
    }
    if (size < this.#published || (checkpoint !== null && checkpoint.treeSize < this.#published)) {
      this.#say(
        'rollback',
        `ALERT: the audit ledger holds ${size} entries but a checkpoint of ${this.#published} was published to ${this.outlets.file}: ` +
          'the database was truncated or rolled back. Run `medvault audit verify`.',
      );
    }
    if (checkpoint === null) return { signed, published: null, cosigned: new Map() };
    let published: number | null = null;
    if (checkpoint.treeSize > this.#published) {
      appendCheckpointNote(this.outlets.file, checkpoint.note);
      this.#published = checkpoint.treeSize;
      published = checkpoint.treeSize;
      this.#reported.delete('file');
    }
    const cosigned = await this.#witness(checkpoint);
    return { signed, published, cosigned };
  }

  /** Submits the checkpoint to every witness that has not cosigned it yet; appends the cosigned copy. */
  async #witness(checkpoint: LedgerCheckpoint): Promise<Map<string, number>> {
    const now = this.clock();
    const due = this.outlets.witnesses.filter((w) => {
      const seen = this.#witnessed.get(w.name);
      return seen === undefined || (seen.size < checkpoint.treeSize && seen.retryAt <= now);
    });
    const results = await Promise.all(
      due.map(async (w) => ({ w, result: await w.submit(checkpoint.note, this.#prove) })),
    );
    const lines: string[] = [];
    const cosigned = new Map<string, number>();
    for (const { w, result } of results) {
      const seen = this.#witnessed.get(w.name)?.size ?? 0;
      if (result.kind === 'cosigned') {
        this.#witnessed.set(w.name, { size: checkpoint.treeSize, retryAt: 0 });
        cosigned.set(w.name, checkpoint.treeSize);
        lines.push(result.note.slice(checkpoint.note.length));
        this.#reported.delete(w.name);
      } else {
        // Not again before the next period: an unreachable witness must not be hammered.
        this.#witnessed.set(w.name, { size: seen, retryAt: now + this.policy.everySeconds * 1000 });
        this.#say(w.name, result.kind === 'conflict' ? `ALERT: ${result.message}` : result.message);
      }
    }
    if (lines.length > 0) appendCheckpointNote(this.outlets.file, checkpoint.note + lines.join(''));
    return cosigned;
  }

  readonly #prove = async (from: number, to: number): Promise<readonly string[]> =>
    (await this.ledger.consistencyProof(this.db, from, to)).proof;

  /** The largest size among the file's checkpoints signed by this ledger (0 for none). */
  #largestInFile(): number {
    const chain = this.ledger.keyChain;
    let largest = 0;
    for (const note of readCheckpointNotes(this.outlets.file)) {
      try {
        largest = Math.max(largest, chain.verify(note).treeSize);
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
      }
    }
    return largest;
  }

  /** Reports a problem once per source until it changes or clears. */
  #say(source: string, line: string): void {
    if (this.#reported.get(source) === line) return;
    this.#reported.set(source, line);
    this.#report(`medvault: audit checkpoints: ${line}`);
  }
}
