import { generateKeyPairSync } from 'node:crypto';
import { staffLoginBody } from '../../staff-signer.js';
import { describeSeen, seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/**
 * More junk-signature logins than the account lockout allows (5), kept under the per-address
 * bound (20) so the attacks after this one still reach the server from this address.
 */
const JUNK_ATTEMPTS = 10;

/**
 * Locking a doctor out (issue 15, finding 4): an anonymous attacker sends logins for the doctor
 * signed with a key of their own. Only a valid signature by one of the doctor's keys counts
 * against her account, so she still logs in at once; the junk counts against the attacker's
 * address.
 */
export const staffLockoutAbuse: Attack = {
  id: 'staff-lockout-abuse',
  title: 'Lock a doctor out with junk-signature logins',
  async run(world: DemoWorld): Promise<AttackResult> {
    const doctor = world.member('doctor');
    const junkKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const statuses: number[] = [];
    for (let i = 0; i < JUNK_ATTEMPTS; i++) {
      const body = await staffLoginBody(world.api, doctor.username, doctor.password, junkKey);
      statuses.push(seen(await world.api.answer('staffLogin', { body })).status);
    }
    world.say(
      `${JUNK_ATTEMPTS} logins as ${doctor.username} signed with the attacker's key → ${statuses.join(', ')}`,
    );
    const body = await staffLoginBody(world.api, doctor.username, doctor.password, doctor.privateKeyPem);
    const genuine = seen(await world.api.answer('staffLogin', { body }));
    world.say(`then the doctor herself → ${describeSeen(genuine)}`);
    return verdictOf([
      [statuses.every((s) => s === 401), `every junk login refused (${[...new Set(statuses)].join('/')})`],
      [genuine.status === 200, 'the doctor still logs in at once'],
    ]);
  },
};
