import type { DbOrTx } from './database.js';

/**
 * The relationships through which a doctor reaches a patient, as the access module
 * (src/app/access) reads them to decide. Only the access module imports this file (the
 * architecture test holds it to that): a service that queried relationships itself would be
 * deciding access on its own.
 */

/** One active grant: its id, scope ('read' | 'read_write') and record types (null = all). */
export interface GrantLinkRow {
  readonly id: string;
  readonly scope: string;
  readonly recordTypes: readonly string[] | null;
}

/** The relationships that give a doctor access to a patient, as of `now`. */
export interface DoctorPatientLinks {
  readonly onCareTeam: boolean;
  /** Active (unrevoked, unexpired) grants, oldest first. */
  readonly grants: readonly GrantLinkRow[];
  /** The newest break-glass still open, if any. */
  readonly breakGlass: { readonly id: string; readonly expiresAt: number } | undefined;
}

export async function doctorPatientLinks(
  db: DbOrTx,
  doctorId: string,
  patientId: string,
  now: number,
): Promise<DoctorPatientLinks> {
  const [team, grants, glass] = await Promise.all([
    db
      .selectFrom('care_teams')
      .select('doctor_id')
      .where('doctor_id', '=', doctorId)
      .where('patient_id', '=', patientId)
      .executeTakeFirst(),
    db
      .selectFrom('grants')
      .select(['id', 'scope', 'record_types'])
      .where('doctor_id', '=', doctorId)
      .where('patient_id', '=', patientId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('break_glass')
      .select(['id', 'expires_at'])
      .where('doctor_id', '=', doctorId)
      .where('patient_id', '=', patientId)
      .where('expires_at', '>', now)
      .orderBy('expires_at', 'desc')
      .executeTakeFirst(),
  ]);
  return {
    onCareTeam: team !== undefined,
    grants: grants.map((g) => ({
      id: g.id,
      scope: g.scope,
      recordTypes: g.record_types === null ? null : (JSON.parse(g.record_types) as string[]),
    })),
    breakGlass: glass === undefined ? undefined : { id: glass.id, expiresAt: glass.expires_at },
  };
}

/**
 * Patients a doctor may be related to as of `now`: on their care team, with an active grant, or
 * with an open break-glass. Candidates only: the access module confirms each one.
 */
export async function doctorPatientCandidates(db: DbOrTx, doctorId: string, now: number): Promise<string[]> {
  const [team, grants, glass] = await Promise.all([
    db.selectFrom('care_teams').select('patient_id').where('doctor_id', '=', doctorId).execute(),
    db
      .selectFrom('grants')
      .select('patient_id')
      .where('doctor_id', '=', doctorId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute(),
    db
      .selectFrom('break_glass')
      .select('patient_id')
      .where('doctor_id', '=', doctorId)
      .where('expires_at', '>', now)
      .execute(),
  ]);
  return [...new Set([...team, ...grants, ...glass].map((r) => r.patient_id))].sort();
}

export async function patientExists(db: DbOrTx, patientId: string): Promise<boolean> {
  const row = await db.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst();
  return row !== undefined;
}

/** An account's role and status, by id or by username (null when there is none). */
export async function accountStanding(
  db: DbOrTx,
  by: { readonly id: string } | { readonly username: string },
): Promise<{ readonly id: string; readonly role: string; readonly status: string } | undefined> {
  const q = db.selectFrom('users').select(['id', 'role', 'status']);
  return 'id' in by
    ? q.where('id', '=', by.id).executeTakeFirst()
    : q.where('username', '=', by.username).executeTakeFirst();
}
