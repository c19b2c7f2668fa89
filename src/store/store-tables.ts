import type { Schema } from './schema.js';

/** How a primary-key column compares: the copy orders and resumes by it on both dialects. */
export type KeyKind = 'text' | 'integer' | 'bytes';

export interface KeyColumn {
  readonly name: string;
  readonly kind: KeyKind;
}

export interface TableSpec {
  /** The primary key, in its index order. */
  readonly key: readonly KeyColumn[];
  /** PostgreSQL: the GENERATED ALWAYS AS IDENTITY column (its sequence is moved past the copied ids). */
  readonly identity?: string;
  /** A migration writes this table's rows (the ledger head, the privacy lock): copied by replacing them. */
  readonly seeded?: boolean;
}

const text = (name: string): KeyColumn => ({ name, kind: 'text' });
const int = (name: string): KeyColumn => ({ name, kind: 'integer' });
const bytes = (name: string): KeyColumn => ({ name, kind: 'bytes' });

/**
 * Every table of the MedVault database with its primary key, in an order where each table comes
 * after the tables its foreign keys point to (so a copy in this order never breaks one). Typed
 * against the Kysely schema: a table added to `Schema` and not here fails the type check, and a
 * test compares this list with the tables the migrations actually create.
 */
export const STORE_TABLES = {
  keyring_keys: { key: [text('id')] },
  data_keys: { key: [int('id')], identity: 'id' },
  ledger_entries: { key: [int('seq')] },
  ledger_nodes: { key: [int('level'), int('idx')] },
  ledger_head: { key: [int('id')], seeded: true },
  ledger_checkpoints: { key: [int('id')], identity: 'id' },
  users: { key: [text('id')] },
  staff_keys: { key: [text('key_id')] },
  patients: { key: [text('id')] },
  sessions: { key: [bytes('token_hash')] },
  login_challenges: { key: [text('id')] },
  lockouts: { key: [text('account')] },
  care_teams: { key: [text('patient_id'), text('doctor_id')] },
  grants: { key: [text('id')] },
  break_glass: { key: [text('id')] },
  records: { key: [text('id')] },
  attachments: { key: [text('id')] },
  search_index: { key: [bytes('token'), text('patient_id'), int('created_at'), text('record_id')] },
  medicines: { key: [text('id')] },
  prescriptions: { key: [text('id')] },
  prescription_dispenses: { key: [text('prescription_id'), int('fill_number')] },
  analytics_keys: { key: [text('id')] },
  analytics_vital_records: { key: [text('record_id')] },
  analytics_vitals: { key: [text('record_id'), text('metric')] },
  analytics_privacy_lock: { key: [text('name')], seeded: true },
  analytics_privacy_spends: { key: [text('id')] },
  key_custody: { key: [text('id')] },
  attachment_chunks: { key: [text('attachment_id'), int('idx')] },
  idempotency_keys: { key: [text('caller_id'), text('idem_key')] },
  session_epoch: { key: [int('id')], seeded: true },
} as const satisfies Record<keyof Schema, TableSpec>;

export type TableName = keyof typeof STORE_TABLES;

/** The table names in copy order (foreign-key targets first). */
export const TABLE_ORDER = Object.keys(STORE_TABLES) as TableName[];

/** Tables that are the migrator's own bookkeeping, not the hospital's data. */
export const MIGRATION_TABLES = ['medvault_migrations', 'medvault_migrations_lock'] as const;

/** A table's spec, widened to {@link TableSpec}. */
export const tableSpec = (table: TableName): TableSpec => STORE_TABLES[table];
