/**
 * The patients a doctor can reach (GET /patients answers doctors with the relation): those in
 * their care, those who shared records with them, and those they broke the glass for.
 */
import { MAX_PATIENT_PAGE } from '../../../src/contract/vocabulary/paging.js';
import { api, type PageItem } from './client.js';

export type ReachablePatient = PageItem<'listPatients'>;

/** Every reachable patient: follows the server's cursor to the last page. */
export async function listReachablePatients(): Promise<ReachablePatient[]> {
  return api.all('listPatients', { query: { limit: MAX_PATIENT_PAGE } });
}
