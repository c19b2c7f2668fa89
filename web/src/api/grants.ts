/**
 * A patient's sharing grants: which doctor may read (or read and write) which of their records,
 * until when. GET/POST /patients/:id/grants, DELETE /patients/:id/grants/:grantId.
 */
import type { GrantScope } from '../../../src/contract/vocabulary/grant-scopes.js';
import type { RecordType } from '../../../src/contract/vocabulary/record-types.js';
import { api, type RouteInput, type RouteOutput } from './client.js';

export {
  isRecordType,
  RECORD_TYPES,
  type RecordType,
} from '../../../src/contract/vocabulary/record-types.js';
export { GRANT_SCOPES, type GrantScope } from '../../../src/contract/vocabulary/grant-scopes.js';

/** How the Sharing page names what a grant lets the doctor do. */
export const GRANT_SCOPE_LABELS: Readonly<Record<GrantScope, string>> = {
  read: 'Read only',
  read_write: 'Read and write',
};

export const RECORD_TYPE_LABELS: Readonly<Record<RecordType, string>> = {
  lab_result: 'Lab results',
  diagnosis: 'Diagnoses',
  clinical_note: 'Clinical notes',
  allergy: 'Allergies',
  vaccination: 'Vaccinations',
  imaging: 'Imaging',
  vitals: 'Vitals',
  prescription: 'Prescriptions',
};

export type Grant = RouteOutput<'listGrants'>['grants'][number];
export type NewGrant = RouteInput<'createGrant'>['body'];

export async function listGrants(patientId: string): Promise<Grant[]> {
  return (await api.call('listGrants', { params: { id: patientId } })).grants;
}

export async function createGrant(patientId: string, grant: NewGrant): Promise<Grant> {
  return (await api.call('createGrant', { params: { id: patientId }, body: grant })).grant;
}

export async function revokeGrant(patientId: string, grantId: string): Promise<void> {
  await api.call('revokeGrant', { params: { id: patientId, grantId } });
}
