import { Type } from '@sinclair/typebox';
import { closed } from './common.js';
import { route } from './route.js';

/**
 * Liveness and readiness (anyone, no login), and the OpenAPI document itself. /readyz never
 * says why it is not ready (503), only logs it.
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
