import { randomBytes } from 'node:crypto';
import { staffLogin } from '../../staff-signer.js';
import type { Step } from '../scenario.js';
import type { DemoWorld, StaffMember } from '../world.js';

/** A throwaway passphrase for a demo account (random, so it never trips the common-password list). */
export const demoPassword = (): string => `demo-${randomBytes(5).toString('hex')}-lantern-harbour`;

const ACCOUNTS = [
  {
    role: 'registrar',
    key: 'registrar',
    username: 'rita.registrar',
    displayName: 'Rita Registrar',
    algorithm: 'ed25519',
  },
  { role: 'doctor', key: 'doctor', username: 'dr.okafor', displayName: 'Dr Ngozi Okafor', algorithm: 'rsa' },
  {
    role: 'doctor',
    key: 'doctor2',
    username: 'dr.lindqvist',
    displayName: 'Dr Erik Lindqvist',
    algorithm: 'ed25519',
  },
  {
    role: 'pharmacist',
    key: 'pharmacist',
    username: 'phil.pharmacist',
    displayName: 'Phil Pharmacist',
    algorithm: 'ed25519',
  },
] as const;

/**
 * Step 0: the hospital's staff. The first admin comes from the operator (as `medvault users
 * add` makes it, in-process); every other account is made by that admin over HTTP, each with a
 * key pair whose private half only the person (here: the demo) holds. Each then logs in with
 * password + a signature of a fresh challenge.
 */
export const staffStep: Step = {
  title: 'Step 0 — The hospital: an admin, a registrar, two doctors and a pharmacist',
  async run(world: DemoWorld): Promise<string> {
    const password = demoPassword();
    const created = await world.app.identity.staffAccounts.createAsOperator({
      role: 'admin',
      username: 'ada.admin',
      displayName: 'Ada Admin',
      password,
      key: { generate: 'ed25519' },
    });
    if (created.privateKeyPem === undefined) throw new Error('the operator account came without its key');
    const adminSession = await staffLogin(world.api, 'ada.admin', password, created.privateKeyPem);
    world.staff.admin = {
      id: created.user.id,
      username: 'ada.admin',
      displayName: 'Ada Admin',
      password,
      privateKeyPem: created.privateKeyPem,
      keyId: created.keyId,
      token: adminSession.token,
    };
    world.say(
      'admin ada.admin created by the operator; logged in with password + Ed25519 challenge signature',
    );
    for (const a of ACCOUNTS) {
      const pw = demoPassword();
      const made = await world.as(adminSession.token).call('createStaffUser', {
        body: {
          role: a.role,
          username: a.username,
          displayName: a.displayName,
          password: pw,
          generateKey: a.algorithm,
        },
      });
      if (made.privateKeyPem === undefined)
        throw new Error(`${a.username} came without the key made for them`);
      const session = await staffLogin(world.api, a.username, pw, made.privateKeyPem);
      const member: StaffMember = {
        id: made.user.id,
        username: a.username,
        displayName: a.displayName,
        password: pw,
        privateKeyPem: made.privateKeyPem,
        keyId: made.keyId,
        token: session.token,
      };
      world.staff[a.key] = member;
      world.say(
        `${a.role.padEnd(10)} ${a.username.padEnd(16)} key ${made.keyId} (${a.algorithm === 'rsa' ? 'RSA-2048' : 'Ed25519'}), logged in`,
      );
    }
    return '5 staff accounts, each logged in with password + a signed challenge';
  },
};
