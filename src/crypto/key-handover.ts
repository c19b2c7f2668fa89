/**
 * Handing a log's checkpoint signing key over to a new one, with continuity.
 *
 * A handover statement is a C2SP signed note whose body is
 *
 *     medvault/key-handover
 *     <origin>
 *     generation <n>          (the new key's generation; the first key is generation 1)
 *     size <tree size>        (the log's size when the old key stopped signing)
 *     key <verifier key>      (the new key, signed-note vkey, named <origin>)
 *     time <unix seconds>
 *
 * signed by the old key (which vouches for the new one) and by the new key (which proves it is
 * held). A verifier that trusts the first key follows the statements in order and so trusts
 * each later key; it accepts a checkpoint of size s signed by generation g only when s is within
 * g's span: from the size at which g was handed the log to the size at which g handed it on. So
 * an old key that leaks after its handover cannot sign a later head, and a key that was never
 * handed over signs nothing this verifier accepts. The origin, the log's name, never changes.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  parseSignedNote,
  parseVerifierKey,
  signNote,
  verifierKeyString,
  verifyNote,
  verifySignedCheckpoint,
  type Checkpoint,
} from './checkpoint.js';
import { IntegrityError } from './errors.js';

const HEADER = 'medvault/key-handover';

export interface Handover {
  readonly origin: string;
  /** Generation of the new key (≥ 2). */
  readonly generation: number;
  /** The log's size at the handover: the old key's last, the new key's first. */
  readonly treeSize: number;
  /** The new key as a signed-note verifier key string. */
  readonly newKey: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

/**
 * Writes and signs a handover statement: `oldKey` vouches for `newKey`, and `newKey` signs too.
 * @throws TypeError for malformed values.
 */
export function signHandover(fields: Omit<Handover, 'newKey'>, oldKey: KeyObject, newKey: KeyObject): string {
  const { origin, generation, treeSize, timestamp } = fields;
  for (const [name, n] of [
    ['generation', generation],
    ['size', treeSize],
    ['time', timestamp],
  ] as const)
    if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`handover ${name} must be a whole number`);
  if (generation < 2) throw new TypeError('a handover names generation 2 or later');
  const vkey = verifierKeyString(origin, createPublicKey(newKey));
  const body = `${HEADER}\n${origin}\ngeneration ${generation}\nsize ${treeSize}\nkey ${vkey}\ntime ${timestamp}\n`;
  const byOld = signNote(body, origin, oldKey);
  const byNew = signNote(body, origin, newKey);
  // Both signature lines under one body: the second note's signature block, appended.
  return byOld + byNew.slice(body.length + 1);
}

/** Reads a statement's fields without checking its signatures. @throws IntegrityError when malformed. */
export function parseHandover(text: string): Handover {
  let body: string;
  try {
    body = parseSignedNote(text).body;
  } catch {
    throw new IntegrityError('handover statement is not a signed note');
  }
  const m =
    /^medvault\/key-handover\n([^\n]+)\ngeneration (\d{1,15})\nsize (\d{1,15})\nkey ([^\n]+)\ntime (\d{1,15})\n$/.exec(
      body,
    );
  if (m === null) throw new IntegrityError('handover statement body');
  return {
    origin: m[1] as string,
    generation: Number(m[2]),
    treeSize: Number(m[3]),
    newKey: m[4] as string,
    timestamp: Number(m[5]),
  };
}

/** One key of the chain and the tree sizes it may sign. */
export interface ChainKey {
  readonly generation: number;
  readonly verifierKey: string;
  readonly fromSize: number;
  /** Null for the current key. */
  readonly toSize: number | null;
}

/**
 * The keys a log has signed with, from its first key through every handover, each verified by
 * the key before it.
 */
export class CheckpointKeyChain {
  private constructor(
    readonly origin: string,
    readonly keys: readonly ChainKey[],
  ) {}

  /**
   * Follows `statements` (in generation order) from the first key `genesisKey`.
   * @throws IntegrityError at the first statement that does not continue the chain: not signed by
   *   the previous key or not by the key it names, another origin, a skipped generation, a size
   *   that goes back.
   */
  static follow(genesisKey: string, statements: readonly string[]): CheckpointKeyChain {
    const origin = parseVerifierKey(genesisKey).name;
    const keys: ChainKey[] = [{ generation: 1, verifierKey: genesisKey, fromSize: 0, toSize: null }];
    for (const text of statements) {
      const previous = keys[keys.length - 1] as ChainKey;
      const handover = parseHandover(text);
      if (handover.origin !== origin) throw new IntegrityError('handover statement is for another log');
      if (handover.generation !== previous.generation + 1)
        throw new IntegrityError(
          `handover to generation ${handover.generation} after ${previous.generation}`,
        );
      if (handover.treeSize < previous.fromSize) throw new IntegrityError('handover size goes back');
      if (parseVerifierKey(handover.newKey).name !== origin)
        throw new IntegrityError('handed-over key is named for another log');
      verifyNote(text, previous.verifierKey); // the old key vouches…
      verifyNote(text, handover.newKey); // …and the new key is held
      keys[keys.length - 1] = { ...previous, toSize: handover.treeSize };
      keys.push({
        generation: handover.generation,
        verifierKey: handover.newKey,
        fromSize: handover.treeSize,
        toSize: null,
      });
    }
    return new CheckpointKeyChain(origin, keys);
  }

  /** The key that signs now. */
  get current(): ChainKey {
    return this.keys[this.keys.length - 1] as ChainKey;
  }

  /**
   * Verifies a checkpoint of this log signed by any key of the chain, within that key's span.
   * @throws IntegrityError when no key of the chain signed it, or the key that did had handed the
   *   log on before that size (or received it after).
   */
  verify(note: string): Checkpoint {
    let lastError: IntegrityError | undefined;
    for (const key of [...this.keys].reverse()) {
      let checkpoint: Checkpoint;
      try {
        checkpoint = verifySignedCheckpoint(note, key.verifierKey, { origin: this.origin });
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
        lastError ??= err;
        continue;
      }
      const { treeSize } = checkpoint;
      if (treeSize < key.fromSize || (key.toSize !== null && treeSize > key.toSize))
        throw new IntegrityError(
          `checkpoint of size ${treeSize} is signed by key generation ${key.generation}, which signs sizes ${key.fromSize}..${key.toSize ?? ''}`,
        );
      return checkpoint;
    }
    throw lastError ?? new IntegrityError('signed note has no signature by the expected key');
  }
}
