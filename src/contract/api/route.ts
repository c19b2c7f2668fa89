import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { ApiErrorSchema } from './common.js';

/**
 * How one endpoint is declared in the contract: method, path, request schemas and the schema of
 * every answer it can give. The server registers its route from this (src/http/contract-route.ts),
 * the OpenAPI document is generated from it, and the client (src/contract/client) is typed and
 * validates answers by it — one declaration, no copies.
 */

export type Method = 'GET' | 'POST' | 'DELETE';
export type SuccessStatus = 200 | 201 | 202 | 204;
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** A paged list: where its rows are, which answer field holds the next cursor, which query parameter takes it. */
export interface PageSpec {
  readonly items: string;
  readonly next: string;
  readonly param: string;
}

/** A file upload as multipart/form-data: one file field of one of these types. */
export interface MultipartSpec {
  readonly field: string;
  readonly contentTypes: readonly string[];
}

export interface RouteDeclaration {
  readonly method: Method;
  /** Fastify syntax (`/api/v1/records/:id`); OpenAPI shows it as `{id}`. */
  readonly path: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly params?: TObject;
  readonly query?: TObject;
  /** A JSON body. */
  readonly body?: TSchema;
  /** Instead of a JSON body: a multipart file upload. */
  readonly multipart?: MultipartSpec;
  /** The success answers: status → body schema ({@link NoContent} for 204, {@link BinaryBody} for a file). */
  readonly ok: Readonly<Partial<Record<SuccessStatus, TSchema>>>;
  /** Headers the success answer carries that a client may rely on (file downloads). */
  readonly okHeaders?: Readonly<Record<string, TSchema>>;
  /**
   * The error statuses the route itself decides (401, 403, 404, 409, 422, 429…). The ones any
   * route of its kind can answer are added by {@link route}: see {@link frameworkErrors}.
   */
  readonly errors: readonly ErrorStatus[];
  readonly page?: PageSpec;
  /**
   * The answer shows who a patient is (name, date of birth, SSN digits): every answer that shows
   * a patient is a ledger entry about that patient, so it is in their access history.
   * `test/audit/identity-reads.test.ts` fails for a route whose answer schema carries such a
   * field without this mark, and for a marked route whose answer leaves no entry.
   */
  readonly showsPatientIdentity?: true;
  /** Left out of the OpenAPI document (the document's own route). */
  readonly hidden?: boolean;
}

export interface ApiRoute extends RouteDeclaration {
  /** Every status the route can answer and its body schema: `ok`, then every error status. */
  readonly responses: Readonly<Record<number, TSchema>>;
}

/**
 * Errors any route of this shape can answer whatever it does: 500 (a bug) and 503 (the server
 * is draining or the database is down); 400 when it reads params, a query or a body (schema
 * validation); 413 and 415 when it reads a body (size, content type); 403 on writes (a
 * cookie-authenticated write without the CSRF header).
 */
export function frameworkErrors(d: RouteDeclaration): ErrorStatus[] {
  const out: ErrorStatus[] = [500, 503];
  const hasBody = d.body !== undefined || d.multipart !== undefined;
  if (d.params !== undefined || d.query !== undefined || hasBody) out.push(400);
  if (hasBody) out.push(413, 415);
  if (d.method !== 'GET') out.push(403);
  return out;
}

/** Declares a route: the declaration plus every status it can answer, each with its schema. */
export function route<const D extends RouteDeclaration>(
  d: D,
): D & { readonly responses: ApiRoute['responses'] } {
  const responses: Record<number, TSchema> = {};
  for (const [status, schema] of Object.entries(d.ok))
    if (schema !== undefined) responses[Number(status)] = schema;
  for (const status of [...d.errors, ...frameworkErrors(d)]) responses[status] = ApiErrorSchema;
  return { ...d, responses };
}

/** True for the schema of a file answer ({@link BinaryBody}): its body is bytes, not JSON. */
export const isBinary = (schema: TSchema): boolean => schema.type === 'string' && schema.format === 'binary';

// ---- Types derived from a declaration: what the server handler and the client see. ----

type StaticOf<S> = S extends TSchema ? Static<S> : never;

/** The path parameters, query and body a route takes (`unknown` where it takes none). */
export type ParamsOf<R> = R extends { readonly params: infer P extends TSchema } ? Static<P> : unknown;
export type QueryOf<R> = R extends { readonly query: infer Q extends TSchema } ? Static<Q> : unknown;
export type BodyOf<R> = R extends { readonly body: infer B extends TSchema } ? Static<B> : unknown;

/** The success statuses of a route, and the body of each. */
export type OkStatusOf<R extends RouteDeclaration> = keyof R['ok'] & SuccessStatus;
export type OkMapOf<R extends RouteDeclaration> = { [S in OkStatusOf<R>]: StaticOf<R['ok'][S]> };
/** The body of any success answer of a route. */
export type OkBodyOf<R extends RouteDeclaration> = OkMapOf<R>[OkStatusOf<R>];
