/**
 * A small standalone witness speaking the essentials of C2SP tlog-witness: for each log it trusts
 * (by the log's signed-note verifier key), it remembers the latest checkpoint it cosigned and
 * cosigns a new one only if it is signed by the log and provably extends that one (RFC 6962
 * consistency proof). It never cosigns a smaller tree after a larger one, nor two different trees
 * of one size: a log operator who rolls back or forks the log is refused, and the witness keeps
 * the larger cosigned checkpoint as evidence. `medvault witness serve` runs it over HTTP.
 *
 * Key handovers (not in tlog-witness, which has no key rotation): the witness trusts each log's
 * FIRST key and follows the handover statements it is given (`add-handover`, or at start), each
 * of which must continue the chain and name a size at or above what it already cosigned (below
 * that, the old key would have signed beyond its span). Checkpoints are verified by the chain, each
 * key within its span of tree sizes.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseSignedCheckpoint, parseVerifierKey, type Checkpoint } from '../../crypto/checkpoint.js';
import { cosign, cosignerVerifierKey } from '../../crypto/cosignature.js';
import type { CheckpointKeyChain } from '../../crypto/key-handover.js';
import { verifyConsistency } from '../../crypto/merkle.js';
import { followHandovers, readHandover, verifyByChain } from './handover-chain.js';
import type { HandoverFile } from './handover-file.js';
import { parseAddCheckpoint, SIZE_CONTENT_TYPE } from './witness-protocol.js';

/** What the witness remembers of one log: the latest checkpoint it cosigned. */
interface LogState {
  readonly size: number;
  /** base64 */
  readonly root: string;
  /** The log's signed checkpoint with this witness's cosignature appended. */
  readonly cosigned: string;
}

/**
 * Version 2 keeps, per log, the handover statements it accepted (oldest first) next to the latest
 * cosigned checkpoint (absent before the first). Version 1 files (no handovers) are still read.
 */
interface StateFile {
  readonly version: 2;
  readonly logs: Record<string, Partial<LogState> & { readonly handovers: readonly string[] }>;
}

/** One log in memory: its chain of keys from the first one trusted, and what was cosigned. */
interface LogRecord {
  readonly chain: CheckpointKeyChain;
  readonly handovers: readonly string[];
  readonly latest: LogState | undefined;
}

/** An HTTP answer, transport-free (the HTTP adapter only copies it out). */
export interface WitnessAnswer {
  readonly status: 200 | 400 | 403 | 404 | 409 | 422;
  readonly contentType: string;
  readonly body: string;
}

export interface CosigningWitnessOptions {
  /** The witness's name (its key name), e.g. `witness.hospital.example/w1`. */
  readonly name: string;
  readonly privateKey: KeyObject;
  /**
   * The signed-note verifier keys of the logs it witnesses, each log's FIRST key (later keys are
   * followed through handovers); their names are the logs' origins.
   */
  readonly logs: readonly string[];
  /** Handover statements to accept at start (as `add-handover` would), e.g. from `--handovers`. */
  readonly handovers?: readonly HandoverFile[];
  /** Where it keeps what it cosigned (JSON, written atomically, mode 0600). */
  readonly stateFile: string;
  /** Epoch milliseconds. */
  readonly clock?: () => number;
}

const text = (status: WitnessAnswer['status'], body: string): WitnessAnswer => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: body.endsWith('\n') ? body : `${body}\n`,
});

