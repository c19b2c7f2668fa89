import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Schemas every resource uses: the one error body, ids, times, cursors, "no content" and "a
 * file". Objects are closed (`additionalProperties: false`) unless a field says otherwise: the
 * server never sends a field the contract does not name, and the client refuses one.
 */

/** Closed object: no property but the listed ones. */
export const closed = { additionalProperties: false } as const;

/**
 * The one error body every MedVault error answer has: `{ "error": { "code", "message" } }`.
 * `code` is a code of the catalogue (src/contract/errors.ts, docs/errors.md); the client and
 * the authorization matrix check that it is.
 */
export const ApiErrorSchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({
          description: 'Stable machine-readable code from the catalogue (docs/errors.md), e.g. "not_found".',
        }),
        message: Type.String({ description: 'Human-readable text, safe to show; never a stack trace.' }),
      },
      closed,
    ),
  },
  { ...closed, title: 'ApiError' },
);
export type ApiErrorBody = Static<typeof ApiErrorSchema>;

/** `T` or null. */
export const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);

/** An id in a path or body: bounded printable ASCII (an unknown id is a 404 from the service, not a 400). */
export const IdField = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$' });
/** `/…/:id` */
export const IdParams = Type.Object({ id: IdField }, closed);

/** A point in time as epoch milliseconds. */
export const EpochMs = (description = 'Epoch milliseconds.') => Type.Integer({ description });

/** An opaque page cursor as a caller sends it back. */
export const CursorField = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'nextCursor of the previous page.',
});
/** The cursor of the next page, null on the last. */
export const NextCursor = Nullable(Type.String(), {
  description: 'Pass as `cursor` for the next page; null on the last.',
});

/** The body of a 204 answer: nothing. */
export const NoContent = (description: string) => Type.Null({ description });

/** The type of a file answer's body: bytes, never JSON (a type-level mark only). */
export interface FileBody {
  readonly __file: 'bytes';
}

/**
 * The body of a file answer (a download): bytes of one of `contentTypes`, streamed. The
 * OpenAPI document lists the types; the client reads it as bytes (src/contract/client/files.ts).
 */
export const BinaryBody = (contentTypes: readonly string[], description: string) =>
  Type.Unsafe<FileBody>({ type: 'string', format: 'binary', contentTypes: [...contentTypes], description });
