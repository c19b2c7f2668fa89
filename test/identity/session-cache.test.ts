import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import type { AppServices } from '../../src/app/compose.js';
import { Sessions } from '../../src/app/identity/sessions.js';
import { SessionCache } from '../../src/app/identity/session-cache.js';
import type { Store } from '../../src/store/database.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type StaffActors, type TestWorld } from '../support/world.js';

const MINUTE = 60_000;

describe.each(DIALECTS)('the session cache, two servers on one database (%s)', (dialect) => {
  let w: TestWorld & { staff: StaffActors };
  let other: AppServices & { readonly store: Store };
  let doctor: Actor;
  let token: string;

  const onFirst = (t: string): Promise<Actor | null> => w.identity.sessions.resolve(w.store.db, t);
  const onSecond = (t: string): Promise<Actor | null> => other.identity.sessions.resolve(other.store.db, t);

  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    other = await w.secondServer();
    doctor = await insertStaff(w.store.db, 'doctor');
    token = await tokenFor(w, doctor);
    // Both caches warm: each server has checked the session against the database once.
    expect(await onFirst(token)).toEqual(doctor);
    expect(await onSecond(token)).toEqual(doctor);
    expect(w.identity.sessions.cachedSessions).toBe(1);
    expect(other.identity.sessions.cachedSessions).toBe(1);
  });
  afterEach(async () => {
    await w.dispose();
  });

  it('answers from the cache while nothing ends a session (a row changed behind its back is not read)', async () => {
    // An edit that bypasses the services (no epoch raise) shows the cache is what answers...
    await w.store.db.updateTable('sessions').set({ expires_at: 0 }).execute();
    expect(await onSecond(token)).toEqual(doctor);
    // ...and for at most its lifetime: then the row is read again.
    w.clock.advance(MINUTE);
    expect(await onSecond(token)).toBeNull();
  });

  it('refuses a logout made on one server on the very next request on the other', async () => {
    const scope = await w.identity.sessions.openScope(w.store.db, token);
    await w.identity.currentSession.logout(scope, token);
    expect(await onSecond(token)).toBeNull();
    expect(await onFirst(token)).toBeNull();
  });

  it('refuses a logout made on the second server on the very next request on the first', async () => {
    const scope = await other.identity.sessions.openScope(other.store.db, token);
    await other.identity.currentSession.logout(scope, token);
    expect(await onFirst(token)).toBeNull();
  });

  it('refuses every session of a disabled account on the very next request on every server', async () => {
    const second = await tokenFor(w, doctor);
    expect(await onSecond(second)).toEqual(doctor);
    await w.identity.staffAccounts.disable(w.staff.admin, doctor.userId);
    expect(await onSecond(token)).toBeNull();
    expect(await onSecond(second)).toBeNull();
    expect(await onFirst(token)).toBeNull();
  });

  it('keeps other sessions working after someone else logs out (they are read again, not refused)', async () => {
    const nurse = await insertStaff(w.store.db, 'doctor');
    const theirs = await tokenFor(w, nurse);
    await w.identity.currentSession.logout(await w.identity.sessions.openScope(w.store.db, theirs), theirs);
    expect(await onSecond(token)).toEqual(doctor);
    expect(await onFirst(token)).toEqual(doctor);
  });

  it('still ends an idle session, and counts use on the other server as use', async () => {
    // Used on the second server every 10 minutes: the first server's cache looks idle after
    // 15, so it asks the database, which has the second server's touches.
    for (let i = 0; i < 3; i++) {
      w.clock.advance(10 * MINUTE);
      expect(await onSecond(token)).toEqual(doctor);
    }
    expect(await onFirst(token)).toEqual(doctor);
    w.clock.advance(15 * MINUTE);
    expect(await onSecond(token)).toBeNull();
    expect(await onFirst(token)).toBeNull();
  });
});

describe('the session cache is bounded', () => {
  it('keeps at most maxEntries sessions, dropping the least recently used', async () => {
    const w = await openTestWorld({ db: 'sqlite' });
    try {
      const sessions = new Sessions({ idleMs: 15 * MINUTE, absoluteMs: 8 * 60 * MINUTE }, w.clock.read, {
        maxEntries: 3,
        ttlMs: MINUTE,
      });
      const actors: Actor[] = [];
      const tokens: string[] = [];
      for (let i = 0; i < 6; i++) {
        const actor = await insertStaff(w.store.db, 'doctor');
        actors.push(actor);
        tokens.push((await sessions.create(w.store.db, actor)).token);
      }
      for (const [i, t] of tokens.entries()) {
        expect(await sessions.resolve(w.store.db, t)).toEqual(actors[i]);
        expect(sessions.cachedSessions).toBe(Math.min(i + 1, 3));
      }
      // Evicted sessions are read again from the database, never refused for it.
      expect(await sessions.resolve(w.store.db, tokens[0] ?? '')).toEqual(actors[0]);
    } finally {
      await w.dispose();
    }
  });

  it('evicts in least-recently-used order and forgets an entry read under another epoch', () => {
    const cache = new SessionCache({ maxEntries: 2, ttlMs: MINUTE });
    const entry = (userId: string, epoch = 1) => ({
      actor: { userId, role: 'doctor' as const },
      expiresAt: 10 * MINUTE,
      lastSeenAt: 0,
      epoch,
      checkedAt: 0,
    });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    expect(cache.get('a', 1, 1)).toBeDefined(); // a is now the most recent
    cache.set('c', entry('c'));
    expect(cache.get('b', 1, 1)).toBeUndefined();
    expect(cache.get('a', 1, 1)).toBeDefined();
    expect(cache.get('c', 2, 1)).toBeUndefined(); // epoch moved: gone
    expect(cache.size).toBe(1);
    expect(cache.get('a', 1, MINUTE)).toBeUndefined(); // lifetime over
    expect(() => new SessionCache({ maxEntries: 0, ttlMs: 1 })).toThrow(TypeError);
  });
});
