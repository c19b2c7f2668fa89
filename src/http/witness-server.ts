/**
 * The HTTP face of `medvault witness serve` (C2SP tlog-witness): a separate, tiny server, not the
 * MedVault API (no sessions, no JSON: the protocol is text). Thin: every decision is in
 * `CosigningWitness` (src/app/audit).
 *
 * - `POST /add-checkpoint`: body `old <size>`, proof lines, an empty line, a signed checkpoint;
 *   answers the cosignature line (200), or 400/403/404/409/422 as tlog-witness prescribes.
 * - `POST /add-handover` (ours; tlog-witness has no key rotation): body one key handover statement;
 *   200 accepted or already held, 400/404/409/422 with a text reason.
 * - `GET /latest?origin=<origin>`: the latest checkpoint cosigned for that log (our monitoring read).
 */
import fastify, { type FastifyInstance } from 'fastify';
import { WITNESS_MAX_REQUEST_BYTES, type CosigningWitness, type WitnessAnswer } from '../app/audit/index.js';

export function buildWitnessServer(witness: CosigningWitness): FastifyInstance {
  const app = fastify({ logger: false, bodyLimit: WITNESS_MAX_REQUEST_BYTES });
  // The protocol's bodies are text whatever content type a client sends.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const send = (answer: WitnessAnswer) => ({
    status: answer.status,
    type: answer.contentType,
    body: answer.body,
  });

  app.post('/add-checkpoint', async (request, reply) => {
    const answer = send(await witness.addCheckpoint(typeof request.body === 'string' ? request.body : ''));
    return reply.code(answer.status).type(answer.type).send(answer.body);
  });
  app.post('/add-handover', async (request, reply) => {
    const answer = send(await witness.addHandover(typeof request.body === 'string' ? request.body : ''));
    return reply.code(answer.status).type(answer.type).send(answer.body);
  });
  app.get('/latest', async (request, reply) => {
    const { origin } = request.query as { origin?: unknown };
    if (typeof origin !== 'string') return reply.code(400).type('text/plain').send('origin is required\n');
    const answer = send(witness.latest(origin));
    return reply.code(answer.status).type(answer.type).send(answer.body);
  });
  return app;
}
