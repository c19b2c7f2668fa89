import type { AccessScope } from '../../src/app/access/index.js';
import { generateSigningKeyPair, type SignatureAlgorithm } from '../../src/crypto/signature.js';
import type { DialectName } from '../../src/store/database.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { openTestWorld, type TestWorld } from '../support/world.js';

/**
 * A test world whose first two accounts are admins created at the command line (as `medvault
 * users add` does): `admin` makes accounts, `admin2` is the second person who approves them.
 */
export interface StaffWorld extends TestWorld {
  readonly admin: AccessScope;
  readonly admin2: AccessScope;
}

/** A staff account made the issue-14 way: invited by `admin`, enrolled by its holder, approved by `admin2`. */
export interface EnrolledStaff {
  readonly id: string;
  readonly username: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export async function staffWorld(dialect: DialectName): Promise<StaffWorld> {
  const w = await openTestWorld({ db: dialect });
  const admin = async (username: string) =>
    (
      await w.identity.staffAccounts.createAsOperator({
        role: 'admin',
        username,
        displayName: username,
        password: GOOD_PASSWORD,
        key: { generate: 'ed25519' },
      })
    ).user.id;
  const first = await admin('root.admin');
  const second = await admin('second.admin');
  return {
    ...w,
    admin: w.as({ userId: first, role: 'admin' }),
    admin2: w.as({ userId: second, role: 'admin' }),
  };
}

/** Invites, enrols (with `password` and a fresh key of `algorithm`) and approves a staff account. */
export async function enrolledStaff(
  w: StaffWorld,
  input: { role: string; username: string; displayName?: string },
  options: { password?: string; algorithm?: SignatureAlgorithm } = {},
): Promise<EnrolledStaff> {
  const made = await w.identity.staffAccounts.create(w.admin, {
    displayName: `Test ${input.username}`,
    ...input,
  });
  const pair = generateSigningKeyPair(options.algorithm ?? 'ed25519');
  const enrolled = await w.identity.staffInvites.enrol({
    inviteCode: made.invite.code,
    password: options.password ?? GOOD_PASSWORD,
    publicKeyPem: pair.publicKeyPem,
  });
  await w.approvals.approve(w.admin2, made.approvalId);
  return {
    id: made.user.id,
    username: input.username,
    keyId: enrolled.keyId,
    privateKeyPem: pair.privateKeyPem,
    publicKeyPem: pair.publicKeyPem,
  };
}
