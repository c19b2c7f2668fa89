/**
 * The wire format of C2SP tlog-witness `add-checkpoint`, shared by the log's client and our
 * witness: a request body is `old <size>\n`, up to 63 consistency-proof lines (base64 hashes),
 * an empty line, then the signed checkpoint.
 */
import { decodeBase64Line } from '../../crypto/cosignature.js';

/** tlog-witness: a client MUST NOT send more than 63 proof lines. */
export const MAX_PROOF_LINES = 63;
/** The content type of a 409 answer: the witness's latest cosigned size, in decimal. */
export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';
/** Largest request body our witness reads (a checkpoint with many signatures and a full proof). */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  /** The signed checkpoint as sent (any number of signatures). */
  readonly note: string;
}

/** Builds an add-checkpoint body. `proof` hashes are base64, as the ledger serves them. */
export function formatAddCheckpoint(oldSize: number, proof: readonly string[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${h}\n`).join('')}\n${note}`;
}

/**
 * Parses an add-checkpoint body.
 * @returns the request, or a reason the body is malformed (the witness answers 400).
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest | string {
  const blank = body.indexOf('\n\n');
  if (blank < 0) return 'the body must be an old size line, proof lines, an empty line and a checkpoint';
  const head = body.slice(0, blank).split('\n');
  const note = body.slice(blank + 2);
  const old = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  if (old === null) return 'the first line must be "old <size>" in decimal without leading zeros';
  const oldSize = Number(old[1]);
  if (!Number.isSafeInteger(oldSize)) return 'the old size is too large';
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) return `at most ${MAX_PROOF_LINES} consistency proof lines`;
  const proof: Buffer[] = [];
  for (const line of lines) {
    let hash: Buffer;
    try {
      hash = decodeBase64Line(line, 'proof line');
    } catch {
      return 'each proof line must be one base64 hash';
    }
    if (hash.length !== 32) return 'each proof line must be a 32-byte hash';
    proof.push(hash);
  }
  return { oldSize, proof, note };
}
