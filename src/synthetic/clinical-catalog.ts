/**
 * The rest of the synthetic hospital's clinical vocabulary: lab analytes with units and adult
 * reference ranges, allergies and vaccines (diagnoses: conditions-catalog.ts). Plausible, not
 * authoritative: this is demo data, not clinical guidance.
 */
import type { ConditionEffect } from './conditions-catalog.js';
import type { Sex } from './synthetic-people.js';

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
