/**
 * THE place where what went wrong becomes a sentence for people (issue 20, point 9). Pages never
 * show a server's text as they got it: `describeError` reads the error's stable code (the
 * catalogue in src/contract/errors.ts) and
 *  - for codes whose server text is written for programs ("keyId must be…", a CSRF header name),
 *    says it in words here;
 *  - for a schema failure ("body/fullName must NOT have more than 200 characters",
 *    "params/id must match pattern …") names the field in words and says what to do;
 *  - otherwise shows the server's message, which the catalogue keeps safe and readable;
 * and adds one "Try again in 2 minutes." when the server said how long to wait.
 */
import { ERROR_CATALOGUE, type ErrorCode } from '../../src/contract/errors.js';
import { ApiError, ContractMismatch, NetworkError } from './api/client.js';

/** What the user reads when the server could not be reached. */
export const NETWORK_MESSAGE = 'Could not reach the MedVault server. Check your connection and try again.';

const RELOAD = 'Reload the page and try again; if it keeps happening, tell your administrator.';

/**
 * Sentences for codes whose server text is written for programs (always used), or is a terse
 * default (used when the server said no more than the catalogue's default message).
 */
const SENTENCES: Partial<Record<ErrorCode, string>> = {
  malformed_json: `The page sent something the server could not read. ${RELOAD}`,
  bad_request: `The server refused this request. ${RELOAD}`,
  csrf: `The server refused this change because the page did not send its safety check. ${RELOAD}`,
  method_not_allowed: `The server does not allow this action here. ${RELOAD}`,
  not_acceptable: `The server cannot send this in a form the page reads. ${RELOAD}`,
  range_not_satisfiable: 'The file could not be read from the requested position. Open it again.',
  unsupported_media_type: 'The server does not accept this kind of file here.',
  payload_too_large: 'What you sent is larger than the server accepts. Send something smaller.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  not_found: 'Not found: it does not exist, or it is not yours to see.',
  internal: 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.',
  unavailable: 'MedVault is unavailable just now.',
  rate_limited: 'Too many attempts.',
  integrity_failure:
    'Stored data failed its integrity check, so nothing was shown or changed. Tell your administrator.',
  invalid_payload: 'The prescription could not be signed as written. Check its fields and sign again.',
  key_id_mismatch: 'The prescription was signed with another key than it names. Sign it again.',
  prescriber_mismatch: 'You can only sign prescriptions as yourself. Sign in again and retry.',
  invalid_issue_time:
    "Your computer's clock is more than 10 minutes from the server's. Correct the clock, then sign again.",
  invalid_expiry: 'The prescription’s end date is not acceptable. Choose another and sign again.',
  invalid_audit_event: 'That kind of ledger entry is not known. Choose one from the list.',
};

/** Codes whose server text names protocol fields or headers: never shown as they come. */
const TECHNICAL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'malformed_json',
  'bad_request',
  'csrf',
  'method_not_allowed',
  'not_acceptable',
  'invalid_payload',
  'key_id_mismatch',
  'prescriber_mismatch',
  'invalid_issue_time',
  'invalid_expiry',
  'internal',
]);

/** Words for the fields a schema failure names; others are spelt out from their camelCase name. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  ssn: 'Social Security number',
  pin: 'PIN',
  newPin: 'new PIN',
  dateOfBirth: 'date of birth',
  fullName: 'full name',
  icd10: 'ICD-10 code',
  publicKeyPem: 'public key',
  keyId: 'key id',
  displayName: 'display name',
  doctorId: 'doctor',
  patientId: 'patient',
  recordTypes: 'record types',
  expiresAt: 'end date',
  id: 'id',
};

/** "body/fullName" → "full name"; "body/analytes/0/value" → "value (row 1 of analytes)". */
export function fieldWords(pointer: string): string {
  const parts = pointer.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1] ?? '';
  const word = (name: string): string =>
    FIELD_NAMES[name] ??
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/_/g, ' ')
      .toLowerCase();
  const rowAt = parts.findIndex((p) => /^\d+$/.test(p));
  if (rowAt > 0 && rowAt < parts.length - 1) {
    return `${word(last)} (row ${Number(parts[rowAt]) + 1} of ${word(parts[rowAt - 1] ?? '')})`;
  }
  return word(last);
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A schema failure as the HTTP layer words it: `<where><pointer> <what>`. */
const SCHEMA_FAILURE = /^(body|params|querystring|headers)((?:\/[^\s]*)?) (must .*|is invalid)$/;

