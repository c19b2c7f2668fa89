import type { RecordSummary } from '../../api/records.js';

/**
 * Where an item of a records list leads: a prescription to the prescription view (it is not a
 * record the records routes can open; issue 20, point 4), anything else to the record view.
 */
export function recordOrPrescriptionHref(
  record: Pick<RecordSummary, 'id' | 'type'>,
  to: { readonly record: (id: string) => string; readonly prescription: (id: string) => string },
): string {
  return record.type === 'prescription' ? to.prescription(record.id) : to.record(record.id);
}
