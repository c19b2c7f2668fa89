/**
 * Field names whose values are credentials or patient identifiers. Any logged object carrying
 * one of them, at the top level or nested (up to {@link SCRUB_DEPTH} levels below the top), has
 * the value replaced by "[redacted]". Request and response bodies are never logged at all; this
 * list is the second line of defence for code that logs an object it should not have.
 */
export const REDACTED_FIELDS = [
  // credentials
  'password',
  'newPassword',
  'currentPassword',
  'pin',
  'newPin',
  'recoveryCode',
  'token',
  'signature',
  'privateKey',
  'masterKey',
  // patient identifiers and search terms (a keyword is a diagnosis)
  'ssn',
  'fullName',
  'name',
  'dateOfBirth',
  'keyword',
  // headers that carry session tokens, wherever a headers object is logged
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
] as const;

/** How many levels below the top a redacted field is still found (pino's paths went to `*.*.*.x`). */
export const SCRUB_DEPTH = 3;

export const REDACTED = '[redacted]';

const SENSITIVE: ReadonlySet<string> = new Set(REDACTED_FIELDS);

/** Plain objects and arrays are walked; anything else (Buffers, Errors, class instances) is kept as is. */
function walkable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with every sensitive field's value replaced by "[redacted]", found by key name at any
 * level down to `depth`. Copy on write: the caller's object is never changed, and an object with
 * nothing to redact is returned as it is (no allocation), which is what keeps this cheap enough
 * to run on every log line. Errors are left whole: the error serializer keeps only type,
 * message and stack.
 */
export function scrub<T>(value: T, depth = SCRUB_DEPTH): T {
  if (!walkable(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const inner = value[key];
    const next = SENSITIVE.has(key) ? REDACTED : depth > 0 ? scrub(inner, depth - 1) : inner;
    if (next !== inner) {
      copy ??= Array.isArray(value)
        ? ([...(value as unknown[])] as unknown as Record<string, unknown>)
        : { ...value };
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}
