import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest, FastifySchema, RouteShorthandOptions } from 'fastify';
import {
  isBinary,
  type ApiRoute,
  type BodyOf,
  type OkBodyOf,
  type OkMapOf,
  type ParamsOf,
  type QueryOf,
} from '../contract/api/route.js';
import type { FileBody } from '../contract/api/common.js';
import type { App } from './app-type.js';

/**
 * A value as a handler may give it: the contract's type with every array and property readonly
 * (services answer readonly arrays; Fastify only reads them); a file is whatever Fastify streams.
 */
export type Answerable<T> = T extends FileBody
  ? unknown
  : T extends readonly (infer U)[]
    ? readonly Answerable<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Answerable<T[K]> }
      : T;

/** The request and reply a contract route's handler sees: typed from the contract's schemas. */
export interface ContractGeneric<R extends ApiRoute> {
  Params: ParamsOf<R>;
  Querystring: QueryOf<R>;
  Body: BodyOf<R>;
}
export type ContractRequest<R extends ApiRoute> = FastifyRequest<ContractGeneric<R>>;
/** `reply.code(s).send(body)` only for the route's success statuses, with their body types. */
export type ContractReply<R extends ApiRoute> = FastifyReply<{ Reply: Answerable<OkMapOf<R>> }>;

/**
 * A handler: returns the success body (sent with the route's single success status), or sends
 * through `reply` (another success status, a file). Errors are thrown as AppError; the error
 * mapper answers them in the contract's error shape.
 */
export type ContractHandler<R extends ApiRoute> = (
  request: ContractRequest<R>,
  reply: ContractReply<R>,
) => Promise<Answerable<OkBodyOf<R>> | FastifyReply>;

/** What a route file may add to the contract's declaration: plugin config and transport limits. */
export type ContractRouteOptions = Pick<RouteShorthandOptions, 'config' | 'bodyLimit' | 'exposeHeadRoute'>;

/** The response entry of one status, as Fastify and @fastify/swagger read it. */
function responseSchema(route: ApiRoute, status: number, schema: TSchema): unknown {
  if (!isBinary(schema)) return schema;
  const types = Array.isArray(schema.contentTypes) ? (schema.contentTypes as string[]) : [];
  return {
    description: schema.description,
    ...(status < 300 && route.okHeaders !== undefined ? { headers: route.okHeaders } : {}),
    content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  };
}

/**
 * The Fastify schema of a contract route: request schemas for validation, a response schema for
 * every status (serialisation of JSON answers, and the OpenAPI document).
 */
export function fastifySchema(route: ApiRoute): FastifySchema & Record<string, unknown> {
  const response: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(route.responses))
    response[Number(status)] = responseSchema(route, Number(status), schema);
  return {
    tags: [...route.tags],
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(route.hidden === true ? { hide: true } : {}),
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(route.body === undefined ? {} : { body: route.body }),
    ...(route.multipart === undefined ? {} : { consumes: ['multipart/form-data'] }),
    response,
  };
}

/**
 * Registers the route the contract declares — its method, path and every schema — with the
 * given handler. Route files call only this, so no route can answer outside the contract.
 */
export function contractRoute<R extends ApiRoute>(
  app: App,
  route: R,
  options: ContractRouteOptions,
  handler: ContractHandler<R>,
): void {
  app.route<ContractGeneric<R>>({
    ...options,
    method: route.method,
    url: route.path,
    schema: fastifySchema(route),
    handler: (request, reply) => handler(request, reply as unknown as ContractReply<R>),
  });
}
