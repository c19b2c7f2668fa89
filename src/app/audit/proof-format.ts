/**
 * The proof files `medvault audit proof` writes and `medvault audit verify-proof` checks offline
 * (and, later, what the HTTP proof routes answer). JSON, hashes in standard base64:
 *
 * ```json
 * {"format": "medvault-audit-proof/v1", "type": "inclusion", "origin": "medvault/1a2b3c4d",
 *  "index": 5, "treeSize": 8, "leafHash": "…", "entry": "{\"action\":…}", "proof": ["…"], "root": "…"}
 * {"format": "medvault-audit-proof/v1", "type": "consistency", "origin": "medvault/1a2b3c4d",
 *  "from": 4, "to": 8, "proof": ["…"], "fromRoot": "…", "toRoot": "…"}
 * ```
 *
 * `entry` (optional) is the entry's canonical bytes as text; when present the checker hashes it
 * and requires it to be the leaf and to name `index` as its seq. The roots in the file are for
 * reading only: the checker always uses the roots of the signed checkpoints it is given.
 */
import type { Checkpoint } from '../../crypto/checkpoint.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../../crypto/merkle.js';
import { invalidInput } from '../errors.js';
import type { OfflineVerifier } from './offline-verifier.js';
import type { ConsistencyProof, InclusionProof } from './proofs.js';

import { PROOF_FORMAT } from '../../contract/vocabulary/audit.js';

export { PROOF_FORMAT };

export interface InclusionProofDocument extends InclusionProof {
  readonly format: typeof PROOF_FORMAT;
  readonly type: 'inclusion';
  readonly origin: string;
  readonly entry?: string;
}

export interface ConsistencyProofDocument extends ConsistencyProof {
  readonly format: typeof PROOF_FORMAT;
  readonly type: 'consistency';
  readonly origin: string;
}

export type ProofDocument = InclusionProofDocument | ConsistencyProofDocument;

/** The outcome of an offline check, with a sentence saying what was (or was not) proven. */
export interface OfflineCheck {
  readonly ok: boolean;
  readonly message: string;
}

/**
 * Parses a proof file strictly: every field present with the right type, hashes canonical base64
 * of 32 bytes.
 * @throws AppError invalid_proof_document naming the first problem.
 */
export function parseProofDocument(text: string): ProofDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    bad('it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('it is not a JSON object');
  const doc = value as Record<string, unknown>;
  if (doc.format !== PROOF_FORMAT) bad(`"format" must be "${PROOF_FORMAT}"`);
  if (typeof doc.origin !== 'string' || doc.origin.length === 0) bad('"origin" must be a string');
  const proof = hashList(doc.proof, 'proof');
  if (doc.type === 'inclusion') {
    if (doc.entry !== undefined && typeof doc.entry !== 'string') bad('"entry" must be a string');
    return {
      format: PROOF_FORMAT,
      type: 'inclusion',
      origin: doc.origin,
      index: size(doc.index, 'index'),
      treeSize: size(doc.treeSize, 'treeSize'),
      leafHash: hash(doc.leafHash, 'leafHash'),
      ...(doc.entry === undefined ? {} : { entry: doc.entry as string }),
      proof,
      root: hash(doc.root, 'root'),
    };
  }
  if (doc.type === 'consistency') {
    return {
      format: PROOF_FORMAT,
      type: 'consistency',
      origin: doc.origin,
      from: size(doc.from, 'from'),
      to: size(doc.to, 'to'),
      proof,
      fromRoot: hash(doc.fromRoot, 'fromRoot'),
      toRoot: hash(doc.toRoot, 'toRoot'),
    };
  }
  bad('"type" must be "inclusion" or "consistency"');
}

/**
 * Checks an inclusion proof against a signed checkpoint, verified by the ledger's key or key chain
 * (offline-verifier.ts).
 */
