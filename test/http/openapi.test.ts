import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorSchema, errorResponses } from '../../src/http/api-error-schema.js';
import type { App } from '../../src/http/server.js';
import { testServer } from './helpers.js';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Structural checks of an OpenAPI 3.0/3.1 document, written from the specification's required
 * fields (no validator dependency): returns a list of problems, empty when the document is sound.
 */
function openApiProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  if (!isObject(doc)) return ['document is not an object'];
  need(typeof doc.openapi === 'string' && /^3\.[01]\.\d+$/.test(doc.openapi), 'openapi is 3.0.x or 3.1.x');
  need(isObject(doc.info), 'info is an object');
  const info = isObject(doc.info) ? doc.info : {};
  need(typeof info.title === 'string' && info.title.length > 0, 'info.title');
  need(typeof info.version === 'string' && info.version.length > 0, 'info.version');
  need(isObject(doc.paths), 'paths is an object');
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [route, item] of Object.entries(paths)) {
    need(route.startsWith('/'), `${route}: path starts with /`);
    if (!isObject(item)) {
      problems.push(`${route}: path item is an object`);
      continue;
    }
    const ops = METHODS.filter((m) => m in item);
    need(ops.length > 0, `${route}: has an operation`);
    for (const method of ops) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${route}`;
      if (!isObject(op)) {
        problems.push(`${where}: operation is an object`);
        continue;
      }
      const responses = op.responses;
      need(isObject(responses) && Object.keys(responses).length > 0, `${where}: has responses`);
      for (const [status, response] of Object.entries(isObject(responses) ? responses : {})) {
        need(/^([1-5]\d\d|[1-5]XX|default)$/.test(status), `${where}: response key ${status}`);
        need(
          isObject(response) && typeof response.description === 'string',
          `${where} ${status}: description`,
        );
        const content = isObject(response) ? response.content : undefined;
        if (content !== undefined) {
          for (const [type, media] of Object.entries(isObject(content) ? content : {})) {
            need(isObject(media) && isObject(media.schema), `${where} ${status} ${type}: schema`);
          }
        }
      }
      // Every {param} in the template is declared as a required path parameter.
      const declared = new Set(
        (Array.isArray(op.parameters) ? op.parameters : [])
          .filter((p): p is Json => isObject(p) && p.in === 'path' && p.required === true)
          .map((p) => p.name),
      );
      for (const [, name] of route.matchAll(/\{([^}]+)\}/g))
        need(declared.has(name), `${where}: path param ${name}`);
    }
  }
  // Every $ref points at something inside the document.
  const resolve = (ref: string): unknown =>
    ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>(
        (node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
        doc,
      );
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node.$ref === 'string')
        need(node.$ref.startsWith('#/') && resolve(node.$ref) !== undefined, `$ref ${node.$ref}`);
      Object.values(node).forEach(walk);
    }
  };
  walk(doc);
  return problems;
}

let app: App;
beforeAll(async () => {
  app = await testServer();
  // A route added after buildServer, as later issues will: it must appear in the document.
  app.get(
    '/api/v1/things/:thingId',
    {
      schema: {
        params: Type.Object({ thingId: Type.String() }),
        response: { 200: Type.Object({ id: Type.String() }), ...errorResponses(401, 404) },
      },
    },
    async () => ({ id: 'x' }),
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('OpenAPI', () => {
  it('GET /api/openapi.json is a structurally valid OpenAPI 3 document titled MedVault', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json();
    expect(openApiProblems(doc)).toEqual([]);
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('MedVault');
  });

  it('documents /healthz and /readyz with their response schemas, /readyz with the error shape', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    expect(
      doc.paths['/healthz'].get.responses['200'].content['application/json'].schema.properties.status,
    ).toBeDefined();
    expect(doc.paths['/readyz'].get.responses['200']).toBeDefined();
    const unavailable = doc.paths['/readyz'].get.responses['503'].content['application/json'].schema;
    expect(unavailable.properties.error.required).toEqual(expect.arrayContaining(['code', 'message']));
  });

  it('includes routes added after buildServer, with path parameters and error responses', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/things/{thingId}'].get;
    expect(Object.keys(op.responses).sort()).toEqual(['200', '401', '404']);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('declares bearer and cookie security schemes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.cookie).toMatchObject({ type: 'apiKey', in: 'cookie' });
  });

  it('does not list its own plumbing (the document, the docs page)', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(
      Object.keys(doc.paths).filter((p) => p.startsWith('/api/docs') || p === '/api/openapi.json'),
    ).toEqual([]);
  });

  it('serves the docs page at /api/docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.payload).toContain('swagger-ui');
  });

  it('the checker itself catches a broken document', () => {
    expect(
      openApiProblems({ openapi: '2.0', info: {}, paths: { x: { get: { responses: {} } } } }),
    ).not.toEqual([]);
    expect(
      openApiProblems({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: {},
        a: { $ref: '#/nope' },
      }),
    ).toEqual(['$ref #/nope']);
  });

  it('apiErrorSchema is the shape the mapper sends', () => {
    expect(apiErrorSchema.required).toEqual(['error']);
  });
});