export class CosigningWitness {
  /** State kept for logs it no longer witnesses (not in `logs`): written back untouched. */
  readonly #others: StateFile['logs'];
  readonly #clock: () => number;
  /** origin → its chain and latest cosigned checkpoint (only logs it witnesses). */
  #logs: Map<string, LogRecord>;
  /** Requests are handled one at a time: the size check and the state write must be atomic. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: CosigningWitnessOptions,
    others: StateFile['logs'],
    logs: Map<string, LogRecord>,
  ) {
    this.#others = others;
    this.#clock = options.clock ?? Date.now;
    this.#logs = logs;
  }

  /**
   * Opens the witness: parses the trusted first keys, reads its state file (a missing file is a
   * witness that has cosigned nothing yet) and accepts the handovers given at start (persisted
   * before it answers anything).
   * @throws Error naming a malformed log key or state file, stored handovers that no longer form
   *   a chain from the first key, or a start-up handover it refuses (with the reason).
   */
  static open(options: CosigningWitnessOptions): CosigningWitness {
    const firstKeys = new Map<string, string>();
    for (const vkey of options.logs) firstKeys.set(parseVerifierKey(vkey).name, vkey.trim());
    cosignerVerifierKey(options.name, createPublicKey(options.privateKey)); // checks the name
    const state = readState(options.stateFile);
    const logs = new Map<string, LogRecord>();
    for (const [origin, firstKey] of firstKeys) {
      const stored = state.logs[origin];
      const handovers = stored?.handovers ?? [];
      const chain = followHandovers(firstKey, handovers);
      if (typeof chain === 'string')
        throw new Error(
          `${options.stateFile}: the handovers stored for ${origin} do not form a chain from its first key (${chain})`,
        );
      logs.set(origin, { chain, handovers, latest: latestOf(stored) });
    }
    const others = Object.fromEntries(Object.entries(state.logs).filter(([origin]) => !logs.has(origin)));
    const witness = new CosigningWitness(options, others, logs);
    for (const file of options.handovers ?? []) {
      const origin = parseVerifierKey(file.firstKey).name;
      if (firstKeys.get(origin) !== file.firstKey.trim())
        throw new Error(
          `a handovers file starts from ${file.firstKey}, which is not a --log key of this witness`,
        );
      for (const statement of file.statements) {
        const answer = witness.#addHandover(statement);
        if (answer.status !== 200)
          throw new Error(`a handover for ${origin} is refused: ${answer.body.trim()}`);
      }
    }
    return witness;
  }

  /** The witness's public key as a verifier key (signature type 0x04), for MEDVAULT_WITNESSES. */
  get verifierKey(): string {
    return cosignerVerifierKey(this.options.name, createPublicKey(this.options.privateKey));
  }

  /** POST add-checkpoint. */
  addCheckpoint(body: string): Promise<WitnessAnswer> {
    const run = this.#queue.then(() => this.#add(body));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * POST add-handover (ours, not tlog-witness): one handover statement for a log it witnesses.
   * 200 when accepted or already held; 400 malformed; 404 unknown log; 409 when it conflicts with
   * a statement held for that generation or hands over below the size already cosigned (the old
   * key signed beyond its span); 422 when it does not continue the chain (signatures, generation).
   */
  addHandover(body: string): Promise<WitnessAnswer> {
    const run = this.#queue.then(() => this.#addHandover(body));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The latest checkpoint this witness cosigned for `origin`, with its cosignature (our
   * monitoring read; tlog-witness leaves retrieval open), or 404.
   */
  latest(origin: string): WitnessAnswer {
    const log = this.#logs.get(origin)?.latest;
    return log === undefined ? text(404, 'no checkpoint cosigned for this origin') : text(200, log.cosigned);
  }

  #addHandover(statement: string): WitnessAnswer {
    const handover = readHandover(statement);
    if (typeof handover === 'string') return text(400, `not a handover statement: ${handover}`);
    const log = this.#logs.get(handover.origin);
    if (log === undefined) return text(404, 'unknown log origin');
    const index = handover.generation - 2;
    if (log.handovers[index] === statement)
      return text(200, `already held: generation ${handover.generation}`);
    const replaces = index >= 0 && index < log.handovers.length;
    const earlier = replaces ? log.handovers.slice(0, index) : log.handovers;
    const chain = followHandovers(log.chain.keys[0]!.verifierKey, [...earlier, statement]);
    if (typeof chain === 'string')
      return text(422, `the statement does not continue the log's key chain: ${chain}`);
    if (replaces)
      return text(
        409,
        `another statement is held for generation ${handover.generation}: the key of generation ${handover.generation - 1} ` +
          'signed two handovers (this witness keeps the first)',
      );
    const cosigned = log.latest?.size ?? 0;
    if (handover.treeSize < cosigned)
      return text(
        409,
        `the handover is at size ${handover.treeSize} but this witness cosigned ${cosigned} entries signed by the old key: ` +
          'the old key signed beyond its span',
      );
    const next = new Map(this.#logs).set(handover.origin, {
      chain,
      handovers: [...log.handovers, statement],
      latest: log.latest,
    });
    this.#commit(next);
    return text(200, `accepted: generation ${handover.generation} signs from size ${handover.treeSize}`);
  }

  #add(body: string): WitnessAnswer {
    const request = parseAddCheckpoint(body);
    if (typeof request === 'string') return text(400, request);
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseSignedCheckpoint(request.note).checkpoint;
    } catch {
      return text(400, 'the checkpoint is not a well-formed signed checkpoint');
    }
    const log = this.#logs.get(checkpoint.origin);
    if (log === undefined) return text(404, 'unknown log origin');
    const verified = verifyByChain(log.chain, request.note);
    if (typeof verified === 'string')
      return text(403, `no valid signature by a trusted log key: ${verified}`);
    if (request.oldSize > checkpoint.treeSize) return text(400, 'the old size exceeds the checkpoint size');
    const known = log.latest;
    const knownSize = known?.size ?? 0;
    if (request.oldSize !== knownSize) {
      return { status: 409, contentType: SIZE_CONTENT_TYPE, body: `${knownSize}\n` };
    }
    const root = checkpoint.rootHash.toString('base64');
    if (known === undefined || request.oldSize === 0) {
      if (request.proof.length > 0) return text(400, 'the proof must be empty when the old size is 0');
    } else if (known.size === checkpoint.treeSize) {
      // Same size, another root: a fork. Never cosign it; the stored checkpoint is the evidence.
      if (known.root !== root)
        return { status: 409, contentType: SIZE_CONTENT_TYPE, body: `${known.size}\n` };
    } else if (
      !verifyConsistency(
        known.size,
        checkpoint.treeSize,
        Buffer.from(known.root, 'base64'),
        checkpoint.rootHash,
        request.proof,
      )
    ) {
      return text(422, 'the consistency proof does not verify');
    }
    const line = cosign(
      noteBody(request.note),
      this.options.name,
      this.options.privateKey,
      Math.floor(this.#clock() / 1000),
    );
    this.#commit(
      new Map(this.#logs).set(checkpoint.origin, {
        ...log,
        latest: { size: checkpoint.treeSize, root, cosigned: `${request.note}${line}` },
      }),
    );
    return text(200, line);
  }

  /** tlog-witness: persist before answering, so a restart can never cosign a smaller tree. */
  #commit(logs: Map<string, LogRecord>): void {
    const state: StateFile = {
      version: 2,
      logs: {
        ...this.#others,
        ...Object.fromEntries(
          [...logs].map(([origin, log]) => [origin, { ...log.latest, handovers: log.handovers }]),
        ),
      },
    };
    writeState(this.options.stateFile, state);
    this.#logs = logs;
  }
}