/** The field a schema failure names (`fullName` for "body/fullName must …"), for forms. */
export function schemaFailureField(message: string): string | undefined {
  const match = SCHEMA_FAILURE.exec(message);
  if (!match || match[1] !== 'body') return undefined;
  const required = /must have required property '([^']+)'/.exec(message);
  const pointer = required ? `${match[2] ?? ''}/${required[1] ?? ''}` : (match[2] ?? '');
  return pointer.split('/').filter((p) => p !== '')[0];
}

/**
 * "body/fullName must NOT have more than 200 characters" → "Full name: use at most 200
 * characters." Undefined when the message is not a schema failure.
 */
export function humaniseSchemaFailure(message: string): string | undefined {
  const match = SCHEMA_FAILURE.exec(message);
  if (!match) return undefined;
  const [, where = '', pointer = '', what = ''] = match;
  if (where === 'params' || where === 'querystring') {
    return 'This address does not point to anything that can exist. Check the link, or open the page from the menu.';
  }
  if (where === 'headers') return `The page sent a request the server could not accept. ${RELOAD}`;
  const required = /^must have required property '([^']+)'/.exec(what);
  if (required) return `Fill in the ${fieldWords(`${pointer}/${required[1] ?? ''}`)}.`;
  if (/^must NOT have additional properties/.test(what)) {
    return `The page sent a field the server does not know. ${RELOAD}`;
  }
  const field = pointer === '' ? 'The form' : capital(fieldWords(pointer));
  const number = (pattern: RegExp): string | undefined => pattern.exec(what)?.[1];
  const most = number(/^must NOT have more than (\d+) characters/);
  if (most) return `${field}: use at most ${Number(most).toLocaleString('en-US')} characters.`;
  const least = number(/^must NOT have fewer than (\d+) characters/);
  if (least) return least === '1' ? `${field}: fill this in.` : `${field}: use at least ${least} characters.`;
  const fewerItems = number(/^must NOT have fewer than (\d+) items/);
  if (fewerItems) return `${field}: choose at least ${fewerItems}.`;
  const moreItems = number(/^must NOT have more than (\d+) items/);
  if (moreItems) return `${field}: choose at most ${moreItems}.`;
  const max = number(/^must be <=? (-?[\d.]+)/);
  if (max) return `${field}: enter a number no larger than ${max}.`;
  const min = number(/^must be >=? (-?[\d.]+)/);
  if (min) return `${field}: enter a number no smaller than ${min}.`;
  if (/^must be integer/.test(what)) return `${field}: enter a whole number.`;
  if (/^must be number/.test(what)) return `${field}: enter a number.`;
  if (/^must match format "date"/.test(what)) return `${field}: enter a real date (YYYY-MM-DD).`;
  if (/^must match format "date-time"/.test(what)) return `${field}: enter a real date and time.`;
  if (/^must be equal to (one of the allowed values|constant)/.test(what)) {
    return `${field}: choose one of the offered options.`;
  }
  return `${field} is not in the expected form.`;
}

/** 60 → "1 minute", 90 → "2 minutes", 45 → "45 seconds", 7200 → "2 hours". */
export function waitWords(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return plural(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return plural(Math.ceil(seconds / 60), 'minute');
  return plural(Math.ceil(seconds / 3600), 'hour');
}

/** The server's text for an ApiError, in words, without its own vague "try again" advice. */
function serverSentence(error: ApiError): string {
  const schema = humaniseSchemaFailure(error.message);
  if (schema) return schema;
  const own = SENTENCES[error.code];
  const catalogued = ERROR_CATALOGUE[error.code].message;
  if (own && (TECHNICAL.has(error.code) || error.message === catalogued || error.message === '')) return own;
  const text = error.message.trim() || catalogued;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A sentence for people for any thrown value: the server's refusal in words (with one wait hint
 * when it said how long), a clear "did not fit" for an answer off the contract, or no connection.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const sentence = serverSentence(error);
    if (error.retryAfterSeconds === undefined) return sentence;
    // "Try again later." and "Try again in 1 minute." would say the same thing twice.
    const withoutLater = sentence.replace(/\s*Try again (later|shortly)\.$/i, '');
    return `${withoutLater} Try again in ${waitWords(error.retryAfterSeconds)}.`;
  }
  if (error instanceof ContractMismatch)
    return (
      `The server's answer did not fit what this page expects (${error.route}, ${error.field}): ` +
      `${error.problem}. Nothing from it is shown; try again later or tell your administrator.`
    );
  if (error instanceof NetworkError) return NETWORK_MESSAGE;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
