import { randomBytes } from 'node:crypto';
import { enrolWithInvite } from '../../staff-enrol.js';
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

/** An account the operator makes on the server machine (as `medvault users add` does), logged in. */
async function operatorAdmin(world: DemoWorld, username: string, displayName: string): Promise<StaffMember> {
  const password = demoPassword();
  const created = await world.app.identity.staffAccounts.createAsOperator({
    role: 'admin',
    username,
    displayName,
    password,
    key: { generate: 'ed25519' },
  });
  if (created.privateKeyPem === undefined) throw new Error('the operator account came without its key');
  const session = await staffLogin(world.api, username, password, created.privateKeyPem);
  return {
    id: created.user.id,
    username,
    displayName,
    password,
    privateKeyPem: created.privateKeyPem,
    keyId: created.keyId,
    token: session.token,
  };
}

/**
 * Step 0: the hospital's staff. The first two admins come from the operator (as `medvault users
 * add` makes them, in-process). Every other account is made by one admin over HTTP with no
 * password and no key, only a one-time invite code; the person enrols with it (choosing the
 * password, making the key pair on their side: here the demo, as `medvault enrol` does) and the
 * SECOND admin approves the account (two-person rule). Each then logs in with password + a
 * signature of a fresh challenge.
 */
export const staffStep: Step = {
  title: 'Step 0 — The hospital: two admins, a registrar, two doctors and a pharmacist',
  async run(world: DemoWorld): Promise<string> {
    const admin = await operatorAdmin(world, 'ada.admin', 'Ada Admin');
    const admin2 = await operatorAdmin(world, 'ben.admin', 'Ben Admin');
    world.staff.admin = admin;
    world.staff.admin2 = admin2;
    world.say(
      'admins ada.admin and ben.admin created by the operator; logged in with password + Ed25519 challenge signature',
    );
    for (const a of ACCOUNTS) {
      const made = await world.as(admin.token).call('createStaffUser', {
        body: { role: a.role, username: a.username, displayName: a.displayName },
      });
      const pw = demoPassword();
      const enrolled = await enrolWithInvite(world.api, made.invite.code, pw, a.algorithm);
      await world.as(admin2.token).call('approveRequest', { params: { id: made.approvalId } });
      const session = await staffLogin(world.api, a.username, pw, enrolled.privateKeyPem);
      const member: StaffMember = {
        id: made.user.id,
        username: a.username,
        displayName: a.displayName,
        password: pw,
        privateKeyPem: enrolled.privateKeyPem,
        keyId: enrolled.keyId,
        token: session.token,
      };
      world.staff[a.key] = member;
      world.say(
        `${a.role.padEnd(10)} ${a.username.padEnd(16)} invited by ada, enrolled with key ${enrolled.keyId} (${a.algorithm === 'rsa' ? 'RSA-2048' : 'Ed25519'}), approved by ben, logged in`,
      );
    }
    return '6 staff accounts; 4 invited, enrolled by their holders and approved by a second admin';
  },
};
