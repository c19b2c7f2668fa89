import type { DbOrTx } from '../store/database.js';
import { doctorPatientLinks, patientExists } from '../store/access-repository.js';
import type { Actor, Role } from './actor.js';
import { forbidden, notFound } from './errors.js';

/**
 * THE access policy. Every service asks here before it reads or writes; routes and CLI
 * commands never decide access. Deny by default: a permission not listed for a role is
 * refused, and a patient's data is reachable only through a relationship checked below.
 */
export type Permission =
  | 'users.manage'
  | 'audit.read'
  | 'analytics.query'
  | 'patients.register'
  | 'patients.demographics'
  | 'careteam.assign'
  | 'pin.reset'
  | 'records.read'
  | 'records.write'
  | 'records.search'
  | 'grants.manage'
  | 'break_glass'
  | 'accesslog.read'
  | 'medicines.read'
  | 'prescriptions.sign'
  | 'prescriptions.dispense';

const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(['users.manage', 'audit.read', 'analytics.query', 'accesslog.read']),
  registrar: new Set(['patients.register', 'patients.demographics', 'careteam.assign', 'pin.reset']),
  doctor: new Set([
    'records.read',
    'records.write',
    'records.search',
    'break_glass',
    'medicines.read',
    'prescriptions.sign',
  ]),
  pharmacist: new Set(['medicines.read', 'prescriptions.dispense']),
  patient: new Set(['records.read', 'grants.manage', 'accesslog.read']),
};

/** Whether the role holds the permission at all (for navigation and the matrix). */
export function roleMay(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/** Refuses (403) a caller whose role never holds `permission`. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!roleMay(actor.role, permission)) throw forbidden();
}

/** How a caller reaches a patient's data. */
export type PatientRelation = 'self' | 'care_team' | 'grant' | 'break_glass';

export interface PatientAccess {
  readonly patientId: string;
  readonly relation: PatientRelation;
  /** Record types the caller may touch: 'all', or the union of its grants' types. */
  readonly recordTypes: 'all' | ReadonlySet<string>;
  /** Set when access comes through an open break-glass (flagged in the ledger). */
  readonly breakGlassId?: string;
}

/**
 * Decides whether `actor` may read (or, for doctors, write) the records of `patientId`, and
 * through which relationship. A patient reaches only themself; a doctor reaches patients on
 * their care team, who granted them access (unexpired, unrevoked), or for whom they broke the
 * glass within the hour. Anyone else gets 404, never a hint the patient exists; roles that
 * never read records get 403.
 */
export async function patientAccess(
  db: DbOrTx,
  actor: Actor,
  patientId: string,
  permission: 'records.read' | 'records.write' = 'records.read',
  now = Date.now(),
): Promise<PatientAccess> {
  requirePermission(actor, permission);
  if (actor.role === 'patient') {
    if (actor.userId !== patientId || permission !== 'records.read') throw notFound('patient');
    return { patientId, relation: 'self', recordTypes: 'all' };
  }
  // Only doctors hold records.read/records.write besides patients.
  const links = await doctorPatientLinks(db, actor.userId, patientId, now);
  if (links.onCareTeam) return { patientId, relation: 'care_team', recordTypes: 'all' };
  if (links.grants.length > 0) {
    const types = new Set<string>();
    for (const g of links.grants) {
      if (g.recordTypes === null) return { patientId, relation: 'grant', recordTypes: 'all' };
      for (const t of g.recordTypes) types.add(t);
    }
    return { patientId, relation: 'grant', recordTypes: types };
  }
  if (links.breakGlass !== undefined) {
    return { patientId, relation: 'break_glass', recordTypes: 'all', breakGlassId: links.breakGlass.id };
  }
  throw notFound('patient');
}

/** Whether an access covers a record type. */
export function coversType(access: PatientAccess, recordType: string): boolean {
  return access.recordTypes === 'all' || access.recordTypes.has(recordType);
}

/** For registrars (and the break-glass route): the patient must exist, else 404. */
export async function requirePatientExists(db: DbOrTx, patientId: string): Promise<void> {
  if (!(await patientExists(db, patientId))) throw notFound('patient');
}
