import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../store/database.js';
import {
  findGrant,
  insertGrant,
  listActiveDoctors,
  listGrants,
  revokeGrant,
  type GrantRow,
} from '../../store/sharing-repository.js';
import { isActiveCaregiver, type AccessScope } from '../access/index.js';
import { invalidInput, notFound } from '../errors.js';
import type { PatientServiceDeps } from '../identity/patient-deps.js';
import {
  DEFAULT_GRANT_SCOPE,
  GRANT_SCOPES,
  isGrantScope,
  type GrantScope,
} from '../../contract/vocabulary/grant-scopes.js';
import { isRecordType, RECORD_TYPES, type RecordType } from '../../contract/vocabulary/record-types.js';
import { invalidDoctor } from './care-teams.js';

// The record types a grant may be limited to: the records module's list.
export { isRecordType, RECORD_TYPES, type RecordType } from '../../contract/vocabulary/record-types.js';

export interface NewGrant {
  readonly doctorId: string;
  /** Omitted: every record type. */
  readonly recordTypes?: readonly string[] | undefined;
  /** ISO 8601 date-time in the future; omitted: until revoked. */
  readonly expiresAt?: string | undefined;
  /** 'read' (the default) or 'read_write' (the doctor may also add records and prescribe). */
  readonly scope?: string | undefined;
}

export interface GrantView {
  readonly id: string;
  readonly doctorId: string;
  readonly doctorName: string | null;
  /** Null: every record type. */
  readonly recordTypes: readonly string[] | null;
  readonly scope: GrantScope;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly status: 'active' | 'revoked' | 'expired';
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Sharing grants: a patient lets a doctor read their records — or read and write them, when the
 * grant's scope is 'read_write' — optionally limited to record types and an expiry, and revokes
 * with immediate effect (the access scope reads grants on every access; nothing is cached).
 * Only the patient manages their own grants; another patient's grants are 404, staff get 403.
 */
export class Grants {
  constructor(private readonly deps: PatientServiceDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /**
   * @throws AppError forbidden, not_found, invalid_input (`invalid_doctor`, record types, scope,
   *   expiry).
   */
  async create(scope: AccessScope, patientId: string, input: NewGrant): Promise<GrantView> {
    const { db, audit } = this.deps;
    await scope.ownPatient(db, patientId, 'grants.manage');
    const now = this.now();
    const recordTypes = parseRecordTypes(input.recordTypes);
    const grantScope = parseScope(input.scope);
    const expiresAt = parseExpiry(input.expiresAt, now);
    if (!(await isActiveCaregiver(db, input.doctorId))) throw invalidDoctor();
    const id = randomUUID();
    await withTransaction(db, async (tx) => {
      await insertGrant(tx, {
        id,
        patientId,
        doctorId: input.doctorId,
        recordTypes,
        scope: grantScope,
        expiresAt,
        now,
      });
      await audit.append(tx, {
        actor: scope.actor,
        action: 'grant.create',
        target: { type: 'grant', id },
        patientId,
        outcome: 'success',
        details: { grantId: id, doctorId: input.doctorId, recordTypes, scope: grantScope, expiresAt },
      });
    });
    const row = await findGrant(db, patientId, id);
    if (row === undefined) throw notFound('grant');
    return view(row, now);
  }

  /** Every grant of the patient, newest first, with its status. */
  async list(scope: AccessScope, patientId: string): Promise<GrantView[]> {
    await scope.ownPatient(this.deps.db, patientId, 'grants.manage');
    const now = this.now();
    return (await listGrants(this.deps.db, patientId)).map((g) => view(g, now));
  }

  /**
   * Revokes a grant; the doctor's access through it ends with this transaction. Revoking a
   * revoked grant changes nothing.
   * @throws AppError not_found when the patient has no such grant.
   */
  async revoke(scope: AccessScope, patientId: string, grantId: string): Promise<void> {
    const { db, audit } = this.deps;
    await scope.ownPatient(db, patientId, 'grants.manage');
    await withTransaction(db, async (tx) => {
      const grant = await findGrant(tx, patientId, grantId);
      if (grant === undefined) throw notFound('grant');
      if (!(await revokeGrant(tx, grantId, this.now()))) return;
      await audit.append(tx, {
        actor: scope.actor,
        action: 'grant.revoke',
        target: { type: 'grant', id: grantId },
        patientId,
        outcome: 'success',
        details: { grantId, doctorId: grant.doctorId },
      });
    });
  }

  /**
   * Active doctors (id and display name), for a patient picking whom to share with or a
   * registrar building a care team. Any logged-in user ('doctors.list').
   */
  async doctors(scope: AccessScope): Promise<Array<{ id: string; displayName: string | null }>> {
    scope.require('doctors.list');
    return listActiveDoctors(this.deps.db);
  }
}

function parseRecordTypes(input: readonly string[] | undefined): RecordType[] | null {
  if (input === undefined) return null;
  const types = [...new Set(input)];
  if (types.length === 0 || !types.every(isRecordType))
    throw invalidInput(`recordTypes must list one or more of ${RECORD_TYPES.join(', ')}.`);
  return types.sort();
}

function parseScope(input: string | undefined): GrantScope {
  if (input === undefined) return DEFAULT_GRANT_SCOPE;
  if (!isGrantScope(input)) throw invalidInput(`scope must be one of ${GRANT_SCOPES.join(', ')}.`);
  return input;
}

function parseExpiry(input: string | undefined, now: number): number | null {
  if (input === undefined) return null;
  const at = ISO_DATE_TIME.test(input) ? Date.parse(input) : Number.NaN;
  if (!Number.isFinite(at) || at <= now)
    throw invalidInput('expiresAt must be an ISO 8601 date-time in the future.');
  return at;
}

function view(g: GrantRow, now: number): GrantView {
  const status =
    g.revokedAt !== null ? 'revoked' : g.expiresAt !== null && g.expiresAt <= now ? 'expired' : 'active';
  return {
    id: g.id,
    doctorId: g.doctorId,
    doctorName: g.doctorName,
    recordTypes: g.recordTypes,
    // A value outside the vocabulary (never written by this code) reads as the narrower scope.
    scope: isGrantScope(g.scope) ? g.scope : DEFAULT_GRANT_SCOPE,
    expiresAt: g.expiresAt,
    createdAt: g.createdAt,
    revokedAt: g.revokedAt,
    status,
  };
}
