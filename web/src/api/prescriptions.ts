/**
 * Signed prescriptions. The payload is built and signed here, in the doctor's browser, with
 * the key file they pick (WebCrypto; the key never leaves the page): the signature covers the
 * prescription message, `MedVault prescription v1\n` + the RFC 8785 canonical JSON of the payload
 * (src/contract/signing; format: docs/prescriptions.md; schema: the contract's).
 */
import type { PrescriptionPayload } from '../../../src/contract/api/prescription-payload.js';
import { canonicalJson } from '../../../src/contract/canonical-json.js';
import { MAX_QUEUE_PAGE } from '../../../src/contract/vocabulary/paging.js';
import { prescriptionMessage } from '../../../src/contract/signing/index.js';
import { signMessage, type SigningKey } from '../crypto/sign.js';
import { api, type PageItem, type RouteInput, type RouteOutput } from './client.js';

export type { MedicineRef, PrescriptionPayload } from '../../../src/contract/api/prescription-payload.js';
export {
  MAX_INSTRUCTIONS,
  MAX_QUANTITY,
  MAX_REFILLS,
  ROUTES,
  type Route,
} from '../../../src/contract/vocabulary/prescription-fields.js';

/** What the doctor fills in: the payload's own fields, and how many days it may be dispensed. */
export type PrescriptionDraft = Omit<
  PrescriptionPayload,
  'v' | 'issuedAt' | 'expiresAt' | 'nonce' | 'keyId'
> & {
  readonly validDays: number;
};

export type SignedSubmission = RouteInput<'submitPrescription'>['body'];
export type SubmittedPrescription = RouteOutput<'submitPrescription'>;
export type QueueItem = PageItem<'prescriptionQueue'>;
export type Prescription = RouteOutput<'getPrescription'>;
export type PrescriptionDetails = NonNullable<QueueItem['details']>;
export type Person = QueueItem['patient'];
export type Verification = Prescription['verification'];
export type DispenseResult = RouteOutput<'dispensePrescription'>;

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
    // Only when the checks warned: a payload without warnings keeps the format signed before.
    ...(draft.override === undefined ? {} : { override: draft.override }),
  };
  // The prescription message (context line + canonical JSON), never the bare JSON (issue 15).
  const signature = await signMessage(key, prescriptionMessage(canonicalJson(payload)));
  return { payload, signature, keyId };
}

export async function submitPrescription(signed: SignedSubmission): Promise<SubmittedPrescription> {
  return api.call('submitPrescription', { body: signed });
}

/**
 * GET /prescriptions?status=pending: the whole pharmacist queue, oldest first, every page (a
 * queue shown in part would hide the prescriptions that have waited least, with no sign of them).
 */
export async function listPendingPrescriptions(): Promise<QueueItem[]> {
  return api.all('prescriptionQueue', { query: { status: 'pending', limit: MAX_QUEUE_PAGE } });
}

/** GET /prescriptions/:id: one prescription with the server's verification result. */
export async function getPrescription(id: string): Promise<Prescription> {
  return api.call('getPrescription', { params: { id } });
}

/** GET /patients/:id/prescriptions */
export async function listPatientPrescriptions(patientId: string): Promise<Prescription[]> {
  return (await api.call('patientPrescriptions', { params: { id: patientId } })).prescriptions;
}

/** POST /prescriptions/:id/dispense: 409 when already dispensed, 422 when it does not verify. */
export async function dispensePrescription(id: string): Promise<DispenseResult> {
  return api.call('dispensePrescription', { params: { id } });
}

/** GET /prescriptions/:id/evidence, as the JSON text `medvault rx verify` reads. */
export async function getEvidenceJson(id: string): Promise<string> {
  return `${JSON.stringify(await api.call('prescriptionEvidence', { params: { id } }), null, 2)}\n`;
}
