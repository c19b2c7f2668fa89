/**
 * The diagnoses of the synthetic hospital: common ICD-10 codes with their texts, who gets them
 * (age, sex, weight) and their effects on generated values. Plausible, not authoritative: this
 * is demo data, not clinical guidance.
 */
import type { Sex } from './synthetic-people.js';

/** Effects a condition has on generated values (labs, vitals, imaging). */
export type ConditionEffect =
  | 'diabetes'
  | 'hypertension'
  | 'lipids'
  | 'ckd'
  | 'anemia'
  | 'hypothyroid'
  | 'obesity'
  | 'pneumonia'
  | 'heart_failure'
  | 'afib'
  | 'gout'
  | 'vitamin_d'
  | 'copd'
  | 'knee_oa'
  | 'ankle_sprain'
  | 'stroke'
  | 'gallstones'
  | 'back_pain'
  | 'osteoporosis'
  | 'headache'
  | 'cough';

export interface Condition {
  readonly icd10: string;
  readonly text: string;
  /** Chronic conditions stay active; acute ones are usually resolved after a few weeks. */
  readonly chronic: boolean;
  readonly minAge: number;
  readonly maxAge?: number;
  readonly sex?: Sex;
  /** Relative frequency among eligible patients. */
  readonly weight: number;
  readonly effect?: ConditionEffect;
  /** A usual treatment, for clinical notes. */
  readonly medication?: string;
}

