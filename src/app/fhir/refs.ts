import type { Extension, Identifier, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import { EXT_RECORD_TITLE, RECORD_ID_SYSTEM } from './codes.js';

/** What every mapper needs of a stored record (RecordView of the records context). */
export interface SourceRecord {
  readonly id: string;
  readonly patientId: string;
  readonly type: string;
  readonly authorId: string;
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly title: string;
  readonly body: unknown;
}

export const patientRef = (patientId: string): Reference<Patient> => ({ reference: `Patient/${patientId}` });
export const practitionerRef = (id: string, name: string | null): Reference<Practitioner> => ({
  reference: `Practitioner/${id}`,
  ...(name === null ? {} : { display: name }),
});
/** The record a resource came from: the identifier an import groups derived resources by. */
export const recordIdentifier = (recordId: string): Identifier[] => [
  { system: RECORD_ID_SYSTEM, value: recordId },
];
export const titleExtension = (title: string): Extension[] => [{ url: EXT_RECORD_TITLE, valueString: title }];
export const instant = (epochMs: number): string => new Date(epochMs).toISOString();
/** A clinical date (YYYY-MM-DD) when the body has one, else the day the record was written. */
export const dateOr = (date: string | undefined, epochMs: number): string => date ?? instant(epochMs);
