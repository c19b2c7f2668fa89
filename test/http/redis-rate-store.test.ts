import { describe, expect, it } from 'vitest';
import { RedisRateStore, REDIS_KEY_PREFIX, type RedisEval } from '../../src/http/redis-rate-store.js';
import { SharedRateStore } from '../../src/http/shared-rate-store.js';

/** A Redis that answers what the test says: a count, an odd answer, or a failure. */
function fakeRedis(answer: () => Promise<unknown>): RedisEval & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    eval: (_script, _n, key) => {
      keys.push(key);
      return answer();
    },
  };
}

const count = (store: RedisRateStore, key: string): Promise<{ current: number; ttl: number }> =>
  new Promise((resolve, reject) =>
    store.incr(key, (err, result) => (err !== null || result === undefined ? reject(err) : resolve(result))),
  );

describe('RedisRateStore', () => {
  it('counts in Redis under its prefix, and every route shares the one store', async () => {
    const redis = fakeRedis(async () => [3, 41_000]);
    const changes: boolean[] = [];
    const store = new RedisRateStore(redis, 60_000, new SharedRateStore(60_000), (s) => changes.push(s));
    expect(await count(store, '10.0.0.1:credential')).toEqual({ current: 3, ttl: 41_000 });
    expect(redis.keys).toEqual([`${REDIS_KEY_PREFIX}10.0.0.1:credential`]);
    expect(store.child()).toBe(store);
    expect(store.counting).toBe('shared');
    expect(changes).toEqual([]);
  });

  it.each([
    ['a failure', () => Promise.reject(new Error('Connection is closed.'))],
    [
      'a rejection that is not an Error',
      () => Promise.reject(new Error('x')).catch(() => Promise.reject('down')),
    ],
    ['an answer of the wrong shape', () => Promise.resolve(['1', 2])],
    ['an answer that is not a list', () => Promise.resolve('OK')],
  ])('on %s counts in the process instead, reporting the change once', async (_what, answer) => {
    let failing = true;
    const redis = fakeRedis(() => (failing ? answer() : Promise.resolve([1, 60_000])));
    const changes: [boolean, string | undefined][] = [];
    const store = new RedisRateStore(redis, 60_000, new SharedRateStore(60_000), (s, reason) =>
      changes.push([s, reason]),
    );
    expect((await count(store, 'k')).current).toBe(1);
    expect((await count(store, 'k')).current).toBe(2);
    expect(store.counting).toBe('per-process');
    expect(changes).toEqual([[false, expect.any(String)]]);
    failing = false;
    expect(await count(store, 'k')).toEqual({ current: 1, ttl: 60_000 });
    expect(store.counting).toBe('shared');
    expect(changes).toEqual([
      [false, expect.any(String)],
      [true, undefined],
    ]);
  });

  it('started without Redis, reports the first answer from it as a change', async () => {
    const changes: boolean[] = [];
    const store = new RedisRateStore(
      fakeRedis(async () => [1, 60_000]),
      60_000,
      new SharedRateStore(60_000),
      (s) => changes.push(s),
      false,
    );
    expect(store.counting).toBe('per-process');
    await count(store, 'k');
    expect(changes).toEqual([true]);
  });
});
