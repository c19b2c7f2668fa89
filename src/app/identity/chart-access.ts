import type { DutyReach, PatientReach } from '../access/index.js';

/**
 * How the viewer reached a patient's chart, as the patient banner shows it (issue 20, point 2):
 * the access scope's reach, without ids or anything clinical.
 */
export interface ChartAccess {
  readonly relation: 'self' | 'care_team' | 'grant' | 'break_glass' | 'duty';
  /** For a grant: 'read' or 'read_write' (the widest of the active grants). */
  readonly grantScope: 'read' | 'read_write' | null;
  /** For a grant: the record types it covers; null for every type (and for other relations). */
  readonly recordTypes: string[] | null;
}

export function chartAccessOf(reach: PatientReach | DutyReach): ChartAccess {
  if (reach.relation !== 'grant') return { relation: reach.relation, grantScope: null, recordTypes: null };
  return {
    relation: 'grant',
    grantScope: reach.grants.some((g) => g.scope === 'read_write') ? 'read_write' : 'read',
    recordTypes: reach.recordTypes === 'all' ? null : [...reach.recordTypes].sort(),
  };
}
