import { ERROR_CATALOGUE, type ErrorCode, type ErrorKind } from '../contract/errors.js';
import { storeFailureOf } from '../store/store-failure.js';

export type { ErrorCode, ErrorKind } from '../contract/errors.js';

/** The codes of the catalogue whose kind is `K` (so a helper cannot give a code the wrong status). */
type CodeOf<K extends ErrorKind> = {
  [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['kind'] extends K ? C : never;
}[ErrorCode];

/**
 * An error from the catalogue (src/contract/errors.ts). Services throw these by code; the kind,
 * and so the HTTP status, comes from the catalogue, mapped in exactly one place
 * (src/http/error-mapper.ts); the CLI prints the message.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly kind: ErrorKind;
  constructor(
    /** Stable, documented machine-readable code, e.g. "already_dispensed". */
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    /** Seconds the caller should wait before retrying (rate limits and lockouts). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.kind = ERROR_CATALOGUE[code].kind;
  }
}

export const invalidInput = (message: string, code: CodeOf<'invalid_input'> = 'invalid_input'): AppError =>
  new AppError(code, message);
export const unauthenticated = (message?: string): AppError => new AppError('unauthenticated', message);
export const loginFailed = (message?: string): AppError => new AppError('login_failed', message);
export const forbidden = (message?: string): AppError => new AppError('forbidden', message);
export const notFound = (what = 'resource'): AppError => new AppError('not_found', `No such ${what}.`);
export const conflict = (message: string, code: CodeOf<'conflict'> = 'conflict'): AppError =>
  new AppError(code, message);
export const payloadTooLarge = (message: string): AppError => new AppError('payload_too_large', message);
export const unsupportedMediaType = (message: string): AppError =>
  new AppError('unsupported_media_type', message);
export const integrityFailure = (message?: string): AppError => new AppError('integrity_failure', message);
/** A signature or signed payload that does not verify (422): bad signature, revoked key, altered data. */
export const signatureRefused = (
  message: string,
  code: CodeOf<'integrity'> = 'invalid_signature',
): AppError => new AppError(code, message);
export const rateLimited = (retryAfterSeconds: number, message?: string): AppError =>
  new AppError('rate_limited', message, retryAfterSeconds);
/**
 * A statistics query whose epsilon exceeds what is left of the hospital's privacy budget or of
 * the analyst's share of it (429); nothing was spent. Retry-After: when the window resets.
 */
export const privacyBudgetExhausted = (retryAfterSeconds: number, message?: string): AppError =>
  new AppError('privacy_budget_exhausted', message, retryAfterSeconds);
export const unavailable = (message: string): AppError => new AppError('unavailable', message);

/** Seconds a client is told to wait after the database dropped a connection (the pool reconnects). */
const RECONNECT_SECONDS = 2;

/**
 * An unexpected error that is really the database failing (a lost connection, a full disk),
 * as the catalogue error a client can act on (503, with Retry-After for a lost connection);
 * `undefined` for anything else, which stays a bug (500).
 */
export function storeFailureError(err: unknown): AppError | undefined {
  switch (storeFailureOf(err)) {
    case 'unavailable':
      return new AppError(
        'unavailable',
        'The database is unreachable right now; try again shortly.',
        RECONNECT_SECONDS,
      );
    case 'storage_full':
      return new AppError('storage_full');
    case undefined:
      return undefined;
  }
}

/** The credential hashing queue is full (503 with Retry-After); nothing was checked or counted. */
export const credentialQueueFull = (retryAfterSeconds: number): AppError =>
  new AppError('credential_queue_full', undefined, retryAfterSeconds);

/** A server whose master key is split answers this (503) until enough shares have unsealed it. */
export const sealed = (): AppError => new AppError('sealed');
/** A key share that does not match its commitment (422); the message names it. */
export const shareRefused = (message: string): AppError => new AppError('share_refused', message);
