import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSpaRoute } from '../../src/http/static-ui.js';
import type { App } from '../../src/http/server.js';
import { errorBody, testServer } from './helpers.js';

const INDEX = '<!doctype html><html><body><div id="root">MedVault UI</div></body></html>';

let app: App;
beforeAll(async () => {
  const webRoot = mkdtempSync(path.join(tmpdir(), 'medvault-web-'));
  writeFileSync(path.join(webRoot, 'index.html'), INDEX);
  mkdirSync(path.join(webRoot, 'assets'));
  writeFileSync(path.join(webRoot, 'assets', 'app-1a2b3c.js'), 'console.log("app");');
  writeFileSync(path.join(webRoot, '.env'), 'SECRET=1');
  app = await testServer({ webRoot });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('static UI', () => {
  it('serves index.html at /', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.payload).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it.each(['/some/page', '/patients/42/records', '/login?next=%2Fhome'])(
    'falls back to index.html for the client-side route %s',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.payload).toBe(INDEX);
    },
  );

  it('answers HEAD on a client-side route too', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/some/page' });
    expect(res.statusCode).toBe(200);
  });

  it('serves built assets with a long cache lifetime', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/api/nope', '/api', '/api/v1/patients/1', '/api/nope.json'])(
    'never falls back for the API path %s: 404 JSON',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(errorBody(res.payload).error.code).toBe('not_found');
    },
  );

  it('a missing asset is a 404, not index.html', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/missing-9z.js' });
    expect(res.statusCode).toBe(404);
    expect(errorBody(res.payload).error.code).toBe('not_found');
  });

  it('a POST to a UI path is a 404 JSON, not the page', async () => {
    const res = await app.inject({ method: 'POST', url: '/some/page', payload: {} });
    expect(res.statusCode).toBe(404);
    errorBody(res.payload);
  });

  it.each(['/.env', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f.env'])(
    'serves no dotfile and nothing outside the web root: %s',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.payload).not.toContain('SECRET');
      expect(res.payload).not.toContain('root:');
    },
  );

  it('the API and the docs still answer beside the UI', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });
});

describe('isSpaRoute', () => {
  it('is true only for GET/HEAD outside /api without a file extension', () => {
    expect(isSpaRoute('GET', '/records/7')).toBe(true);
    expect(isSpaRoute('HEAD', '/')).toBe(true);
    expect(isSpaRoute('POST', '/records/7')).toBe(false);
    expect(isSpaRoute('GET', '/api/v1/records')).toBe(false);
    expect(isSpaRoute('GET', '/api')).toBe(false);
    expect(isSpaRoute('GET', '/apis-guide')).toBe(true);
    expect(isSpaRoute('GET', '/favicon.ico')).toBe(false);
  });
});
