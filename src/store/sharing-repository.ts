import type { DbOrTx } from './database.js';

/**
 * Care teams, grants and break-glass rows: the relationships through which a doctor reaches a
 * patient. Reads that decide access live in access-repository.ts (used by the access module
 * only); this module writes the relationships and lists them for the people who manage them.
 */

export interface DoctorRow {
  readonly id: string;
  readonly displayName: string | null;
}

export interface CareTeamRow {
  readonly doctorId: string;
  readonly displayName: string | null;
  readonly assignedAt: number;
}

export interface GrantRow {
  readonly id: string;
  readonly patientId: string;
  readonly doctorId: string;
  readonly doctorName: string | null;
  /** Record types, or null for all. */
  readonly recordTypes: string[] | null;
  /** 'read' or 'read_write'. */
  readonly scope: string;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Every active doctor, by name then id. */
export async function listActiveDoctors(db: DbOrTx): Promise<DoctorRow[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '=', 'doctor')
    .where('status', '=', 'active')
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}

/** Adds a doctor to a patient's care team; false when already on it. */
export async function insertCareTeamMember(
  db: DbOrTx,
  m: { patientId: string; doctorId: string; assignedBy: string; now: number },
): Promise<boolean> {
  const r = await db
    .insertInto('care_teams')
    .values({ patient_id: m.patientId, doctor_id: m.doctorId, assigned_by: m.assignedBy, created_at: m.now })
    .onConflict((oc) => oc.columns(['patient_id', 'doctor_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a doctor from a patient's care team; false when they were not on it. */
export async function deleteCareTeamMember(
  db: DbOrTx,
  patientId: string,
  doctorId: string,
): Promise<boolean> {
  const r = await db
    .deleteFrom('care_teams')
    .where('patient_id', '=', patientId)
    .where('doctor_id', '=', doctorId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function listCareTeam(db: DbOrTx, patientId: string): Promise<CareTeamRow[]> {
  const rows = await db
    .selectFrom('care_teams')
    .innerJoin('users', 'users.id', 'care_teams.doctor_id')
    .select(['care_teams.doctor_id', 'users.display_name', 'care_teams.created_at'])
    .where('care_teams.patient_id', '=', patientId)
    .orderBy('care_teams.created_at')
    .orderBy('care_teams.doctor_id')
    .execute();
  return rows.map((r) => ({ doctorId: r.doctor_id, displayName: r.display_name, assignedAt: r.created_at }));
}

export async function insertGrant(
  db: DbOrTx,
  g: {
    id: string;
    patientId: string;
    doctorId: string;
    recordTypes: readonly string[] | null;
    scope: string;
    expiresAt: number | null;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('grants')
    .values({
      id: g.id,
      patient_id: g.patientId,
      doctor_id: g.doctorId,
      record_types: g.recordTypes === null ? null : JSON.stringify(g.recordTypes),
      scope: g.scope,
      expires_at: g.expiresAt,
      created_at: g.now,
      revoked_at: null,
    })
    .execute();
}

const grantQuery = (db: DbOrTx) =>
  db
    .selectFrom('grants')
    .leftJoin('users', 'users.id', 'grants.doctor_id')
    .select([
      'grants.id',
      'grants.patient_id',
      'grants.doctor_id',
      'users.display_name',
      'grants.record_types',
      'grants.scope',
      'grants.expires_at',
      'grants.created_at',
      'grants.revoked_at',
    ]);

type RawGrant = Awaited<ReturnType<ReturnType<typeof grantQuery>['executeTakeFirstOrThrow']>>;

const toGrant = (r: RawGrant): GrantRow => ({
  id: r.id,
  patientId: r.patient_id,
  doctorId: r.doctor_id,
  doctorName: r.display_name,
  recordTypes: r.record_types === null ? null : (JSON.parse(r.record_types) as string[]),
  scope: r.scope,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** A patient's grants, newest first (revoked and expired included: the patient sees their history). */
export async function listGrants(db: DbOrTx, patientId: string): Promise<GrantRow[]> {
  const rows = await grantQuery(db)
    .where('grants.patient_id', '=', patientId)
    .orderBy('grants.created_at', 'desc')
    .orderBy('grants.id')
    .execute();
  return rows.map(toGrant);
}

/** One grant of one patient (another patient's grant id finds nothing). */
export async function findGrant(
  db: DbOrTx,
  patientId: string,
  grantId: string,
): Promise<GrantRow | undefined> {
  const row = await grantQuery(db)
    .where('grants.patient_id', '=', patientId)
    .where('grants.id', '=', grantId)
    .executeTakeFirst();
  return row === undefined ? undefined : toGrant(row);
}

/** Revokes a grant now; false when it was already revoked. */
export async function revokeGrant(db: DbOrTx, grantId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('grants')
    .set({ revoked_at: now })
    .where('id', '=', grantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertBreakGlass(
  db: DbOrTx,
  b: { id: string; patientId: string; doctorId: string; reasonCt: Buffer; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('break_glass')
    .values({
      id: b.id,
      patient_id: b.patientId,
      doctor_id: b.doctorId,
      reason_ct: b.reasonCt,
      created_at: b.now,
      expires_at: b.expiresAt,
    })
    .execute();
}

/** Sealed reasons of break-glass rows of one patient, by id. */
export async function breakGlassReasons(
  db: DbOrTx,
  patientId: string,
  ids: readonly string[],
): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('break_glass')
    .select(['id', 'reason_ct'])
    .where('patient_id', '=', patientId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.reason_ct]));
}
