import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { unavailable } from '../../app/errors.js';
import { apiErrorSchema } from '../api-error-schema.js';

const Healthy = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });
const Ready = Type.Object({ status: Type.Literal('ready') }, { additionalProperties: false });

export interface HealthDeps {
  /** Resolves when the service can take traffic (database reachable); throws otherwise. */
  readonly checkReady: () => Promise<void>;
}

/**
 * GET /healthz: the process is up (liveness). GET /readyz: it can serve (readiness). Neither
 * needs a login; /readyz never says why it is not ready, only logs it.
 */
export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is running.',
        response: { 200: Healthy },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database is reachable.',
        response: { 200: Ready, 503: apiErrorSchema },
      },
    },
    async (request) => {
      try {
        await deps.checkReady();
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw unavailable('The service is not ready.');
      }
      return { status: 'ready' as const };
    },
  );
}
