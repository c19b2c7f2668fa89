import type { Actor } from '../actor.js';
import type { PrescriptionDeps } from './deps.js';
import { PrescriptionDispensing, type DispenseResult } from './dispensing.js';
import { PrescriptionEvidence } from './evidence.js';
import type { Evidence } from './evidence-format.js';
import { PrescriptionSigning, type SignedPrescription, type SignedSubmission } from './signing.js';
import { PrescriptionViews, type PrescriptionView, type QueuePage } from './views.js';

/**
 * Signed prescriptions (issue 6), one facade over the single-purpose parts: signing.ts
 * (submission), dispensing.ts (re-verify, exactly-once), views.ts (queue, one, a patient's),
 * evidence.ts (offline-verifiable evidence). Every method takes the caller and decides access
 * through src/app/policy.ts. Design: docs/prescriptions.md.
 */
export class Prescriptions {
  private readonly signing: PrescriptionSigning;
  private readonly dispensing: PrescriptionDispensing;
  private readonly views: PrescriptionViews;
  private readonly evidenceOf: PrescriptionEvidence;

  constructor(deps: PrescriptionDeps) {
    this.signing = new PrescriptionSigning(deps);
    this.dispensing = new PrescriptionDispensing(deps);
    this.views = new PrescriptionViews(deps);
    this.evidenceOf = new PrescriptionEvidence(deps);
  }

  /** A doctor submits a prescription they signed (browser or CLI). */
  sign(actor: Actor, input: SignedSubmission): Promise<SignedPrescription> {
    return this.signing.submit(actor, input);
  }

  /** The pharmacist's queue of pending prescriptions. */
  queue(actor: Actor, page: { limit?: number; cursor?: string }): Promise<QueuePage> {
    return this.views.queue(actor, page);
  }

  /** One prescription with its verification result. */
  get(actor: Actor, id: string): Promise<PrescriptionView> {
    return this.views.get(actor, id);
  }

  /** A patient's prescriptions. */
  forPatient(actor: Actor, patientId: string): Promise<PrescriptionView[]> {
    return this.views.forPatient(actor, patientId);
  }

  /** Re-verifies and dispenses one fill, exactly once. */
  dispense(actor: Actor, id: string): Promise<DispenseResult> {
    return this.dispensing.dispense(actor, id);
  }

  /** The prescription's offline-verifiable evidence. */
  evidence(actor: Actor, id: string): Promise<Evidence> {
    return this.evidenceOf.get(actor, id);
  }
}
