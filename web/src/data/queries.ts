/**
 * Requests that several pages make, each named by one key, so the cache (./query-cache.ts) can
 * answer the second page from the first page's answer. A key and its loader are written only
 * here: the same key can never name two different requests.
 */
import { getPatient, listDoctors, type Doctor, type PatientDetails } from '../api/patients.js';
import { listReachablePatients, type ReachablePatient } from '../api/reachable-patients.js';
import type { Query } from './query-cache.js';

/** GET /patients/:id: name, masked SSN and care team (registrar, the patient, a doctor with access). */
export function patientQuery(patientId: string): Query<PatientDetails> {
  return { key: ['patient', patientId], load: () => getPatient(patientId) };
}

/** The patients a doctor can reach: care team, shared with them, break-glass. */
export const reachablePatientsQuery: Query<readonly ReachablePatient[]> = {
  key: ['reachable-patients'],
  load: () => listReachablePatients(),
};

/** The doctor directory: who can join a care team or be granted access. */
export const doctorsQuery: Query<readonly Doctor[]> = {
  key: ['doctors'],
  load: () => listDoctors(),
};
