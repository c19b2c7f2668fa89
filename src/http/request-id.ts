import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * A random id per request (unique across servers sharing one database, unlike a counter). A
 * client-sent id is not trusted: Fastify's requestIdHeader is off. Echoed as `x-request-id`
 * so a user can quote it and an operator find the matching log lines.
 */
export const generateRequestId = (): string => randomUUID();

export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
