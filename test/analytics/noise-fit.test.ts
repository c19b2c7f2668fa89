import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsWorld, type AnalyticsWorld } from './vitals-fixtures.js';
import { discreteLaplaceCdf, dkwThreshold, ksStatistic } from '../support/goodness-of-fit.js';

const RUNS = 2000;
/** Per-test false-failure probability of the DKW bound: below one in a million. */
const ALPHA = 1e-7;

/**
 * End to end, with the noise on: over 2,000 released counts, the error (released − true) follows
 * the discrete Laplace of the scale each answer states. The test is Kolmogorov–Smirnov with the
 * exact DKW–Massart bound, so a correct mechanism fails it with probability < 1e-7; the same
 * errors are then held against twice and half the stated scale, which the test must reject.
 */
describe('noise of released statistics', () => {
  let w: AnalyticsWorld;
  const hr = [62, 71, 88];
  beforeAll(async () => {
    w = await analyticsWorld('sqlite', { budgetMilli: 1_000_000_000 });
    for (const [i, v] of hr.entries())
      await w.vitals(await w.patient(`19${50 + i}-03-0${i + 1}`), { heartRate: v });
  });
  afterAll(() => w?.dispose());

  // Counts: the same release path as sums (releaseInteger) without a decryption per run, which
  // keeps 2,000 runs within seconds; the sum's stated scale is checked below.
  it('2,000 noisy counts: the errors fit Lap_Z(stated scale) and reject a wrong scale', async () => {
    const truth = hr.length;
    const errors: number[] = [];
    let stated = 0;
    for (let i = 0; i < RUNS; i++) {
      const a = await w.analytics.statistics.query(w.as(w.admin), {
        metric: 'heartRate',
        aggregate: 'count',
        cohort: { kind: 'all' },
        epsilon: 0.125,
      });
      stated = a.noiseScale.count!;
      errors.push(a.value! - truth);
    }
    expect(stated).toBe(8); // sensitivity 1 patient / ε 0.125
    const threshold = dkwThreshold(RUNS, ALPHA);
    expect(ksStatistic(errors, (z) => discreteLaplaceCdf(stated, z))).toBeLessThanOrEqual(threshold);
    expect(ksStatistic(errors, (z) => discreteLaplaceCdf(2 * stated, z))).toBeGreaterThan(threshold);
    expect(ksStatistic(errors, (z) => discreteLaplaceCdf(stated / 2, z))).toBeGreaterThan(threshold);
  }, 120_000);

  it('a sum states the scale of its sensitivity: 250 bpm / ε', async () => {
    const a = await w.analytics.statistics.query(w.as(w.admin), {
      metric: 'heartRate',
      aggregate: 'sum',
      cohort: { kind: 'all' },
      epsilon: 2,
    });
    expect(a.noiseScale).toEqual({ sum: 125 });
    expect(a.interval95!.high - a.value!).toBe(a.value! - a.interval95!.low);
  });
});
