import { isGrantScope } from '../../contract/vocabulary/grant-scopes.js';
import { accountStanding, type DoctorPatientLinks } from '../../store/access-repository.js';
import type { DbOrTx } from '../../store/database.js';
import { isRole, type Role } from '../actor.js';
import { roleMay } from './permissions.js';
import type { GrantLink, PatientNeed, PatientReach } from './reach.js';

/**
 * How a role can be related to a patient: a patient to themself; a doctor through a care team,
 * a grant or a break-glass; every other role never (they act by duty, or not at all).
 */
export type RelationKind = 'self' | 'clinician' | 'none';

const RELATION_KIND: Readonly<Record<Role, RelationKind>> = {
  patient: 'self',
  doctor: 'clinician',
  admin: 'none',
  registrar: 'none',
  pharmacist: 'none',
};

export const relationKindOf = (role: Role): RelationKind => RELATION_KIND[role] ?? 'none';

/** What is known of a caller's relationships to one patient. */
export type Relationships =
  | { readonly kind: 'self'; readonly isPatient: boolean }
  | { readonly kind: 'clinician'; readonly links: DoctorPatientLinks }
  | { readonly kind: 'none' };

/**
 * THE relationship rules: whether (and how) a caller with `rel` reaches `patientId` for `need`,
 * covering `recordType` when given. Undefined means no reach (the caller answers 404 or 403).
 *
 * - A patient reads their own records, never anyone else's, and writes none.
 * - A doctor reaches, in this order of preference: the care team (every type, read and write);
 *   active grants (for reading any of them, for writing only those with scope 'read_write';
 *   the union of their record types); an open break-glass (every type, read and write — it is
 *   an emergency, flagged in the ledger for review; docs/architecture.md says why it writes).
 *   With a record type, the first relationship that covers it is taken, so a grant limited to
 *   lab results does not hide an open break-glass for a diagnosis.
 * - Expired or revoked grants and closed break-glass never reach here: the repository reads only
 *   live ones, as of the scope's time.
 */
export function reachFor(
  patientId: string,
  rel: Relationships,
  need: PatientNeed,
  recordType?: string,
): PatientReach | undefined {
  if (rel.kind === 'self') {
    return rel.isPatient && need === 'read'
      ? { relation: 'self', patientId, need, recordTypes: 'all' }
      : undefined;
  }
  if (rel.kind !== 'clinician') return undefined;
  const { links } = rel;
  const candidates: PatientReach[] = [];
  if (links.onCareTeam) candidates.push({ relation: 'care_team', patientId, need, recordTypes: 'all' });
  const grants = liveGrants(links).filter((g) => need === 'read' || g.scope === 'read_write');
  if (grants.length > 0)
    candidates.push({ relation: 'grant', patientId, need, recordTypes: typesOf(grants), grants });
  if (links.breakGlass !== undefined) {
    candidates.push({
      relation: 'break_glass',
      patientId,
      need,
      recordTypes: 'all',
      breakGlassId: links.breakGlass.id,
    });
  }
  if (recordType === undefined) return candidates[0];
  return candidates.find((c) => c.recordTypes === 'all' || c.recordTypes.has(recordType));
}

/** The grants as links; a scope the vocabulary does not know counts as read-only. */
function liveGrants(links: DoctorPatientLinks): GrantLink[] {
  return links.grants.map((g) => ({
    id: g.id,
    scope: isGrantScope(g.scope) ? g.scope : 'read',
    recordTypes: g.recordTypes,
  }));
}

function typesOf(grants: readonly GrantLink[]): 'all' | ReadonlySet<string> {
  const types = new Set<string>();
  for (const g of grants) {
    if (g.recordTypes === null) return 'all';
    for (const t of g.recordTypes) types.add(t);
  }
  return types;
}

/**
 * Whether `userId` may be given access to a patient (a care-team place or a grant): an active
 * account whose role writes records — a doctor. A disabled account, a pharmacist or a patient
 * must never gain record access this way.
 */
export async function isActiveCaregiver(db: DbOrTx, userId: string): Promise<boolean> {
  const account = await accountStanding(db, { id: userId });
  return (
    account !== undefined &&
    account.status === 'active' &&
    isRole(account.role) &&
    relationKindOf(account.role) === 'clinician' &&
    roleMay(account.role, 'records.write')
  );
}
