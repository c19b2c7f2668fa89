import type { PatientServiceDeps } from '../identity/patient-deps.js';
import { BreakGlass } from './break-glass.js';
import { CareTeams } from './care-teams.js';
import { Grants } from './grants.js';

/** The sharing context of a running process: who else may see a patient's data, and why. */
export interface SharingServices {
  readonly careTeams: CareTeams;
  readonly grants: Grants;
  readonly breakGlass: BreakGlass;
}

/** Builds the sharing context over the identity context's patient dependencies. */
export function composeSharing(deps: PatientServiceDeps): SharingServices {
  return { careTeams: new CareTeams(deps), grants: new Grants(deps), breakGlass: new BreakGlass(deps) };
}
