import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, samplesOf } from '../support/prometheus-text.js';
import { closedPort } from '../support/redis.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { DIALECTS } from '../support/stores.js';

const TOKEN = `mt-${randomUUID()}-${randomUUID()}`;

const scrape = (url: string, token?: string): Promise<Response> =>
  fetch(`${url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

describe('GET /metrics without a metrics token configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 404 in the error shape to anyone, whatever they send', async () => {
    for (const token of [undefined, TOKEN, '']) {
      const res = await scrape(server.url, token);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
  });
});

describe.each(DIALECTS)('GET /metrics with MEDVAULT_METRICS_TOKEN (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db: dialect, settings: { MEDVAULT_METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 404 without the token, with another token, or with it in another scheme', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const res = await fetch(
        `${server.url}/metrics`,
        authorization === undefined ? {} : { headers: { authorization } },
      );
      expect(res.status, String(authorization)).toBe(404);
    }
  });

  it('answers the Prometheus text format to the token: routes as templates, statuses, latency, error codes', async () => {
    const unknownPatient = randomUUID();
    // Traffic: a health check, an unknown patient (401 anonymous), an unknown route (404).
    await (await fetch(`${server.url}/healthz`)).arrayBuffer();
    await (await fetch(`${server.url}/api/v1/patients/${unknownPatient}/records`)).arrayBuffer();
    await (await fetch(`${server.url}/api/v1/no-such-route/${unknownPatient}`)).arrayBuffer();
    const res = await scrape(server.url, TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    const samples = parsePrometheusText(body);
    expect(body).not.toContain(unknownPatient);
    expect(body).not.toContain(TOKEN);

    const requests = (route: string, status: string) =>
      samplesOf(samples, 'medvault_http_requests_total', { route, status }).reduce((n, s) => n + s.value, 0);
    expect(requests('/healthz', '200')).toBeGreaterThanOrEqual(1);
    expect(requests('/api/v1/patients/:id/records', '401')).toBe(1);
    expect(requests('(unmatched)', '404')).toBe(1);
    const routes = new Set(samplesOf(samples, 'medvault_http_requests_total').map((s) => s.labels.route));
    for (const route of routes)
      expect(route, 'a route label is a template or (unmatched)').toMatch(/^(\/[\w.:*-]*)+$|^\(unmatched\)$/);

    expect(samplesOf(samples, 'medvault_http_errors_total', { code: 'unauthenticated' })[0]?.value).toBe(1);
    // The 404s so far: the unknown route, and the scrapes without the token (test above).
    expect(samplesOf(samples, 'medvault_http_errors_total', { code: 'not_found' })[0]?.value).toBe(6);
    const latencyCount = samplesOf(samples, 'medvault_http_request_duration_seconds_count', {
      route: '/healthz',
      method: 'GET',
    })[0];
    expect(latencyCount?.value).toBeGreaterThanOrEqual(1);
    expect(
      samplesOf(samples, 'medvault_http_request_duration_seconds_bucket', {
        route: '/healthz',
        le: '+Inf',
      })[0]?.value,
    ).toBe(latencyCount?.value);
  });

  it('has the application gauges: ledger, checkpoint, database, hashing queue, rate-limit sharing, process', async () => {
    await server.app.audit.ledger.checkpoint(server.app.store.db);
    const samples = parsePrometheusText(await (await scrape(server.url, TOKEN)).text());
    const one = (name: string, labels: Record<string, string> = {}) =>
      samplesOf(samples, name, labels)[0]?.value;
    const entries = await server.app.audit.ledger.size(server.app.store.db);
    expect(one('medvault_ledger_entries')).toBe(entries);
    expect(one('medvault_ledger_last_checkpoint_entries')).toBe(entries);
    expect(one('medvault_ledger_last_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(one('medvault_ledger_last_checkpoint_age_seconds')).toBeLessThan(60);
    expect(one('medvault_database_up')).toBe(1);
    expect(one('medvault_hash_pool', { state: 'running' })).toBe(0);
    expect(one('medvault_hash_pool', { state: 'waiting' })).toBe(0);
    expect(one('medvault_rate_limit_shared')).toBe(0);
    expect(one('medvault_process_resident_memory_bytes')).toBeGreaterThan(0);
    if (dialect === 'postgres') {
      expect(one('medvault_db_pool_connections', { state: 'open' })).toBeGreaterThanOrEqual(1);
      expect(one('medvault_db_pool_connections', { state: 'max' })).toBe(10);
      // The scrape's own queries may be waiting for a connection while the pool opens more.
      expect(one('medvault_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    } else expect(samplesOf(samples, 'medvault_db_pool_connections')).toEqual([]);
  });
});

describe('/metrics on its own listener (MEDVAULT_METRICS_ADDRESS)', () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    const port = await closedPort();
    metricsUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({ settings: { MEDVAULT_METRICS_ADDRESS: `127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the metrics there without a token, and nothing else', async () => {
    await (await fetch(`${server.url}/healthz`)).arrayBuffer();
    const res = await fetch(`${metricsUrl}/metrics?x=1`);
    expect(res.status).toBe(200);
    const samples = parsePrometheusText(await res.text());
    expect(samplesOf(samples, 'medvault_http_requests_total', { route: '/healthz' }).length).toBe(1);
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
    // The API's listener still hides it (no token configured).
    expect((await scrape(server.url)).status).toBe(404);
  });

  it('stops listening when the server closes', async () => {
    const port = await closedPort();
    const other = await startTestServer({ settings: { MEDVAULT_METRICS_ADDRESS: `127.0.0.1:${port}` } });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await other.close();
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
