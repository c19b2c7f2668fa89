import { withTransaction } from '../../store/database.js';
import { insertDispense, lastDispensedAt, takeFill } from '../../store/prescription-repository.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import type { AccessScope } from '../access/index.js';
import { AppError, conflict, signatureRefused } from '../errors.js';
import type { PrescriptionDeps } from './deps.js';
import { refillDueAt } from './refill-timing.js';
import { verifyStored } from './verifier.js';

export interface DispenseResult {
  readonly prescriptionId: string;
  /** 1 for the first fill, 2 for the first refill, … */
  readonly fillNumber: number;
  readonly fillsRemaining: number;
  readonly status: 'active' | 'dispensed';
  readonly dispensedAt: number;
}

/**
 * Dispensing: re-verify, then take exactly one fill.
 *
 * Verification runs against the prescriber's registered key as it is NOW (a signature never
 * becomes valid by being stored). Any failure writes a `prescription.refused` entry in a
 * transaction of its own and answers 422 with the failure's code; nothing is dispensed.
 *
 * Refill timing: a refill (never the first fill) is refused with 409 `refill_not_due`, saying
 * when it is due, until the configured share of the previous fill's supply has elapsed
 * (refill-timing.ts); the refusal is a `prescription.refused` ledger entry and nothing changes.
 * The previous fill's time is read after the row, so a fill taken in between makes the
 * compare-and-set below fail: the check cannot be raced past.
 *
 * Exactly-once: the fill is taken by a compare-and-set UPDATE on (status, fills_remaining) as
 * read before verification, checked by its affected-row count inside the transaction that also
 * inserts the dispense row (primary key (prescription, fill number): a second winner could not
 * commit even if the UPDATE were wrong) and appends the ledger entry. Of N concurrent attempts on
 * the same fill one commits; the rest see 0 rows and get 409 — on SQLite (writers serialised) and
 * on PostgreSQL across server processes (the row lock plus READ COMMITTED's re-check).
 */
export class PrescriptionDispensing {
  constructor(private readonly deps: PrescriptionDeps) {}

  /**
   * @throws AppError forbidden (not a pharmacist), not_found, conflict (`already_dispensed`,
   *   `refill_not_due`, `dispense_conflict`), integrity (a verification failure's code).
   */
  async dispense(scope: AccessScope, id: string): Promise<DispenseResult> {
    const { db, audit, clock } = this.deps;
    const now = clock();
    const { row } = await scope.prescription(db, id, 'dispense');
    if (row.status !== 'active' || row.fillsRemaining <= 0)
      throw conflict('This prescription has no fills left to dispense.', 'already_dispensed');

    const verification = await verifyStored(this.deps, row, now);
    if (!verification.valid || verification.payload === undefined) {
      const code = verification.failure ?? 'payload_altered';
      await audit.append(db, {
        actor: scope.actor,
        action: 'prescription.refused',
        target: { type: 'prescription', id },
        patientId: row.patientId,
        outcome: 'denied',
        details: { prescriptionId: id, reason: code, keyId: row.keyId },
      });
      throw signatureRefused(verification.message, code);
    }

    const previousFillAt = await lastDispensedAt(db, id);
    if (previousFillAt !== undefined && this.deps.refills.duePercent > 0) {
      const dueAt = refillDueAt(verification.payload, previousFillAt, this.deps.refills);
      if (now < dueAt) {
        await audit.append(db, {
          actor: scope.actor,
          action: 'prescription.refused',
          target: { type: 'prescription', id },
          patientId: row.patientId,
          outcome: 'denied',
          details: { prescriptionId: id, reason: 'refill_not_due', dueAt, keyId: row.keyId },
        });
        throw new AppError(
          'refill_not_due',
          `This refill is not due until ${new Date(dueAt).toISOString()}.`,
          Math.ceil((dueAt - now) / 1000),
        );
      }
    }

    const fillNumber = verification.payload.refills + 1 - row.fillsRemaining + 1;
    const fillsRemaining = row.fillsRemaining - 1;
    try {
      await withTransaction(db, async (tx) => {
        if (!(await takeFill(tx, id, row.fillsRemaining, now))) throw raced();
        await insertDispense(tx, {
          prescriptionId: id,
          fillNumber,
          pharmacistId: scope.userId,
          dispensedAt: now,
        });
        await audit.append(tx, {
          actor: scope.actor,
          action: 'prescription.dispense',
          target: { type: 'prescription', id },
          patientId: row.patientId,
          outcome: 'success',
          details: { prescriptionId: id, fillNumber, fillsRemaining, keyId: row.keyId },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw raced();
      throw err;
    }
    return {
      prescriptionId: id,
      fillNumber,
      fillsRemaining,
      status: fillsRemaining === 0 ? 'dispensed' : 'active',
      dispensedAt: now,
    };
  }
}

function raced(): AppError {
  return conflict('Another pharmacist dispensed this fill at the same moment.', 'dispense_conflict');
}
