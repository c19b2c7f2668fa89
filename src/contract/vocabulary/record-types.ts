/**
 * The kinds of record a patient has (DESIGN.md), prescriptions included: what a list is grouped
 * by and what a grant may be limited to. No dependencies, so the browser bundle and the console
 * import this very list instead of a copy.
 */
export const RECORD_TYPES = [
  'lab_result',
  'diagnosis',
  'clinical_note',
  'allergy',
  'vaccination',
  'imaging',
  'vitals',
  'prescription',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const isRecordType = (value: unknown): value is RecordType =>
  typeof value === 'string' && (RECORD_TYPES as readonly string[]).includes(value);

/** The types a doctor writes through the records routes (prescriptions are signed instead). */
export type WritableRecordType = Exclude<RecordType, 'prescription'>;
export const WRITABLE_RECORD_TYPES: readonly WritableRecordType[] = RECORD_TYPES.filter(
  (t): t is WritableRecordType => t !== 'prescription',
);
