import type { DbOrTx } from '../../store/database.js';
import { findPrescription, type PrescriptionRow } from '../../store/prescription-repository.js';
import type { Actor } from '../actor.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { coversType, patientAccess, roleMay } from '../policy.js';

/** How the caller reaches a prescription (for the ledger). */
export type PrescriptionRelation =
  'dispensing' | 'self' | 'prescriber' | 'care_team' | 'grant' | 'break_glass';

/**
 * Who may read one prescription (its view and its evidence):
 * - pharmacists, any (they verify and dispense whatever a patient brings; they hold no other
 *   record permission, so this is the only clinical data they reach);
 * - the patient it is for;
 * - the doctor who signed it, and doctors who reach the patient with access covering record
 *   type 'prescription' (care team, grant, break-glass);
 * - nobody else: admins and registrars 403 (separation of duties), others 404 — a prescription
 *   that exists and one that does not answer alike.
 */
export async function reachPrescription(
  db: DbOrTx,
  actor: Actor,
  id: string,
  now: number,
): Promise<{ row: PrescriptionRow; relation: PrescriptionRelation }> {
  const pharmacist = roleMay(actor.role, 'prescriptions.dispense');
  if (!pharmacist && !roleMay(actor.role, 'records.read')) throw forbidden();
  const row = await findPrescription(db, id);
  if (row === undefined) throw notFound('prescription');
  if (pharmacist) return { row, relation: 'dispensing' };
  if (actor.role === 'doctor' && row.prescriberId === actor.userId) return { row, relation: 'prescriber' };
  try {
    const access = await patientAccess(db, actor, row.patientId, 'records.read', now);
    if (!coversType(access, 'prescription')) throw notFound('prescription');
    return { row, relation: access.relation };
  } catch (err) {
    if (err instanceof AppError && err.kind === 'not_found') throw notFound('prescription');
    throw err;
  }
}
