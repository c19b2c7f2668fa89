/**
 * RFC 8785 (JCS) canonical JSON, as the server's src/crypto/canonical-json.ts writes it, for the
 * values a prescription payload holds: objects sorted by key (UTF-16 code units, which is how
 * `<` compares strings), no whitespace, strings and numbers exactly as JSON.stringify writes
 * them (RFC 8785 §3.2.2 defines both by ECMAScript). The browser signs these bytes; the server
 * recomputes them from the same fields, so both must agree to the byte.
 */
export type CanonicalValue =
  null | boolean | number | string | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${(value as readonly CanonicalValue[]).map(canonicalJson).join(',')}]`;
  const record = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k] as CanonicalValue)}`).join(',')}}`;
}
