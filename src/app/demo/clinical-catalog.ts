/**
 * The clinical vocabulary of the synthetic hospital: common ICD-10 diagnoses with their texts and
 * typical medications, lab analytes with units and adult reference ranges, allergies and
 * vaccines. Plausible, not authoritative: this is demo data, not clinical guidance.
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

export interface AnalyteSpec {
  readonly name: string;
  readonly unit: string;
  readonly low?: number;
  readonly high?: number;
  /** Beyond these the result is critical (a call to the doctor). */
  readonly critLow?: number;
  readonly critHigh?: number;
  /** Healthy population mean and spread. */
  readonly mean: number;
  readonly sd: number;
  readonly decimals: number;
}

export interface LabPanel {
  readonly panel: string;
  readonly title: string;
  readonly analytes: (sex: Sex) => readonly AnalyteSpec[];
  /** Conditions that make the panel likely to be ordered. */
  readonly orderedFor: readonly ConditionEffect[];
}

const a = (
  name: string,
  unit: string,
  low: number | undefined,
  high: number | undefined,
  mean: number,
  sd: number,
  decimals: number,
  crit: { critLow?: number; critHigh?: number } = {},
): AnalyteSpec => ({
  name,
  unit,
  ...(low === undefined ? {} : { low }),
  ...(high === undefined ? {} : { high }),
  mean,
  sd,
  decimals,
  ...crit,
});

export const LAB_PANELS: readonly LabPanel[] = [
  {
    panel: 'Complete blood count',
    title: 'Complete blood count (CBC)',
    orderedFor: ['anemia', 'pneumonia'],
    analytes: (sex) => [
      sex === 'female'
        ? a('Haemoglobin', 'g/dL', 12.0, 15.5, 13.6, 0.8, 1, { critLow: 7 })
        : a('Haemoglobin', 'g/dL', 13.5, 17.5, 15.2, 0.9, 1, { critLow: 7 }),
      sex === 'female'
        ? a('Haematocrit', '%', 36, 46, 41, 2.4, 1)
        : a('Haematocrit', '%', 41, 53, 46, 2.6, 1),
      a('White blood cells', '10^9/L', 4.0, 11.0, 6.8, 1.5, 1, { critLow: 1.5, critHigh: 30 }),
      a('Platelets', '10^9/L', 150, 400, 260, 55, 0, { critLow: 50, critHigh: 1000 }),
      a('Mean corpuscular volume', 'fL', 80, 100, 90, 4, 1),
    ],
  },
  {
    panel: 'Basic metabolic panel',
    title: 'Basic metabolic panel (BMP)',
    orderedFor: ['diabetes', 'ckd', 'hypertension', 'heart_failure'],
    analytes: (sex) => [
      a('Sodium', 'mmol/L', 135, 145, 140, 2, 0, { critLow: 120, critHigh: 160 }),
      a('Potassium', 'mmol/L', 3.5, 5.1, 4.2, 0.3, 1, { critLow: 2.5, critHigh: 6.5 }),
      a('Chloride', 'mmol/L', 98, 107, 102, 2, 0),
      a('Bicarbonate', 'mmol/L', 22, 29, 25, 1.6, 0),
      a('Urea nitrogen', 'mg/dL', 7, 20, 13, 3, 0),
      sex === 'female'
        ? a('Creatinine', 'mg/dL', 0.5, 1.1, 0.75, 0.12, 2)
        : a('Creatinine', 'mg/dL', 0.7, 1.3, 0.95, 0.14, 2),
      a('Glucose, fasting', 'mg/dL', 70, 99, 88, 7, 0, { critLow: 40, critHigh: 400 }),
      a('Calcium', 'mg/dL', 8.6, 10.3, 9.5, 0.35, 1, { critLow: 6.5, critHigh: 13 }),
      a('eGFR', 'mL/min/1.73m2', 90, undefined, 100, 10, 0),
    ],
  },
  {
    panel: 'Lipid panel',
    title: 'Lipid panel',
    orderedFor: ['lipids', 'diabetes', 'hypertension'],
    analytes: (sex) => [
      a('Total cholesterol', 'mg/dL', undefined, 200, 180, 22, 0),
      a('LDL cholesterol', 'mg/dL', undefined, 100, 98, 20, 0),
      sex === 'female'
        ? a('HDL cholesterol', 'mg/dL', 50, undefined, 62, 11, 0)
        : a('HDL cholesterol', 'mg/dL', 40, undefined, 50, 9, 0),
      a('Triglycerides', 'mg/dL', undefined, 150, 110, 30, 0),
    ],
  },
  {
    panel: 'Haemoglobin A1c',
    title: 'HbA1c',
    orderedFor: ['diabetes', 'obesity'],
    analytes: () => [a('Haemoglobin A1c', '%', 4.0, 5.6, 5.2, 0.25, 1)],
  },
  {
    panel: 'Thyroid function',
    title: 'Thyroid function tests',
    orderedFor: ['hypothyroid'],
    analytes: () => [
      a('Thyroid-stimulating hormone', 'mIU/L', 0.4, 4.0, 1.8, 0.7, 2),
      a('Free thyroxine (T4)', 'ng/dL', 0.8, 1.8, 1.25, 0.18, 2),
    ],
  },
  {
    panel: 'Liver function',
    title: 'Liver function tests',
    orderedFor: ['gallstones'],
    analytes: () => [
      a('Alanine aminotransferase (ALT)', 'U/L', 7, 56, 24, 9, 0),
      a('Aspartate aminotransferase (AST)', 'U/L', 10, 40, 22, 6, 0),
      a('Alkaline phosphatase', 'U/L', 44, 147, 80, 20, 0),
      a('Bilirubin, total', 'mg/dL', 0.1, 1.2, 0.6, 0.2, 1),
      a('Albumin', 'g/dL', 3.5, 5.0, 4.3, 0.3, 1),
    ],
  },
  {
    panel: 'Iron studies',
    title: 'Iron studies',
    orderedFor: ['anemia'],
    analytes: (sex) => [
      sex === 'female'
        ? a('Ferritin', 'ng/mL', 12, 150, 60, 28, 0)
        : a('Ferritin', 'ng/mL', 24, 336, 120, 50, 0),
      a('Serum iron', 'ug/dL', 60, 170, 105, 22, 0),
      a('Transferrin saturation', '%', 20, 50, 32, 7, 0),
    ],
  },
  {
    panel: 'Vitamin D, 25-hydroxy',
    title: 'Vitamin D level',
    orderedFor: ['vitamin_d', 'osteoporosis'],
    analytes: () => [a('25-hydroxyvitamin D', 'ng/mL', 30, 100, 38, 9, 0)],
  },
  {
    panel: 'Uric acid',
    title: 'Serum uric acid',
    orderedFor: ['gout'],
    analytes: (sex) => [
      sex === 'female'
        ? a('Uric acid', 'mg/dL', 2.6, 6.0, 4.5, 0.8, 1)
        : a('Uric acid', 'mg/dL', 3.5, 7.2, 5.5, 0.9, 1),
    ],
  },
];

