import type { Role } from '../contract/vocabulary/roles.js';

export {
  ROLES,
  STAFF_ROLES,
  isRole,
  isStaffRole,
  type Role,
  type StaffRole,
} from '../contract/vocabulary/roles.js';

/**
 * Who is asking: every service call that reads or writes data takes one, and the policy
 * decides from it. For a patient, `userId` is also their patient id.
 */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}
