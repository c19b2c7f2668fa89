import type { FastifyInstance } from 'fastify';
import { unavailable } from '../../app/errors.js';
import { healthRoutes as CONTRACT } from '../../contract/api/health.js';
import { contractRoute } from '../contract-route.js';
import type { StorageAlarm } from '../storage-alarm.js';

export interface HealthDeps {
  /** Resolves when the service can take traffic (database reachable); throws otherwise. */
  readonly checkReady: () => Promise<void>;
  /** Raised when a request found the database's disk full: not ready until there is room. */
  readonly storage?: StorageAlarm;
}

/**
 * GET /healthz: the process is up (liveness). GET /readyz: it can serve (readiness). Neither
 * needs a login; /readyz never says why it is not ready, only logs it.
 */
export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  contractRoute(app, CONTRACT.health, {}, async () => ({ status: 'ok' as const }));

  contractRoute(app, CONTRACT.ready, {}, async (request) => {
    try {
      await deps.checkReady();
      await deps.storage?.check();
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      throw unavailable('The service is not ready.');
    }
    return { status: 'ready' as const };
  });
}
