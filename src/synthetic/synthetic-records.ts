import { VITAL_METRICS, type MeasuredVital } from '../contract/vocabulary/vital-metrics.js';
import { ALLERGIES, VACCINES } from './clinical-catalog.js';
import {
  CONDITIONS,
  NICOTINE_DEPENDENCE,
  type Condition,
  type ConditionEffect,
} from './conditions-catalog.js';
import type { SeededRandom } from './seeded-random.js';
import { parseIsoDate, type SyntheticPerson } from './synthetic-people.js';

import {
  clamp,
  DAY_MS,
  recordDate,
  round,
  type ClinicalProfile,
  type PlannedRecord,
} from './synthetic-basics.js';
import { chestXray, imaging } from './synthetic-imaging.js';
import { labResult } from './synthetic-labs.js';
import type { RecordBodies, WritableRecordType } from '../app/records/index.js';

/** How often each type occurs in a clinic's records. */
export const RECORD_TYPE_WEIGHTS: ReadonlyArray<readonly [WritableRecordType, number]> = [
  ['vitals', 26],
  ['lab_result', 22],
  ['diagnosis', 16],
  ['clinical_note', 16],
  ['vaccination', 9],
  ['allergy', 5],
  ['imaging', 6],
];

/** Conditions and baselines for a person (at most four conditions, more with age). */
export function clinicalProfile(rng: SeededRandom, person: SyntheticPerson): ClinicalProfile {
  const eligible = CONDITIONS.filter(
    (c) =>
      c.weight > 0 &&
      person.age >= c.minAge &&
      (c.maxAge === undefined || person.age <= c.maxAge) &&
      (c.sex === undefined || c.sex === person.sex),
  );
  const count = Math.min(
    4,
    rng.weighted<number>([
      [0, 12],
      [1, 30],
      [2, 28],
      [3, 18],
      [4, 12],
    ]) + (person.age >= 60 ? 1 : 0),
  );
  const conditions: Condition[] = [];
  const pool = [...eligible];
  while (conditions.length < count && pool.length > 0) {
    const chosen = rng.weighted(pool.map((c) => [c, c.weight] as const));
    conditions.push(chosen);
    pool.splice(pool.indexOf(chosen), 1);
  }
  if (person.smokingStatus === 'current') conditions.push(NICOTINE_DEPENDENCE);
  const effects = new Set(conditions.flatMap((c) => (c.effect === undefined ? [] : [c.effect])));
  const h = person.heightCm / 100;
  const adult = person.age >= 18;
  const bmi = effects.has('obesity')
    ? rng.normal(adult ? 33.5 : 26, 2.5)
    : adult
      ? rng.normal(24.5, 3)
      : rng.normal(17, 1.8);
  const weightKg = clamp(bmi * h * h, 3, 250);
  const systolic = adult
    ? rng.normal(116 + Math.max(0, person.age - 40) * 0.45, 7) + (effects.has('hypertension') ? 22 : 0)
    : rng.normal(100 + person.age, 6);
  const heartRate =
    person.age < 2 ? rng.normal(125, 10) : person.age < 12 ? rng.normal(95, 9) : rng.normal(71, 8);
  return {
    conditions,
    effects,
    baseline: {
      weightKg,
      systolic,
      diastolic: systolic * 0.63 + rng.normal(0, 4),
      heartRate: heartRate + (effects.has('afib') ? 18 : 0),
    },
  };
}

function pickCondition(rng: SeededRandom, profile: ClinicalProfile): Condition {
  if (profile.conditions.length > 0 && rng.chance(0.85)) return rng.pick(profile.conditions);
  return rng.pick(CONDITIONS.filter((c) => !c.chronic && c.minAge === 0));
}

