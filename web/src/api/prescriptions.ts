/**
 * Signed prescriptions. The payload is built and signed here, in the doctor's browser, with
 * the key file they pick (WebCrypto; the key never leaves the page): the signature covers the
 * RFC 8785 canonical JSON of the payload (format: docs/prescriptions.md). Answers are checked
 * before the UI uses them.
 */
import { canonicalJson } from '../../../src/contract/canonical-json.js';
import { signUtf8, type SigningKey } from '../crypto/sign.js';
import { apiGet, apiPost, isRecord, segment } from './client.js';
import { idOf, listOf, malformed, parseEach, textOf } from './parse.js';

export {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  ROUTES,
} from '../../../src/contract/vocabulary/prescription-fields.js';

export type MedicineRef = {
  readonly id: string;
  readonly name: string;
  readonly strength: string;
  readonly form: string;
};

/** What the doctor fills in. */
export interface PrescriptionDraft {
  readonly patientId: string;
  readonly medicine: MedicineRef;
  readonly dose: string;
  readonly route: string;
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly instructions: string;
  readonly prescriberId: string;
  /** How long it may be dispensed, from now. */
  readonly validDays: number;
}

/** The signed payload, format 1 (docs/prescriptions.md). */
export type PrescriptionPayload = {
  readonly v: 1;
  readonly patientId: string;
  readonly medicine: MedicineRef;
  readonly dose: string;
  readonly route: string;
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly instructions: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly nonce: string;
  readonly prescriberId: string;
  readonly keyId: string;
};

