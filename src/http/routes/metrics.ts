import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../app/errors.js';
import { healthRoutes as CONTRACT } from '../../contract/api/health.js';
import { contractRoute } from '../contract-route.js';
import type { HttpMetrics } from '../metrics.js';

export interface MetricsRouteDeps {
  /** The server's metrics; absent (the sealed server, tests): always 404. */
  readonly metrics?: HttpMetrics;
  /** MEDVAULT_METRICS_TOKEN; absent: always 404. */
  readonly token?: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time (of the digests), whatever the lengths. */
function carriesToken(header: string | undefined, token: string): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), digest(token));
}

/** GET /metrics on the API's listener: the metrics to a caller with the token, 404 to anyone else. */
export async function metricsRoutes(app: FastifyInstance, deps: MetricsRouteDeps): Promise<void> {
  contractRoute(app, CONTRACT.metrics, {}, async (request, reply) => {
    const { metrics, token } = deps;
    if (metrics === undefined || token === undefined || !carriesToken(request.headers.authorization, token))
      throw new AppError('not_found');
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).code(200).send(body);
  });
}