function diagnosis(
  rng: SeededRandom,
  person: SyntheticPerson,
  profile: ClinicalProfile,
  asOf: string,
): PlannedRecord {
  const c = pickCondition(rng, profile);
  const onset = recordDate(rng, person, asOf, c.chronic ? 10 * 365 : 3 * 365);
  const recent = parseIsoDate(asOf) - parseIsoDate(onset) < 21 * DAY_MS;
  const status = c.chronic ? 'active' : recent ? rng.pick(['active', 'suspected'] as const) : 'resolved';
  return {
    type: 'diagnosis',
    title: c.text,
    body: {
      icd10: c.icd10,
      text: c.text,
      status,
      onset,
      notes:
        c.medication === undefined
          ? `${c.chronic ? 'Monitor at routine reviews.' : 'Supportive care; return if symptoms worsen.'}`
          : `Started ${c.medication}.`,
    },
  };
}

const COMPLAINTS: Partial<Record<ConditionEffect, readonly string[]>> = {
  hypertension: ['occasional morning headaches', 'no symptoms; home readings around 145/92'],
  diabetes: ['increased thirst', 'good adherence to metformin, no hypoglycaemia'],
  pneumonia: ['fever and productive cough for four days', 'pleuritic chest pain and breathlessness'],
  copd: ['breathlessness on one flight of stairs', 'winter exacerbation, more sputum'],
  headache: ['throbbing unilateral headaches with photophobia', 'tension-type headaches at work'],
  back_pain: ['low back pain after lifting, no red flags', 'stiffness in the mornings'],
  anemia: ['fatigue and reduced exercise tolerance', 'heavy menstrual bleeding'],
  hypothyroid: ['tiredness, weight gain and cold intolerance'],
  knee_oa: ['right knee pain worse on stairs'],
  cough: ['dry cough for a week, no fever', 'sore throat and runny nose'],
  heart_failure: ['ankle swelling and orthopnoea'],
  afib: ['palpitations on exertion'],
};

function clinicalNote(
  rng: SeededRandom,
  person: SyntheticPerson,
  profile: ClinicalProfile,
  asOf: string,
): PlannedRecord {
  const c = pickCondition(rng, profile);
  const v = vitalsValues(rng, person, profile);
  const complaint =
    c.effect !== undefined && COMPLAINTS[c.effect] !== undefined
      ? rng.pick(COMPLAINTS[c.effect] ?? [])
      : c.chronic
        ? 'feeling generally well'
        : `symptoms for ${rng.between(2, 7)} days`;
  const date = recordDate(rng, person, asOf);
  const plan =
    c.medication === undefined ? 'Lifestyle advice given; routine review.' : `Continue ${c.medication}.`;
  const weeks = rng.pick([2, 4, 6, 12, 26]);
  const text = [
    `Visit ${date}. ${c.chronic ? 'Follow-up for' : 'Seen for'} ${c.text} (${c.icd10}).`,
    `S: Patient reports ${complaint}. Smoking status: ${person.smokingStatus}.`,
    `O: BP ${v.systolic}/${v.diastolic} mmHg, HR ${v.heartRate} bpm, temperature ${v.temperature} °C, weight ${v.weight} kg.`,
    `A: ${c.text}, ${c.chronic ? 'stable' : 'improving'}.`,
    `P: ${plan} Review in ${weeks} weeks.`,
  ].join('\n');
  const medicine = c.medication?.split(' ')[0];
  return {
    type: 'clinical_note',
    title: c.chronic ? `Follow-up: ${c.text}` : `Visit: ${c.text}`,
    body: { text },
    ...(medicine === undefined ? {} : { keywords: [medicine] }),
  };
}

function allergy(rng: SeededRandom, person: SyntheticPerson, asOf: string): PlannedRecord {
  const spec = rng.weighted(ALLERGIES.map((x) => [x, x.weight] as const));
  return {
    type: 'allergy',
    title: `Allergy: ${spec.substance}`,
    body: {
      substance: spec.substance,
      reaction: spec.reaction,
      severity: spec.severity,
      notedAt: recordDate(rng, person, asOf, 15 * 365),
    },
  };
}

