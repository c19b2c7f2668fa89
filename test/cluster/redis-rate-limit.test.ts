import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { loadConfig, type RawSettings } from '../../src/config/config.js';
import { buildServer, type App } from '../../src/http/server.js';
import { CHEAP_COSTS } from '../support/cheap-costs.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';
import { closedPort, freshAddress, REDIS_URL, startRedisRelay, type RedisRelay } from '../support/redis.js';
import { PG_URL, tempDir } from '../support/stores.js';

const CREDENTIAL_LIMIT = 6;
const AUTH_LIMIT = 5;

/** A staff login that fails (no such user): counted in the credential group. */
const login = (url: string, from: string): Promise<Response> =>
  fetch(`${url}/api/v1/auth/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username: 'nobody', password: 'x', challengeId: 'nope', signature: 'AAAA' }),
  });

const challenge = (url: string, from: string): Promise<Response> =>
  fetch(`${url}/api/v1/auth/staff/challenge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username: 'someone' }),
  });

/** Statuses of `n` calls alternating over the servers, in order. */
async function alternate(
  urls: readonly string[],
  n: number,
  call: (url: string) => Promise<Response>,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await call(urls[i % urls.length] as string);
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

const allowed = (statuses: readonly number[]): number => statuses.filter((s) => s !== 429).length;

describe.runIf(PG_URL !== undefined)('rate limits across two servers sharing Redis (PostgreSQL)', () => {
  let cluster: TestCluster;
  let urls: string[];
  beforeAll(async () => {
    cluster = await startTestCluster(2, {
      settings: {
        MEDVAULT_REDIS_URL: REDIS_URL,
        MEDVAULT_TRUST_PROXY: '127.0.0.1',
        MEDVAULT_CREDENTIAL_RATE_LIMIT: String(CREDENTIAL_LIMIT),
        MEDVAULT_AUTH_RATE_LIMIT: String(AUTH_LIMIT),
      },
    });
    urls = cluster.servers.map((s) => s.url);
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it(`allows ${CREDENTIAL_LIMIT} credential attempts from one address in all, not ${CREDENTIAL_LIMIT} per server`, async () => {
    const from = freshAddress();
    const statuses = await alternate(urls, 3 * CREDENTIAL_LIMIT, (url) => login(url, from));
    expect(statuses.slice(0, CREDENTIAL_LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(CREDENTIAL_LIMIT).every((s) => s === 429)).toBe(true);
    // Both servers refused: the count was one.
    const refusedBy = new Set(statuses.map((s, i) => (s === 429 ? i % 2 : -1)).filter((i) => i >= 0));
    expect(refusedBy).toEqual(new Set([0, 1]));
    // Another address has its own budget.
    expect((await login(urls[1] as string, freshAddress())).status).toBe(401);
  });

  it(`holds the auth group at ${AUTH_LIMIT} across both servers too`, async () => {
    const from = freshAddress();
    const statuses = await alternate(urls, 4 * AUTH_LIMIT, (url) => challenge(url, from));
    expect(allowed(statuses)).toBe(AUTH_LIMIT);
  });

  it('reads the client address only from X-Forwarded-For of a trusted proxy (one hop: the last address)', async () => {
    // A client cannot escape its budget by inventing addresses to the left of the proxy's.
    const from = freshAddress();
    const statuses = await alternate(urls, 2 * CREDENTIAL_LIMIT, (url) =>
      login(url, `${freshAddress()}, ${from}`),
    );
    expect(allowed(statuses)).toBe(CREDENTIAL_LIMIT);
  });
});

/** A server on SQLite whose log lines (warn and above) the test reads. */
async function loggedServer(
  settings: RawSettings,
): Promise<{ server: App; ctx: AppContext; lines: string[] }> {
  const lines: string[] = [];
  const config = loadConfig({
    MEDVAULT_DATA_DIR: tempDir(),
    LOG_LEVEL: 'info',
    MEDVAULT_CREDENTIAL_RATE_LIMIT: String(CREDENTIAL_LIMIT),
    ...settings,
  });
  const ctx = await openApp(config, CHEAP_COSTS);
  const server = await buildServer({
    config,
    checkReady: () => ctx.store.ping(),
    app: ctx,
    logger: { stream: { write: (line: string) => lines.push(line) } },
  });
  return { server, ctx, lines };
}

const injectLogin = (server: App, from: string) =>
  server.inject({
    method: 'POST',
    url: '/api/v1/auth/staff/login',
    payload: { username: 'nobody', password: 'x', challengeId: 'nope', signature: 'AAAA' },
    remoteAddress: from,
  });

async function statusesOf(server: App, from: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await injectLogin(server, from)).statusCode);
  return out;
}

const messages = (lines: readonly string[]): string[] =>
  lines.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => m.startsWith('rate limits'));

describe('rate limits when Redis does not answer: per process, never a failure', () => {
  const open: { server: App; ctx: AppContext }[] = [];
  afterEach(async () => {
    for (const { server, ctx } of open.splice(0)) {
      await server.close();
      await ctx.close();
    }
  });

  it('a Redis URL nobody answers at: requests are answered and limited per process, with a warning', async () => {
    const s = await loggedServer({ MEDVAULT_REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    open.push(s);
    expect(messages(s.lines)).toEqual([
      'rate limits: Redis does not answer at start; counting per process until it does',
    ]);
    const statuses = await statusesOf(s.server, freshAddress(), 2 * CREDENTIAL_LIMIT);
    expect(statuses).toEqual([
      ...Array<number>(CREDENTIAL_LIMIT).fill(401),
      ...Array<number>(CREDENTIAL_LIMIT).fill(429),
    ]);
    expect(s.lines.join('\n')).not.toMatch(/"level":50/); // no error line, no 500
  });

  describe('Redis going away mid-run and coming back', () => {
    let relay: RedisRelay;
    beforeAll(async () => {
      relay = await startRedisRelay();
    });
    afterAll(async () => {
      await relay?.cut();
    });

    it('falls back to per-process counting with one warning, then counts in Redis again', async () => {
      const a = await loggedServer({ MEDVAULT_REDIS_URL: relay.url });
      const b = await loggedServer({ MEDVAULT_REDIS_URL: relay.url });
      open.push(a, b);
      const both = async (from: string, n: number): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < n; i++)
          out.push((await injectLogin(i % 2 === 0 ? a.server : b.server, from)).statusCode);
        return out;
      };
      // Shared: 6 in all.
      expect(allowed(await both(freshAddress(), 2 * CREDENTIAL_LIMIT))).toBe(CREDENTIAL_LIMIT);

      await relay.cut();
      // Per process: each server allows its own 6, and every request is answered (401 or 429).
      const during = await both(freshAddress(), 4 * CREDENTIAL_LIMIT);
      expect(during.every((s) => s === 401 || s === 429)).toBe(true);
      expect(allowed(during)).toBe(2 * CREDENTIAL_LIMIT);
      expect(messages(a.lines)).toEqual([
        'rate limits: Redis does not answer; counting per process until it does',
      ]);
      const warning = JSON.parse(a.lines.find((l) => l.includes('Redis does not answer;')) ?? '{}') as {
        level?: number;
        reason?: string;
      };
      expect(warning.level).toBe(40);
      expect(warning.reason).toEqual(expect.any(String));

      await relay.restore();
      // The client reconnects by itself (within a few seconds); counting is shared again.
      const deadline = Date.now() + 15_000;
      while (!messages(a.lines).includes('rate limits: Redis answers again; counting across servers')) {
        if (Date.now() > deadline) throw new Error('Redis was not used again');
        await injectLogin(a.server, freshAddress());
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 300));
      await injectLogin(b.server, freshAddress());
      expect(allowed(await both(freshAddress(), 2 * CREDENTIAL_LIMIT))).toBe(CREDENTIAL_LIMIT);
    }, 30_000);
  });
});