/** About 40 common ICD-10(-CM) diagnoses. */
export const CONDITIONS: readonly Condition[] = [
  {
    icd10: 'I10',
    text: 'Essential (primary) hypertension',
    chronic: true,
    minAge: 25,
    weight: 30,
    effect: 'hypertension',
    medication: 'lisinopril 10 mg once daily',
  },
  {
    icd10: 'E11.9',
    text: 'Type 2 diabetes mellitus without complications',
    chronic: true,
    minAge: 25,
    weight: 18,
    effect: 'diabetes',
    medication: 'metformin 500 mg twice daily',
  },
  {
    icd10: 'E78.5',
    text: 'Hyperlipidemia, unspecified',
    chronic: true,
    minAge: 25,
    weight: 22,
    effect: 'lipids',
    medication: 'atorvastatin 20 mg at night',
  },
  {
    icd10: 'J45.909',
    text: 'Unspecified asthma, uncomplicated',
    chronic: true,
    minAge: 3,
    weight: 10,
    medication: 'salbutamol inhaler 100 mcg as needed',
  },
  {
    icd10: 'J44.9',
    text: 'Chronic obstructive pulmonary disease, unspecified',
    chronic: true,
    minAge: 45,
    weight: 6,
    effect: 'copd',
    medication: 'tiotropium inhaler 18 mcg once daily',
  },
  {
    icd10: 'J18.9',
    text: 'Pneumonia, unspecified organism',
    chronic: false,
    minAge: 0,
    weight: 6,
    effect: 'pneumonia',
    medication: 'amoxicillin 1 g three times daily for 5 days',
  },
  {
    icd10: 'J06.9',
    text: 'Acute upper respiratory infection, unspecified',
    chronic: false,
    minAge: 0,
    weight: 14,
    effect: 'cough',
    medication: 'paracetamol 500 mg as needed',
  },
  {
    icd10: 'N39.0',
    text: 'Urinary tract infection, site not specified',
    chronic: false,
    minAge: 2,
    weight: 9,
    medication: 'nitrofurantoin 100 mg twice daily for 5 days',
  },
  {
    icd10: 'K21.9',
    text: 'Gastro-esophageal reflux disease without esophagitis',
    chronic: true,
    minAge: 18,
    weight: 12,
    medication: 'omeprazole 20 mg once daily',
  },
  {
    icd10: 'F32.9',
    text: 'Major depressive disorder, single episode, unspecified',
    chronic: true,
    minAge: 14,
    weight: 9,
    medication: 'sertraline 50 mg once daily',
  },
  {
    icd10: 'F41.1',
    text: 'Generalized anxiety disorder',
    chronic: true,
    minAge: 14,
    weight: 8,
    medication: 'sertraline 50 mg once daily',
  },
  {
    icd10: 'M54.5',
    text: 'Low back pain',
    chronic: false,
    minAge: 18,
    weight: 12,
    effect: 'back_pain',
    medication: 'ibuprofen 400 mg three times daily with food',
  },
  {
    icd10: 'M17.11',
    text: 'Unilateral primary osteoarthritis, right knee',
    chronic: true,
    minAge: 45,
    weight: 7,
    effect: 'knee_oa',
    medication: 'paracetamol 1 g up to four times daily',
  },
  {
    icd10: 'E03.9',
    text: 'Hypothyroidism, unspecified',
    chronic: true,
    minAge: 18,
    weight: 7,
    effect: 'hypothyroid',
    medication: 'levothyroxine 50 mcg once daily',
  },
  {
    icd10: 'D50.9',
    text: 'Iron deficiency anemia, unspecified',
    chronic: false,
    minAge: 1,
    weight: 7,
    effect: 'anemia',
    medication: 'ferrous sulfate 325 mg once daily',
  },
  {
    icd10: 'N18.3',
    text: 'Chronic kidney disease, stage 3 (moderate)',
    chronic: true,
    minAge: 50,
    weight: 5,
    effect: 'ckd',
  },
  {
    icd10: 'I48.91',
    text: 'Unspecified atrial fibrillation',
    chronic: true,
    minAge: 55,
    weight: 4,
    effect: 'afib',
    medication: 'apixaban 5 mg twice daily',
  },
  {
    icd10: 'I25.10',
    text: 'Atherosclerotic heart disease of native coronary artery without angina pectoris',
    chronic: true,
    minAge: 50,
    weight: 5,
    medication: 'aspirin 81 mg once daily',
  },
  {
    icd10: 'I50.9',
    text: 'Heart failure, unspecified',
    chronic: true,
    minAge: 60,
    weight: 3,
    effect: 'heart_failure',
    medication: 'furosemide 40 mg once daily',
  },
  { icd10: 'E66.9', text: 'Obesity, unspecified', chronic: true, minAge: 10, weight: 14, effect: 'obesity' },
  {
    icd10: 'G43.909',
    text: 'Migraine, unspecified, not intractable, without status migrainosus',
    chronic: true,
    minAge: 12,
    weight: 7,
    effect: 'headache',
    medication: 'sumatriptan 50 mg as needed',
  },
  {
    icd10: 'R51.9',
    text: 'Headache, unspecified',
    chronic: false,
    minAge: 5,
    weight: 6,
    effect: 'headache',
    medication: 'paracetamol 1 g as needed',
  },
  { icd10: 'G47.33', text: 'Obstructive sleep apnea', chronic: true, minAge: 30, weight: 4 },
  { icd10: 'K58.9', text: 'Irritable bowel syndrome without diarrhea', chronic: true, minAge: 16, weight: 5 },
  {
    icd10: 'L40.0',
    text: 'Psoriasis vulgaris',
    chronic: true,
    minAge: 12,
    weight: 3,
    medication: 'betamethasone cream twice daily',
  },
  {
    icd10: 'L20.9',
    text: 'Atopic dermatitis, unspecified',
    chronic: true,
    minAge: 0,
    weight: 5,
    medication: 'emollient and hydrocortisone 1% cream',
  },
  {
    icd10: 'J30.9',
    text: 'Allergic rhinitis, unspecified',
    chronic: true,
    minAge: 4,
    weight: 10,
    medication: 'cetirizine 10 mg once daily',
  },
  {
    icd10: 'H10.9',
    text: 'Unspecified conjunctivitis',
    chronic: false,
    minAge: 0,
    weight: 4,
    medication: 'chloramphenicol eye drops',
  },
  {
    icd10: 'H66.90',
    text: 'Otitis media, unspecified, unspecified ear',
    chronic: false,
    minAge: 0,
    maxAge: 12,
    weight: 8,
    medication: 'amoxicillin 40 mg/kg/day for 5 days',
  },
  { icd10: 'B34.9', text: 'Viral infection, unspecified', chronic: false, minAge: 0, weight: 7 },
  {
    icd10: 'A09',
    text: 'Infectious gastroenteritis and colitis, unspecified',
    chronic: false,
    minAge: 0,
    weight: 6,
    medication: 'oral rehydration solution',
  },
  {
    icd10: 'R10.9',
    text: 'Unspecified abdominal pain',
    chronic: false,
    minAge: 5,
    weight: 5,
    effect: 'gallstones',
  },
  { icd10: 'R05.9', text: 'Cough, unspecified', chronic: false, minAge: 0, weight: 6, effect: 'cough' },
  {
    icd10: 'M81.0',
    text: 'Age-related osteoporosis without current pathological fracture',
    chronic: true,
    minAge: 55,
    weight: 4,
    effect: 'osteoporosis',
    medication: 'alendronate 70 mg once weekly',
  },
  {
    icd10: 'M10.9',
    text: 'Gout, unspecified',
    chronic: true,
    minAge: 30,
    weight: 3,
    effect: 'gout',
    medication: 'allopurinol 100 mg once daily',
  },
  {
    icd10: 'E55.9',
    text: 'Vitamin D deficiency, unspecified',
    chronic: false,
    minAge: 1,
    weight: 8,
    effect: 'vitamin_d',
    medication: 'cholecalciferol 1000 IU once daily',
  },
  {
    icd10: 'F17.210',
    text: 'Nicotine dependence, cigarettes, uncomplicated',
    chronic: true,
    minAge: 15,
    weight: 0,
    medication: 'nicotine patch 21 mg daily',
  },
  {
    icd10: 'S93.401A',
    text: 'Sprain of unspecified ligament of right ankle, initial encounter',
    chronic: false,
    minAge: 6,
    weight: 4,
    effect: 'ankle_sprain',
    medication: 'ibuprofen 400 mg three times daily with food',
  },
  {
    icd10: 'I63.9',
    text: 'Cerebral infarction, unspecified',
    chronic: true,
    minAge: 55,
    weight: 1,
    effect: 'stroke',
    medication: 'clopidogrel 75 mg once daily',
  },
  {
    icd10: 'K80.20',
    text: 'Calculus of gallbladder without cholecystitis without obstruction',
    chronic: false,
    minAge: 25,
    weight: 3,
    effect: 'gallstones',
  },
  {
    icd10: 'N40.0',
    text: 'Benign prostatic hyperplasia without lower urinary tract symptoms',
    chronic: true,
    minAge: 50,
    sex: 'male',
    weight: 6,
    medication: 'tamsulosin 0.4 mg once daily',
  },
  {
    icd10: 'E28.2',
    text: 'Polycystic ovarian syndrome',
    chronic: true,
    minAge: 15,
    maxAge: 50,
    sex: 'female',
    weight: 4,
  },
];

/** The diagnosis every current smoker carries (its weight 0 keeps it out of random draws). */
export const NICOTINE_DEPENDENCE = CONDITIONS.find((c) => c.icd10 === 'F17.210') as Condition;
