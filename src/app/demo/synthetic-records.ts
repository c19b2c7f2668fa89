/**
 * Synthetic medical records of every writable type, consistent with the patient they belong to:
 * a clinical profile (conditions drawn by age and sex, a baseline weight and blood pressure)
 * shapes the lab values and their flags, the vitals, the imaging findings and the notes.
 * All randomness comes from a {@link SeededRandom}.
 */
import type { RecordBodies, WritableRecordType } from '../records/record-types.js';
import { VITAL_METRICS, type MeasuredVital } from '../records/vital-metrics.js';
import {
  ALLERGIES,
  CONDITIONS,
  LAB_PANELS,
  NICOTINE_DEPENDENCE,
  VACCINES,
  type AnalyteSpec,
  type Condition,
  type ConditionEffect,
} from './clinical-catalog.js';
import type { SeededRandom } from './seeded-random.js';
import { isoDate, parseIsoDate, type SyntheticPerson } from './synthetic-people.js';
import { LUNG_ZONES, type ChestXraySpec } from './xray-image.js';

/** What a patient is like clinically: their conditions and baseline measurements. */
export interface ClinicalProfile {
  readonly conditions: readonly Condition[];
  readonly effects: ReadonlySet<ConditionEffect>;
  readonly baseline: {
    readonly weightKg: number;
    readonly systolic: number;
    readonly diastolic: number;
    readonly heartRate: number;
  };
}

/** A record ready for the records service, plus the image an imaging study carries, if any. */
export type PlannedRecord = {
  [K in WritableRecordType]: {
    readonly type: K;
    readonly title: string;
    readonly body: RecordBodies[K];
    readonly keywords?: readonly string[];
    /** Chest radiograph findings to draw (imaging records that are chest X-rays). */
    readonly image?: ChestXraySpec;
  };
}[WritableRecordType];

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

const DAY_MS = 86_400_000;
const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

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

/** A date within the last three years (not before birth), YYYY-MM-DD. */
function recordDate(rng: SeededRandom, person: SyntheticPerson, asOf: string, maxDaysBack = 3 * 365): string {
  const asOfMs = parseIsoDate(asOf);
  const born = parseIsoDate(person.dateOfBirth);
  const span = Math.max(0, Math.min(maxDaysBack, Math.floor((asOfMs - born) / DAY_MS) - 1));
  return isoDate(asOfMs - rng.int(span + 1) * DAY_MS);
}

/** An analyte's value for this profile: the healthy distribution shifted by conditions. */
function analyteValue(rng: SeededRandom, spec: AnalyteSpec, fx: ReadonlySet<ConditionEffect>): number {
  let v = rng.normal(spec.mean, spec.sd);
  const has = (e: ConditionEffect): boolean => fx.has(e);
  switch (spec.name) {
    case 'Glucose, fasting':
      if (has('diabetes')) v = rng.normal(148, 32);
      break;
    case 'Haemoglobin A1c':
      if (has('diabetes')) v = rng.normal(7.6, 0.9);
      else if (has('obesity')) v += 0.3;
      break;
    case 'LDL cholesterol':
      if (has('lipids')) v = rng.normal(168, 25);
      break;
    case 'Total cholesterol':
      if (has('lipids')) v = rng.normal(252, 25);
      break;
    case 'Triglycerides':
      if (has('lipids') || has('diabetes')) v = rng.normal(205, 45);
      break;
    case 'Creatinine':
      if (has('ckd')) v = rng.normal(1.75, 0.25);
      break;
    case 'eGFR':
      if (has('ckd')) v = rng.normal(44, 7);
      break;
    case 'Urea nitrogen':
      if (has('ckd') || has('heart_failure')) v = rng.normal(31, 6);
      break;
    case 'Potassium':
      if (has('ckd')) v += 0.5;
      break;
    case 'Haemoglobin':
      if (has('anemia')) v = rng.normal(9.6, 0.9);
      break;
    case 'Haematocrit':
      if (has('anemia')) v = rng.normal(30, 2.5);
      break;
    case 'Mean corpuscular volume':
      if (has('anemia')) v = rng.normal(73, 4);
      break;
    case 'Ferritin':
      if (has('anemia')) v = rng.normal(7, 2.5);
      break;
    case 'Serum iron':
      if (has('anemia')) v = rng.normal(38, 9);
      break;
    case 'Transferrin saturation':
      if (has('anemia')) v = rng.normal(11, 3);
      break;
    case 'White blood cells':
      if (has('pneumonia')) v = rng.normal(15.5, 2.8);
      break;
    case 'Thyroid-stimulating hormone':
      if (has('hypothyroid')) v = rng.normal(8.5, 2.2);
      break;
    case 'Free thyroxine (T4)':
      if (has('hypothyroid')) v = rng.normal(0.7, 0.1);
      break;
    case '25-hydroxyvitamin D':
      if (has('vitamin_d')) v = rng.normal(15, 4);
      break;
    case 'Uric acid':
      if (has('gout')) v = rng.normal(8.6, 0.9);
      break;
    case 'Alkaline phosphatase':
      if (has('gallstones')) v = rng.normal(170, 25);
      break;
  }
  return Math.max(spec.decimals === 0 ? 1 : 10 ** -spec.decimals, round(v, spec.decimals));
}

