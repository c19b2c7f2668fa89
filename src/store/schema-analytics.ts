/**
 * Privacy-preserving statistics tables. Vitals are stored here only as Paillier ciphertexts
 * (fixed-length big-endian), next to the cohort columns a query selects on; no value derived
 * from a vital is stored in clear. Leakage is documented in docs/analytics.md.
 */
export interface AnalyticsSchema {
  analytics_keys: AnalyticsKeysTable;
  analytics_vital_records: AnalyticsVitalRecordsTable;
  analytics_vitals: AnalyticsVitalsTable;
  analytics_privacy_lock: AnalyticsPrivacyLockTable;
  analytics_privacy_spends: AnalyticsPrivacySpendsTable;
  analytics_budget_raises: AnalyticsBudgetRaisesTable;
}

/** The Paillier private key, sealed with a data key (envelope, AAD = this row) like any record. */
export interface AnalyticsKeysTable {
  /** e.g. "paillier:1". */
  id: string;
  bits: number;
  sealed: Buffer;
  created_at: number;
}

/** The encrypted numbers of one vitals record. */
export interface AnalyticsVitalRecordsTable {
  record_id: string;
  patient_id: string;
  /** Epoch ms of the measurement (when a record was written is not secret from the database). */
  measured_at: number;
  /** Which analytics key encrypted it. */
  key_id: string;
  /** The metrics present, comma-separated in VITAL_KEYS order (which were measured is not secret). */
  metrics: string;
  /** Paillier ciphertext of the record's fixed-point values packed into one plaintext. */
  ciphertext: Buffer;
  /** HMAC token of the patient's age in whole years at measured_at (the age-band cohort). */
  age_tag: Buffer;
  /** HMAC over every column above: a ciphertext edited or moved to another record is refused. */
  mac: Buffer;
}

/**
 * A metric a vitals record holds: the index of "latest measurement per patient". Its patient and
 * time must equal its record's, and its metric be in the record's MACed list (checked on read).
 */
export interface AnalyticsVitalsTable {
  record_id: string;
  metric: string;
  patient_id: string;
  measured_at: number;
}

/**
 * One row, `hospital` (migration 008): what every budget check locks (SELECT … FOR UPDATE on
 * PostgreSQL), so the hospital's spends are checked and recorded one query after the other.
 */
export interface AnalyticsPrivacyLockTable {
  name: string;
  created_at: number;
}

/**
 * The hospital's ledger of privacy spend: one row per released statistic, whoever asked (epsilon
 * in thousandths: exact integer accounting). A window's spend is the sum of its rows, so changing
 * the window length or the total applies at once, and the history (who spent what when) stays.
 */
export interface AnalyticsPrivacySpendsTable {
  id: string;
  /** The analyst (admin account) whose query spent it. */
  analyst_id: string;
  epsilon_milli: number;
  spent_at: number;
  /** The analytics.query ledger entry written in the same transaction. */
  ledger_seq: number;
}

/** Epsilon added to one window's hospital budget by an approved two-person request (migration 019). */
export interface AnalyticsBudgetRaisesTable {
  id: string;
  /** First millisecond of the window the raise belongs to. */
  window_start: number;
  epsilon_milli: number;
  approval_id: string;
  created_at: number;
}
