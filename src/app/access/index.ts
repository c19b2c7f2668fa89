/**
 * The access module: THE place where MedVault decides who may reach what. Services take an
 * AccessScope (one per request or command) and reach patients, records, attachments,
 * prescriptions, access logs and ledger entries only through it; no role or relationship logic
 * lives anywhere else in src/ (test/architecture.test.ts enforces it).
 *
 * - permissions.ts: the role → permission table (deny by default);
 * - relationships.ts: the relationship rules (self; care team, grant with its scope, break-glass);
 * - reach.ts: the reach types a decision answers with, and what the ledger records of them;
 * - scope.ts: the scope itself.
 */
export { AccessScope, type Directory, type Duty } from './scope.js';
export { selfPatientId } from './self.js';
export { PERMISSIONS, roleMay, type Permission } from './permissions.js';
export { isActiveCaregiver, reachFor, type Relationships } from './relationships.js';
export {
  covers,
  prescriptionReachDetails,
  reachDetails,
  type AttachmentReach,
  type DutyReach,
  type GrantLink,
  type PatientNeed,
  type PatientReach,
  type PatientRelation,
  type PrescriptionReach,
  type PrescriptionRelation,
  type RecordReach,
} from './reach.js';
