import { withTransaction } from '../../store/database.js';
import { deleteCareTeamMember, insertCareTeamMember } from '../../store/sharing-repository.js';
import { isActiveCaregiver, type AccessScope } from '../access/index.js';
import { invalidInput, notFound } from '../errors.js';
import type { PatientServiceDeps } from '../identity/patient-deps.js';

export interface CareTeamAssignment {
  readonly patientId: string;
  readonly doctorId: string;
  /** False when the doctor was already on the team (nothing changed). */
  readonly added: boolean;
}

/**
 * Care teams: a registrar puts a doctor on a patient's team (which gives the doctor full access
 * to the patient's records: src/app/access) or takes them off. Every change is in the ledger.
 */
export class CareTeams {
  constructor(private readonly deps: PatientServiceDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /**
   * @throws AppError forbidden (not a registrar), not_found (no such patient), invalid_input
   *   `invalid_doctor` (not an active doctor).
   */
  async assign(scope: AccessScope, patientId: string, doctorId: string): Promise<CareTeamAssignment> {
    const { db, audit } = this.deps;
    await scope.duty(db, patientId, 'careteam.assign');
    // Only an active doctor: a disabled account or another role must never gain record access.
    if (!(await isActiveCaregiver(db, doctorId))) throw invalidDoctor();
    const added = await withTransaction(db, async (tx) => {
      const inserted = await insertCareTeamMember(tx, {
        patientId,
        doctorId,
        assignedBy: scope.userId,
        now: this.now(),
      });
      if (inserted) {
        await audit.append(tx, {
          actor: scope.actor,
          action: 'careteam.assign',
          target: { type: 'patient', id: patientId },
          patientId,
          outcome: 'success',
          details: { doctorId, change: 'add' },
        });
      }
      return inserted;
    });
    return { patientId, doctorId, added };
  }

  /**
   * Takes a doctor off a patient's care team; their access through it ends at once.
   * @throws AppError forbidden (not a registrar), not_found (no such patient, or not on the team).
   */
  async remove(scope: AccessScope, patientId: string, doctorId: string): Promise<void> {
    const { db, audit } = this.deps;
    await scope.duty(db, patientId, 'careteam.assign');
    await withTransaction(db, async (tx) => {
      if (!(await deleteCareTeamMember(tx, patientId, doctorId))) throw notFound('care-team member');
      await audit.append(tx, {
        actor: scope.actor,
        // The ledger's vocabulary has one care-team action; `change` tells add from remove.
        action: 'careteam.assign',
        target: { type: 'patient', id: patientId },
        patientId,
        outcome: 'success',
        details: { doctorId, change: 'remove' },
      });
    });
  }
}

/** The answer when a doctor id does not name an active doctor (used by grants too). */
export function invalidDoctor(): ReturnType<typeof invalidInput> {
  return invalidInput('doctorId must name an active doctor.', 'invalid_doctor');
}
