/**
 * The application's error catalogue. Services throw these by name; the HTTP layer maps each
 * `kind` to a status in exactly one place (src/http/error-mapper.ts) and the CLI prints the
 * message. Messages are safe to show to the caller: no secrets, no patient data, and for access
 * failures deliberately generic ("not found" also for what exists but is not yours).
 */
export type ErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'integrity'
  | 'rate_limited'
  | 'unavailable';

export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly kind: ErrorKind,
    /** Stable, documented machine-readable code, e.g. "record_not_found". */
    readonly code: string,
    message: string,
    /** Seconds the caller should wait before retrying (rate limits and lockouts). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const invalidInput = (message: string, code = 'invalid_input'): AppError =>
  new AppError('invalid_input', code, message);
export const unauthenticated = (message = 'Log in first.'): AppError =>
  new AppError('unauthenticated', 'unauthenticated', message);
export const forbidden = (message = 'Your role may not do this.'): AppError =>
  new AppError('forbidden', 'forbidden', message);
export const notFound = (what = 'resource'): AppError =>
  new AppError('not_found', 'not_found', `No such ${what}.`);
export const conflict = (message: string, code = 'conflict'): AppError =>
  new AppError('conflict', code, message);
export const payloadTooLarge = (message: string): AppError =>
  new AppError('payload_too_large', 'payload_too_large', message);
export const unsupportedMediaType = (message: string): AppError =>
  new AppError('unsupported_media_type', 'unsupported_media_type', message);
export const integrityFailure = (message = 'Stored data failed its integrity check.'): AppError =>
  new AppError('integrity', 'integrity_failure', message);
/** A signature or signed payload that does not verify (422): bad signature, revoked key, altered data. */
export const signatureRefused = (message: string, code = 'invalid_signature'): AppError =>
  new AppError('integrity', code, message);
export const rateLimited = (retryAfterSeconds: number, message = 'Too many attempts.'): AppError =>
  new AppError('rate_limited', 'rate_limited', message, retryAfterSeconds);
/** A statistics query whose epsilon exceeds what is left of the analyst's privacy budget (429); nothing was spent. */
export const privacyBudgetExhausted = (retryAfterSeconds: number): AppError =>
  new AppError(
    'rate_limited',
    'privacy_budget_exhausted',
    'Your privacy budget has less epsilon left than this query asks for; nothing was spent.',
    retryAfterSeconds,
  );
export const unavailable = (message: string): AppError => new AppError('unavailable', 'unavailable', message);
