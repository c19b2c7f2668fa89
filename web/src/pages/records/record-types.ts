/** Names of record types as people read them; the server's type ids stay in the data. */
import type { WritableRecordType } from '../../../../src/contract/vocabulary/record-types.js';
import { isRecordType, RECORD_TYPE_LABELS, RECORD_TYPES, type RecordType } from '../../api/grants.js';

export { isRecordType, RECORD_TYPES, type RecordType };

/** The types a doctor writes here (prescriptions are signed on their own page). */
export const WRITABLE_TYPES = [
  'diagnosis',
  'lab_result',
  'imaging',
  'vitals',
  'allergy',
  'vaccination',
  'clinical_note',
] as const satisfies readonly WritableRecordType[];
export type WritableType = (typeof WRITABLE_TYPES)[number];
/** Every type the server writes is offered (in this order): a new one fails to compile here. */
const EVERY_WRITABLE_TYPE: [Exclude<WritableRecordType, WritableType>] extends [never] ? true : never = true;
void EVERY_WRITABLE_TYPE;

export function isWritableType(value: unknown): value is WritableType {
  return typeof value === 'string' && (WRITABLE_TYPES as readonly string[]).includes(value);
}

const SINGULAR: Readonly<Record<RecordType, string>> = {
  lab_result: 'Lab result',
  diagnosis: 'Diagnosis',
  clinical_note: 'Clinical note',
  allergy: 'Allergy',
  vaccination: 'Vaccination',
  imaging: 'Imaging study',
  vitals: 'Vitals',
  prescription: 'Prescription',
};

/** "Lab result"; an unknown type is shown as sent, made readable. */
export function typeLabel(type: string): string {
  return isRecordType(type) ? SINGULAR[type] : type.replace(/_/g, ' ');
}

/** "Lab results" (section headings). */
export function typePluralLabel(type: string): string {
  return isRecordType(type) ? RECORD_TYPE_LABELS[type] : type.replace(/_/g, ' ');
}

/** Known types first in their usual order, then any others the server sent. */
export function typeOrder(types: Iterable<string>): string[] {
  const present = new Set(types);
  const known = RECORD_TYPES.filter((type) => present.has(type));
  const others = [...present].filter((type) => !isRecordType(type)).sort();
  return [...known, ...others];
}