type Flag = 'low' | 'normal' | 'high' | 'critical';
/** The flag a laboratory would print beside the value. */
export function flagFor(spec: AnalyteSpec, value: number): Flag {
  if (
    (spec.critLow !== undefined && value < spec.critLow) ||
    (spec.critHigh !== undefined && value > spec.critHigh)
  )
    return 'critical';
  if (spec.low !== undefined && value < spec.low) return 'low';
  if (spec.high !== undefined && value > spec.high) return 'high';
  return 'normal';
}

function labResult(
  rng: SeededRandom,
  person: SyntheticPerson,
  profile: ClinicalProfile,
  asOf: string,
): PlannedRecord {
  const panel = rng.weighted(
    LAB_PANELS.map((p) => [p, 1 + 6 * p.orderedFor.filter((e) => profile.effects.has(e)).length] as const),
  );
  const analytes = panel.analytes(person.sex).map((spec) => {
    const value = analyteValue(rng, spec, profile.effects);
    return {
      name: spec.name,
      value,
      unit: spec.unit,
      ...(spec.low === undefined ? {} : { referenceLow: spec.low }),
      ...(spec.high === undefined ? {} : { referenceHigh: spec.high }),
      flag: flagFor(spec, value),
    };
  });
  const abnormal = analytes.filter((x) => x.flag !== 'normal').map((x) => `${x.name} ${x.flag}`);
  return {
    type: 'lab_result',
    title: panel.title,
    body: {
      panel: panel.panel,
      collectedAt: recordDate(rng, person, asOf),
      analytes,
      notes:
        abnormal.length === 0
          ? 'All results within reference ranges.'
          : `Abnormal: ${abnormal.join('; ')}. ${abnormal.some((x) => x.endsWith('critical')) ? 'Critical value phoned to the requesting doctor.' : 'Reviewed by the requesting doctor.'}`,
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

const CLEAR_CHEST = {
  findings:
    'PA view. Lungs are clear. No focal consolidation, pleural effusion or pneumothorax. Cardiomediastinal silhouette within normal limits. No acute bony abnormality.',
  impression: 'No acute cardiopulmonary abnormality.',
};

/** Chest radiograph text and the matching image for this profile. */
function chestXray(rng: SeededRandom, profile: ClinicalProfile): PlannedRecord {
  const fx = profile.effects;
  const cardiomegaly = fx.has('heart_failure');
  const hyperinflation = fx.has('copd');
  const consolidation = fx.has('pneumonia') ? rng.pick(LUNG_ZONES) : undefined;
  const parts: string[] = ['PA view.'];
  const impressions: string[] = [];
  if (consolidation !== undefined) {
    const zone = consolidation.replace('-', ' ');
    parts.push(`Patchy airspace opacity in the ${zone} zone with air bronchograms.`);
    impressions.push(`Consolidation in the ${zone} zone, consistent with pneumonia in the clinical context.`);
  }
  if (hyperinflation) {
    parts.push('Hyperinflated lungs with flattened hemidiaphragms.');
    impressions.push('Changes of chronic obstructive pulmonary disease.');
  }
  if (cardiomegaly) {
    parts.push('Cardiothoracic ratio about 0.58; upper lobe venous diversion.');
    impressions.push('Cardiomegaly with pulmonary venous congestion.');
  }
  const normal = parts.length === 1;
  const body = normal
    ? CLEAR_CHEST
    : { findings: `${parts.join(' ')} No pneumothorax.`, impression: impressions.join(' ') };
  return {
    type: 'imaging',
    title: 'Chest X-ray (PA)',
    body: { modality: 'X-ray', bodyPart: 'Chest', ...body },
    image: { ...(consolidation === undefined ? {} : { consolidation }), cardiomegaly, hyperinflation },
  };
}

function imaging(rng: SeededRandom, person: SyntheticPerson, profile: ClinicalProfile): PlannedRecord {
  const fx = profile.effects;
  const study = (
    modality: RecordBodies['imaging']['modality'],
    bodyPart: string,
    findings: string,
    impression: string,
  ): PlannedRecord => ({
    type: 'imaging',
    title: `${modality} ${bodyPart.toLowerCase()}`,
    body: { modality, bodyPart, findings, impression },
  });
  const options: Array<readonly [() => PlannedRecord, number]> = [[() => chestXray(rng, profile), 5]];
  if (fx.has('pneumonia') || fx.has('copd') || fx.has('heart_failure') || fx.has('cough'))
    options.push([() => chestXray(rng, profile), 20]);
  if (fx.has('knee_oa'))
    options.push([
      () =>
        study(
          'X-ray',
          'Right knee',
          'Medial joint space narrowing with marginal osteophytes and subchondral sclerosis. No fracture.',
          'Moderate primary osteoarthritis of the right knee.',
        ),
      20,
    ]);
  if (fx.has('ankle_sprain'))
    options.push([
      () =>
        study(
          'X-ray',
          'Right ankle',
          'Lateral soft tissue swelling. Ankle mortise congruent. No fracture.',
          'Soft tissue injury; no fracture.',
        ),
      20,
    ]);
  if (fx.has('back_pain'))
    options.push([
      () =>
        study(
          'MRI',
          'Lumbar spine',
          'Mild disc desiccation at L4-L5 with a small central protrusion, no nerve root compression.',
          'Mild degenerative disc disease at L4-L5.',
        ),
      12,
    ]);
  if (fx.has('headache') || fx.has('stroke'))
    options.push([
      () =>
        fx.has('stroke')
          ? study(
              'CT',
              'Head',
              'Established low attenuation in the left MCA territory. No haemorrhage.',
              'Chronic left MCA territory infarct.',
            )
          : study(
              'CT',
              'Head',
              'No intracranial haemorrhage, mass or midline shift. Ventricles normal in size.',
              'Normal non-contrast CT of the head.',
            ),
      12,
    ]);
  if (fx.has('gallstones'))
    options.push([
      () =>
        study(
          'Ultrasound',
          'Abdomen',
          'Multiple mobile echogenic foci with acoustic shadowing in the gallbladder. Wall not thickened. CBD 4 mm.',
          'Cholelithiasis without cholecystitis.',
        ),
      20,
    ]);
  if (fx.has('osteoporosis'))
    options.push([
      () =>
        study(
          'Other',
          'Hip and lumbar spine (DXA)',
          'Lumbar spine T-score -2.8; left femoral neck T-score -2.6.',
          'Osteoporosis.',
        ),
      15,
    ]);
  if (person.sex === 'female' && person.age >= 40)
    options.push([
      () =>
        study(
          'Mammography',
          'Both breasts',
          'Scattered fibroglandular densities. No suspicious mass, calcification or architectural distortion.',
          'BI-RADS 1: negative.',
        ),
      6,
    ]);
  return rng.weighted(options)();
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
