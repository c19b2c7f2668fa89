/** Synthetic laboratory results: values shifted by the patient's conditions, flagged as a lab would. */

import { LAB_PANELS, type AnalyteSpec } from './clinical-catalog.js';
import { type ConditionEffect } from './conditions-catalog.js';
import type { SeededRandom } from './seeded-random.js';
import { type SyntheticPerson } from './synthetic-people.js';

import { recordDate, round, type ClinicalProfile, type PlannedRecord } from './synthetic-basics.js';

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

export function labResult(
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