export interface AllergySpec {
  readonly substance: string;
  readonly reaction: string;
  readonly severity: 'mild' | 'moderate' | 'severe' | 'life-threatening';
  readonly weight: number;
}

export const ALLERGIES: readonly AllergySpec[] = [
  { substance: 'Penicillin', reaction: 'Urticaria', severity: 'moderate', weight: 20 },
  { substance: 'Amoxicillin', reaction: 'Maculopapular rash', severity: 'mild', weight: 8 },
  { substance: 'Sulfonamide antibiotics', reaction: 'Rash and fever', severity: 'moderate', weight: 7 },
  { substance: 'Peanut', reaction: 'Anaphylaxis', severity: 'life-threatening', weight: 6 },
  { substance: 'Tree nuts', reaction: 'Lip and tongue swelling', severity: 'severe', weight: 4 },
  { substance: 'Shellfish', reaction: 'Angioedema', severity: 'severe', weight: 5 },
  { substance: 'Latex', reaction: 'Contact dermatitis', severity: 'mild', weight: 4 },
  { substance: 'Aspirin', reaction: 'Bronchospasm', severity: 'moderate', weight: 4 },
  { substance: 'Ibuprofen', reaction: 'Urticaria', severity: 'mild', weight: 4 },
  { substance: 'Codeine', reaction: 'Nausea and vomiting', severity: 'mild', weight: 5 },
  { substance: 'Egg', reaction: 'Hives', severity: 'moderate', weight: 3 },
  { substance: 'Bee venom', reaction: 'Anaphylaxis', severity: 'life-threatening', weight: 2 },
  { substance: 'Iodinated contrast media', reaction: 'Hives and itching', severity: 'moderate', weight: 3 },
  { substance: 'Cat dander', reaction: 'Rhinitis and watery eyes', severity: 'mild', weight: 5 },
  { substance: 'Grass pollen', reaction: 'Seasonal rhinitis', severity: 'mild', weight: 6 },
  { substance: 'House dust mite', reaction: 'Wheeze and rhinitis', severity: 'mild', weight: 5 },
];

export interface VaccineSpec {
  readonly vaccine: string;
  readonly minAge: number;
  readonly maxAge?: number;
  readonly doses: number;
  readonly weight: number;
}

export const VACCINES: readonly VaccineSpec[] = [
  { vaccine: 'Influenza, quadrivalent (seasonal)', minAge: 1, doses: 1, weight: 30 },
  { vaccine: 'COVID-19 mRNA', minAge: 5, doses: 4, weight: 18 },
  { vaccine: 'Tetanus, diphtheria and acellular pertussis (Tdap)', minAge: 11, doses: 1, weight: 10 },
  { vaccine: 'Hepatitis B', minAge: 0, doses: 3, weight: 8 },
  { vaccine: 'Measles, mumps and rubella (MMR)', minAge: 1, maxAge: 12, doses: 2, weight: 8 },
  { vaccine: 'Varicella', minAge: 1, maxAge: 12, doses: 2, weight: 5 },
  { vaccine: 'Pneumococcal conjugate (PCV20)', minAge: 65, doses: 1, weight: 10 },
  { vaccine: 'Recombinant zoster (shingles)', minAge: 50, doses: 2, weight: 8 },
  { vaccine: 'Human papillomavirus (9-valent)', minAge: 9, maxAge: 26, doses: 2, weight: 6 },
];
