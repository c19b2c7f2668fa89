import { seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { ANALYTICS_ROUTES, heartRateQuery } from '../steps/statistics.js';
import type { DemoWorld } from '../world.js';

/** The attacker's target: the patient's heart rate, which step 7 recorded as 88 bpm. */
const TARGET_HR = 88;
/** Can the attacker tell 60 bpm from 100 bpm? Not if the estimate's standard error exceeds this. */
const USEFUL_PRECISION_BPM = 20;
const EPSILON_PER_QUERY = 1;
const MAX_ROUNDS = 200;

/**
 * A differencing attack: sum(heart rate, ages 40–50) − sum(heart rate, ages 42–50) isolates the
 * one patient aged 41 — the demo patient. Without noise one pair of queries would give her heart
 * rate exactly. The attacker repeats the pair to average the noise away until the budget
 * refuses. Defended when the budget stops the attacker and the best estimate is still far too
 * imprecise to learn anything (standard error from the noise scales the server declares).
 */
export const differencing: Attack = {
  id: 'differencing',
  title: 'Differencing attack on the statistics: two overlapping cohorts isolate one patient',
  requires: ANALYTICS_ROUTES,
  async run(world: DemoWorld): Promise<AttackResult> {
    world.needPatient();
    const asAdmin = world.as(world.member('admin').token);
    const ask = (from: number, to: number) =>
      asAdmin.answer('analyticsQuery', {
        body: heartRateQuery('sum', EPSILON_PER_QUERY, { kind: 'age_band', from, to }),
      });
    const differences: number[] = [];
    let scale = 0;
    let refusal: { status: number; code: string | undefined } | undefined;
    const values = new Set<number>();
    for (let round = 0; round < MAX_ROUNDS && refusal === undefined; round++) {
      const withHer = await ask(40, 50);
      const without = withHer.ok ? await ask(42, 50) : withHer;
      if (!withHer.ok || !without.ok) {
        const refused = seen(withHer.ok ? without : withHer);
        refusal = { status: refused.status, code: refused.code };
        break;
      }
      const [x, y] = [withHer.body, without.body];
      if (x.value === null || y.value === null) throw new Error('a sum answered without a value');
      values.add(x.value).add(y.value);
      scale = Math.max(scale, x.noiseScale.sum ?? 0, y.noiseScale.sum ?? 0);
      differences.push(x.value - y.value);
    }
    const n = differences.length;
    const estimate = n === 0 ? NaN : differences.reduce((s, d) => s + d, 0) / n;
    // Discrete Laplace with scale b has variance ≈ 2b²; a difference of two has ≈ 4b².
    const stdError = n === 0 ? Infinity : (2 * scale) / Math.sqrt(n);
    world.say(
      `${n} pairs answered at ε = ${EPSILON_PER_QUERY} each (noise scale ${scale} bpm per sum), then ${refusal === undefined ? 'never refused' : `${refusal.status} ${refusal.code ?? ''}`}`,
    );
    world.say(
      `attacker's estimate of her heart rate: ${Number.isNaN(estimate) ? 'none' : estimate.toFixed(0)} bpm ± ${Number.isFinite(stdError) ? stdError.toFixed(0) : '∞'} (true: ${TARGET_HR})`,
    );
    return verdictOf([
      [refusal?.status === 429, 'the privacy budget stopped the attacker'],
      [n === 0 || values.size > 1, 'every answer freshly noised'],
      [
        stdError > USEFUL_PRECISION_BPM,
        `best estimate still ±${Number.isFinite(stdError) ? stdError.toFixed(0) : '∞'} bpm: nothing learned`,
      ],
    ]);
  },
};
