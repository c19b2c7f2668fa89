import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { healthRoutes } from '../contract/api/health.js';
import { contractRoute } from './contract-route.js';
import { docsContentSecurityPolicy, formatCsp } from './security-headers.js';
import { SESSION_COOKIE_NAME } from './session-cookie.js';

export const OPENAPI_PATH = healthRoutes.openApiDocument.path;
export const DOCS_PREFIX = '/api/docs';

/**
 * The OpenAPI 3.1 document, built by @fastify/swagger from every route's TypeBox schema, served
 * at /api/openapi.json, with swagger-ui at /api/docs. Must be registered before the routes it
 * describes: it collects them as they are added.
 */
export async function registerOpenApi(app: FastifyInstance, opts: { tls: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MedVault',
        description:
          'Secure medical records, signed prescriptions and a verifiable audit ledger. ' +
          'Errors are `{ "error": { "code", "message" } }`.',
        version: 'v1',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'The opaque session token returned by login, as `Authorization: Bearer`.',
          },
          cookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE_NAME,
            description: 'The same token in the HttpOnly session cookie set by login (browsers).',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    // No outside validator: the document never leaves this origin.
    validatorUrl: false,
    // Replaces helmet's CSP on the docs routes only (see docsContentSecurityPolicy).
    staticCSP: formatCsp(docsContentSecurityPolicy(opts.tls)),
  });
  contractRoute(app, healthRoutes.openApiDocument, {}, async () => {
    const doc = app.swagger();
    if (!('openapi' in doc)) throw new Error('@fastify/swagger built a Swagger 2 document');
    return { ...doc, paths: doc.paths ?? {} };
  });
}
