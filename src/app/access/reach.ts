import type { GrantScope } from '../../contract/vocabulary/grant-scopes.js';
import type { AttachmentRow } from '../../store/attachment-repository.js';
import type { PrescriptionRow } from '../../store/prescription-repository.js';
import type { RecordRow } from '../../store/record-repository.js';
import type { AuditDetails } from '../audit/entry.js';
import type { Permission } from './permissions.js';

/** What the caller wants to do with a patient's records. */
export type PatientNeed = 'read' | 'write';

/** How a caller reaches a patient's records. */
export type PatientRelation = 'self' | 'care_team' | 'grant' | 'break_glass';

/** One active grant a reach rests on. */
export interface GrantLink {
  readonly id: string;
  readonly scope: GrantScope;
  /** Null: every record type. */
  readonly recordTypes: readonly string[] | null;
}

interface ReachBase {
  readonly patientId: string;
  /** What this reach was granted for: a 'write' reach also reads. */
  readonly need: PatientNeed;
}

/**
 * A caller's way to a patient's records, as decided by the access scope: the service uses it
 * (which record types it may touch) and its ledger entry records it (`reachDetails`).
 */
export type PatientReach =
  | (ReachBase & { readonly relation: 'self' | 'care_team'; readonly recordTypes: 'all' })
  | (ReachBase & {
      readonly relation: 'grant';
      /** The union of the grants' types ('all' when one of them is unlimited). */
      readonly recordTypes: 'all' | ReadonlySet<string>;
      /** The active grants that serve this need (for writing: only 'read_write' ones), oldest first. */
      readonly grants: readonly GrantLink[];
    })
  | (ReachBase & {
      readonly relation: 'break_glass';
      readonly recordTypes: 'all';
      /** The open break-glass (flagged in the ledger for review). */
      readonly breakGlassId: string;
    });

/**
 * A role's duty towards every patient, not a relationship to one: registrars (demographics,
 * care teams, PIN resets), doctors opening break-glass, admins reading an access log. The
 * patient must exist; nothing of their records is reached.
 */
export interface DutyReach {
  readonly relation: 'duty';
  readonly patientId: string;
  readonly duty: Permission;
}

/** A record the caller may read (or write to), with the reach it rests on. */
export interface RecordReach {
  /** The whole row (ciphertext included: a record is small, and readers need it next). */
  readonly record: RecordRow;
  readonly patient: PatientReach;
}

export interface AttachmentReach extends RecordReach {
  readonly attachment: AttachmentRow;
}

/** How the caller reaches a prescription: as a dispensing pharmacist, its prescriber, or through the patient. */
export type PrescriptionRelation = 'dispensing' | 'prescriber' | PatientRelation;

export interface PrescriptionReach {
  readonly row: PrescriptionRow;
  readonly relation: PrescriptionRelation;
  /** Set when the prescription is reached through the patient (self, care team, grant, break-glass). */
  readonly patient?: PatientReach;
}

/** Whether a reach covers a record type. */
export function covers(reach: PatientReach, recordType: string): boolean {
  return reach.recordTypes === 'all' || reach.recordTypes.has(recordType);
}

/** The grant that lets the reach touch `recordType` (the oldest covering it), or the oldest. */
function grantFor(grants: readonly GrantLink[], recordType: string | undefined): GrantLink | undefined {
  const covering = (g: GrantLink): boolean =>
    recordType === undefined || g.recordTypes === null || g.recordTypes.includes(recordType);
  return grants.find(covering) ?? grants[0];
}

/**
 * What a ledger entry records of a reach: the relation, and the grant (id and scope) or the
 * break-glass it went through. Ids only, never clinical data.
 */
export function reachDetails(reach: PatientReach | DutyReach, recordType?: string): AuditDetails {
  switch (reach.relation) {
    case 'grant': {
      const grant = grantFor(reach.grants, recordType);
      return grant === undefined
        ? { relation: 'grant' }
        : { relation: 'grant', grantId: grant.id, grantScope: grant.scope };
    }
    case 'break_glass':
      return { relation: 'break_glass', breakGlassId: reach.breakGlassId };
    default:
      return { relation: reach.relation };
  }
}

/** What a ledger entry records of a prescription reach. */
export function prescriptionReachDetails(reach: PrescriptionReach): AuditDetails {
  return reach.patient === undefined
    ? { relation: reach.relation }
    : reachDetails(reach.patient, 'prescription');
}
