import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_FAILURES, SOURCE_LOCK_MS } from '../../src/app/identity/lockout.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { httpLogin, useStaffServer } from './staff-http-client.js';
import { DIALECTS } from '../support/stores.js';
import { GOOD_PASSWORD } from '../support/people.js';

/** Issue 15 finding 4 over HTTP: junk signatures count against the client address, not the account. */
describe.each(DIALECTS)('staff lockout abuse over HTTP (%s)', (dialect) => {
  // A server of its own: this test locks its client address.
  const h = useStaffServer(dialect);

  it('20 junk signatures leave the doctor able to log in; the address is refused (429) past its bound', async () => {
    const doctor = await h.newStaff('doctor');
    const junkKey = {
      algorithm: 'ed25519' as const,
      privateKeyPem: generateSigningKeyPair('ed25519').privateKeyPem,
    };
    const statuses: number[] = [];
    for (let i = 0; i < MAX_SOURCE_FAILURES; i++)
      statuses.push((await httpLogin(h.call, doctor.username, GOOD_PASSWORD, junkKey)).status);
    expect(statuses).toEqual(Array.from({ length: MAX_SOURCE_FAILURES }, () => 401));
    const refused = await httpLogin(h.call, doctor.username, GOOD_PASSWORD, junkKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(SOURCE_LOCK_MS / 1000);
    // The doctor holds her key: she logs in at once, even from the attacker's address.
    expect((await h.loginAs(doctor)).status).toBe(200);
  });
});
