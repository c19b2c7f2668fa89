import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, rateLimited, type ErrorCode, type ErrorKind } from '../../src/app/errors.js';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../src/contract/errors.js';
import { STATUS_BY_KIND, mapError } from '../../src/http/error-mapper.js';
import { buildServer, type App } from '../../src/http/server.js';
import { errorBody, testConfig } from './helpers.js';

const BODY_LIMIT = 1024;

const Echo = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), pin: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

const KIND_STATUS: ReadonlyArray<[ErrorKind, number]> = [
  ['invalid_input', 400],
  ['unauthenticated', 401],
  ['forbidden', 403],
  ['not_found', 404],
  ['conflict', 409],
  ['payload_too_large', 413],
  ['method_not_allowed', 405],
  ['not_acceptable', 406],
  ['unsupported_media_type', 415],
  ['range_not_satisfiable', 416],
  ['integrity', 422],
  ['rate_limited', 429],
  ['internal', 500],
  ['unavailable', 503],
];

/** A catalogue code of each kind (the catalogue is closed: no made-up codes). */
const codeOfKind = (kind: ErrorKind): ErrorCode => ERROR_CODES.find((c) => ERROR_CATALOGUE[c].kind === kind)!;

let app: App;
let thrown: unknown;

beforeAll(async () => {
  app = await buildServer({
    config: testConfig({ MEDVAULT_BODY_LIMIT: String(BODY_LIMIT) }),
    // A stub: the real database check is wired by the lead; these tests are about HTTP.
    checkReady: async () => {},
    logger: false,
  });
  // Test-only routes.
  app.post('/api/test/echo', { schema: { body: Echo } }, async (request) => ({ got: request.body }));
  app.get('/api/test/throw', async () => {
    throw thrown;
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

async function throwing(error: unknown) {
  thrown = error;
  return app.inject({ method: 'GET', url: '/api/test/throw' });
}

describe('error mapper: AppError kinds', () => {
  it('the catalogue maps every kind, and nothing else picks a status', () => {
    expect(Object.entries(STATUS_BY_KIND).sort()).toEqual([...KIND_STATUS].sort());
  });

  it.each(KIND_STATUS)('%s → %i with the error shape, code and message kept', async (kind, status) => {
    const res = await throwing(new AppError(codeOfKind(kind), `Message for ${kind}.`));
    expect(res.statusCode).toBe(status);
    expect(errorBody(res.payload)).toEqual({
      error: { code: codeOfKind(kind), message: `Message for ${kind}.` },
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('rate_limited sets Retry-After in whole seconds', async () => {
    const res = await throwing(rateLimited(29.2));
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(errorBody(res.payload).error.code).toBe('rate_limited');
  });

  it('other kinds set no Retry-After', async () => {
    const res = await throwing(new AppError('already_dispensed', 'Already dispensed.'));
    expect(res.headers['retry-after']).toBeUndefined();
  });
});

describe('error mapper: unexpected errors', () => {
  it('an Error gives 500 "internal" with a generic message, no stack, no detail', async () => {
    const res = await throwing(new Error('SELECT * FROM patients WHERE ssn = 123-45-6789'));
    expect(res.statusCode).toBe(500);
    expect(errorBody(res.payload)).toEqual({
      error: { code: 'internal', message: 'An unexpected error occurred.' },
    });
    expect(res.payload).not.toMatch(/SELECT|6789|\.ts:|\bat\b/);
  });

  it('a thrown non-Error value gives the same generic 500', async () => {
    const res = await throwing('a string with a secret');
    expect(res.statusCode).toBe(500);
    expect(errorBody(res.payload).error.code).toBe('internal');
    expect(res.payload).not.toContain('secret');
  });

  it('an error claiming a 5xx status or carrying a code is still a generic 500', async () => {
    const err = Object.assign(new Error('pool exhausted at db.internal:5432'), {
      statusCode: 502,
      code: 'EPOOL',
    });
    const res = await throwing(err);
    expect(res.statusCode).toBe(500);
    expect(res.payload).not.toContain('db.internal');
  });

  it('a library 4xx keeps its status but never its message', async () => {
    const err = Object.assign(new Error('cannot open /etc/medvault/secret'), { statusCode: 403 });
    const res = await throwing(err);
    expect(res.statusCode).toBe(403);
    expect(errorBody(res.payload).error.code).toBe('forbidden');
    expect(res.payload).not.toContain('/etc');
  });
});

describe('error mapper: request errors', () => {
  const post = (payload: string | Buffer, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/test/echo', headers: { 'content-type': contentType }, payload });

  it('a valid body reaches the handler', async () => {
    const res = await post(JSON.stringify({ name: 'A', pin: '123456' }));
    expect(res.statusCode).toBe(200);
  });

  it('malformed JSON gives 400 "malformed_json"', async () => {
    const res = await post('{"name": "A", pin: }');
    expect(res.statusCode).toBe(400);
    expect(errorBody(res.payload).error.code).toBe('malformed_json');
  });

  it('an empty JSON body gives 400 "malformed_json"', async () => {
    const res = await post('');
    expect(res.statusCode).toBe(400);
    expect(errorBody(res.payload).error.code).toBe('malformed_json');
  });

  it('a __proto__ key is refused as malformed, not merged', async () => {
    const res = await post('{"name":"A","pin":"123456","__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
    expect(errorBody(res.payload).error.code).toBe('malformed_json');
  });

  it('a schema violation gives 400 "invalid_input" naming the field, without echoing the value', async () => {
    const res = await post(JSON.stringify({ name: 'A', pin: 'abc-secret' }));
    expect(res.statusCode).toBe(400);
    const body = errorBody(res.payload);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain('body/pin');
    expect(body.error.message).not.toContain('abc-secret');
  });

  it('a missing required field is named', async () => {
    const res = await post(JSON.stringify({ name: 'A' }));
    expect(res.statusCode).toBe(400);
    expect(errorBody(res.payload).error.message).toMatch(/pin/);
  });

  it('a body over the limit gives 413 "payload_too_large"', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(BODY_LIMIT), pin: '123456' }));
    expect(res.statusCode).toBe(413);
    expect(errorBody(res.payload).error.code).toBe('payload_too_large');
  });

  it('a body exactly at the limit is accepted by the parser (then validated)', async () => {
    const filler = 'x'.repeat(BODY_LIMIT - JSON.stringify({ name: '', pin: '123456' }).length);
    const res = await post(JSON.stringify({ name: filler, pin: '123456' }));
    expect(res.statusCode).toBe(400); // name longer than 100: validation, not size
    expect(errorBody(res.payload).error.code).toBe('invalid_input');
  });

  it('an unsupported content type gives 415 "unsupported_media_type"', async () => {
    const res = await post('<xml/>', 'application/xml');
    expect(res.statusCode).toBe(415);
    expect(errorBody(res.payload).error.code).toBe('unsupported_media_type');
  });

  it('an unknown /api route gives 404 with the same shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(errorBody(res.payload)).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('an unknown method on a known path gives 404 with the same shape', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/healthz' });
    expect(res.statusCode).toBe(404);
    errorBody(res.payload);
  });

  it('property: no malformed or hostile body ever gives a 5xx, and every refusal has the shape', async () => {
    const contentTypes = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/octet-stream',
    );
    const bodies = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.uint8Array({ maxLength: 2 * BODY_LIMIT }).map((a) => Buffer.from(a)),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ name: fc.jsonValue(), pin: fc.jsonValue() }, { requiredKeys: [] })
        .map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '{',
        '[',
        '{"name":',
        'null',
        '"',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '\u0000',
        '\ufeff{}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, async (payload, contentType) => {
        const res = await post(payload, contentType);
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400) errorBody(res.payload);
      }),
      { numRuns: 300 },
    );
  });
});

describe('mapError (pure)', () => {
  it('maps a validation error without its context to a 400 naming "request"', () => {
    const err = Object.assign(new Error('x'), {
      validation: [{ instancePath: '/a', message: 'must be string' }],
    });
    expect(mapError(err)).toEqual({
      status: 400,
      code: 'invalid_input',
      message: 'request/a must be string',
    });
  });
});
