import type { DbOrTx } from '../../store/database.js';
import { findRecord, type RecordRow } from '../../store/record-repository.js';
import type { Actor } from '../actor.js';
import { AppError, notFound } from '../errors.js';
import { coversType, patientAccess, requirePermission, type PatientAccess } from '../policy.js';

export interface ReachedRecord {
  /** The whole row (ciphertext included: a record is small, and readers need it next). */
  readonly record: RecordRow;
  readonly access: PatientAccess;
}

/**
 * Finds a record and checks the caller may read (or write to) it: the policy on its patient,
 * then the record's type against the caller's grants. A record that does not exist and one the
 * caller may not reach are the same 404, so ids reveal nothing.
 */
export async function reachRecord(
  db: DbOrTx,
  actor: Actor,
  recordId: string,
  permission: 'records.read' | 'records.write',
  now = Date.now(),
): Promise<ReachedRecord> {
  // A role that never reads records gets its 403 before anything is looked up.
  requirePermission(actor, permission);
  const record = await findRecord(db, recordId);
  if (record === undefined) throw notFound('record');
  let access: PatientAccess;
  try {
    access = await patientAccess(db, actor, record.patient_id, permission, now);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'not_found') throw notFound('record');
    throw err;
  }
  if (!coversType(access, record.type)) throw notFound('record');
  return { record, access };
}
