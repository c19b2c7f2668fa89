import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  bernoulliExp,
  discreteLaplaceHalfWidth,
  discreteLaplaceWithin,
  sampleDiscreteLaplace,
} from '../../src/crypto/discrete-laplace.js';
import {
  discreteLaplaceCdf,
  dkwThreshold,
  fitsDiscreteLaplace,
  ksStatistic,
} from '../support/goodness-of-fit.js';

const RUNS = 2000;
/** Hoeffding: |p̂ − p| ≤ sqrt(ln(2/α)/(2n)) except with probability α. */
const hoeffding = (n: number, alpha = 1e-7): number => Math.sqrt(Math.log(2 / alpha) / (2 * n));
const draw = (n: number, num: bigint, den: bigint): number[] =>
  Array.from({ length: n }, () => Number(sampleDiscreteLaplace({ num, den })));

describe('Bernoulli samplers (CKS Algorithm 1)', () => {
  it('Bernoulli(0) never and Bernoulli(1) always succeed', () => {
    for (let i = 0; i < 200; i++) {
      expect(bernoulli(0n, 7n)).toBe(false);
      expect(bernoulli(7n, 7n)).toBe(true);
      expect(bernoulliExp(0n, 3n)).toBe(true);
    }
  });

  it('refuses probabilities outside [0, 1] and negative γ', () => {
    expect(() => bernoulli(8n, 7n)).toThrow(RangeError);
    expect(() => bernoulli(-1n, 7n)).toThrow(RangeError);
    expect(() => bernoulliExp(-1n, 2n)).toThrow(RangeError);
  });

  it.each([
    [1n, 2n],
    [1n, 1n],
    [5n, 2n],
  ])('Bernoulli(exp(−%i/%i)) succeeds with that frequency', (num, den) => {
    const n = 20_000;
    let hits = 0;
    for (let i = 0; i < n; i++) if (bernoulliExp(num, den)) hits++;
    expect(Math.abs(hits / n - Math.exp(-Number(num) / Number(den)))).toBeLessThan(hoeffding(n));
  });
});

describe('discrete Laplace sampler (CKS Algorithm 2)', () => {
  it('returns integers, symmetric around 0', () => {
    const samples = draw(RUNS, 5n, 2n);
    expect(samples.every(Number.isSafeInteger)).toBe(true);
    const positive = samples.filter((z) => z > 0).length;
    const negative = samples.filter((z) => z < 0).length;
    expect(Math.abs(positive - negative) / RUNS).toBeLessThan(2 * hoeffding(RUNS));
  });

  it.each([
    [5n, 2n],
    [250n, 1n],
    [250_000n, 700n],
  ])('2,000 samples of scale %i/%i fit the discrete Laplace CDF (DKW, false failure < 1e-6)', (num, den) => {
    expect(fitsDiscreteLaplace(draw(RUNS, num, den), Number(num) / Number(den))).toBe(true);
  });

  it('the same test rejects a sampler of the wrong scale (twice and half the stated one)', () => {
    const stated = 40;
    expect(fitsDiscreteLaplace(draw(RUNS, 80n, 1n), stated)).toBe(false);
    expect(fitsDiscreteLaplace(draw(RUNS, 20n, 1n), stated)).toBe(false);
  });

  it('the DKW threshold gives a false-failure chance below one in a million', () => {
    const eps = dkwThreshold(RUNS, 1e-7);
    expect(2 * Math.exp(-2 * RUNS * eps * eps)).toBeLessThanOrEqual(1e-6);
    // And a KS statistic of a perfect empirical CDF is 0.
    expect(ksStatistic([0, 0], (z) => (z < 0 ? 0 : 1))).toBe(0);
    expect(discreteLaplaceCdf(3, -1) + (1 - discreteLaplaceCdf(3, 0))).toBeCloseTo(
      (2 * Math.exp(-1 / 3)) / (1 + Math.exp(-1 / 3)),
      12,
    );
  });

  it('refuses a non-positive scale', () => {
    expect(() => sampleDiscreteLaplace({ num: 0n, den: 1n })).toThrow(RangeError);
    expect(() => sampleDiscreteLaplace({ num: 1n, den: 0n })).toThrow(RangeError);
  });
});

describe('95% interval of the noise', () => {
  it.each([0.5, 1, 2.5, 40, 250, 12_345.6])('scale %f: the smallest k with P(|Z| ≤ k) ≥ 0.95', (scale) => {
    const k = discreteLaplaceHalfWidth(scale, 0.95);
    expect(discreteLaplaceWithin(scale, k)).toBeGreaterThanOrEqual(0.95);
    if (k > 0) expect(discreteLaplaceWithin(scale, k - 1)).toBeLessThan(0.95);
  });

  it('matches the sampler: about 95% of draws fall inside', () => {
    const k = discreteLaplaceHalfWidth(7, 0.95);
    const inside = draw(RUNS, 7n, 1n).filter((z) => Math.abs(z) <= k).length / RUNS;
    expect(inside).toBeGreaterThan(discreteLaplaceWithin(7, k) - hoeffding(RUNS));
    expect(inside).toBeLessThan(discreteLaplaceWithin(7, k) + hoeffding(RUNS));
  });
});
