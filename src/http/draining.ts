import type { FastifyInstance } from 'fastify';
import { unavailable } from '../app/errors.js';

/**
 * Once `app.close()` has begun, requests still arriving on open keep-alive connections get a
 * 503 in the usual error shape (Fastify's built-in `return503OnClosing` answers in its own
 * shape, so it is turned off in server.ts). Requests already in flight finish normally.
 */
export function registerDrainGuard(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async () => {
    if (draining) throw unavailable('The server is shutting down.');
  });
}
