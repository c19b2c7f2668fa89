import type { TSchema } from '@sinclair/typebox';
import { ApiErrorSchema, type ApiErrorBody } from '../contract/api/common.js';

/**
 * The one error body every MedVault HTTP response uses, `{ "error": { "code", "message" } }`:
 * the contract's schema (src/contract/api/common.ts), named here for the HTTP layer.
 */
export const apiErrorSchema = ApiErrorSchema;
export type ApiError = ApiErrorBody;

/** Builds an error body. */
export function apiError(code: string, message: string): ApiError {
  return { error: { code, message } };
}

/**
 * Response-schema entries for the given error statuses, for a route declared outside the
 * contract (tests): `response: { 200: Ok, ...errorResponses(400, 401, 404) }`. Contract routes get
 * theirs from the route table.
 */
export function errorResponses(...statuses: readonly number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = apiErrorSchema;
  return out;
}
