import type { DataKeys } from '../data-keys.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import type { PrescriptionDeps } from './deps.js';
import { Medicines } from './medicines.js';
import { Prescriptions } from './prescriptions.js';
import type { RefillPolicy } from './refill-timing.js';
import { SignerKeys } from './signer-keys.js';

/** The prescriptions context of a running process: signed prescriptions and the medicine catalog. */
export interface PrescriptionsServices {
  readonly prescriptions: Prescriptions;
  readonly medicines: Medicines;
}

export interface PrescriptionsContextDeps extends LedgeredServiceDeps {
  readonly dataKeys: DataKeys;
  /** When a refill is due after the previous fill (configuration). */
  readonly refills: RefillPolicy;
}

/**
 * Builds the prescriptions context and inserts the medicine catalog's missing rows (start-up
 * work: a catalog entry a prescription names must exist before the first request).
 */
export async function composePrescriptions(deps: PrescriptionsContextDeps): Promise<PrescriptionsServices> {
  const full: PrescriptionDeps = {
    db: deps.db,
    dataKeys: deps.dataKeys,
    audit: deps.audit,
    signerKeys: new SignerKeys(),
    clock: deps.clock,
    refills: deps.refills,
  };
  const medicines = new Medicines(deps.db);
  await medicines.seedCatalog();
  return { prescriptions: new Prescriptions(full), medicines };
}
