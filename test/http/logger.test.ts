import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, SCRUB_DEPTH, scrub } from '../../src/http/log-scrub.js';
import { REDACTED_FIELDS, pathOnly } from '../../src/http/logger.js';
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
    expect(parsed().some((l) => l.msg === 'request completed')).toBe(true);
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
    const done = parsed().find((l) => l.msg === 'request completed') as {
      req: Record<string, unknown>;
      res: Record<string, unknown>;
    };
    expect(done.req.url).toBe('/api/test/login');
    expect(Object.keys(done.req).sort()).toEqual(['method', 'remoteAddress', 'url']);
    expect(done.res).toEqual({ statusCode: 200 });
  });

  it('carry the request id on every line written during a request', () => {
    const inRequest = parsed().filter(
      (l) => typeof l.msg === 'string' && /careless|request|error/.test(l.msg),
    );
    expect(inRequest.length).toBeGreaterThanOrEqual(6);
    for (const line of inRequest) expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
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
      const nested = scrub({
        [field]: 's',
        a: { [field]: 's', b: { c: { [field]: 's' } } },
        list: [{ [field]: 's' }],
      });
      expect(nested).toEqual({
        [field]: REDACTED,
        a: { [field]: REDACTED, b: { c: { [field]: REDACTED } } },
        list: [{ [field]: REDACTED }],
      });
    }
    expect(SCRUB_DEPTH).toBeGreaterThanOrEqual(3);
  });

  it('redaction never changes the logged object, and leaves a clean one as it is', () => {
    const original = { user: { pin: '1234', id: 'u1' } };
    const scrubbed = scrub(original);
    expect(original.user.pin).toBe('1234');
    expect(scrubbed).toEqual({ user: { pin: REDACTED, id: 'u1' } });
    const clean = { code: 'not_found', statusCode: 404, nested: { id: 'x' } };
    expect(scrub(clean)).toBe(clean);
  });

  it('pathOnly drops the query string', () => {
    expect(pathOnly('/a/b?ssn=1&x=2')).toBe('/a/b');
    expect(pathOnly('/a/b')).toBe('/a/b');
  });
});

describe('logs at info', () => {
  it('write no line for a request that succeeds, and one for a refusal, with its request id', async () => {
    const infoLines: string[] = [];
    const server = await buildServer({
      config: testConfig({ LOG_LEVEL: 'info' }),
      checkReady: async () => {},
      logger: { stream: { write: (line: string) => infoLines.push(line) } },
    });
    try {
      await server.ready();
      const before = infoLines.length;
      expect((await server.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect(infoLines.length).toBe(before);
      const refused = await server.inject({ method: 'GET', url: '/api/v1/no-such-route' });
      expect(refused.statusCode).toBe(404);
      const lines = infoLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.reqId)).toEqual(lines.map(() => refused.headers['x-request-id']));
    } finally {
      await server.close();
    }
  });
});
