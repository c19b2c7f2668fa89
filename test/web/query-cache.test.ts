/**
 * The UI's per-session data cache (web/src/data/query-cache.ts): what pages share is fetched
 * once, a reload keeps the old answer until the new one is in, late answers never overwrite
 * newer ones, failures are not kept, and invalidation reloads only what a page still shows.
 */
import { describe, expect, it } from 'vitest';
import { QueryCache } from '../../web/src/data/query-cache.js';

/** A loader whose answers the test releases one by one, counting the calls. */
function deferredLoader<T>() {
  const pending: { resolve: (value: T) => void; reject: (error: Error) => void }[] = [];
  const load = () =>
    new Promise<T>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { load, pending };
}

const KEY = ['patient', 'p1'] as const;
const ID = QueryCache.idOf(KEY);

describe('QueryCache', () => {
  it('loads a key once however many pages ask, and keeps the answer', async () => {
    const cache = new QueryCache();
    let calls = 0;
    const load = async () => {
      calls++;
      return { name: 'Ada' };
    };
    await Promise.all([cache.ensure(ID, KEY, load), cache.ensure(ID, KEY, load)]);
    await cache.ensure(ID, KEY, load);
    expect(calls).toBe(1);
    expect(cache.read(ID)).toEqual({ status: 'ready', data: { name: 'Ada' } });
  });

  it('is loading until the first answer, then tells its subscribers', async () => {
    const cache = new QueryCache();
    const { load, pending } = deferredLoader<string>();
    let told = 0;
    cache.subscribe(ID, () => told++);
    const done = cache.ensure(ID, KEY, load);
    expect(cache.read(ID)).toEqual({ status: 'loading' });
    pending[0]?.resolve('first');
    await done;
    expect(told).toBe(1);
    expect(cache.read(ID)).toEqual({ status: 'ready', data: 'first' });
  });

  it('keeps the previous answer while a reload is on its way', async () => {
    const cache = new QueryCache();
    const { load, pending } = deferredLoader<string>();
    const first = cache.ensure(ID, KEY, load);
    pending[0]?.resolve('old');
    await first;
    const again = cache.refresh(ID, KEY, load);
    expect(cache.read(ID)).toEqual({ status: 'ready', data: 'old' });
    pending[1]?.resolve('new');
    await again;
    expect(cache.read(ID)).toEqual({ status: 'ready', data: 'new' });
  });

  it('drops an answer that arrives after a newer load started', async () => {
    const cache = new QueryCache();
    const { load, pending } = deferredLoader<string>();
    const older = cache.refresh(ID, KEY, load);
    const newer = cache.refresh(ID, KEY, load);
    pending[1]?.resolve('newer');
    await newer;
    pending[0]?.resolve('older');
    await older;
    expect(cache.read(ID)).toEqual({ status: 'ready', data: 'newer' });
  });

  it('shows a failure but does not keep it: the next page that asks loads again', async () => {
    const cache = new QueryCache();
    let calls = 0;
    const load = async () => {
      if (++calls === 1) throw new Error('Database unreachable.');
      return 'recovered';
    };
    await cache.ensure(ID, KEY, load);
    expect(cache.read(ID)).toEqual({ status: 'error', message: 'Database unreachable.' });
    await cache.ensure(ID, KEY, load);
    expect(calls).toBe(2);
    expect(cache.read(ID)).toEqual({ status: 'ready', data: 'recovered' });
  });

  it('invalidate reloads a key a page shows, forgets one nobody shows, and spares other keys', async () => {
    const cache = new QueryCache();
    const shown = ['reachable-patients'] as const;
    const hidden = ['patient', 'p2'] as const;
    const other = ['doctors'] as const;
    let calls = 0;
    const load = async () => ++calls;
    await cache.ensure(QueryCache.idOf(shown), shown, load);
    await cache.ensure(QueryCache.idOf(hidden), hidden, load);
    await cache.ensure(QueryCache.idOf(other), other, load);
    cache.subscribe(QueryCache.idOf(shown), () => {});

    cache.invalidate(['reachable-patients']);
    cache.invalidate(['patient']);
    await cache.ensure(QueryCache.idOf(shown), shown, load); // waits for the reload under way
    expect(cache.read(QueryCache.idOf(shown))).toEqual({ status: 'ready', data: 4 });
    expect(cache.read(QueryCache.idOf(hidden))).toEqual({ status: 'loading' });
    expect(cache.read(QueryCache.idOf(other))).toEqual({ status: 'ready', data: 3 });
  });
});
