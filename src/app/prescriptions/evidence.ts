import { findStaffKey } from '../../store/staff-key-repository.js';
import { displayNames } from '../../store/user-repository.js';
import { prescriptionReachDetails, type AccessScope } from '../access/index.js';
import { integrityFailure } from '../errors.js';
import { payloadContext, type PrescriptionDeps } from './deps.js';
import { EVIDENCE_FORMAT, type Evidence } from './evidence-format.js';
import { sha256Hex } from './verifier.js';
import { IntegrityError } from '../../crypto/errors.js';

/**
 * Builds a prescription's evidence (see evidence-format.ts) for anyone who may read the
 * prescription: the patient, the prescriber, doctors whose access covers prescriptions, and
 * pharmacists. Not admins: the payload is clinical data. A staff request is a `record.read`
 * ledger entry.
 */
export class PrescriptionEvidence {
  constructor(private readonly deps: PrescriptionDeps) {}

  /** @throws AppError forbidden, not_found, integrity (the stored payload does not read back). */
  async get(scope: AccessScope, id: string): Promise<Evidence> {
    const { db, dataKeys, audit } = this.deps;
    const reach = await scope.prescription(db, id, 'read');
    const { row } = reach;
    let bytes: Buffer;
    try {
      bytes = await dataKeys.open(db, payloadContext(row.id, row.patientId), row.payloadCt);
    } catch (err) {
      if (err instanceof IntegrityError) throw integrityFailure();
      throw err;
    }
    if (sha256Hex(bytes) !== row.payloadSha256) throw integrityFailure();
    const key = await findStaffKey(db, row.keyId);
    if (key === undefined) throw integrityFailure('The signing key of this prescription is not registered.');
    const names = await displayNames(db, [row.prescriberId]);
    if (reach.relation !== 'self')
      await audit.append(db, {
        actor: scope.actor,
        action: 'record.read',
        target: { type: 'prescription', id: row.id },
        patientId: row.patientId,
        outcome: 'success',
        details: { via: 'prescription.evidence', ...prescriptionReachDetails(reach), count: 1 },
      });
    return {
      format: EVIDENCE_FORMAT,
      prescriptionId: row.id,
      payload: bytes.toString('utf8'),
      signature: row.signature,
      algorithm: row.algorithm as Evidence['algorithm'],
      keyId: row.keyId,
      publicKeyPem: key.publicKeyPem,
      signer: { id: row.prescriberId, displayName: names.get(row.prescriberId) ?? null },
      keyRevokedAt: key.revokedAt,
      receivedAt: row.createdAt,
    };
  }
}
