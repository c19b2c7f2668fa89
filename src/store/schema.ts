import type { Generated } from 'kysely';
import type { IdentitySchema } from './schema-identity.js';

/**
 * Table types of the MedVault database. Times are Unix epoch milliseconds (integers on both
 * dialects); binary columns are Buffers (SQLite BLOB, PostgreSQL BYTEA).
 */
export interface Schema extends IdentitySchema {
  keyring_keys: KeyringKeysTable;
  data_keys: DataKeysTable;
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
