/**
 * What `medvault audit verify-proof` verifies checkpoints with: the log's one verifier key
 * (`--key`), or its first key and every handover since (`--handovers`, the output of `medvault
 * keys handovers`). Both are a CheckpointKeyChain — a single key is a chain without handovers —
 * so the proof checks (proof-format.ts) have one code path; each key is held to its span of tree
 * sizes.
 */
import { CheckpointFormatError, parseVerifierKey, type Checkpoint } from '../../crypto/checkpoint.js';
import { UnsupportedFormatError } from '../../crypto/errors.js';
import type { CheckpointKeyChain } from '../../crypto/key-handover.js';
import { invalidInput } from '../errors.js';
import { followHandovers, handoverCount, verifyByChain } from './handover-chain.js';
import type { HandoverFile } from './handover-file.js';

export interface OfflineVerifier {
  /** The checkpoint, or why it does not verify. */
  readonly open: (note: string) => Checkpoint | string;
  /** Names the keys in messages: "this key", "the log's keys (first key and 1 handover)". */
  readonly keys: string;
  /** Appended to a refusal: what else the user might give (empty when nothing). */
  readonly hint: string;
}

/** A verifier, or why the handovers given cannot be followed (a finding: the proof is rejected). */
export type OfflineVerifierResult =
  | { readonly ok: true; readonly verifier: OfflineVerifier }
  | { readonly ok: false; readonly message: string };

/**
 * Builds the verifier from `--key`, `--handovers`, or both (then the file's first key must be the
 * key given: the key is what the user trusts, the file only extends it).
 * @throws AppError invalid_verifier_key for a malformed key, invalid_handover_file when the
 *   file's first key is not `key`, invalid_input when neither is given.
 */
export function offlineVerifier(given: { key?: string; handovers?: HandoverFile }): OfflineVerifierResult {
  const key = given.key?.trim();
  const file = given.handovers;
  if (key === undefined && file === undefined)
    throw invalidInput("give the log's verifier key (--key) or its key handovers (--handovers)");
  const firstKey = file?.firstKey ?? (key as string);
  checkKey(firstKey, file === undefined ? 'the verifier key' : 'the first key of the handovers file');
  if (key !== undefined && file !== undefined && key !== file.firstKey)
    throw invalidInput(
      `the handovers file starts from the key ${file.firstKey}, not from --key ${key}: ` +
        'give the first key the log had (or leave --key out to trust the file)',
      'invalid_handover_file',
    );
  const chain = followHandovers(firstKey, file?.statements ?? []);
  if (typeof chain === 'string')
    return {
      ok: false,
      message: `the key handovers do not form a chain from the first key: ${chain}.`,
    };
  if (file !== undefined) return { ok: true, verifier: chainVerifier(chain) };
  return {
    ok: true,
    verifier: {
      open: (note) => verifyByChain(chain, note),
      keys: 'this key',
      hint: " (if the log's signing key was handed over since, give its handovers: `medvault keys handovers`)",
    },
  };
}

/** A verifier holding checkpoints to a key chain already followed (e.g. the ledger's own). */
export function chainVerifier(chain: CheckpointKeyChain): OfflineVerifier {
  return {
    open: (note) => verifyByChain(chain, note),
    keys: `the log's keys (first key and ${handoverCount(chain)})`,
    hint: '',
  };
}

/** A malformed key string is the caller's input, not evidence about the log. */
function checkKey(key: string, what: string): void {
  try {
    parseVerifierKey(key);
  } catch (err) {
    if (err instanceof CheckpointFormatError || err instanceof UnsupportedFormatError)
      throw invalidInput(`${what} is not valid: ${err.message}`, 'invalid_verifier_key');
    throw err;
  }
}
