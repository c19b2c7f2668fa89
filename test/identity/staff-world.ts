import type { AccessScope } from '../../src/app/access/index.js';
import type { DialectName } from '../../src/store/database.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { openTestWorld, type TestWorld } from '../support/world.js';

/** A test world whose first account is a root admin created at the command line (as `medvault users create` does). */
export interface StaffWorld extends TestWorld {
  readonly admin: AccessScope;
}

export async function staffWorld(dialect: DialectName): Promise<StaffWorld> {
  const w = await openTestWorld({ db: dialect });
  const first = await w.identity.staffAccounts.createAsOperator({
    role: 'admin',
    username: 'root.admin',
    displayName: 'Root Admin',
    password: GOOD_PASSWORD,
    key: { generate: 'ed25519' },
  });
  return { ...w, admin: w.as({ userId: first.user.id, role: 'admin' }) };
}
