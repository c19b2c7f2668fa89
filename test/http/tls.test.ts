import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.js';
import { buildServer, listen, type App } from '../../src/http/server.js';
import { testConfig } from './helpers.js';

// A throwaway self-signed certificate for localhost. The openssl CLI is on this machine and on
// Debian CI; node:crypto cannot issue X.509 certificates. No skip: a missing openssl fails here.
const dir = mkdtempSync(path.join(tmpdir(), 'medvault-tls-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');

function fetchHttps(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject);
  });
}

let app: App;
let baseUrl: string;
beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ed25519',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'pipe' },
  );
  const config = testConfig({ HOST: '127.0.0.1', MEDVAULT_TLS_CERT: certFile, MEDVAULT_TLS_KEY: keyFile });
  app = await buildServer({ config, checkReady: async () => {}, logger: false });
  baseUrl = await listen(app, config);
});
afterAll(async () => {
  await app.close();
});

describe('TLS', () => {
  it('listen returns an https URL and the server speaks TLS with the given certificate', async () => {
    expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetchHttps(`${baseUrl}/healthz`, readFileSync(certFile));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });
  });

  it('sends HSTS and upgrade-insecure-requests over TLS', async () => {
    const res = await fetchHttps(`${baseUrl}/healthz`, readFileSync(certFile));
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('refuses a certificate file it cannot read, naming the setting', async () => {
    const config = testConfig({
      MEDVAULT_TLS_CERT: path.join(dir, 'missing.pem'),
      MEDVAULT_TLS_KEY: keyFile,
    });
    const attempt = buildServer({ config, checkReady: async () => {}, logger: false });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toMatchObject({ setting: 'MEDVAULT_TLS_CERT' });
  });
});
