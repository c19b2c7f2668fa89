import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/http/server.js';
import { errorBody, testServer } from './helpers.js';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('health routes', () => {
  it('GET /healthz answers 200 {status:"ok"}', async () => {
    app = await testServer();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 {status:"ready"} when the check passes', async () => {
    app = await testServer({ checkReady: async () => {} });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready' });
  });

  it('GET /readyz answers 503 with the error shape and no internal detail when the check throws', async () => {
    app = await testServer({
      checkReady: async () => {
        throw new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
      },
    });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const body = errorBody(res.payload);
    expect(body.error.code).toBe('unavailable');
    expect(res.payload).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|hunter2|stack|at /);
  });

  it('GET /readyz follows the check: ready again once the database is back', async () => {
    let up = false;
    app = await testServer({
      checkReady: async () => {
        if (!up) throw new Error('down');
      },
    });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    up = true;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});
