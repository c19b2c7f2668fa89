import fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { API_ROUTES, ROUTE_NAMES, routeNamed } from '../../src/contract/api/routes.js';
import { registerOpenApi } from '../../src/http/openapi.js';
import { registerApi } from '../../src/http/routes/api.js';
import { registerFhir } from '../../src/http/fhir/routes.js';
import { FHIR_BASE, FHIR_ROUTES } from '../../src/contract/fhir/routes.js';
import { healthRoutes } from '../../src/http/routes/health.js';
import { metricsRoutes } from '../../src/http/routes/metrics.js';
import { testConfig } from './helpers.js';

/**
 * Every route the server registers is a route of the contract, with a response schema for every
 * status the contract declares — its success status first of all — so Fastify serialises every
 * JSON answer with the schema and the OpenAPI document describes every answer. Seen through an
 * onRoute hook installed before anything is registered: no route can slip past it.
 */
const routes: RouteOptions[] = [];
let ctx: AppContext;

beforeAll(async () => {
  const config = testConfig({ LOG_LEVEL: 'silent' });
  ctx = await openApp(config);
  const app = fastify({ logger: false });
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await registerOpenApi(app, { tls: false });
  await app.register(healthRoutes, { checkReady: async () => {} });
  await app.register(metricsRoutes, {});
  await registerApi(app, ctx);
  await registerFhir(app, ctx);
  await app.ready();
  await app.close();
});
afterAll(async () => {
  await ctx?.close();
});

/** The routes that are ours: the API, the health probes, metrics and the OpenAPI document (HEAD twins aside). */
const ours = (): RouteOptions[] =>
  routes.filter(
    (r) =>
      r.method !== 'HEAD' &&
      (r.url.startsWith('/api/v1/') ||
        ['/healthz', '/readyz', '/metrics', '/api/openapi.json'].includes(r.url)),
  );
const key = (r: RouteOptions): string => `${String(r.method)} ${r.url}`;

describe('routes declared from the contract', () => {
  it('registers every route of the table, and nothing under /api/v1 outside it', () => {
    const registered = ours().map(key).sort();
    const declared = ROUTE_NAMES.map((n) => `${API_ROUTES[n].method} ${API_ROUTES[n].path}`).sort();
    expect(registered).toEqual(declared);
  });

  it('gives every registered route a response schema for its success status', () => {
    const missing = ours()
      .filter((r) => {
        const response = (r.schema?.response ?? {}) as Record<string, unknown>;
        return !Object.keys(response).some((s) => /^2\d\d$/.test(s) && response[s] !== undefined);
      })
      .map(key);
    expect(missing).toEqual([]);
  });

  it('gives every registered route exactly the statuses and schemas its contract declares', () => {
    const wrong: string[] = [];
    for (const r of ours()) {
      const name = routeNamed(String(r.method), r.url);
      if (name === undefined) continue; // the first test names it
      const response = (r.schema?.response ?? {}) as Record<string, unknown>;
      const statuses = Object.keys(response).sort();
      const declared = Object.keys(API_ROUTES[name].responses).sort();
      if (statuses.join() !== declared.join())
        wrong.push(`${key(r)}: ${statuses.join()} ≠ ${declared.join()}`);
    }
    expect(wrong).toEqual([]);
  });

  it('validates requests with the contract schemas (params, query, body)', () => {
    const wrong: string[] = [];
    for (const r of ours()) {
      const name = routeNamed(String(r.method), r.url);
      if (name === undefined) continue;
      const c: Record<string, unknown> = API_ROUTES[name];
      const s = r.schema ?? {};
      if (s.params !== c.params) wrong.push(`${key(r)} params`);
      if (s.querystring !== c.query) wrong.push(`${key(r)} query`);
      if (s.body !== c.body) wrong.push(`${key(r)} body`);
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * The one exception to "every route is a contract route": the FHIR R4 API under /fhir/R4 answers
 * the standard's resources as application/fhir+json, whose shapes are HL7's, not ours (tested
 * against the R4 StructureDefinitions in test/fhir/). Its routes come from their own table
 * (src/contract/fhir/routes.ts), registered only through fhirRoute, with the table's schemas.
 */
describe('FHIR routes declared from the FHIR route table', () => {
  const fhir = (): RouteOptions[] =>
    routes.filter((r) => r.method !== 'HEAD' && r.url.startsWith(`${FHIR_BASE}/`));

  it('registers every route of the FHIR table, and nothing under /fhir/R4 outside it', () => {
    const declared = Object.values(FHIR_ROUTES)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(fhir().map(key).sort()).toEqual(declared);
  });

  it('registers each through fhirRoute, with the params and query schemas of the table, hidden from OpenAPI', () => {
    const wrong: string[] = [];
    for (const r of fhir()) {
      const declared = (r.config as { fhir?: { params?: unknown; query?: unknown } } | undefined)?.fhir;
      if (declared === undefined || !Object.values(FHIR_ROUTES).includes(declared as never)) {
        wrong.push(`${key(r)}: not registered with fhirRoute`);
        continue;
      }
      const s = (r.schema ?? {}) as { params?: unknown; querystring?: unknown; hide?: boolean };
      if (s.params !== declared.params) wrong.push(`${key(r)} params`);
      if (s.querystring !== declared.query) wrong.push(`${key(r)} query`);
      if (s.hide !== true) wrong.push(`${key(r)} in the OpenAPI document`);
    }
    expect(wrong).toEqual([]);
  });
});
