import type { FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_BASE, FHIR_CONTENT_TYPE, type FhirRoute } from '../../contract/fhir/routes.js';
import type { App } from '../app-type.js';

export type FhirHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<object>;

/** The base URL links and fullUrls are built from, as the caller reached us. */
export const baseUrl = (request: FastifyRequest): string =>
  `${request.protocol}://${request.host}${FHIR_BASE}`;

/**
 * Registers one route of the FHIR route table (src/contract/fhir/routes.ts) — the FHIR API's
 * counterpart of contractRoute: its method and path, params and query validated with the table's
 * schemas (unknown search parameters are refused, never ignored), the answer sent as
 * `application/fhir+json`. Answers are FHIR resources, whose shape is the standard's (the tests
 * validate them against the R4 StructureDefinitions), so no response schema of ours filters them.
 * Kept out of the OpenAPI document: /fhir/R4/metadata describes these routes.
 * `app` is the FHIR plugin, registered with the prefix FHIR_BASE.
 */
export function fhirRoute(app: App, route: FhirRoute, handler: FhirHandler): void {
  app.route({
    method: route.method,
    url: route.path.slice(FHIR_BASE.length),
    schema: {
      hide: true,
      ...(route.params === undefined ? {} : { params: route.params }),
      ...(route.query === undefined ? {} : { querystring: route.query }),
    },
    config: { fhir: route },
    handler: async (request, reply) => {
      const body = await handler(request, reply);
      return reply.type(FHIR_CONTENT_TYPE).send(JSON.stringify(body));
    },
  });
}
