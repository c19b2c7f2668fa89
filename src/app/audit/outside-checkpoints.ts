/**
 * What `audit verify` holds the database to from outside it: the newest checkpoint in the
 * checkpoint file and the latest checkpoint each configured witness cosigned (asked over the
 * network), and how far each witness has cosigned the log (from its own answer and from the
 * cosigned copies in the file).
 */
import { verifyCosignature } from '../../crypto/cosignature.js';
import { IntegrityError } from '../../crypto/errors.js';
import { readCheckpointNotes } from './checkpoint-file.js';
import type { CheckpointKeyChain } from '../../crypto/key-handover.js';
import type { WitnessClient } from './witness-client.js';

/** One place outside the database a checkpoint was looked for. */
export interface OutsideSource {
  /** "checkpoint file /srv/…" or "witness w1.example (https://…)". */
  readonly source: string;
  /** Size of the newest valid checkpoint found there; null when none. */
  readonly treeSize: number | null;
  /** Why nothing (or not everything) could be used: unreachable, badly signed… */
  readonly problem: string | null;
}

/** How far one witness has cosigned the log. */
export interface Witnessed {
  readonly witness: string;
  readonly treeSize: number;
  /** When it cosigned, POSIX seconds. */
  readonly timestamp: number;
}

export interface OutsideCheckpoints {
  readonly sources: readonly OutsideSource[];
  readonly witnessed: readonly Witnessed[];
  /** The newest checkpoint of each source, with a label for verification messages. */
  readonly checkpoints: readonly { readonly note: string; readonly label: string }[];
}

/** Looks in the checkpoint file and asks every witness; never throws for an unreachable witness. */
export async function collectOutsideCheckpoints(
  key: CheckpointKeyChain,
  file: string,
  witnesses: readonly WitnessClient[],
): Promise<OutsideCheckpoints> {
  const sources: OutsideSource[] = [];
  const checkpoints: { note: string; label: string }[] = [];
  const witnessed = new Map<string, Witnessed>();
  const sizeOf = (note: string): number => key.verify(note).treeSize;
  const noteCosignatures = (note: string, size: number): void => {
    for (const w of witnesses) {
      try {
        const { timestamp } = verifyCosignature(note, w.key);
        const best = witnessed.get(w.name);
        if (best === undefined || size > best.treeSize)
          witnessed.set(w.name, { witness: w.name, treeSize: size, timestamp });
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
      }
    }
  };

  // The file: the newest checkpoint by size among those that carry our signature.
  let newest: { note: string; size: number } | null = null;
  let refused = 0;
  for (const note of readCheckpointNotes(file)) {
    let size: number;
    try {
      size = sizeOf(note);
    } catch (err) {
      if (!(err instanceof IntegrityError)) throw err;
      refused++;
      continue;
    }
    noteCosignatures(note, size);
    if (newest === null || size > newest.size) newest = { note, size };
  }
  const fileLabel = `checkpoint file ${file}`;
  if (newest !== null)
    checkpoints.push({ note: newest.note, label: `the newest checkpoint in the ${fileLabel}` });
  sources.push({
    source: fileLabel,
    treeSize: newest?.size ?? null,
    problem:
      refused > 0
        ? `${refused} note(s) in it are not signed by this ledger's key and were ignored`
        : newest === null
          ? 'it holds no checkpoint of this ledger yet'
          : null,
  });

  await Promise.all(
    witnesses.map(async (w) => {
      const source = `witness ${w.name} (${w.config.url})`;
      try {
        const note = await w.latest(key.origin);
        if (note === null) {
          sources.push({
            source,
            treeSize: null,
            problem: 'it has cosigned no checkpoint of this ledger yet',
          });
          return;
        }
        const size = sizeOf(note);
        verifyCosignature(note, w.key);
        noteCosignatures(note, size);
        checkpoints.push({ note, label: `the checkpoint cosigned by ${w.name}` });
        sources.push({ source, treeSize: size, problem: null });
      } catch (err) {
        const why =
          err instanceof IntegrityError
            ? `its answer does not verify (${err.reason})`
            : (err as Error).message;
        sources.push({ source, treeSize: null, problem: why });
      }
    }),
  );
  return { sources, witnessed: [...witnessed.values()], checkpoints };
}
