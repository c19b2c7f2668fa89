import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShare } from '../../src/app/custody/index.js';
import { openApp } from '../../src/app/context.js';
import { StartupError } from '../../src/app/startup-error.js';
import { loadConfig } from '../../src/config/config.js';
import { API_ROUTES } from '../../src/contract/api/routes.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { jsonCaller } from '../support/http.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import {
  splitTestData,
  startSealedTestServer,
  type SealedTestServer,
  type SplitData,
} from '../support/sealed.js';
import { DIALECTS } from '../support/stores.js';

const UNSEAL = '/api/v1/system/unseal';

/** The same share with one byte of its y values changed. */
function corrupt(share: string): string {
  const { setId, index, bytes } = parseShare(share);
  const copy = Buffer.from(bytes);
  copy[0] = (copy[0] as number) ^ 0x80;
  return `mvshare1-${setId}-${index}-${copy.toString('base64url')}`;
}

describe.each(DIALECTS)('a server with a split master key on %s', (dialect) => {
  let data: SplitData;
  let server: SealedTestServer;
  let call: ReturnType<typeof jsonCaller>;

  beforeAll(async () => {
    data = await splitTestData(dialect, 3, 2);
    server = await startSealedTestServer(data);
    call = jsonCaller(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await data?.dispose();
  });

  it('starts sealed: every route of the contract but the health checks and unseal answers 503', async () => {
    const wrong: string[] = [];
    for (const [name, route] of Object.entries(API_ROUTES)) {
      if (name === 'unseal') continue;
      const path = route.path.replace(/:(\w+)/g, 'x1');
      const res = await call(route.method, path, route.method === 'GET' ? {} : { body: {} });
      const expected = name === 'health' ? 200 : 503;
      const code: unknown = res.body?.error?.code;
      if (
        res.status !== expected ||
        (expected === 503 && code !== (name === 'ready' ? 'unavailable' : 'sealed'))
      )
        wrong.push(`${route.method} ${route.path}: ${res.status} ${String(code)}`);
    }
    for (const path of ['/', '/login', '/api/docs', '/no/such/path'])
      if ((await call('GET', path)).status !== 503) wrong.push(`GET ${path}`);
    expect(wrong).toEqual([]);
  });

  it('refuses a wrong share naming it, stays sealed with K−1, unseals with K; attempts are ledgered', async () => {
    const [first, second] = data.shares as [string, string];
    const bad = await call('POST', UNSEAL, { body: { share: corrupt(second) } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toEqual({
      code: 'share_refused',
      message: `Share ${parseShare(second).index} does not match its commitment: it is wrong or corrupted.`,
    });
    expect((await call('POST', UNSEAL, { body: { share: first } })).body).toEqual({
      sealed: true,
      threshold: 2,
      accepted: 1,
    });
    expect((await call('GET', '/api/v1/auth/me')).status).toBe(503);

    const done = await call('POST', UNSEAL, { body: { share: second } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ sealed: false, threshold: 2, accepted: 2 });
    expect((await call('GET', '/readyz')).status).toBe(200);
    expect((await call('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await call('GET', '/api/openapi.json')).status).toBe(200);
    const again = await call('POST', UNSEAL, { body: { share: first } });
    expect([again.status, again.body.error?.code]).toEqual([409, 'not_sealed']);

    const app = server.vault.result!;
    const { entries } = await app.audit.ledger.entries(app.store.db, { action: 'keys.unseal' });
    expect(entries.map((e) => [e.outcome, e.details.reason, e.details.share]).reverse()).toEqual([
      ['failure', 'mismatch', parseShare(second).index],
      ['success', 'accepted', parseShare(first).index],
      ['success', 'accepted', parseShare(second).index],
    ]);
    expect((await app.audit.ledger.verify(app.store.db)).ok).toBe(true);
  });

  it('restarts sealed: shares are never kept', async () => {
    await server.close();
    server = await startSealedTestServer(data);
    call = jsonCaller(server.url);
    expect((await call('GET', '/api/v1/auth/me')).body?.error?.code).toBe('sealed');
    expect(server.vault.status()).toEqual({ sealed: true, threshold: 2, accepted: 0 });
  });

  it('refuses to start with the whole key beside the split, and a command without enough shares', async () => {
    const config = (extra = {}) => loadConfig({ ...data.settings, ...extra });
    await expect(openApp(config({ MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 }), CHEAP_COSTS)).rejects.toThrow(
      /split between officers.*unset MEDVAULT_MASTER_KEY/,
    );
    await expect(openApp(config(), CHEAP_COSTS)).rejects.toThrow(StartupError);
    const lines = [data.shares[2] as string];
    await expect(
      openApp(config(), { ...CHEAP_COSTS, readShare: async () => lines.shift() ?? null }),
    ).rejects.toThrow('only 1 of the 2 key shares needed were given: still sealed');
    const both = [data.shares[0] as string, data.shares[2] as string];
    const app = await openApp(config(), { ...CHEAP_COSTS, readShare: async () => both.shift() ?? null });
    expect(app.startup.masterKeyOrigin).toBe('2 of 3 officer key shares');
    await app.close();
  });
});

describe('unseal rate limit', () => {
  it('answers 429 past MEDVAULT_UNSEAL_RATE_LIMIT calls per minute from one address', async () => {
    const data = await splitTestData('sqlite', 2, 2);
    const server = await startSealedTestServer(data, { MEDVAULT_UNSEAL_RATE_LIMIT: '3' });
    try {
      const call = jsonCaller(server.url);
      const share = corrupt(data.shares[0] as string);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call('POST', UNSEAL, { body: { share } })).status);
      expect(statuses).toEqual([422, 422, 422, 429, 429]);
      // The good share is refused too while limited: the limit is on calls, not on failures.
      expect((await call('POST', UNSEAL, { body: { share: data.shares[0] } })).status).toBe(429);
    } finally {
      await server.close();
      await data.dispose();
    }
  });
});
