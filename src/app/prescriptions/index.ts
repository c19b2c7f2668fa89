/** The prescriptions context's public entry: its compose function and public types. */
export {
  composePrescriptions,
  type PrescriptionsContextDeps,
  type PrescriptionsServices,
} from './compose.js';
export { payloadContext } from './deps.js';
export {
  MedicineRef,
  PrescriptionPayloadSchema,
  PayloadFormatError,
  ROUTES,
  MAX_PAYLOAD_BYTES,
  canonicalPayload,
  type PrescriptionPayload,
} from './payload.js';
export { EvidenceSchema, EVIDENCE_FORMAT, type Evidence } from './evidence-format.js';
export { verifyEvidence, type EvidenceResult } from './evidence-verify.js';
export { signPrescriptionDraft, type SignedRequest } from './offline-signing.js';
export { MAX_QUEUE_PAGE, type PrescriptionView, type QueuePage, type QueueItem } from './views.js';
export { MAX_MEDICINE_QUERY, MAX_MEDICINE_RESULTS, type Medicine } from './medicines.js';
export { MEDICINE_CATALOG } from './medicine-catalog.js';
export type { SignedSubmission, SignedPrescription } from './signing.js';
export type { PrescribingCheck, PrescribingWarning } from './prescribing-checks.js';
export { prescribingWarnings } from './interaction-checks.js';
export type { DispenseResult } from './dispensing.js';
