import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * The one error body every MedVault HTTP response uses: `{ "error": { "code", "message" } }`.
 * Routes reuse it for their 4xx/5xx responses so the OpenAPI document describes errors too.
 */
export const apiErrorSchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable machine-readable code, e.g. "not_found".' }),
        message: Type.String({ description: 'Human-readable text, safe to show; never a stack trace.' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, title: 'ApiError' },
);
export type ApiError = Static<typeof apiErrorSchema>;

/** Builds an error body. */
export function apiError(code: string, message: string): ApiError {
  return { error: { code, message } };
}

/**
 * Response-schema entries for the given error statuses, to spread into a route's `response`:
 * `response: { 200: Ok, ...errorResponses(400, 401, 404) }`.
 */
export function errorResponses(...statuses: readonly number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = apiErrorSchema;
  return out;
}