function latestOf(stored: StateFile['logs'][string] | undefined): LogState | undefined {
  if (stored?.size === undefined || stored.root === undefined || stored.cosigned === undefined)
    return undefined;
  return { size: stored.size, root: stored.root, cosigned: stored.cosigned };
}

function noteBody(note: string): string {
  return note.slice(0, note.lastIndexOf('\n\n') + 1);
}

/** Reads version 2 or version 1 (no handovers) into version 2. */
function readState(file: string): StateFile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 2, logs: {} };
    throw err;
  }
  const notState = () => new Error(`${file} is not a witness state file`);
  let parsed: { version?: unknown; logs?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    throw notState();
  }
  if (
    (parsed.version !== 1 && parsed.version !== 2) ||
    typeof parsed.logs !== 'object' ||
    parsed.logs === null ||
    Array.isArray(parsed.logs)
  )
    throw notState();
  const logs: Record<string, StateFile['logs'][string]> = {};
  for (const [origin, value] of Object.entries(parsed.logs as Record<string, unknown>)) {
    const log = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const handovers = parsed.version === 1 ? [] : log.handovers;
    if (!Array.isArray(handovers) || !handovers.every((h) => typeof h === 'string')) throw notState();
    const cosignedFields = [log.size, log.root, log.cosigned].filter((v) => v !== undefined).length;
    if (parsed.version === 1 && cosignedFields !== 3) throw notState();
    if (cosignedFields === 0) {
      logs[origin] = { handovers: handovers as string[] };
      continue;
    }
    if (
      cosignedFields !== 3 ||
      !Number.isSafeInteger(log.size) ||
      typeof log.root !== 'string' ||
      typeof log.cosigned !== 'string'
    )
      throw notState();
    logs[origin] = {
      size: log.size as number,
      root: log.root,
      cosigned: log.cosigned,
      handovers: handovers as string[],
    };
  }
  return { version: 2, logs };
}

/** Temp file, fsync, rename, fsync the folder: the state is either the old or the new one. */
function writeState(file: string, state: StateFile): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
