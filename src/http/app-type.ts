import type { FastifyInstance } from 'fastify';

/**
 * The Fastify instance routes are added to. Route schemas are TypeBox objects (plain JSON
 * Schema); type a handler with Fastify's generics, e.g.
 * `app.post<{ Body: Static<typeof Login> }>('/api/v1/auth/patient/login', { schema: { body: Login, response: { 200: Session, ...errorResponses(400, 401, 429) } } }, handler)`.
 * Its own file, so route modules can name it without importing server.ts (which imports them).
 */
export type App = FastifyInstance;
