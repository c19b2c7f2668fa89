/**
 * The kinds of error MedVault answers with, the one mapping from kind to HTTP status, and the
 * shape of a catalogue entry. The catalogue itself (every code) is src/contract/errors.ts.
 */

export type ErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'range_not_satisfiable'
  | 'integrity'
  | 'rate_limited'
  | 'internal'
  | 'unavailable';

/** The one mapping from kind to HTTP status. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  integrity: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export interface ErrorEntry {
  readonly kind: ErrorKind;
  /** The message sent when the thrower gives none. */
  readonly message: string;
  /** When it happens (the documentation's column). */
  readonly when: string;
  /** The documentation section it is listed under. */
  readonly area: ErrorArea;
}

export type ErrorArea = 'general' | 'identity' | 'records' | 'prescriptions' | 'audit';

/** A catalogue entry whose kind the type system remembers (helpers accept codes of one kind). */
export const entry = <K extends ErrorKind>(
  kind: K,
  area: ErrorArea,
  message: string,
  when: string,
): ErrorEntry & { readonly kind: K } => ({
  kind,
  area,
  message,
  when,
});
