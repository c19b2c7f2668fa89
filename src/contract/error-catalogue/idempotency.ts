import { entry, type ErrorEntry } from '../error-kinds.js';

/** Idempotent creates (`Idempotency-Key`, any create route). Part of the one catalogue, src/contract/errors.ts. */
export const IDEMPOTENCY_ERRORS = {
  idempotency_key_invalid: entry(
    'invalid_input',
    'general',
    'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    'an `Idempotency-Key` header that is empty, too long or not visible ASCII',
  ),
  idempotency_key_reused: entry(
    'integrity',
    'general',
    'This Idempotency-Key was used for a different request; send a new key for a new request.',
    'a create retried with the same `Idempotency-Key` but another route, target or body than its first use',
  ),
  idempotency_in_flight: entry(
    'conflict',
    'general',
    'A request with this Idempotency-Key is still being processed; retry after it finishes.',
    'the same `Idempotency-Key` sent again while its first request is still running (on any server)',
  ),
  idempotency_answer_lost: entry(
    'conflict',
    'general',
    'The request with this Idempotency-Key was carried out, but its answer was lost; look the result up instead of retrying.',
    'a retry of a create that committed while its server died before it could store the answer (a window of one statement)',
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;
