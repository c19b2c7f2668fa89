/**
 * A small standalone witness speaking the essentials of C2SP tlog-witness: for each log it trusts
 * (by the log's signed-note verifier key), it remembers the latest checkpoint it cosigned and
 * cosigns a new one only if it is signed by the log and provably extends that one (RFC 6962
 * consistency proof). It never cosigns a smaller tree after a larger one, nor two different trees
 * of one size: a log operator who rolls back or forks the log is refused, and the witness keeps
 * the larger cosigned checkpoint as evidence. `medvault witness serve` runs it over HTTP.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  parseSignedCheckpoint,
  parseVerifierKey,
  verifySignedCheckpoint,
  type Checkpoint,
  type VerifierKey,
} from '../../crypto/checkpoint.js';
import { cosign, cosignerVerifierKey } from '../../crypto/cosignature.js';
import { IntegrityError } from '../../crypto/errors.js';
import { verifyConsistency } from '../../crypto/merkle.js';
import { parseAddCheckpoint, SIZE_CONTENT_TYPE } from './witness-protocol.js';

/** What the witness remembers of one log: the latest checkpoint it cosigned. */
interface LogState {
  readonly size: number;
  /** base64 */
  readonly root: string;
  /** The log's signed checkpoint with this witness's cosignature appended. */
  readonly cosigned: string;
}

interface StateFile {
  readonly version: 1;
  readonly logs: Record<string, LogState>;
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
  /** The signed-note verifier keys of the logs it witnesses; their names are the logs' origins. */
  readonly logs: readonly string[];
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
  readonly #logs: Map<string, VerifierKey>;
  readonly #clock: () => number;
  #state: StateFile;
  /** Requests are handled one at a time: the size check and the state write must be atomic. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: CosigningWitnessOptions,
    logs: Map<string, VerifierKey>,
    state: StateFile,
  ) {
    this.#logs = logs;
    this.#clock = options.clock ?? Date.now;
    this.#state = state;
  }

  /**
   * Opens the witness: parses the trusted log keys and reads its state file (a missing file is a
   * witness that has cosigned nothing yet).
   * @throws Error naming a malformed log key or state file.
   */
  static open(options: CosigningWitnessOptions): CosigningWitness {
    const logs = new Map<string, VerifierKey>();
    for (const vkey of options.logs) {
      const key = parseVerifierKey(vkey);
      logs.set(key.name, key);
    }
    cosignerVerifierKey(options.name, createPublicKey(options.privateKey)); // checks the name
    return new CosigningWitness(options, logs, readState(options.stateFile));
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
   * The latest checkpoint this witness cosigned for `origin`, with its cosignature (our
   * monitoring read; tlog-witness leaves retrieval open), or 404.
   */
  latest(origin: string): WitnessAnswer {
    const log = this.#state.logs[origin];
    return log === undefined ? text(404, 'no checkpoint cosigned for this origin') : text(200, log.cosigned);
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
    const key = this.#logs.get(checkpoint.origin);
    if (key === undefined) return text(404, 'unknown log origin');
    try {
      verifySignedCheckpoint(request.note, key, { origin: checkpoint.origin });
    } catch (err) {
      if (err instanceof IntegrityError) return text(403, 'no valid signature by a trusted log key');
      throw err;
    }
    if (request.oldSize > checkpoint.treeSize) return text(400, 'the old size exceeds the checkpoint size');
    const known = this.#state.logs[checkpoint.origin];
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
    const next: StateFile = {
      version: 1,
      logs: {
        ...this.#state.logs,
        [checkpoint.origin]: { size: checkpoint.treeSize, root, cosigned: `${request.note}${line}` },
      },
    };
    // tlog-witness: persist before answering, so a restart can never cosign a smaller tree.
    writeState(this.options.stateFile, next);
    this.#state = next;
    return text(200, line);
  }
}

function noteBody(note: string): string {
  return note.slice(0, note.lastIndexOf('\n\n') + 1);
}

function readState(file: string): StateFile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, logs: {} };
    throw err;
  }
  const parsed = JSON.parse(raw) as Partial<StateFile>;
  if (parsed.version !== 1 || typeof parsed.logs !== 'object' || parsed.logs === null) {
    throw new Error(`${file} is not a witness state file`);
  }
  for (const log of Object.values(parsed.logs)) {
    if (!Number.isSafeInteger(log.size) || typeof log.root !== 'string' || typeof log.cosigned !== 'string') {
      throw new Error(`${file} is not a witness state file`);
    }
  }
  return parsed as StateFile;
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
