import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { IdempotentAttempt } from '../app/idempotency/index.js';
import { invalidInput } from '../app/errors.js';
import { canonicalJson, type JsonValue } from '../contract/canonical-json.js';
import type { App } from './app-type.js';
import { requireScope } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotent attempt this request holds, if it carried an `Idempotency-Key`. */
    idempotentAttempt?: IdempotentAttempt | undefined;
  }
}

/** The header clients send on a create (IETF draft "The Idempotency-Key HTTP Header Field"). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer replayed from the first attempt. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** A streamed upload (the multipart plugin is registered only around the upload route). */
const isMultipart = (request: FastifyRequest): boolean =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

/**
 * What makes two requests "the same" for a key: method, route, path parameters and the JSON body
 * (canonical). A multipart upload is streamed, not held, so its file is not part of it: the same
 * key on the same record replays the first upload's answer.
 */
function fingerprint(request: FastifyRequest): string {
  // Fastify's params are null-prototype objects; a JSON round trip makes plain ones.
  const parts = JSON.parse(
    JSON.stringify([
      request.method,
      request.routeOptions.url ?? request.url,
      request.params ?? {},
      isMultipart(request) ? null : (request.body ?? null),
    ]),
  ) as JsonValue;
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

/**
 * Stores the answer of every idempotent attempt as it is sent (or frees the key when the attempt
 * wrote nothing). Register once, before the routes.
 */
export function registerIdempotency(app: App, ctx: AppContext): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const attempt = request.idempotentAttempt;
    if (attempt === undefined) return payload;
    request.idempotentAttempt = undefined;
    const body =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    const contentType = reply.getHeader('content-type');
    try {
      await ctx.idempotency.finish(attempt, {
        status: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : 'application/json; charset=utf-8',
        body,
      });
    } catch (err) {
      // The write stands; a retry then learns its answer was lost (409), never writes twice.
      request.log.error({ err }, 'could not store the answer of an idempotent create');
    }
    return payload;
  });
}

/**
 * Runs a create route's work once per `Idempotency-Key` (when the request carries one): a retry
 * by the same caller — through any server — gets the first answer, marked `Idempotent-Replayed`.
 * Errors: 400 idempotency_key_invalid, 422 idempotency_key_reused, 409 idempotency_in_flight or
 * idempotency_answer_lost (src/app/idempotency).
 */
export async function idempotent(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  create: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const header = request.headers[IDEMPOTENCY_HEADER];
  if (header === undefined) return create();
  if (typeof header !== 'string') {
    throw invalidInput('Send one Idempotency-Key header.', 'idempotency_key_invalid');
  }
  const start = await ctx.idempotency.start(requireScope(request), header, fingerprint(request));
  if (start.kind === 'replay') {
    const { status, contentType, body } = start.answer;
    return reply.code(status).header('content-type', contentType).header(REPLAYED_HEADER, 'true').send(body);
  }
  request.idempotentAttempt = start.attempt;
  return ctx.idempotency.run(start.attempt, create);
}
