import type { FastifyInstance } from 'fastify';

/**
 * The Fastify instance routes are added to. Routes are declared in the contract
 * (src/contract/api) and registered with `contractRoute(app, CONTRACT.name, options, handler)`
 * (src/http/contract-route.ts), which types the handler from the route's schemas.
 * Its own file, so route modules can name it without importing server.ts (which imports them).
 */
export type App = FastifyInstance;
