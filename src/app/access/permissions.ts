import type { Role } from '../actor.js';

/** Everything a role may be allowed to do; a relationship to the patient is checked on top. */
export const PERMISSIONS = [
  'users.manage',
  'audit.read',
  'analytics.query',
  'patients.register',
  'patients.demographics',
  /** Find patients by MRN, name or date of birth, within the caller's reach (registrars, doctors). */
  'patients.find',
  'careteam.assign',
  'pin.reset',
  'records.read',
  'records.write',
  'records.search',
  'grants.manage',
  'break_glass',
  'accesslog.read',
  'medicines.read',
  'prescriptions.sign',
  'prescriptions.dispense',
  /** Pick a doctor by name (grants, care teams): anyone logged in. */
  'doctors.list',
  /** The ledger's checkpoints and consistency proofs (hashes only): anyone logged in. */
  'ledger.witness',
  /** A patient's own account: credential changes, a new recovery code, their sessions. */
  'account.self',
  /** Inclusion proofs: admins for any entry, patients for entries about themselves. */
  'ledger.prove',
  /**
   * Decide (approve or refuse) a two-person request someone else made: admins (staff kinds, the
   * budget, the MFA policy) and registrars (patient re-enrolment); each kind names its roles.
   */
  'approvals.decide',
  /** Ask for a patient's re-enrolment (a second registrar approves): registrars. */
  'patients.reenrol',
  /** Add and rotate one's own staff keys (with a signature of a current key): every staff role. */
  'keys.own',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EVERYONE: readonly Permission[] = ['doctors.list', 'ledger.witness'];
const STAFF: readonly Permission[] = [...EVERYONE, 'keys.own'];

/**
 * THE role → permission table. Deny by default: a permission not listed for a role is refused
 * (403). Admins and registrars hold no record permission at all (separation of duties);
 * pharmacists reach prescriptions only.
 */
const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set([
    ...STAFF,
    'users.manage',
    'approvals.decide',
    'audit.read',
    'analytics.query',
    'accesslog.read',
    'ledger.prove',
  ]),
  registrar: new Set([
    ...STAFF,
    'patients.register',
    'patients.demographics',
    'patients.find',
    'careteam.assign',
    'pin.reset',
    'patients.reenrol',
    'approvals.decide',
  ]),
  doctor: new Set([
    ...STAFF,
    'records.read',
    'records.write',
    'records.search',
    'patients.find',
    'break_glass',
    'medicines.read',
    'prescriptions.sign',
  ]),
  pharmacist: new Set([...STAFF, 'medicines.read', 'prescriptions.dispense']),
  patient: new Set([
    ...EVERYONE,
    'records.read',
    'grants.manage',
    'accesslog.read',
    'ledger.prove',
    'account.self',
  ]),
};

/** Whether the role holds the permission at all. */
export function roleMay(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}
