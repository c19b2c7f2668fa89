import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWAGGER_UI_INLINE_STYLE_HASHES, contentSecurityPolicy } from '../../src/http/security-headers.js';
import type { App } from '../../src/http/server.js';
import { testServer } from './helpers.js';

let app: App;
beforeAll(async () => {
  app = await testServer();
  app.get('/api/test/boom', async () => {
    throw new Error('boom');
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

function directives(header: string | string[] | number | undefined): Map<string, string[]> {
  expect(typeof header).toBe('string');
  const out = new Map<string, string[]>();
  for (const part of String(header).split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

// Every kind of response must carry the headers: a route, an error, a 404, the docs page.
const URLS = ['/healthz', '/api/test/boom', '/api/nope', '/nope', '/api/docs', '/api/openapi.json'];

describe('security headers', () => {
  it.each(URLS)('%s carries a strict CSP', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    // The docs page also allows swagger-ui's one inline <style>, by hash only.
    const extra = url.startsWith('/api/docs') ? SWAGGER_UI_INLINE_STYLE_HASHES : [];
    expect(csp.get('style-src')).toEqual(["'self'", ...extra]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(String(res.headers['content-security-policy'])).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it.each(URLS)('%s forbids framing and sniffing, sends no referrer', async (url) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('the docs page allows by hash exactly the inline styles the installed swagger-ui inserts', () => {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
    const hashes = ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'].flatMap((file) =>
      [
        ...readFileSync(path.join(dir, file), 'utf8').matchAll(
          /createElement\("style",null,"((?:[^"\\]|\\.)*)"\)/g,
        ),
      ].map(
        ([, text]) =>
          `'sha256-${createHash('sha256')
            .update(JSON.parse(`"${text}"`))
            .digest('base64')}'`,
      ),
    );
    expect(hashes.length).toBeGreaterThan(0);
    expect([...new Set(hashes)].sort()).toEqual([...SWAGGER_UI_INLINE_STYLE_HASHES].sort());
  });

  it('sends no HSTS and no upgrade-insecure-requests without TLS', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(directives(res.headers['content-security-policy']).has('upgrade-insecure-requests')).toBe(false);
  });

  it('adds upgrade-insecure-requests to the CSP only with TLS', () => {
    expect(contentSecurityPolicy(true)).toHaveProperty('upgrade-insecure-requests');
    expect(contentSecurityPolicy(false)).not.toHaveProperty('upgrade-insecure-requests');
  });

  it('marks API responses, errors included, as not cacheable', async () => {
    for (const url of ['/api/nope', '/api/test/boom', '/api/openapi.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('gives each response its own random request id, ignoring one sent by the client', async () => {
    const a = await app.inject({ method: 'GET', url: '/healthz', headers: { 'request-id': 'forged' } });
    const b = await app.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
