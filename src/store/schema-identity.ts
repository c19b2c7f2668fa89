/**
 * Identity and access tables. Patient identifiers (SSN, name, date of birth) are envelope
 * ciphertext; the SSN is found through a keyed blind index. Credential verifiers are argon2id
 * strings keyed with the keyring's pepper.
 */
export interface IdentitySchema {
  users: UsersTable;
  staff_keys: StaffKeysTable;
  patients: PatientsTable;
  patient_enrolments: PatientEnrolmentsTable;
  patient_search_tokens: PatientSearchTokensTable;
  sessions: SessionsTable;
  session_epoch: SessionEpochTable;
  login_challenges: LoginChallengesTable;
  lockouts: LockoutsTable;
  care_teams: CareTeamsTable;
  grants: GrantsTable;
  break_glass: BreakGlassTable;
  approval_requests: ApprovalRequestsTable;
  staff_invites: StaffInvitesTable;
}

export interface UsersTable {
  id: string;
  role: string;
  /** Staff log in by username; patients by SSN (null here). */
  username: string | null;
  display_name: string | null;
  /** 'active' or 'disabled'. */
  status: string;
  /** Staff password verifier; patients keep theirs in `patients`. */
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface StaffKeysTable {
  key_id: string;
  user_id: string;
  algorithm: string;
  public_key_pem: string;
  created_at: number;
  revoked_at: number | null;
}

export interface PatientsTable {
  /** Same id as the patient's row in `users`. */
  id: string;
  ssn_index: Buffer;
  /** The medical record number (migration 021): eight digits, Luhn-checked, unique, in clear. */
  mrn: string;
  ssn_ct: Buffer;
  name_ct: Buffer;
  dob_ct: Buffer;
  /** The verifiers; the empty string until the patient enrols (no verifier yet). */
  pin_hash: string;
  password_hash: string;
  recovery_hash: string;
  /** Registrar-assisted PIN reset: hash of a one-time token and its expiry. */
  reset_hash: string | null;
  reset_expires_at: number | null;
  smoking_status: string;
  created_by: string;
  created_at: number;
}

/**
 * Blind indexes of a patient's name words, name prefixes and date of birth (migration 021): HMAC
 * tokens under per-field keys from the keyring (src/app/identity/patient-tokens.ts), never the
 * values themselves.
 */
export interface PatientSearchTokensTable {
  token: Buffer;
  patient_id: string;
}

/** A patient's one-time enrolment code (migration 018): only its keyed verifier. */
export interface PatientEnrolmentsTable {
  patient_id: string;
  code_hash: string;
  expires_at: number;
  /** When the patient enrolled with it; null while unused. */
  used_at: number | null;
  issued_by: string;
  issued_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the opaque token; the token itself is never stored. */
  token_hash: Buffer;
  user_id: string;
  role: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** One row (id 1): raised with every session revocation and account status change (migration 009). */
export interface SessionEpochTable {
  id: number;
  /** bigint: PostgreSQL's driver answers it as a string. */
  epoch: number | string;
}

export interface LoginChallengesTable {
  id: string;
  username: string;
  challenge: string;
  expires_at: number;
  used_at: number | null;
}

/** Failed-login counters per account (user id, or SSN blind index for unknown SSNs). */
export interface LockoutsTable {
  account: string;
  failures: number;
  locked_until: number | null;
  updated_at: number;
}

export interface CareTeamsTable {
  patient_id: string;
  doctor_id: string;
  assigned_by: string;
  created_at: number;
}

export interface GrantsTable {
  id: string;
  patient_id: string;
  doctor_id: string;
  /** JSON array of record types, or null for all. */
  record_types: string | null;
  /** 'read' or 'read_write' (GRANT_SCOPES); 'read' for grants older than migration 007. */
  scope: string;
  expires_at: number | null;
  created_at: number;
  revoked_at: number | null;
}

export interface BreakGlassTable {
  id: string;
  patient_id: string;
  doctor_id: string;
  /** The written reason, envelope-encrypted (it may describe the patient's condition). */
  reason_ct: Buffer;
  created_at: number;
  expires_at: number;
}

/** A two-person request and its one decision (migration 019). */
export interface ApprovalRequestsTable {
  id: string;
  kind: string;
  /** A user id, or 'hospital'. */
  subject_id: string;
  requester_id: string;
  /** JSON object: what approving does (never a secret). */
  payload: string;
  /** 'pending', 'approved' or 'refused' (an expired pending row is shown as 'expired'). */
  status: string;
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

/** A one-time staff invite code, as a keyed verifier only (migration 019). */
export interface StaffInvitesTable {
  id: string;
  user_id: string;
  /** lookup-secret verifier (HMAC under the pepper) of the normalised code: also its lookup key. */
  verifier: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Set when a newer invite replaced this one. */
  revoked_at: number | null;
}
