/**
 * A patient's sharing grants: which doctor may read (or read and write) which of their records,
 * until when. GET/POST /patients/:id/grants, DELETE /patients/:id/grants/:grantId.
 */
import {
  DEFAULT_GRANT_SCOPE,
  isGrantScope,
  type GrantScope,
} from '../../../src/contract/vocabulary/grant-scopes.js';
import { isRecordType, type RecordType } from '../../../src/contract/vocabulary/record-types.js';
import { apiDelete, apiGet, apiPost, isRecord, segment } from './client.js';
import { firstText, idOf, listOf, parseEach, timeOf } from './parse.js';

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

export interface Grant {
  readonly id: string;
  readonly doctorId: string;
  /** The doctor's name when the server sends it. */
  readonly doctorName: string | undefined;
  /** 'all' when the grant is not limited to record types (the server sends null or nothing). */
  readonly recordTypes: 'all' | readonly RecordType[];
  /** What the doctor may do with them ('read' when the server names no scope). */
  readonly scope: GrantScope;
  readonly createdAt: number | undefined;
  readonly expiresAt: number | undefined;
  readonly revokedAt: number | undefined;
  readonly status: 'active' | 'expired' | 'revoked';
}

function statusOf(
  item: Record<string, unknown>,
  expiresAt: number | undefined,
  revokedAt: number | undefined,
): Grant['status'] {
  if (item.status === 'active' || item.status === 'expired' || item.status === 'revoked') return item.status;
  if (revokedAt !== undefined) return 'revoked';
  return expiresAt !== undefined && expiresAt <= Date.now() ? 'expired' : 'active';
}

function parseGrant(item: unknown): Grant | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.grantId);
  const doctor = isRecord(item.doctor) ? item.doctor : undefined;
  const doctorId = idOf(item.doctorId) ?? idOf(doctor?.id);
  if (id === undefined || doctorId === undefined) return undefined;
  const types = Array.isArray(item.recordTypes) ? item.recordTypes.filter(isRecordType) : [];
  const expiresAt = timeOf(item.expiresAt);
  const revokedAt = timeOf(item.revokedAt);
  return {
    id,
    doctorId,
    doctorName:
      firstText(item, 'doctorName', 'doctorDisplayName') ?? (doctor && firstText(doctor, 'displayName')),
    recordTypes: types.length === 0 ? 'all' : types,
    scope: isGrantScope(item.scope) ? item.scope : DEFAULT_GRANT_SCOPE,
    createdAt: timeOf(item.createdAt),
    expiresAt,
    revokedAt,
    status: statusOf(item, expiresAt, revokedAt),
  };
}

export async function listGrants(patientId: string): Promise<Grant[]> {
  return parseEach(listOf(await apiGet(`/patients/${segment(patientId)}/grants`), 'grants'), parseGrant);
}

export interface NewGrant {
  readonly doctorId: string;
  /** Omitted: every record type. */
  readonly recordTypes?: readonly RecordType[];
  /** Omitted: 'read'. */
  readonly scope?: GrantScope;
  /** ISO 8601; omitted: until revoked. */
  readonly expiresAt?: string;
}

export async function createGrant(patientId: string, grant: NewGrant): Promise<void> {
  await apiPost(`/patients/${segment(patientId)}/grants`, grant);
}

export async function revokeGrant(patientId: string, grantId: string): Promise<void> {
  await apiDelete(`/patients/${segment(patientId)}/grants/${segment(grantId)}`);
}
