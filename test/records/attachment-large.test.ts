import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  download,
  generated,
  leftovers,
  MB,
  startAttachmentServer,
  upload,
  world,
  type AttachmentServer,
  type World,
} from './attachment-helpers.js';
import { text } from '../support/json-answer.js';
import { PG_URL } from '../support/stores.js';

// A handle on V8's collector, so the idle figure is live memory rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BUDGET = 150 * MB;
/** SQLite streams to a file; PostgreSQL to rows of 256 KiB (smaller: the shared test database). */
const CASES = [['sqlite', 200 * MB], ...(PG_URL ? [['postgres', 64 * MB] as const] : [])] as const;

/**
 * The acceptance: a 200 MB image round-trips with an equal SHA-256 and the process's
 * peak RSS stays under 150 MB above idle. Client and server share this process, so the figure
 * covers both ends; the data is generated and hashed as it streams (never held). On PostgreSQL
 * (issue 17) the ciphertext goes to `attachment_chunks` rows as it streams: the same bound holds.
 */
describe.each(CASES)('a large attachment on %s', (dialect, SIZE) => {
  let server: AttachmentServer;
  let w: World;

  beforeAll(async () => {
    server = await startAttachmentServer(dialect, { MEDVAULT_ATTACHMENT_LIMIT_MB: '256' });
    w = await world(server);
    // Warm every path once (JIT, pools, lazy modules) before idle is measured.
    const warm = await upload(server.url, w.record, generated(2 * MB).stream, { token: w.tokens.doctor });
    await download(server.url, w.record, text(warm.body.attachment?.id), w.tokens.doctor);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('round-trips with an equal SHA-256 and bounded memory', async () => {
    gc();
    await new Promise((r) => setTimeout(r, 50));
    const idle = process.memoryUsage.rss();
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    try {
      const source = generated(SIZE);
      const up = await upload(server.url, w.record, source.stream, { token: w.tokens.doctor });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      const sent = source.sha256();
      expect(up.body.attachment).toMatchObject({ size: SIZE, sha256: sent });
      const down = await download(server.url, w.record, text(up.body.attachment?.id), w.tokens.doctor);
      expect(down).toMatchObject({ status: 200, aborted: false, size: SIZE, sha256: sent });
    } finally {
      clearInterval(sampler);
    }
    const above = peak - idle;
    process.stdout.write(
      `${SIZE / MB} MB round trip on ${dialect}: idle RSS ${(idle / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB, ` +
        `above idle ${(above / MB).toFixed(1)} MB\n`,
    );
    expect(above).toBeLessThan(BUDGET);
    expect((await leftovers(server)).tmp).toEqual([]);
  }, 180_000);
});
