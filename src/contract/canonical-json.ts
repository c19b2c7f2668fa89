/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Every party that hashes or signs a JSON value (ledger entries, prescriptions) must hash the
 * same bytes, so the value is serialised one way only: object members sorted by the UTF-16 code
 * units of their names, no whitespace, numbers and strings written as ECMAScript writes them.
 * Anything that has no single JSON form (NaN, undefined, a Date, a Map, a cycle) is refused
 * rather than silently dropped or coerced, since a silent coercion is two values with one hash.
 */

/** A value that has exactly one RFC 8785 serialisation. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Serialises `value` per RFC 8785 §3.2.
 *
 * - Objects: members sorted by name, compared as arrays of UTF-16 code units (§3.2.3).
 * - Numbers: ECMAScript `Number.prototype.toString` (§3.2.2.3); `-0` becomes `0`; NaN and
 *   ±Infinity are refused.
 * - Strings: JSON escapes exactly as `JSON.stringify` writes them (§3.2.2.2); strings holding a
 *   lone surrogate are refused, as §3.2.2.2 requires (they are not Unicode and have no UTF-8 form).
 *
 * @throws TypeError for a value outside the I-JSON domain: a non-finite number, `undefined`, a
 *   function, symbol or bigint, an array with holes, an object that is not a plain object or
 *   array (Date, Map, class instance), an object with symbol keys, or a cycle.
 */
export function canonicalJson(value: JsonValue): string {
  return serialise(value, new Set());
}

/** {@link canonicalJson} as UTF-8 bytes: what gets hashed or signed (RFC 8785 §3.2.4). */
export function canonicalJsonBytes(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

// `unknown`, not JsonValue: callers reach us through casts and parsed input, and the type says
// nothing at run time, so every branch checks what it actually got.
function serialise(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
      // JSON.stringify of a finite number is Number::toString, and writes -0 as "0" (§3.2.2.3).
      return JSON.stringify(value);
    case 'string':
      return serialiseString(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} has no JSON form`);
  }

  if (ancestors.has(value)) throw new TypeError('canonical JSON: the value contains a cycle');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? serialiseArray(value, ancestors) : serialiseObject(value, ancestors);
  } finally {
    // Only ancestors count: the same object twice in sibling positions is fine.
    ancestors.delete(value);
  }
}

function serialiseString(value: string): string {
  if (LONE_SURROGATE.test(value)) throw new TypeError('canonical JSON: string holds a lone surrogate');
  return JSON.stringify(value);
}

function serialiseArray(value: readonly unknown[], ancestors: Set<object>): string {
  if (Object.getPrototypeOf(value) !== Array.prototype) {
    throw new TypeError('canonical JSON: only plain arrays are allowed');
  }
  const items: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!Object.prototype.hasOwnProperty.call(value, i)) {
      throw new TypeError('canonical JSON: arrays must not have holes');
    }
    items.push(serialise(value[i], ancestors));
  }
  return `[${items.join(',')}]`;
}

function serialiseObject(value: object, ancestors: Set<object>): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError('canonical JSON: only plain objects are allowed');
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    throw new TypeError('canonical JSON: objects must not have symbol keys');
  }
  const record = value as Record<string, unknown>;
  // `<` on strings compares UTF-16 code units, which is exactly the order of §3.2.3.
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const members = keys.map((key) => `${serialiseString(key)}:${serialise(record[key], ancestors)}`);
  return `{${members.join(',')}}`;
}
