/**
 * The record forms' fields per type and their checks, mirroring the server's body schemas so a
 * doctor hears about a mistake next to the field before anything is sent. The server checks
 * everything again; its answer is what counts.
 *
 * Vitals bounds come from the server's own table (src/app/records/vital-metrics.ts, a pure
 * module with no imports), so the form and the server can never disagree on them.
 */
import { MEASURED_VITALS, VITAL_METRICS } from '../../../../src/contract/vocabulary/vital-metrics.js';
import { RECORD_TEXT_LIMITS as L } from '../../../../src/contract/vocabulary/record-fields.js';
import type { WritableType } from './record-types.js';

export type FieldKind = 'text' | 'textarea' | 'number' | 'date' | 'datetime' | 'select';

export interface FieldSpec {
  /** Key in the record body. */
  readonly name: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly maxLength?: number;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly min?: number;
  readonly max?: number;
  /** Allowed precision: 1 for integers, 0.1 for one decimal. */
  readonly step?: number;
  readonly unit?: string;
  readonly hint?: string;
  /** Single-line fields that sit side by side. */
  readonly short?: boolean;
}

export {
  MAX_KEYWORD_LENGTH as KEYWORD_MAX_LENGTH,
  MAX_KEYWORDS as KEYWORDS_MAX,
  MAX_TITLE_LENGTH as TITLE_MAX,
} from '../../../../src/contract/vocabulary/records.js';
export { MAX_ANALYTES as ANALYTES_MAX } from '../../../../src/contract/vocabulary/record-fields.js';
export const NOTE_MAX = L.clinicalNote;

/** ICD-10 code, e.g. E11.9 (no U codes: those are reserved). */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

export const ANALYTE_FLAGS = ['low', 'normal', 'high', 'critical'] as const;
export const DIAGNOSIS_STATUSES = ['active', 'resolved', 'suspected'] as const;
export const SEVERITIES = ['mild', 'moderate', 'severe', 'life-threatening'] as const;
export const MODALITIES = ['X-ray', 'CT', 'MRI', 'Ultrasound', 'Mammography', 'PET', 'Other'] as const;

const options = (values: readonly string[]): FieldSpec['options'] =>
  values.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }));

const vitalField = (key: (typeof MEASURED_VITALS)[number]): FieldSpec => {
  const metric = VITAL_METRICS[key];
  return {
    name: key,
    label: `${metric.label} (${metric.unit})`,
    kind: 'number',
    min: metric.min,
    max: metric.max,
    step: 1 / metric.scale,
    unit: metric.unit,
    short: true,
  };
};

/** The fields of each type's body, in form order (lab analytes have their own editor). */
export const FIELDS: Readonly<Record<WritableType, readonly FieldSpec[]>> = {
  lab_result: [
    {
      name: 'panel',
      label: 'Panel',
      kind: 'text',
      required: true,
      maxLength: L.labPanel,
      short: true,
      hint: 'e.g. Complete blood count',
    },
    { name: 'collectedAt', label: 'Collected on (optional)', kind: 'date', short: true },
    { name: 'notes', label: 'Notes (optional)', kind: 'textarea', maxLength: L.notes },
  ],
  diagnosis: [
    {
      name: 'icd10',
      label: 'ICD-10 code',
      kind: 'text',
      required: true,
      maxLength: 8,
      short: true,
      hint: 'e.g. E11.9',
    },
    {
      name: 'text',
      label: 'Diagnosis',
      kind: 'text',
      required: true,
      maxLength: L.diagnosisText,
      short: true,
      hint: 'e.g. Type 2 diabetes mellitus',
    },
    {
      name: 'status',
      label: 'Status (optional)',
      kind: 'select',
      options: options(DIAGNOSIS_STATUSES),
      short: true,
    },
    { name: 'onset', label: 'Onset (optional)', kind: 'date', short: true },
    { name: 'notes', label: 'Notes (optional)', kind: 'textarea', maxLength: L.notes },
  ],
  clinical_note: [
    { name: 'text', label: 'Note', kind: 'textarea', required: true, maxLength: L.clinicalNote },
  ],
  allergy: [
    {
      name: 'substance',
      label: 'Substance',
      kind: 'text',
      required: true,
      maxLength: L.substance,
      short: true,
      hint: 'e.g. Penicillin',
    },
    {
      name: 'severity',
      label: 'Severity',
      kind: 'select',
      required: true,
      options: options(SEVERITIES),
      short: true,
    },
    { name: 'reaction', label: 'Reaction (optional)', kind: 'text', maxLength: L.reaction, short: true },
    { name: 'notedAt', label: 'Noted on (optional)', kind: 'date', short: true },
  ],
  vaccination: [
    { name: 'vaccine', label: 'Vaccine', kind: 'text', required: true, maxLength: L.vaccine, short: true },
    { name: 'administeredAt', label: 'Given on', kind: 'date', required: true, short: true },
    {
      name: 'doseNumber',
      label: 'Dose number (optional)',
      kind: 'number',
      min: 1,
      max: 10,
      step: 1,
      short: true,
    },
    { name: 'lot', label: 'Lot (optional)', kind: 'text', maxLength: L.lot, short: true },
    {
      name: 'site',
      label: 'Site (optional)',
      kind: 'text',
      maxLength: L.site,
      short: true,
      hint: 'e.g. Left deltoid',
    },
  ],
  imaging: [
    {
      name: 'modality',
      label: 'Modality',
      kind: 'select',
      required: true,
      options: MODALITIES.map((value) => ({ value, label: value })),
      short: true,
    },
    {
      name: 'bodyPart',
      label: 'Body part',
      kind: 'text',
      required: true,
      maxLength: L.bodyPart,
      short: true,
      hint: 'e.g. Chest',
    },
    { name: 'findings', label: 'Findings', kind: 'textarea', required: true, maxLength: L.findings },
    { name: 'impression', label: 'Impression', kind: 'textarea', required: true, maxLength: L.impression },
  ],
  vitals: [
    ...MEASURED_VITALS.map(vitalField),
    { name: 'measuredAt', label: 'Measured (optional)', kind: 'datetime', short: true },
  ],
};