export function checkInclusionOffline(
  doc: InclusionProofDocument,
  checkpointNote: string,
  verifier: OfflineVerifier,
): OfflineCheck {
  const cp = openCheckpoint(checkpointNote, verifier, 'checkpoint');
  if (typeof cp === 'string') return { ok: false, message: cp };
  if (doc.origin !== cp.origin)
    return no(`the proof is for log ${doc.origin}, the checkpoint for ${cp.origin}`);
  if (doc.treeSize !== cp.treeSize) {
    return no(`the proof is for a tree of ${doc.treeSize} entries, the checkpoint is of ${cp.treeSize}`);
  }
  const leaf = Buffer.from(doc.leafHash, 'base64');
  if (doc.entry !== undefined) {
    if (!leafHash(Buffer.from(doc.entry, 'utf8')).equals(leaf))
      return no('the entry does not hash to leafHash');
    if (entrySeq(doc.entry) !== doc.index) return no(`the entry is not entry ${doc.index}`);
  }
  const proof = doc.proof.map((p) => Buffer.from(p, 'base64'));
  if (!verifyInclusion(leaf, doc.index, doc.treeSize, proof, cp.rootHash)) {
    return no(`the inclusion proof does not lead to the root signed in the checkpoint`);
  }
  return {
    ok: true,
    message:
      `entry ${doc.index}${doc.entry === undefined ? ' (leaf hash)' : ''} is in log ${cp.origin} as of its ` +
      `checkpoint of ${cp.treeSize} entries, ${signedAt(cp)}.`,
  };
}

/**
 * Checks a consistency proof between two signed checkpoints of the same log; with a key chain the
 * two may be signed by different keys of it (a handover between them).
 */
export function checkConsistencyOffline(
  doc: ConsistencyProofDocument,
  oldNote: string,
  newNote: string,
  verifier: OfflineVerifier,
): OfflineCheck {
  const older = openCheckpoint(oldNote, verifier, 'old checkpoint');
  if (typeof older === 'string') return { ok: false, message: older };
  const newer = openCheckpoint(newNote, verifier, 'checkpoint');
  if (typeof newer === 'string') return { ok: false, message: newer };
  if (older.origin !== newer.origin || doc.origin !== newer.origin) {
    return no('the proof and the two checkpoints are not all of the same log');
  }
  if (doc.from !== older.treeSize || doc.to !== newer.treeSize) {
    return no(
      `the proof links sizes ${doc.from} → ${doc.to}, the checkpoints are of ${older.treeSize} and ${newer.treeSize}`,
    );
  }
  const proof = doc.proof.map((p) => Buffer.from(p, 'base64'));
  if (!verifyConsistency(doc.from, doc.to, older.rootHash, newer.rootHash, proof)) {
    return no(
      `the log of ${doc.to} entries is NOT an extension of the log of ${doc.from}: it was rewritten or forked`,
    );
  }
  return {
    ok: true,
    message: `the log ${newer.origin} of ${doc.to} entries (${signedAt(newer)}) extends the one of ${doc.from} entries (${signedAt(older)}) without changing it.`,
  };
}

function openCheckpoint(note: string, verifier: OfflineVerifier, what: string): Checkpoint | string {
  const cp = verifier.open(note);
  return typeof cp === 'string'
    ? `the ${what} does not verify with ${verifier.keys}: ${cp}${verifier.hint}.`
    : cp;
}

function entrySeq(entry: string): number | undefined {
  try {
    const parsed = JSON.parse(entry) as { seq?: unknown };
    return typeof parsed.seq === 'number' ? parsed.seq : undefined;
  } catch {
    return undefined;
  }
}

function size(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    bad(`"${field}" must be a non-negative integer`);
  }
  return value;
}

function hash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(value))
    bad(`"${field}" must be a base64 hash`);
  // Canonical only: the last character may not carry stray bits.
  if (Buffer.from(value, 'base64').toString('base64') !== value) bad(`"${field}" must be canonical base64`);
  return value;
}

function hashList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > 128) bad(`"${field}" must be an array of base64 hashes`);
  return value.map((v: unknown, i: number) => hash(v, `${field}[${i}]`));
}

const no = (message: string): OfflineCheck => ({ ok: false, message: `${message}.` });
const signedAt = (cp: Checkpoint): string => `signed ${new Date(cp.timestamp * 1000).toISOString()}`;

function bad(problem: string): never {
  throw invalidInput(`not a MedVault proof file: ${problem}`, 'invalid_proof_document');
}
