import type { DataKeys } from '../data-keys.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import type { EnvelopeContext } from '../../crypto/envelope.js';
import type { RefillPolicy } from './refill-timing.js';
import type { SignerKeys } from './signer-keys.js';

/** What the prescription services are built from (see createPrescriptionServices). */
export interface PrescriptionDeps extends LedgeredServiceDeps {
  readonly dataKeys: DataKeys;
  readonly signerKeys: SignerKeys;
  /** When a refill is due after the previous fill (configuration). */
  readonly refills: RefillPolicy;
}

/** Where a prescription's payload ciphertext lives: its own DEK, bound to row and patient. */
export const payloadContext = (prescriptionId: string, patientId: string): EnvelopeContext => ({
  table: 'prescriptions',
  rowId: prescriptionId,
  patientId,
  field: 'payload',
});
