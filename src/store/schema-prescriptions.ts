/**
 * Prescription tables. The signed payload (patient, medicine, dose, …) is clinical data and is
 * envelope ciphertext; only what the dispensing queue must filter and order on is in clear:
 * who signed with which key, the issue and expiry times, how many fills remain, and the hash
 * of the exact signed bytes (a random nonce inside makes it unguessable).
 */
export interface PrescriptionSchema {
  medicines: MedicinesTable;
  prescriptions: PrescriptionsTable;
  prescription_dispenses: PrescriptionDispensesTable;
}

/** The medicines catalog: reference data, not patient data, so it is stored in clear. */
export interface MedicinesTable {
  /** Stable slug, e.g. "amoxicillin-500mg-capsule"; it is what a signed payload names. */
  id: string;
  generic_name: string;
  strength: string;
  form: string;
  route: string;
  /** US controlled-substance schedule ("II".."V"), or null. */
  schedule: string | null;
  /** Lower-cased generic name, for search. */
  search_name: string;
}

export interface PrescriptionsTable {
  id: string;
  patient_id: string;
  prescriber_id: string;
  key_id: string;
  algorithm: string;
  /** Envelope ciphertext of the canonical payload bytes (table 'prescriptions', field 'payload'). */
  payload_ct: Buffer;
  /** SHA-256 (hex) of the canonical payload bytes the signature covers; unique (no replays). */
  payload_sha256: string;
  /** Standard base64, as submitted. */
  signature: string;
  /** 'active' while fills remain; 'dispensed' once the last one is handed out. */
  status: string;
  /** 1 + refills at issue; decremented by each dispense with a compare-and-set UPDATE. */
  fills_remaining: number;
  issued_at: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
}

/** One fill handed out. (prescription_id, fill_number) is unique: a second winner cannot exist. */
export interface PrescriptionDispensesTable {
  prescription_id: string;
  fill_number: number;
  pharmacist_id: string;
  dispensed_at: number;
}
