/**
 * Small shape checks for server answers. The UI never trusts an answer to be well-formed: each
 * API module narrows `unknown` with these, and a half-built or misbehaving server yields a
 * clear error instead of a crash.
 */
import { ApiError, isRecord } from './client.js';

/** An id the server may send as a string or a number, as a string; undefined otherwise. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A non-empty string, or undefined. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The first field of `record` among `keys` that is a non-empty string. */
export function firstText(record: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const found = textOf(record[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A time as epoch milliseconds, from a number or an ISO string; undefined when absent or bad. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length > 0) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/**
 * The list in an answer: a bare array, or the first array among `keys` of an object
 * (e.g. `{users: [...]}` or `{items: [...], nextCursor}`).
 */
export function listOf(body: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (isRecord(body)) {
    for (const key of [...keys, 'items', 'data', 'results']) {
      const value = body[key];
      if (Array.isArray(value)) return value;
    }
  }
  throw malformed();
}

/** Parses each element with `parse`, dropping those that do not fit (never the whole list). */
export function parseEach<T>(items: readonly unknown[], parse: (item: unknown) => T | undefined): T[] {
  const parsed: T[] = [];
  for (const item of items) {
    const value = parse(item);
    if (value !== undefined) parsed.push(value);
  }
  return parsed;
}

/** The error for an answer whose shape the UI cannot use. */
export function malformed(what = 'answer'): ApiError {
  return new ApiError(502, 'malformed_answer', `The server sent a malformed ${what}.`);
}

/** `{user: {...}}` or a bare object: the object the fields are in. */
export function unwrap(body: unknown, key: string): Record<string, unknown> | undefined {
  if (isRecord(body) && isRecord(body[key])) return body[key];
  return isRecord(body) ? body : undefined;
}
