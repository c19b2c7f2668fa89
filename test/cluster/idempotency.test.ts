import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generated,
  startAttachmentServer,
  upload,
  world,
  type World,
} from '../records/attachment-helpers.js';
import { SAMPLE_RECORDS } from '../records/records-world.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';
import type { TestServer } from '../support/server.js';
import { DIALECTS, PG_URL } from '../support/stores.js';

const NOTE = { type: 'lab_result', ...SAMPLE_RECORDS.lab_result };

interface Answer {
  status: number;
  replayed: string | null;
  body: Record<string, unknown>;
}

async function createRecord(
  server: TestServer,
  w: World,
  key: string | null,
  body: unknown = NOTE,
): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1/patients/${w.p}/records`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${w.tokens.doctor}`,
      'content-type': 'application/json',
      ...(key === null ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

const recordCount = async (server: TestServer, w: World): Promise<number> =>
  (await server.app.store.db.selectFrom('records').select('id').where('patient_id', '=', w.p).execute())
    .length;

const errorCode = (a: Answer): unknown => (a.body.error as { code?: unknown } | undefined)?.code;

describe.each(DIALECTS)('Idempotency-Key on one server (%s)', (dialect) => {
  let server: TestServer;
  let w: World;
  beforeAll(async () => {
    server = await startAttachmentServer(dialect);
    w = await world(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a retry with the same key returns the first record, not a second', async () => {
    const before = await recordCount(server, w);
    const key = randomUUID();
    const first = await createRecord(server, w, key);
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    const again = await createRecord(server, w, key);
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(await recordCount(server, w)).toBe(before + 1);
    // Without a key, a retry is a new record (as before).
    await createRecord(server, w, null);
    await createRecord(server, w, null);
    expect(await recordCount(server, w)).toBe(before + 3);
  });

  it('the stored answer is sealed: no clinical text in the idempotency table', async () => {
    const key = randomUUID();
    expect((await createRecord(server, w, key)).status).toBe(201);
    const rows = await server.app.store.db.selectFrom('idempotency_keys').selectAll().execute();
    const dump = JSON.stringify(rows.map((r) => ({ ...r, body_ct: r.body_ct?.toString('latin1') })));
    expect(dump).not.toContain('Quokkaville');
  });

  it('the same key with another body is refused (422 idempotency_key_reused) and writes nothing', async () => {
    const key = randomUUID();
    expect((await createRecord(server, w, key)).status).toBe(201);
    const before = await recordCount(server, w);
    const other = await createRecord(server, w, key, { ...NOTE, title: 'Another title' });
    expect(other.status).toBe(422);
    expect(errorCode(other)).toBe('idempotency_key_reused');
    expect(await recordCount(server, w)).toBe(before);
  });

  it("another caller's key is another key", async () => {
    const key = randomUUID();
    expect((await createRecord(server, w, key)).status).toBe(201);
    const res = await fetch(`${server.url}/api/v1/patients/${w.p}/records`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${w.tokens.stranger}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(NOTE),
    });
    // The stranger may not write to P: refused by access, never served the doctor's answer.
    expect(res.status).toBe(404);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a key still in flight answers 409; once its lease ran out (process died) the retry runs', async () => {
    const key = randomUUID();
    const db = server.app.store.db;
    const first = await createRecord(server, w, key);
    const before = await recordCount(server, w);
    // Make it look like an attempt that is running right now (another server, mid-request).
    await db
      .updateTable('idempotency_keys')
      .set({ state: 'pending', owner: randomUUID(), created_at: Date.now(), body_ct: null, status: null })
      .where('idem_key', '=', key)
      .execute();
    const busy = await createRecord(server, w, key);
    expect(busy.status).toBe(409);
    expect(errorCode(busy)).toBe('idempotency_in_flight');
    // Its process died before its write committed: after the lease, the retry takes over.
    await db.updateTable('idempotency_keys').set({ created_at: 0 }).where('idem_key', '=', key).execute();
    const retried = await createRecord(server, w, key);
    expect(retried.status).toBe(201);
    expect(retried.body.id).not.toBe(first.body.id);
    expect(await recordCount(server, w)).toBe(before + 1);
  });

  it('a committed key whose answer was lost answers 409 idempotency_answer_lost, never a second write', async () => {
    const key = randomUUID();
    await createRecord(server, w, key);
    const before = await recordCount(server, w);
    await server.app.store.db
      .updateTable('idempotency_keys')
      .set({ state: 'committed', body_ct: null, status: null })
      .where('idem_key', '=', key)
      .execute();
    const lost = await createRecord(server, w, key);
    expect(lost.status).toBe(409);
    expect(errorCode(lost)).toBe('idempotency_answer_lost');
    expect(await recordCount(server, w)).toBe(before);
  });

  it('a refused create frees its key: the corrected retry runs', async () => {
    const key = randomUUID();
    const bad = await createRecord(server, w, key, { ...NOTE, type: 'no_such_type' });
    expect(bad.status).toBe(400);
    const rows = await server.app.store.db
      .selectFrom('idempotency_keys')
      .select('idem_key')
      .where('idem_key', '=', key)
      .execute();
    expect(rows).toEqual([]);
  });

  it('an upload retried with the same key returns the first attachment', async () => {
    const key = randomUUID();
    const headers = { 'idempotency-key': key };
    const first = await upload(server.url, w.record, generated(100_000).stream, {
      token: w.tokens.doctor,
      headers,
    });
    const again = await upload(server.url, w.record, generated(100_000).stream, {
      token: w.tokens.doctor,
      headers,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});

describe.runIf(PG_URL)('Idempotency-Key across two servers on postgres', () => {
  let cluster: TestCluster;
  let w: World;
  beforeAll(async () => {
    cluster = await startTestCluster(2);
    w = await world(cluster.servers[0]!);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('a create retried through the other server returns the first record, not a second', async () => {
    const [a, b] = [cluster.servers[0]!, cluster.servers[1]!];
    const before = await recordCount(a, w);
    const key = randomUUID();
    const first = await createRecord(a, w, key);
    expect(first.status).toBe(201);
    const again = await createRecord(b, w, key);
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(await recordCount(b, w)).toBe(before + 1);
  });

  it('two servers racing on one key: one record, the other answer is the replay or 409', async () => {
    const [a, b] = [cluster.servers[0]!, cluster.servers[1]!];
    const before = await recordCount(a, w);
    const key = randomUUID();
    const answers = await Promise.all([createRecord(a, w, key), createRecord(b, w, key)]);
    expect(answers.filter((x) => x.status === 201 && x.replayed === null)).toHaveLength(1);
    for (const x of answers) expect([201, 409]).toContain(x.status);
    expect(await recordCount(a, w)).toBe(before + 1);
  });
});
