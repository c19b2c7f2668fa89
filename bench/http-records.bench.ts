import fastify from 'fastify';
import type { AppContext } from '../src/app/context.js';
import type { App } from '../src/http/app-type.js';
import { registerErrorMapper } from '../src/http/error-mapper.js';
import { registerApi } from '../src/http/routes/api.js';
import { benchTargets, openBenchWorld, type BenchTarget } from './bench-world.js';
import { measure, printTable } from './harness.js';

/**
 * Issue 13's benchmark: a record read and a record create through the service and over HTTP,
 * with the contract's response schemas (Fastify serialises every answer with its schema) against
 * the same server with the response schemas taken off (plain JSON.stringify, as before the
 * contract) — measured in the same run, alternating, best of three rounds each. The two servers
 * differ only in that: same application, same routes, same request schemas, no logger.
 */

const NOTE = {
  type: 'clinical_note',
  title: 'Follow-up visit',
  body: {
    text:
      'Feels better; cough resolved. Chest clear on auscultation. ' +
      'Resolved community-acquired pneumonia. No further follow-up needed.',
  },
  keywords: ['pneumonia'],
};

async function world(target: BenchTarget) {
  const w = await openBenchWorld(target, 'http');
  const patientId = await w.newPatient();
  const recordId = (await w.app.records.records.create(w.doctor, patientId, NOTE)).id;
  const { token } = await w.app.identity.sessions.create(w.app.store.db, {
    userId: w.doctor.userId,
    role: 'doctor',
  });
  return { ...w, patientId, recordId, token };
}

/** The API alone on a loopback port; `stripResponses` takes every response schema off first. */
async function apiServer(
  ctx: AppContext,
  stripResponses: boolean,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  if (stripResponses)
    server.addHook('onRoute', (route) => {
      if (route.schema?.response !== undefined) route.schema = { ...route.schema, response: undefined };
    });
  registerErrorMapper(server);
  await registerApi(server as unknown as App, ctx);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return { url: address, close: () => server.close() };
}

export async function benchHttpRecords(options: { quick: boolean }): Promise<void> {
  const ms = options.quick ? 300 : 1500;
  const rows: Array<Array<string | number>> = [];
  for (const target of await benchTargets('bench')) {
    const w = await world(target);
    try {
      const servers = {
        contract: await apiServer(w.app, false),
        baseline: await apiServer(w.app, true),
      };
      const headers = { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' };
      const read = (url: string) => async () => {
        const res = await fetch(`${url}/api/v1/records/${w.recordId}`, { headers });
        if (res.status !== 200) throw new Error(`read answered ${res.status}`);
        await res.arrayBuffer();
      };
      const create = (url: string) => async () => {
        const res = await fetch(`${url}/api/v1/patients/${w.patientId}/records`, {
          method: 'POST',
          headers,
          body: JSON.stringify(NOTE),
        });
        if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      };
      const best = { contract: { read: 0, create: 0 }, baseline: { read: 0, create: 0 } };
      const service = { read: 0, create: 0 };
      for (let round = 0; round < 3; round++) {
        for (const variant of ['baseline', 'contract'] as const) {
          const url = servers[variant].url;
          best[variant].read = Math.max(best[variant].read, (await measure(read(url), ms)).opsPerSecond);
          best[variant].create = Math.max(
            best[variant].create,
            (await measure(create(url), ms)).opsPerSecond,
          );
        }
        service.read = Math.max(
          service.read,
          (await measure(() => w.app.records.records.get(w.doctor, w.recordId), ms)).opsPerSecond,
        );
        service.create = Math.max(
          service.create,
          (await measure(() => w.app.records.records.create(w.doctor, w.patientId, NOTE), ms)).opsPerSecond,
        );
      }
      await servers.contract.close();
      await servers.baseline.close();
      for (const op of ['read', 'create'] as const) {
        rows.push([target.name, `${op} (service)`, service[op], '']);
        rows.push([target.name, `${op} HTTP, no response schema (baseline)`, best.baseline[op], '1.00x']);
        rows.push([
          target.name,
          `${op} HTTP, contract response schema`,
          best.contract[op],
          `${(best.contract[op] / best.baseline[op]).toFixed(2)}x`,
        ]);
      }
    } finally {
      await w.close();
      await target.dispose();
    }
  }
  printTable(
    'Record read and create: service, and HTTP with vs without the contract response schemas (ops/s, one client)',
    ['database', 'path', 'ops/s', 'vs baseline'],
    rows,
  );
}
