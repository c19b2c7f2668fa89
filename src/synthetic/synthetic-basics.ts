import { type Condition, type ConditionEffect } from './conditions-catalog.js';
import type { SeededRandom } from './seeded-random.js';
import { isoDate, parseIsoDate, type SyntheticPerson } from './synthetic-people.js';
import { type ChestXraySpec } from './xray-image.js';
import type { RecordBodies, WritableRecordType } from '../app/records/index.js';

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

export const DAY_MS = 86_400_000;
export const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};
export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** A date within the last three years (not before birth), YYYY-MM-DD. */
export function recordDate(
  rng: SeededRandom,
  person: SyntheticPerson,
  asOf: string,
  maxDaysBack = 3 * 365,
): string {
  const asOfMs = parseIsoDate(asOf);
  const born = parseIsoDate(person.dateOfBirth);
  const span = Math.max(0, Math.min(maxDaysBack, Math.floor((asOfMs - born) / DAY_MS) - 1));
  return isoDate(asOfMs - rng.int(span + 1) * DAY_MS);
}
