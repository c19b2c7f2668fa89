import type { Generated } from 'kysely';
import type { AnalyticsSchema } from './schema-analytics.js';
import type { IdentitySchema } from './schema-identity.js';
import type { PrescriptionSchema } from './schema-prescriptions.js';
import type { RecordsSchema } from './schema-records.js';
import type { ReenrolmentSchema } from './schema-reenrolment.js';
import type { SecondFactorSchema } from './schema-second-factors.js';

/**
 * Table types of the MedVault database. Times are Unix epoch milliseconds (integers on both
 * dialects); binary columns are Buffers (SQLite BLOB, PostgreSQL BYTEA).
 */
export interface Schema
  extends
    IdentitySchema,
    RecordsSchema,
    PrescriptionSchema,
    AnalyticsSchema,
    SecondFactorSchema,
    ReenrolmentSchema {
  keyring_keys: KeyringKeysTable;
  key_custody: KeyCustodyTable;
  ledger_key_handovers: LedgerKeyHandoversTable;
  data_keys: DataKeysTable;
  ledger_entries: LedgerEntriesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_head: LedgerHeadTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  idempotency_keys: IdempotencyKeysTable;
}

/**
 * The first answer to a create sent with an `Idempotency-Key` (migration 012): per caller and key,
 * a fingerprint of the request, its state (`pending`, `committed`, `done`), the owner token of the
 * attempt that holds it, and once done the answer (status, content type, sealed body).
 */
export interface IdempotencyKeysTable {
  caller_id: string;
  idem_key: string;
  fingerprint: string;
  state: string;
  owner: string;
  created_at: number;
  status: number | null;
  content_type: string | null;
  /** The answer body, sealed with a DEK of its own bound to (idempotency_keys, owner). */
  body_ct: Buffer | null;
}

/**
 * How the master key is held (one row, id 'master', when it is split between officers). Commitments
 * only: neither the key nor any share is stored.
 */
/** Handovers of the ledger's checkpoint signing key (migration 017). */
export interface LedgerKeyHandoversTable {
  /** The new key's generation (the first key, never handed over, is 1). */
  generation: number;
  /** The log's size at the handover. */
  tree_size: number;
  /** The signed statement (src/crypto/key-handover.ts). */
  statement: string;
  created_at: number;
}

export interface KeyCustodyTable {
  id: string;
  /** 'shamir' */
  scheme: string;
  threshold: number;
  shares: number;
  /** Random id of this split: shares of an earlier split are named as such. */
  set_id: string;
  /** HMAC-SHA-256 under the key, hex. */
  key_commitment: string;
  /** JSON object: share index (1..255) → SHA-256 of the share, hex. */
  share_commitments: string;
  created_at: number;
}

/** One key of the keyring, sealed under the master key (which is never in the database). */
export interface KeyringKeysTable {
  /** e.g. "kek:3" or "secret:pepper". */
  id: string;
  purpose: string;
  version: number;
  sealed: Buffer;
  created_at: number;
}

/**
 * One data-encryption key, wrapped by a key-encryption key. The owning object's payload is
 * stored elsewhere; keeping wrapped DEKs in one table lets rotation re-wrap them in batches
 * without touching any payload byte. The owner columns are the envelope context: they rebuild
 * the associated data on re-wrap, and reads look the row up by them.
 */
export interface DataKeysTable {
  id: Generated<number>;
  owner_table: string;
  owner_id: string;
  patient_id: string | null;
  field: string;
  kek_version: number;
  wrapped: Buffer;
  created_at: number;
}

/**
 * One audit-ledger entry. `seq` is its 0-based position, also its Merkle leaf index. The columns
 * are the fields of the entry's canonical bytes (so a verifier recomputes the bytes from them)
 * and the filters of the admin view. Hashes are lowercase hex: the canonical bytes carry the
 * previous hash in hex, and text reads about twice as fast as BLOBs on both dialects, which is
 * what the full-log verifier is bound by.
 */
export interface LedgerEntriesTable {
  seq: number;
  time: number;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  patient_id: string | null;
  outcome: string;
  /** RFC 8785 JSON of the details object, exactly as in the canonical bytes. */
  details: string;
  prev_hash: string;
  /** SHA-256(0x00 || canonical bytes): the chain hash and the Merkle leaf hash. */
  leaf_hash: string;
  /** HMAC-SHA256 of the leaf hash under the keyring secret "ledger-mac". */
  mac: string;
}

/**
 * Complete Merkle subtrees of level ≥ 1: node (level, idx) covers leaves
 * [idx·2^level, (idx+1)·2^level). Level 0 (the leaf hashes) lives in ledger_entries.leaf_hash.
 */
export interface LedgerNodesTable {
  level: number;
  idx: number;
  hash: string;
}

/** The one row (id 1) appends lock and advance: the log's size and its last leaf hash. */
export interface LedgerHeadTable {
  id: number;
  size: number;
  last_hash: string;
}

/** A signed checkpoint: the tree head and the signed note as issued. */
export interface LedgerCheckpointsTable {
  id: Generated<number>;
  tree_size: number;
  /** Root hash at tree_size, hex. */
  root: string;
  /** The C2SP signed note, verbatim. */
  note: string;
  created_at: number;
}
