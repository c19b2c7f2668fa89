import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../store/database.js';
import { insertBreakGlass } from '../../store/sharing-repository.js';
import type { AccessScope } from '../access/index.js';
import { invalidInput } from '../errors.js';
import type { PatientServiceDeps } from '../identity/patient-deps.js';

/** How long one break-glass opens access. */
export const BREAK_GLASS_TTL_MS = 60 * 60_000;
import {
  MAX_BREAK_GLASS_REASON as MAX_REASON_LENGTH,
  MIN_BREAK_GLASS_REASON as MIN_REASON_LENGTH,
} from '../../contract/vocabulary/break-glass.js';

export { MAX_REASON_LENGTH, MIN_REASON_LENGTH };

/**
 * Break-glass: a doctor with no care-team place or grant opens a patient's records in an
 * emergency, for one hour, with a written reason. The access scope honours open break-glass rows
 * (for reading and writing); the ledger entry (action `break_glass`) flags it for review and
 * shows in the patient's access log. The reason may describe the patient's condition, so it is
 * stored envelope-encrypted and never written to the ledger.
 */
export class BreakGlass {
  constructor(private readonly deps: PatientServiceDeps) {}

  /**
   * @throws AppError forbidden (not a doctor), not_found (no such patient), invalid_input
   *   (reason not 10–1000 characters).
   */
  async open(
    scope: AccessScope,
    patientId: string,
    reason: string,
  ): Promise<{ breakGlassId: string; patientId: string; expiresAt: number }> {
    const { db, dataKeys, audit } = this.deps;
    await scope.duty(db, patientId, 'break_glass');
    const text = reason.normalize('NFC').trim();
    const length = [...text].length;
    if (length < MIN_REASON_LENGTH || length > MAX_REASON_LENGTH)
      throw invalidInput(`The reason must be ${MIN_REASON_LENGTH} to ${MAX_REASON_LENGTH} characters.`);
    const id = randomUUID();
    const now = (this.deps.clock ?? Date.now)();
    const expiresAt = now + BREAK_GLASS_TTL_MS;
    await withTransaction(db, async (tx) => {
      const reasonCt = await dataKeys.seal(
        tx,
        { table: 'break_glass', rowId: id, patientId, field: 'reason' },
        Buffer.from(text, 'utf8'),
      );
      await insertBreakGlass(tx, { id, patientId, doctorId: scope.userId, reasonCt, now, expiresAt });
      await audit.append(tx, {
        actor: scope.actor,
        action: 'break_glass',
        target: { type: 'patient', id: patientId },
        patientId,
        outcome: 'success',
        details: { breakGlassId: id, expiresAt },
      });
    });
    return { breakGlassId: id, patientId, expiresAt };
  }
}
