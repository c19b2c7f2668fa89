/**
 * The patients a doctor can reach (GET /patients answers doctors with the relation): those in
 * their care, those who shared records with them, and those they broke the glass for.
 */
import { apiGet, isRecord } from './client.js';
import { firstText, idOf, listOf, parseEach } from './parse.js';

export type PatientRelation = 'care_team' | 'grant' | 'break_glass' | 'self' | 'unknown';

export interface ReachablePatient {
  readonly id: string;
  readonly name: string;
  readonly maskedSsn: string;
  readonly relation: PatientRelation;
}

const RELATIONS: readonly PatientRelation[] = ['care_team', 'grant', 'break_glass', 'self'];

function parseReachable(item: unknown): ReachablePatient | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.patientId);
  if (id === undefined) return undefined;
  const relation = RELATIONS.find((r) => r === item.relation) ?? 'unknown';
  return {
    id,
    name: firstText(item, 'fullName', 'name') ?? `Patient ${id}`,
    maskedSsn: firstText(item, 'maskedSsn') ?? '',
    relation,
  };
}

/** Every reachable patient: follows the server's cursor (a doctor's list is short). */
export async function listReachablePatients(maxPages = 20): Promise<ReachablePatient[]> {
  const all: ReachablePatient[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const body = await apiGet(`/patients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...parseEach(listOf(body, 'patients'), parseReachable));
    cursor = isRecord(body) ? firstText(body, 'nextCursor') : undefined;
    if (cursor === undefined) break;
  }
  return all;
}
