import type { EnvelopeContext } from '../../crypto/envelope.js';

/**
 * Where a record's secrets live. One DEK per record (context field "record") seals the title and
 * the body, each under its own field context, so a title cannot be swapped for a body and
 * neither can move to another record or patient.
 */
export const recordKeyContext = (recordId: string, patientId: string): EnvelopeContext => ({
  table: 'records',
  rowId: recordId,
  patientId,
  field: 'record',
});

export const recordFieldContext = (
  recordId: string,
  patientId: string,
  field: 'title' | 'body',
): EnvelopeContext => ({ table: 'records', rowId: recordId, patientId, field });
