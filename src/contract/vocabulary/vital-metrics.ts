/**
 * The numeric vitals MedVault records and aggregates, each declared in advance with its unit,
 * fixed-point scale and bounds. The same table validates a vitals record on entry (out of
 * bounds: 400), encodes values as integers for Paillier (value × scale), and gives differential
 * privacy its sensitivity: bounds are never derived from the data.
 */
export interface VitalMetric {
  /** Field name in a vitals record body and in analytics queries. */
  readonly key: VitalKey;
  readonly label: string;
  readonly unit: string;
  /** Stored integer = round(value × scale); scale 10 keeps one decimal. */
  readonly scale: number;
  readonly min: number;
  readonly max: number;
}

export const VITAL_KEYS = [
  'age',
  'heartRate',
  'systolic',
  'diastolic',
  'weight',
  'temperature',
  'glucose',
] as const;
export type VitalKey = (typeof VITAL_KEYS)[number];

export const VITAL_METRICS: Readonly<Record<VitalKey, VitalMetric>> = {
  age: { key: 'age', label: 'Age', unit: 'years', scale: 1, min: 0, max: 130 },
  heartRate: { key: 'heartRate', label: 'Heart rate', unit: 'bpm', scale: 1, min: 20, max: 250 },
  systolic: { key: 'systolic', label: 'Systolic blood pressure', unit: 'mmHg', scale: 1, min: 50, max: 300 },
  diastolic: {
    key: 'diastolic',
    label: 'Diastolic blood pressure',
    unit: 'mmHg',
    scale: 1,
    min: 20,
    max: 200,
  },
  weight: { key: 'weight', label: 'Weight', unit: 'kg', scale: 10, min: 0.5, max: 400 },
  temperature: { key: 'temperature', label: 'Body temperature', unit: '°C', scale: 10, min: 25, max: 45 },
  glucose: { key: 'glucose', label: 'Blood glucose', unit: 'mg/dL', scale: 1, min: 10, max: 1000 },
};

/** Vitals measured at a visit (age is derived from the date of birth, never entered). */
export const MEASURED_VITALS = [
  'heartRate',
  'systolic',
  'diastolic',
  'weight',
  'temperature',
  'glucose',
] as const;
export type MeasuredVital = (typeof MEASURED_VITALS)[number];

/** The fixed-point integer of a value, or null when it is outside the metric's bounds or grid. */
export function encodeVital(metric: VitalMetric, value: number): number | null {
  if (!Number.isFinite(value) || value < metric.min || value > metric.max) return null;
  const scaled = Math.round(value * metric.scale);
  // More precision than the scale keeps (72.35 kg) is refused rather than silently rounded.
  if (Math.abs(scaled - value * metric.scale) > 1e-6) return null;
  return scaled;
}

/** The value of a fixed-point integer. */
export const decodeVital = (metric: VitalMetric, scaled: number): number => scaled / metric.scale;
