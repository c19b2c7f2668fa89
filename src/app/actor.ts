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
 * Who acted: what a session stands for and what ledger entries record. Services never take one
 * bare: they take the request's AccessScope (src/app/access), built from it, which decides. For
 * a patient, `userId` is also their patient id.
 */
export interface Actor {
  readonly userId: string;
  readonly role: Role;
}
