import type { FastifyRequest } from 'fastify';
import { AppError } from '../app/errors.js';
import type { App } from './app-type.js';

/** An unpaired UTF-16 surrogate: with the `u` flag a valid pair is one code point and never matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** The path (`title`, `cohort/keyword`, `items/0`) of the first string holding a lone surrogate. */
function findLoneSurrogate(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}/${key}`;
    if (LONE_SURROGATE.test(key)) return childPath;
    const found = findLoneSurrogate(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Refuses, before validation and before any handler runs, a request whose JSON body, query or
 * path parameters hold a string with a lone UTF-16 surrogate (a raw `"\ud800"` escape in JSON).
 * Such a string is not text: stored, it turns into U+FFFD or fails deep inside a service after
 * work was done. One check for every route, so no schema has to remember it; the 400 names
 * the field the way schema errors do (`body/title …`).
 */
export function registerWellFormedStrings(app: App): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const parts = { params: request.params, querystring: request.query, body: request.body };
    for (const [where, value] of Object.entries(parts)) {
      const found = findLoneSurrogate(value, where);
      if (found !== undefined)
        throw new AppError('invalid_input', `${found} must not contain a lone UTF-16 surrogate`);
    }
  });
}
