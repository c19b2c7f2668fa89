import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/app/errors.js';
import { MAX_FAILURES, MAX_SOURCE_FAILURES, SOURCE_LOCK_MS } from '../../src/app/identity/lockout.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { enrolledStaff, staffWorld, type StaffWorld } from './staff-world.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { cellsContaining, tableCount } from '../support/table-dump.js';

/** The kind of error a login attempt ends with, or 'ok'. */
const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.kind : 'crash'),
  );

/** Issue 15, findings 4 and 8, tried as an attacker would. */
describe.each(DIALECTS)('staff login abuse (%s)', (dialect) => {
  let w: StaffWorld;
  let doctor: { id: string; privateKeyPem: string };
  const attackerKey = generateSigningKeyPair('ed25519').privateKeyPem;

  beforeEach(async () => {
    w = await staffWorld(dialect);
    const c = await enrolledStaff(w, { role: 'doctor', username: 'dr.target', displayName: 'Dr Target' });
    doctor = { id: c.id, privateKeyPem: c.privateKeyPem };
  });
  afterEach(async () => {
    await w.dispose();
  });

  /** One login attempt for `username` from `source`, signed with `key`. */
  const attempt = async (
    source: string,
    over: { username?: string; password?: string; key?: string } = {},
  ): Promise<string> => {
    const username = over.username ?? 'dr.target';
    const ch = await w.identity.staffLogin.issueChallenge(username);
    return outcome(
      w.identity.staffLogin.login(
        {
          username,
          password: over.password ?? GOOD_PASSWORD,
          challengeId: ch.challengeId,
          signature: sign('ed25519', over.key ?? doctor.privateKeyPem, ch.challenge),
        },
        source,
      ),
    );
  };

  it('20 junk-signature attempts (right password even) do not lock the doctor: she logs in at once', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = i % 2 === 0 ? { key: attackerKey } : { key: attackerKey, password: `guess-${i}-password` };
      expect(await attempt('203.0.113.7', junk)).toBe('unauthenticated');
    }
    expect(await attempt('198.51.100.20')).toBe('ok');
    // The 20th locks the attacker's address; her account never.
    expect(
      w.recorder.entries.filter((e) => e.action === 'account.locked' && e.target?.id === doctor.id),
    ).toEqual([]);
    // Nothing was counted against her account.
    const row = await w.t.store.db
      .selectFrom('lockouts')
      .select('failures')
      .where('account', '=', doctor.id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it(`refuses the source address (429) after ${MAX_SOURCE_FAILURES} attempts without a valid signature, for a bounded time`, async () => {
    for (let i = 0; i < MAX_SOURCE_FAILURES; i++) {
      // Known and unknown usernames alike: the attacker learns nothing about which exist.
      const username = i % 2 === 0 ? 'dr.target' : `ghost.${i}`;
      expect(await attempt('203.0.113.7', { username, key: attackerKey })).toBe('unauthenticated');
    }
    const refused = await w.identity.staffLogin
      .issueChallenge('ghost.next')
      .then((ch) =>
        w.identity.staffLogin.login(
          { username: 'ghost.next', password: 'x', challengeId: ch.challengeId, signature: 'AAAA' },
          '203.0.113.7',
        ),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).kind).toBe('rate_limited');
    expect((refused as AppError).retryAfterSeconds).toBe(SOURCE_LOCK_MS / 1000);
    expect(await attempt('203.0.113.7', { key: attackerKey })).toBe('rate_limited');
    const locked = w.recorder.entries.filter((e) => e.action === 'account.locked');
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ target: null, details: { source: '203.0.113.7' } });
    // Other addresses are untouched, and so is a holder of the key behind the same (NAT) address.
    expect(await attempt('198.51.100.20', { key: attackerKey })).toBe('unauthenticated');
    expect(await attempt('203.0.113.7')).toBe('ok');
    // The wait is bounded: never escalating past SOURCE_LOCK_MS, then a fresh allowance.
    w.clock.advance(SOURCE_LOCK_MS);
    for (let i = 0; i < MAX_SOURCE_FAILURES - 1; i++)
      expect(await attempt('203.0.113.7', { key: attackerKey })).toBe('unauthenticated');
  });

  it('a valid signature with a wrong password still counts against the account, from any address', async () => {
    for (let i = 0; i < MAX_FAILURES; i++)
      expect(await attempt(`192.0.2.${i}`, { password: `wrong-password-${i}` })).toBe('unauthenticated');
    expect(await attempt('192.0.2.200')).toBe('rate_limited');
    expect(w.recorder.entries.filter((e) => e.action === 'account.locked')).toEqual([
      expect.objectContaining({ target: { type: 'user', id: doctor.id } }),
    ]);
  });

  it('a password typed as a username is stored in no table, only as a keyed hash', async () => {
    const secret = 'correct-horse-battery-staple-99';
    // Enough attempts to write challenge, lockout and ledger rows (and a lock) for it.
    for (let i = 0; i < MAX_SOURCE_FAILURES + 1; i++)
      await attempt('203.0.113.7', { username: secret, password: secret });
    const again = await w.identity.staffLogin.issueChallenge(secret);
    expect(again.challengeId).toBeTruthy();
    expect(await tableCount(w.t.store)).toBeGreaterThan(10);
    expect(await cellsContaining(w.t.store, secret)).toEqual([]);
    // The ledger still tells repeated attempts on one name apart from others: equal keyed hashes.
    const names = w.recorder.entries
      .filter((e) => e.action === 'login.failure')
      .map((e) => (e.details as { username: string }).username);
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toMatch(/^unknown:[0-9a-f]{64}$/);
    // A known username stays an account name.
    expect(await attempt('198.51.100.20')).toBe('ok');
    expect(w.recorder.entries.at(-1)?.details).toMatchObject({ username: 'dr.target' });
  });
});
