import { entry, type ErrorEntry } from '../error-kinds.js';

/** General errors: any route. Part of the one catalogue, src/contract/errors.ts. */
export const GENERAL_ERRORS = {
  invalid_input: entry(
    'invalid_input',
    'general',
    'The request is invalid.',
    'a field is missing or malformed; the message names the field (`body/pin must match pattern …`) without echoing its value',
  ),
  malformed_json: entry(
    'invalid_input',
    'general',
    'The body is not valid JSON.',
    'the body is not JSON, or is empty',
  ),
  bad_request: entry(
    'invalid_input',
    'general',
    'The request was refused.',
    'another client error raised by the HTTP framework (a 4xx status it chose, with our text)',
  ),
  unauthenticated: entry(
    'unauthenticated',
    'general',
    'Log in first.',
    'not logged in, or the session ended (idle, absolute expiry, logout, account disabled)',
  ),
  forbidden: entry(
    'forbidden',
    'general',
    'Your role may not do this.',
    "the caller's role may never do this",
  ),
  csrf: entry(
    'forbidden',
    'general',
    'Cookie-authenticated writes need the x-medvault-csrf: 1 header.',
    'a cookie-authenticated write without the `X-MedVault-CSRF: 1` header',
  ),
  not_found: entry(
    'not_found',
    'general',
    'Not found.',
    "no such thing, _or_ it exists but is not the caller's to know about",
  ),
  method_not_allowed: entry(
    'method_not_allowed',
    'general',
    'This method is not allowed here.',
    'wrong method for a known path',
  ),
  not_acceptable: entry(
    'not_acceptable',
    'general',
    'No acceptable representation.',
    'the `Accept` header asks for a representation the route cannot give',
  ),
  conflict: entry(
    'conflict',
    'general',
    'This conflicts with the current state.',
    'the action conflicts with the current state (more specific codes below say which)',
  ),
  payload_too_large: entry(
    'payload_too_large',
    'general',
    'The request body is too large.',
    'body over `MEDVAULT_BODY_LIMIT`, or an attachment over `MEDVAULT_ATTACHMENT_LIMIT_MB`',
  ),
  unsupported_media_type: entry(
    'unsupported_media_type',
    'general',
    'This content type is not accepted here.',
    'a content type the route does not accept; for attachments also a file whose first bytes are not of its declared type',
  ),
  range_not_satisfiable: entry(
    'range_not_satisfiable',
    'general',
    'The requested range cannot be served.',
    'a `Range` header outside the file',
  ),
  integrity_failure: entry(
    'integrity',
    'general',
    'Stored data failed its integrity check.',
    'stored data failed its integrity check; nothing is returned or changed, and the failure is ledgered',
  ),
  rate_limited: entry(
    'rate_limited',
    'general',
    'Too many attempts.',
    'too many requests from one address, or an account locked after failed logins; `Retry-After` says when to try again',
  ),
  internal: entry(
    'internal',
    'general',
    'An unexpected error occurred.',
    'a bug: the message is generic, the details are in the server log only',
  ),
  unavailable: entry(
    'unavailable',
    'general',
    'The service is unavailable.',
    'the database is unreachable or lost its connection (`/readyz` says so; `Retry-After` says when to retry), or the server is shutting down',
  ),
  storage_full: entry(
    'unavailable',
    'general',
    'The database has no space left to write; nothing was changed.',
    'the disk under the database is full: writes, and reads (whose ledger entry cannot be written), are refused until an operator frees space',
  ),
  sealed: entry(
    'unavailable',
    'general',
    'The server is sealed: officers must unseal it with their key shares.',
    'the master key is split between officers and fewer than the threshold of valid shares have been given since the server started; every route but the health checks and `POST /api/v1/system/unseal` answers this',
  ),
  share_refused: entry(
    'integrity',
    'general',
    'This key share does not match its commitment.',
    'an unseal share that is wrong, corrupted, or from an earlier split; the message names the share by its index',
  ),
  not_sealed: entry(
    'conflict',
    'general',
    'The server is not sealed.',
    'an unseal call to a server that is already unsealed (or whose key is not split)',
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;
