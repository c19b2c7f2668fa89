import type { AccessScope } from '../access/index.js';
import type { PrescriptionDeps } from './deps.js';
import { PrescriptionDispensing, type DispenseResult } from './dispensing.js';
import { PrescriptionEvidence } from './evidence.js';
import { PrescribingChecks, type PrescribingCheck } from './prescribing-checks.js';
import type { Evidence } from './evidence-format.js';
import { PrescriptionSigning, type SignedPrescription, type SignedSubmission } from './signing.js';
import { PrescriptionViews, type PrescriptionView, type QueuePage } from './views.js';

/**
 * Signed prescriptions (issue 6), one facade over the single-purpose parts: signing.ts
 * (submission), prescribing-checks.ts (allergy and duplicate warnings), dispensing.ts (re-verify, exactly-once), views.ts (queue, one, a patient's),
 * evidence.ts (offline-verifiable evidence). Every method takes the caller's access scope and
 * reaches prescriptions and patients only through it (src/app/access). Design: docs/prescriptions.md.
 */
export class Prescriptions {
  private readonly signing: PrescriptionSigning;
  private readonly dispensing: PrescriptionDispensing;
  private readonly views: PrescriptionViews;
  private readonly evidenceOf: PrescriptionEvidence;
  private readonly checks: PrescribingChecks;

  constructor(deps: PrescriptionDeps) {
    this.signing = new PrescriptionSigning(deps);
    this.dispensing = new PrescriptionDispensing(deps);
    this.views = new PrescriptionViews(deps);
    this.evidenceOf = new PrescriptionEvidence(deps);
    this.checks = new PrescribingChecks(deps);
  }

  /** Before signing: the allergy and duplicate warnings prescribing this medicine would raise. */
  check(scope: AccessScope, patientId: string, medicineId: string): Promise<PrescribingCheck> {
    return this.checks.check(scope, patientId, medicineId);
  }

  /** A doctor submits a prescription they signed (browser or CLI). */
  sign(scope: AccessScope, input: SignedSubmission): Promise<SignedPrescription> {
    return this.signing.submit(scope, input);
  }

  /** The pharmacist's queue of pending prescriptions. */
  queue(scope: AccessScope, page: { limit?: number; cursor?: string }): Promise<QueuePage> {
    return this.views.queue(scope, page);
  }

  /** One prescription with its verification result. */
  get(scope: AccessScope, id: string): Promise<PrescriptionView> {
    return this.views.get(scope, id);
  }

  /** A patient's prescriptions. */
  forPatient(scope: AccessScope, patientId: string): Promise<PrescriptionView[]> {
    return this.views.forPatient(scope, patientId);
  }

  /** Re-verifies and dispenses one fill, exactly once. */
  dispense(scope: AccessScope, id: string): Promise<DispenseResult> {
    return this.dispensing.dispense(scope, id);
  }

  /** The prescription's offline-verifiable evidence. */
  evidence(scope: AccessScope, id: string): Promise<Evidence> {
    return this.evidenceOf.get(scope, id);
  }
}