export interface SignedSubmission {
  readonly payload: PrescriptionPayload;
  readonly signature: string;
  readonly keyId: string;
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Builds the payload (fresh nonce, issued now) and signs its canonical bytes in this browser. */
export async function signPrescription(
  draft: PrescriptionDraft,
  key: SigningKey,
  keyId: string,
  now = Date.now(),
): Promise<SignedSubmission> {
  const payload: PrescriptionPayload = {
    v: 1,
    patientId: draft.patientId,
    medicine: draft.medicine,
    dose: draft.dose,
    route: draft.route,
    frequency: draft.frequency,
    quantity: draft.quantity,
    refills: draft.refills,
    instructions: draft.instructions,
    issuedAt: now,
    expiresAt: now + draft.validDays * 86_400_000,
    nonce: randomNonce(),
    prescriberId: draft.prescriberId,
    keyId,
  };
  const signature = await signUtf8(key, canonicalJson(payload));
  return { payload, signature, keyId };
}

export interface SubmittedPrescription {
  readonly id: string;
  readonly keyId: string;
  readonly algorithm: string;
}

export async function submitPrescription(signed: SignedSubmission): Promise<SubmittedPrescription> {
  const body = await apiPost('/prescriptions', signed);
  if (!isRecord(body)) throw malformed('prescription answer');
  const id = idOf(body.id);
  const keyId = textOf(body.keyId);
  const algorithm = textOf(body.algorithm);
  if (!id || !keyId || !algorithm) throw malformed('prescription answer');
  return { id, keyId, algorithm };
}

export interface Person {
  readonly id: string;
  readonly name: string | undefined;
}

export interface PrescriptionDetails {
  readonly medicine: MedicineRef;
  readonly dose: string;
  readonly route: string;
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly instructions: string;
}

export interface QueueItem {
  readonly id: string;
  readonly patient: Person;
  readonly prescriber: Person;
  readonly fillsRemaining: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly details: PrescriptionDetails | undefined;
}

export interface Verification {
  readonly valid: boolean;
  readonly failure: string | undefined;
  readonly message: string;
  readonly keyId: string;
  readonly algorithm: string;
  readonly keyRevokedAt: number | undefined;
}

export interface Prescription extends QueueItem {
  readonly status: 'active' | 'dispensed' | 'expired';
  readonly patientDateOfBirth: string | undefined;
  readonly verification: Verification;
  readonly dispenses: ReadonlyArray<{ readonly fillNumber: number; readonly dispensedAt: number }>;
}

const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;

function parsePerson(v: unknown): Person | undefined {
  if (!isRecord(v)) return undefined;
  const id = idOf(v.id);
  return id === undefined ? undefined : { id, name: textOf(v.name) };
}

function parseDetails(v: unknown): PrescriptionDetails | undefined {
  if (!isRecord(v) || !isRecord(v.medicine)) return undefined;
  const m = v.medicine;
  const medicine = {
    id: textOf(m.id),
    name: textOf(m.name),
    strength: textOf(m.strength),
    form: textOf(m.form),
  };
  const quantity = int(v.quantity);
  const refills = int(v.refills);
  if (!medicine.id || !medicine.name || !medicine.strength || !medicine.form) return undefined;
  if (quantity === undefined || refills === undefined) return undefined;
  return {
    medicine: medicine as MedicineRef,
    dose: textOf(v.dose) ?? '',
    route: textOf(v.route) ?? '',
    frequency: textOf(v.frequency) ?? '',
    quantity,
    refills,
    instructions: typeof v.instructions === 'string' ? v.instructions : '',
  };
}

function parseQueueItem(v: unknown): QueueItem | undefined {
  if (!isRecord(v)) return undefined;
  const id = idOf(v.id);
  const patient = parsePerson(v.patient);
  const prescriber = parsePerson(v.prescriber);
  const fillsRemaining = int(v.fillsRemaining);
  const issuedAt = int(v.issuedAt);
  const expiresAt = int(v.expiresAt);
  if (!id || !patient || !prescriber || fillsRemaining === undefined || !issuedAt || !expiresAt)
    return undefined;
  return { id, patient, prescriber, fillsRemaining, issuedAt, expiresAt, details: parseDetails(v.details) };
}

function parseVerification(v: unknown): Verification | undefined {
  if (!isRecord(v) || typeof v.valid !== 'boolean') return undefined;
  return {
    valid: v.valid,
    failure: textOf(v.failure),
    message: textOf(v.message) ?? '',
    keyId: textOf(v.keyId) ?? '',
    algorithm: textOf(v.algorithm) ?? '',
    keyRevokedAt: int(v.keyRevokedAt),
  };
}

function parsePrescription(v: unknown): Prescription | undefined {
  const item = parseQueueItem(v);
  if (!item || !isRecord(v)) return undefined;
  const verification = parseVerification(v.verification);
  const status =
    v.status === 'active' || v.status === 'dispensed' || v.status === 'expired' ? v.status : undefined;
  if (!verification || !status) return undefined;
  const dispenses = Array.isArray(v.dispenses)
    ? parseEach(v.dispenses, (d) => {
        if (!isRecord(d)) return undefined;
        const fillNumber = int(d.fillNumber);
        const dispensedAt = int(d.dispensedAt);
        return fillNumber === undefined || dispensedAt === undefined
          ? undefined
          : { fillNumber, dispensedAt };
      })
    : [];
  return { ...item, status, patientDateOfBirth: textOf(v.patientDateOfBirth), verification, dispenses };
}

/** GET /prescriptions?status=pending: the pharmacist's queue (first 100). */
export async function listPendingPrescriptions(): Promise<QueueItem[]> {
  return parseEach(listOf(await apiGet('/prescriptions?status=pending&limit=100'), 'items'), parseQueueItem);
}

/** GET /prescriptions/:id: one prescription with the server's verification result. */
export async function getPrescription(id: string): Promise<Prescription> {
  const parsed = parsePrescription(await apiGet(`/prescriptions/${segment(id)}`));
  if (!parsed) throw malformed('prescription');
  return parsed;
}

/** GET /patients/:id/prescriptions */
export async function listPatientPrescriptions(patientId: string): Promise<Prescription[]> {
  return parseEach(
    listOf(await apiGet(`/patients/${segment(patientId)}/prescriptions`), 'prescriptions'),
    parsePrescription,
  );
}

export interface DispenseResult {
  readonly fillNumber: number;
  readonly fillsRemaining: number;
}

/** POST /prescriptions/:id/dispense: 409 when already dispensed, 422 when it does not verify. */
export async function dispensePrescription(id: string): Promise<DispenseResult> {
  const body = await apiPost(`/prescriptions/${segment(id)}/dispense`);
  const fillNumber = isRecord(body) ? int(body.fillNumber) : undefined;
  const fillsRemaining = isRecord(body) ? int(body.fillsRemaining) : undefined;
  if (fillNumber === undefined || fillsRemaining === undefined) throw malformed('dispense answer');
  return { fillNumber, fillsRemaining };
}

/** GET /prescriptions/:id/evidence, as the JSON text `medvault rx verify` reads. */
export async function getEvidenceJson(id: string): Promise<string> {
  const body = await apiGet(`/prescriptions/${segment(id)}/evidence`);
  if (!isRecord(body) || typeof body.payload !== 'string') throw malformed('evidence');
  return `${JSON.stringify(body, null, 2)}\n`;
}
