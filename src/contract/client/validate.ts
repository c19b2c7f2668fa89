import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ApiErrorSchema } from '../api/common.js';
import { isBinary } from '../api/route.js';
import { API_ROUTES, type RouteName } from '../api/routes.js';
import { isErrorCode } from '../errors.js';
import { ApiError, ContractMismatch } from './errors.js';
import type { RouteSuccess } from './types.js';

/**
 * Holds one answer to its route's contract. Pure (no I/O), so the client, the web's upload
 * (XMLHttpRequest) and the authorization matrix all check answers the same way.
 *
 * `Value.Check` interprets the schema; TypeBox's compiler would be faster but builds code with
 * `new Function`, which the web's Content-Security-Policy forbids.
 */

/** The schema the contract declares for `status` of route `name`, or undefined. */
export function responseSchema(name: RouteName, status: number): TSchema | undefined {
  const responses: Readonly<Record<number, TSchema>> = API_ROUTES[name].responses;
  return responses[status];
}

/** @throws ContractMismatch when `body` does not fit `schema`, naming the first field that does not. */
function requireFit(name: RouteName, status: number, schema: TSchema, body: unknown): void {
  if (Value.Check(schema, body)) return;
  const first = Value.Errors(schema, body).First();
  throw new ContractMismatch(
    name,
    status,
    first === undefined || first.path === '' ? '(body)' : first.path,
    first?.message.toLowerCase() ?? 'does not fit',
  );
}

/** Parses Retry-After in seconds (the server sends whole seconds). */
export function retryAfterSeconds(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/**
 * Checks an error answer and turns it into an {@link ApiError}.
 * @throws ContractMismatch when the body is not the error shape or its code is not in the catalogue.
 */
export function toApiError(name: RouteName, status: number, body: unknown, retryAfter?: number): ApiError {
  requireFit(name, status, ApiErrorSchema, body);
  const { code, message } = (body as { error: { code: string; message: string } }).error;
  if (!isErrorCode(code))
    throw new ContractMismatch(name, status, '/error/code', `"${code}" is not in the error catalogue`);
  return new ApiError(name, status, code, message, retryAfter);
}

export type CheckedAnswer<N extends RouteName> =
  RouteSuccess<N> | { readonly ok: false; readonly error: ApiError };

/**
 * Checks a JSON answer (`body` parsed; null for an empty body) against the contract of route
 * `name`: a declared success status with a fitting body, or a declared error status with a
 * catalogue error.
 * @throws ContractMismatch for an undeclared status, a body off its schema, or an unknown code.
 */
export function checkAnswer<N extends RouteName>(
  name: N,
  status: number,
  body: unknown,
  retryAfter?: number,
): CheckedAnswer<N> {
  const schema = responseSchema(name, status);
  if (schema === undefined)
    throw new ContractMismatch(name, status, '(status)', 'is not a status this route declares');
  if (status >= 400) return { ok: false, error: toApiError(name, status, body, retryAfter) };
  if (isBinary(schema))
    throw new ContractMismatch(name, status, '(body)', 'is a file: read it with the file functions');
  requireFit(name, status, schema, body);
  return { ok: true, status, body } as unknown as CheckedAnswer<N>;
}
