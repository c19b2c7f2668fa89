import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  download,
  generated,
  ledgerEntries,
  MB,
  upload,
  world,
  type World,
} from '../records/attachment-helpers.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';
import { text } from '../support/json-answer.js';
import { PG_URL } from '../support/stores.js';

/**
 * Issue 17: two servers on one PostgreSQL database, each with a data folder of its own. An
 * X-ray uploaded through A used to answer 422 integrity_failure through B (the file was in A's
 * folder) and leave a false tamper alarm in the ledger; the ciphertext now lives in the database.
 */
describe.runIf(PG_URL)('attachments across two servers on postgres', () => {
  let cluster: TestCluster;
  let w: World;

  beforeAll(async () => {
    cluster = await startTestCluster(2);
    w = await world(cluster.servers[0]!);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('uploaded through A, downloads and verifies through B (and the other way)', async () => {
    const [a, b] = cluster.servers as [
      NonNullable<(typeof cluster.servers)[0]>,
      NonNullable<(typeof cluster.servers)[0]>,
    ];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const source = generated(3 * MB + 12_345);
      const up = await upload(from.url, w.record, source.stream, { token: w.tokens.doctor });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      const id = text(up.body.attachment?.id);
      const down = await download(to.url, w.record, id, w.tokens.doctor);
      expect(down).toMatchObject({
        status: 200,
        aborted: false,
        size: 3 * MB + 12_345,
        sha256: source.sha256(),
      });
    }
    // No false tamper alarm, and the ledger holds both reads.
    expect(await ledgerEntries(a, w.p, 'record.integrity_failure')).toHaveLength(0);
    expect(await ledgerEntries(b, w.p, 'attachment.read')).toHaveLength(2);
    const report = await b.app.audit.verification.verify();
    expect(report.ok, JSON.stringify(report)).toBe(true);
  }, 60_000);
});
