import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_FIELDS, REDACT_PATHS, pathOnly } from '../../src/http/logger.js';
import { buildServer, type App } from '../../src/http/server.js';
import { testConfig } from './helpers.js';

const SECRETS = {
  password: 'correct-horse-battery',
  pin: '914270',
  newPin: '551177',
  ssn: '123-45-6789',
  recoveryCode: 'RC-QWERTY-UIOP',
  token: 'tok_abcdefghijklmnop',
  signature: 'c2lnbmF0dXJlLWJ5dGVz',
  privateKey: '-----BEGIN PRIVATE KEY-----xyz',
  fullName: 'Alice Liddell',
  name: 'Bob Patient',
  dateOfBirth: '1970-01-31',
};
const SECRET_VALUES = [...Object.values(SECRETS), 'Bearer-sekrit-token', 'sessioncookievalue', 'diabetes'];

const lines: string[] = [];
let app: App;

beforeAll(async () => {
  app = await buildServer({
    config: testConfig({ LOG_LEVEL: 'trace' }),
    checkReady: async () => {},
    logger: { stream: { write: (line: string) => lines.push(line) } },
  });
  app.post('/api/test/login', async (request) => {
    // Careless code logging what it should not: redaction is the second line of defence.
    request.log.info({ body: request.body }, 'careless: whole body');
    request.log.info(
      { patient: { ...SECRETS, record: { deeper: { ssn: SECRETS.ssn } } } },
      'careless: nested',
    );
    request.log.info({ headers: request.headers }, 'careless: headers');
    return { ok: true };
  });
  app.get('/api/test/fail', async () => {
    throw new Error('database exploded');
  });
  await app.ready();
  await app.inject({
    method: 'POST',
    url: '/api/test/login?keyword=diabetes',
    headers: { authorization: 'Bearer Bearer-sekrit-token', cookie: 'medvault_session=sessioncookievalue' },
    payload: SECRETS,
  });
  await app.inject({ method: 'GET', url: '/api/test/fail' });
});
afterAll(async () => {
  await app.close();
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('logs', () => {
  it('are written (the capture works)', () => {
    expect(parsed().some((l) => l.msg === 'incoming request')).toBe(true);
    expect(parsed().some((l) => l.msg === 'careless: nested')).toBe(true);
  });

  it.each(SECRET_VALUES)('never contain the value %s', (value) => {
    for (const line of lines) expect(line).not.toContain(value);
  });

  it('replace redacted fields with a marker, keeping the shape', () => {
    const nested = parsed().find((l) => l.msg === 'careless: nested') as { patient: Record<string, unknown> };
    for (const field of Object.keys(SECRETS)) expect(nested.patient[field]).toBe('[redacted]');
    expect(nested.patient.record).toEqual({ deeper: { ssn: '[redacted]' } });
    const headers = parsed().find((l) => l.msg === 'careless: headers') as {
      headers: Record<string, unknown>;
    };
    expect(headers.headers.authorization).toBe('[redacted]');
    expect(headers.headers.cookie).toBe('[redacted]');
  });

  it('log the request path without its query string, and no headers or body', () => {
    const incoming = parsed().find((l) => l.msg === 'incoming request') as { req: Record<string, unknown> };
    expect(incoming.req.url).toBe('/api/test/login');
    expect(Object.keys(incoming.req).sort()).toEqual(['method', 'remoteAddress', 'url']);
  });

  it('log an unexpected error in full server-side, with the request id', () => {
    const failure = parsed().find((l) => l.msg === 'unhandled error') as {
      err: { message: string; stack: string };
      reqId: string;
    };
    expect(failure.err.message).toBe('database exploded');
    expect(failure.err.stack).toContain('Error: database exploded');
    expect(failure.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redaction covers every documented field at the top level and nested', () => {
    for (const field of REDACTED_FIELDS) {
      expect(REDACT_PATHS).toContain(field);
      expect(REDACT_PATHS).toContain(`*.${field}`);
      expect(REDACT_PATHS).toContain(`*.*.*.${field}`);
    }
  });

  it('pathOnly drops the query string', () => {
    expect(pathOnly('/a/b?ssn=1&x=2')).toBe('/a/b');
    expect(pathOnly('/a/b')).toBe('/a/b');
  });
});
