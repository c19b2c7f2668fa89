import { Type } from '@sinclair/typebox';
import { BinaryBody, closed } from './common.js';
import { route } from './route.js';

/** The Prometheus text format's content type, as prom-client writes it. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Liveness and readiness (anyone, no login), and the OpenAPI document itself. /readyz never
 * says why it is not ready (503), only logs it. /metrics is for the Prometheus scraper holding
 * the metrics token (or on a listener of its own, MEDVAULT_METRICS_ADDRESS): anyone else gets
 * 404, as if the route did not exist.
 */
export const healthRoutes = {
  health: route({
    method: 'GET',
    path: '/healthz',
    tags: ['health'],
    summary: 'Liveness: the process is running.',
    ok: { 200: Type.Object({ status: Type.Literal('ok') }, closed) },
    errors: [],
  }),
  ready: route({
    method: 'GET',
    path: '/readyz',
    tags: ['health'],
    summary: 'Readiness: the database is reachable.',
    ok: { 200: Type.Object({ status: Type.Literal('ready') }, closed) },
    errors: [],
  }),
  metrics: route({
    method: 'GET',
    path: '/metrics',
    tags: ['health'],
    summary: 'Prometheus metrics (text format); needs `Authorization: Bearer <MEDVAULT_METRICS_TOKEN>`.',
    description:
      'Requests by route template and status, latency, error codes, ledger size and checkpoint age, database pool, hashing queue, process. No label or value names a person. Answers 404 unless the server has a metrics token and the request carries it.',
    ok: { 200: BinaryBody([METRICS_CONTENT_TYPE], 'The metrics in the Prometheus text exposition format.') },
    errors: [404],
  }),
  openApiDocument: route({
    method: 'GET',
    path: '/api/openapi.json',
    tags: ['health'],
    summary: 'This API as an OpenAPI 3.1 document, generated from the contract.',
    ok: {
      200: Type.Object(
        {
          openapi: Type.String(),
          info: Type.Object({ title: Type.String(), version: Type.String() }, { additionalProperties: true }),
          paths: Type.Record(Type.String(), Type.Unknown()),
        },
        { additionalProperties: true },
      ),
    },
    errors: [],
    hidden: true,
  }),
} as const;
