import type { AnalyticsQuery, Cohort } from '../../../contract/api/analytics.js';
import { describeSeen, seen } from '../answers.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { registerPatient } from './register.js';
import { writeRecord } from './write-records.js';

export const ANALYTICS_ROUTES = ['POST /api/v1/analytics/query', 'GET /api/v1/analytics/budget'] as const;

/** The query body for a DP statistic of heart rate over a cohort. */
export const heartRateQuery = (
  aggregate: AnalyticsQuery['aggregate'],
  epsilon: number,
  cohort: Cohort = { kind: 'all' },
): AnalyticsQuery => ({
  metric: 'heartRate',
  aggregate,
  cohort,
  epsilon,
});

/** Heart rates of the cohort the demo measures (bpm). */
const COHORT = [
  ['Ines Abara', '1990-05-02', 64],
  ['Tomasz Wieczorek', '1958-11-23', 81],
  ['Aiko Brandvold', '1979-08-14', 72],
  ['Rafael Montenegro', '2001-01-30', 58],
] as const;

/**
 * Step 8: vitals are written as records (their numbers also kept as Paillier ciphertexts);
 * an admin, who can read no record, asks for a differentially private mean heart rate: the
 * server adds the ciphertexts, decrypts only the total and releases it with discrete Laplace
 * noise, and the hospital's epsilon budget goes down by the query's epsilon.
 */
export const statisticsStep: Step = {
  title: 'Step 8 — An admin runs a differentially private mean heart rate; the budget goes down',
  requires: ANALYTICS_ROUTES,
  async run(world: DemoWorld): Promise<string> {
    const doctor = world.member('doctor');
    const admin = world.member('admin');
    const patients: Array<{ id: string; hr: number }> = [
      { id: world.needPatient().id, hr: 88 },
      { id: world.needPatientB().id, hr: 69 },
    ];
    for (const [name, dob, hr] of COHORT)
      patients.push({ id: (await registerPatient(world, name, dob, { login: false })).id, hr });
    for (const [i, p] of patients.entries()) {
      const weight = 60 + i * 7.3;
      world.vitalsNeedles.push(weight.toFixed(1), `"heartRate":${p.hr}`);
      await writeRecord(world, doctor.token, p.id, {
        type: 'vitals',
        title: 'Vitals at clinic visit',
        body: { heartRate: p.hr, weight: Number(weight.toFixed(1)), measuredAt: '2026-03-03T09:30:00Z' },
      });
    }
    const truth = patients.reduce((s, p) => s + p.hr, 0) / patients.length;
    world.say(
      `${patients.length} patients' vitals written by ${doctor.displayName} (true mean heart rate ${truth.toFixed(1)} bpm — the admin never sees it)`,
    );
    const encrypted = await world.app.store.db
      .selectFrom('analytics_vitals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('metric', '=', 'heartRate')
      .executeTakeFirst();
    world.say(
      `heart rates held for statistics inside ${Number(encrypted?.n ?? 0)} Paillier ciphertexts, one per vitals record (no plaintext copy)`,
    );
    const asAdmin = world.as(admin.token);
    const before = await asAdmin.call('privacyBudget');
    world.say(
      `hospital budget before: ε remaining ${before.remainingEpsilon} of ${before.totalEpsilon} this window (shared by every admin)`,
    );
    const answer = await asAdmin.call('analyticsQuery', { body: heartRateQuery('mean', 0.5) });
    const interval =
      answer.interval95 === null
        ? ''
        : ` (95% interval ${answer.interval95.low.toFixed(1)}–${answer.interval95.high.toFixed(1)})`;
    world.say(
      `DP mean heart rate, ε = ${answer.epsilon}: ${answer.value === null ? 'suppressed' : answer.value.toFixed(1)} bpm${interval}`,
    );
    world.say(
      "(six patients and ε = 0.5: the noise is as large as any one person's value — by design, no individual shows through)",
    );
    const after = await asAdmin.call('privacyBudget');
    world.say(`hospital budget after: ε remaining ${after.remainingEpsilon} of ${after.totalEpsilon}`);
    const spent = Math.round((before.remainingEpsilon - after.remainingEpsilon) * 1000) / 1000;
    if (spent !== answer.epsilon)
      throw new Error(`the budget went down by ${spent}, not by ε = ${answer.epsilon}`);
    const record = seen(
      await asAdmin.answer('getRecord', { params: { id: world.needRecords().diagnosisId } }),
    );
    world.say(`the same admin asking for a record: ${describeSeen(record)}`);
    if (record.status !== 403) throw new Error(`an admin reading a record got ${record.status}`);
    return `noisy mean released from encrypted vitals; budget down by exactly ε = ${answer.epsilon}`;
  },
};
