/**
 * Finding a patient (issue 20, point 1): the staff search within the caller's reach, and the
 * break-glass look-up of any patient by MRN or by full name plus date of birth. Both are POSTs,
 * so names and dates of birth never sit in a URL. MRN format and check from the contract.
 */
import { api, type RouteInput, type RouteOutput } from './client.js';

export { formatMrn, normaliseMrn, MAX_MRN_INPUT } from '../../../src/contract/vocabulary/mrn.js';

export type PatientSearch = RouteInput<'findPatients'>['body'];
export type FoundPatient = RouteOutput<'findPatients'>['patients'][number];
export type IdentityLookup = RouteInput<'breakGlassLookup'>['body'];
export type PatientIdentity = RouteOutput<'breakGlassLookup'>['patients'][number];

export async function findPatients(search: PatientSearch): Promise<RouteOutput<'findPatients'>> {
  return api.call('findPatients', { body: search });
}

export async function lookUpForBreakGlass(lookup: IdentityLookup): Promise<PatientIdentity[]> {
  return (await api.call('breakGlassLookup', { body: lookup })).patients;
}

/**
 * What one search box means: eight digits (spaces or dashes between) an MRN, YYYY-MM-DD a date
 * of birth, anything else words of a name.
 */
export function searchOf(text: string): PatientSearch {
  const t = text.trim();
  // The date first: "1958-09-12" is eight digits too.
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(t)) return { dateOfBirth: t };
  if (/^[0-9][0-9 -]*$/.test(t) && t.replace(/[\s-]/g, '').length === 8) return { mrn: t };
  return { name: t };
}
