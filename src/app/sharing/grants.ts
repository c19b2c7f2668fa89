import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../store/database.js';
import {
  findGrant,
  insertGrant,
  isActiveDoctor,
  listActiveDoctors,
  listGrants,
  revokeGrant,
  type GrantRow,
} from '../../store/sharing-repository.js';
import type { Actor } from '../actor.js';
import { invalidInput, notFound } from '../errors.js';
import type { PatientServiceDeps } from '../identity/patient-deps.js';
import { patientAccess, requirePermission } from '../policy.js';
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
}

export interface GrantView {
  readonly id: string;
  readonly doctorId: string;
  readonly doctorName: string | null;
  /** Null: every record type. */
  readonly recordTypes: readonly string[] | null;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
  readonly status: 'active' | 'revoked' | 'expired';
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Sharing grants: a patient lets a doctor read their records, optionally limited to record
 * types and an expiry, and revokes with immediate effect (the policy reads grants on every
 * access; nothing is cached). Only the patient manages their own grants; another patient's
 * grants are 404, staff get 403.
 */
export class Grants {
  constructor(private readonly deps: PatientServiceDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** The patient's own grants only: 'grants.manage' (patients) and the policy's self check. */
  private async requireOwner(actor: Actor, patientId: string): Promise<void> {
    requirePermission(actor, 'grants.manage');
    const access = await patientAccess(this.deps.db, actor, patientId, 'records.read', this.now());
    // Defence in depth: only a patient holds grants.manage, and for them the policy answers
    // 'self' or 404; never let another relation manage grants.
    if (access.relation !== 'self') throw notFound('patient');
  }

  /** @throws AppError forbidden, not_found, invalid_input (`invalid_doctor`, record types, expiry). */
  async create(actor: Actor, patientId: string, input: NewGrant): Promise<GrantView> {
    await this.requireOwner(actor, patientId);
    const { db, audit } = this.deps;
    const now = this.now();
    const recordTypes = parseRecordTypes(input.recordTypes);
    const expiresAt = parseExpiry(input.expiresAt, now);
    if (!(await isActiveDoctor(db, input.doctorId))) throw invalidDoctor();
    const id = randomUUID();
    await withTransaction(db, async (tx) => {
      await insertGrant(tx, { id, patientId, doctorId: input.doctorId, recordTypes, expiresAt, now });
      await audit.append(tx, {
        actor,
        action: 'grant.create',
        target: { type: 'grant', id },
        patientId,
        outcome: 'success',
        details: { grantId: id, doctorId: input.doctorId, recordTypes, expiresAt },
      });
    });
    const row = await findGrant(db, patientId, id);
    if (row === undefined) throw notFound('grant');
    return view(row, now);
  }

  /** Every grant of the patient, newest first, with its status. */
  async list(actor: Actor, patientId: string): Promise<GrantView[]> {
    await this.requireOwner(actor, patientId);
    const now = this.now();
    return (await listGrants(this.deps.db, patientId)).map((g) => view(g, now));
  }

  /**
   * Revokes a grant; the doctor's access through it ends with this transaction. Revoking a
   * revoked grant changes nothing.
   * @throws AppError not_found when the patient has no such grant.
   */
  async revoke(actor: Actor, patientId: string, grantId: string): Promise<void> {
    await this.requireOwner(actor, patientId);
    const { db, audit } = this.deps;
    await withTransaction(db, async (tx) => {
      const grant = await findGrant(tx, patientId, grantId);
      if (grant === undefined) throw notFound('grant');
      if (!(await revokeGrant(tx, grantId, this.now()))) return;
      await audit.append(tx, {
        actor,
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
   * registrar building a care team. Any logged-in user: the route requires a session.
   */
  async doctors(_actor: Actor): Promise<Array<{ id: string; displayName: string | null }>> {
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
    expiresAt: g.expiresAt,
    createdAt: g.createdAt,
    revokedAt: g.revokedAt,
    status,
  };
}
