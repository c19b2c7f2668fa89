import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispense, ledgerCount, prescribe, rxWorld, type RxWorld } from './world.js';
import { PG_URL } from '../support/stores.js';
import { spawnCli, waitForOutput } from '../support/cli.js';

const ATTEMPTS = 20;

/** Fires every attempt at once and returns the statuses, sorted. */
async function race(w: RxWorld, id: string, urls: readonly string[]): Promise<number[]> {
  const answers = await Promise.all(
    Array.from({ length: ATTEMPTS }, (_, i) =>
      fetch(`${urls[i % urls.length]}/api/v1/prescriptions/${id}/dispense`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.pharmacist.token}` },
      }).then((r) => r.status),
    ),
  );
  return answers.sort((a, b) => a - b);
}

async function expectExactlyOnce(w: RxWorld, id: string, statuses: number[]): Promise<void> {
  expect(statuses).toEqual([200, ...Array<number>(ATTEMPTS - 1).fill(409)]);
  expect(await ledgerCount(w, 'prescription.dispense', id)).toBe(1);
  const fills = await w.app.store.db
    .selectFrom('prescription_dispenses')
    .selectAll()
    .where('prescription_id', '=', id)
    .execute();
  expect(fills).toHaveLength(1);
}

/** Acceptance: 20 concurrent dispenses → one 200, nineteen 409, one ledger entry. */
describe('concurrent dispensing on sqlite', () => {
  let w: RxWorld;
  beforeAll(async () => {
    // Refill timing is off here (rounds of refills back to back); refill-timing.test.ts races a
    // refill with it on.
    w = await rxWorld({ settings: { MEDVAULT_REFILL_DUE_PERCENT: '0' } });
  });
  afterAll(async () => w?.close());

  it('dispenses exactly once; refills are taken one per winner', async () => {
    const id = await prescribe(w, w.doctorEd);
    await expectExactlyOnce(w, id, await race(w, id, [w.server.url]));
    // With refills, each round of racers takes exactly one fill until none is left.
    const refillable = await prescribe(w, w.doctorEd, { refills: 2 });
    let taken = 0;
    for (let round = 0; round < 3; round++) {
      const statuses = await race(w, refillable, [w.server.url]);
      taken += statuses.filter((s) => s === 200).length;
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    }
    expect(taken).toBe(3);
    expect((await dispense(w, refillable)).status).toBe(409);
  });
});

describe.runIf(PG_URL)('concurrent dispensing on postgres, two server processes', () => {
  let w: RxWorld;
  let second: ReturnType<typeof spawnCli> | undefined;
  let secondUrl: string;
  beforeAll(async () => {
    w = await rxWorld({ db: 'postgres' });
    // A second `medvault serve` on the same database and master key (the first one's data folder).
    second = spawnCli(['serve', '--port', '0', '--log-level', 'silent'], {
      MEDVAULT_DATA_DIR: w.app.config.dataDir,
      DATABASE_URL: w.app.config.databaseUrl,
    });
    const out = await waitForOutput(second, /listening on (http:\/\/\S+)/, 60_000);
    secondUrl = /listening on (http:\/\/\S+)/.exec(out)![1]!;
  }, 90_000);
  afterAll(async () => {
    if (second !== undefined && second.exitCode === null) {
      const exited = new Promise((resolve) => second!.once('close', resolve));
      second.kill('SIGTERM');
      await exited;
    }
    await w?.close();
  });

  it('dispenses exactly once across both processes', async () => {
    for (let round = 0; round < 3; round++) {
      const id = await prescribe(w, w.doctorEd);
      await expectExactlyOnce(w, id, await race(w, id, [w.server.url, secondUrl]));
    }
  });
});