function vaccination(rng: SeededRandom, person: SyntheticPerson, asOf: string): PlannedRecord {
  const fitting = VACCINES.filter(
    (v) => person.age >= v.minAge && (v.maxAge === undefined || person.age <= v.maxAge),
  );
  const spec = rng.weighted((fitting.length > 0 ? fitting : VACCINES).map((x) => [x, x.weight] as const));
  const doseNumber = rng.between(1, spec.doses);
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const lot = `${letters[rng.int(letters.length)]}${letters[rng.int(letters.length)]}${rng.between(1000, 9999)}`;
  const site =
    person.age < 2
      ? rng.pick(['Left anterolateral thigh', 'Right anterolateral thigh'])
      : rng.pick(['Left deltoid', 'Right deltoid']);
  return {
    type: 'vaccination',
    title: spec.doses > 1 ? `${spec.vaccine}, dose ${doseNumber}` : spec.vaccine,
    body: { vaccine: spec.vaccine, doseNumber, administeredAt: recordDate(rng, person, asOf), lot, site },
  };
}

/** One visit's vitals from the profile's baselines (within the declared metric bounds). */
function vitalsValues(
  rng: SeededRandom,
  person: SyntheticPerson,
  profile: ClinicalProfile,
): Record<MeasuredVital, number> {
  const b = profile.baseline;
  const fever = profile.effects.has('pneumonia') && rng.chance(0.6);
  const inBounds = (key: MeasuredVital, v: number, decimals: number): number =>
    clamp(round(v, decimals), VITAL_METRICS[key].min, VITAL_METRICS[key].max);
  const systolic = inBounds('systolic', rng.normal(b.systolic, 6), 0);
  const diastolic = Math.min(systolic - 20, inBounds('diastolic', rng.normal(b.diastolic, 4), 0));
  return {
    heartRate: inBounds('heartRate', rng.normal(b.heartRate + (fever ? 16 : 0), 5), 0),
    systolic,
    diastolic: inBounds('diastolic', diastolic, 0),
    weight: inBounds('weight', rng.normal(b.weightKg, Math.max(0.2, b.weightKg * 0.015)), 1),
    temperature: inBounds('temperature', fever ? rng.normal(38.6, 0.4) : rng.normal(36.8, 0.25), 1),
    glucose: inBounds(
      'glucose',
      profile.effects.has('diabetes') ? rng.normal(165, 35) : rng.normal(95, 12),
      0,
    ),
  };
}

function vitals(
  rng: SeededRandom,
  person: SyntheticPerson,
  profile: ClinicalProfile,
  asOf: string,
): PlannedRecord {
  const v = vitalsValues(rng, person, profile);
  const date = recordDate(rng, person, asOf);
  const minutes = rng.between(8 * 60, 17 * 60);
  const measuredAt = `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
  // Not every visit measures everything: glucose mostly for diabetics, weight most of the time.
  const body: RecordBodies['vitals'] = {
    heartRate: v.heartRate,
    systolic: v.systolic,
    diastolic: v.diastolic,
    temperature: v.temperature,
    measuredAt,
  };
  if (rng.chance(0.8)) body.weight = v.weight;
  if (profile.effects.has('diabetes') || rng.chance(0.25)) body.glucose = v.glucose;
  return { type: 'vitals', title: `Vitals ${date}`, body };
}

/** One record of `type` for this person and profile. */
export function syntheticRecord(
  rng: SeededRandom,
  type: WritableRecordType,
  person: SyntheticPerson,
  profile: ClinicalProfile,
  asOf: string,
): PlannedRecord {
  switch (type) {
    case 'lab_result':
      return labResult(rng, person, profile, asOf);
    case 'diagnosis':
      return diagnosis(rng, person, profile, asOf);
    case 'clinical_note':
      return clinicalNote(rng, person, profile, asOf);
    case 'allergy':
      return allergy(rng, person, asOf);
    case 'vaccination':
      return vaccination(rng, person, asOf);
    case 'imaging':
      return imaging(rng, person, profile);
    case 'vitals':
      return vitals(rng, person, profile, asOf);
  }
}

/** A chest X-ray for this profile (the demo hospital and the seeder's forced imaging record). */
export const syntheticChestXray = (rng: SeededRandom, profile: ClinicalProfile): PlannedRecord =>
  chestXray(rng, profile);
