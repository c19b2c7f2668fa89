import { randomUUID } from 'node:crypto';
import { AccessScope } from '../src/app/access/index.js';
import type { Role } from '../src/app/actor.js';
import type { DbOrTx } from '../src/store/database.js';

/**
 * An active staff account inserted directly (no key, no password: benchmarks never log staff
 * in), returned as the access scope it acts in, deciding at the wall clock.
 */
export async function insertBenchStaff(db: DbOrTx, role: Exclude<Role, 'patient'>): Promise<AccessScope> {
  const id = randomUUID();
  const now = Date.now();
  await db
    .insertInto('users')
    .values({
      id,
      role,
      username: `${role}.${id.slice(0, 8)}`,
      display_name: `Bench ${role}`,
      status: 'active',
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return AccessScope.following({ userId: id, role }, Date.now);
}
