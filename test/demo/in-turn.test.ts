import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTurn, writeRoutesTaken } from '../../src/cli/demo/in-turn.js';

describe("the demo's client across several servers", () => {
  const servers: http.Server[] = [];
  const urls: string[] = [];
  beforeAll(async () => {
    for (const name of ['A', 'B']) {
      const server = http.createServer((req, res) => res.end(`${name} ${req.method} ${req.url}`));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it('sends each request to the next server in turn, path and query kept, and notes the writes', async () => {
    const writes = new Set<string>();
    const f = inTurn(urls, writes);
    const answers = [];
    for (const [path, method] of [
      ['/api/v1/records/1?x=2', 'GET'],
      ['/api/v1/patients/7/records', 'POST'],
      ['/api/v1/patients/7/records', 'POST'],
      ['/api/v1/approvals/9', 'DELETE'],
    ] as const)
      answers.push(await (await f(`${urls[0]}${path}`, { method })).text());
    expect(answers).toEqual([
      'A GET /api/v1/records/1?x=2',
      'B POST /api/v1/patients/7/records',
      'A POST /api/v1/patients/7/records',
      'B DELETE /api/v1/approvals/9',
    ]);
    expect([...writes]).toEqual(['POST /api/v1/patients/7/records', 'DELETE /api/v1/approvals/9']);
  });

  it('counts the documented write routes the taken paths match, by method and each fixed segment', () => {
    const documented = new Set([
      'GET /api/v1/records/:id',
      'POST /api/v1/patients/:id/records',
      'POST /api/v1/patients/search',
      'DELETE /api/v1/patients/:id/care-team/:doctorId',
      'PUT /api/v1/records/:id',
    ]);
    const taken = new Set([
      'POST /api/v1/patients/p-1/records',
      'DELETE /api/v1/patients/p-1/care-team', // one segment short
      'POST /api/v1/records/r-1', // another method than the documented PUT
    ]);
    expect(writeRoutesTaken(documented, taken)).toEqual({
      taken: 1,
      of: 4,
      untaken: [
        'POST /api/v1/patients/search',
        'DELETE /api/v1/patients/:id/care-team/:doctorId',
        'PUT /api/v1/records/:id',
      ],
    });
  });
});
