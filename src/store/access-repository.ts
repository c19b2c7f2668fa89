import type { DbOrTx } from './database.js';

/** The relationships that give a doctor access to a patient, as of `now`. */
export interface DoctorPatientLinks {
  readonly onCareTeam: boolean;
  /** Active grants' record-type lists (null = all types). */
  readonly grants: ReadonlyArray<{ readonly id: string; readonly recordTypes: string[] | null }>;
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
      .select(['id', 'record_types'])
      .where('doctor_id', '=', doctorId)
      .where('patient_id', '=', patientId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
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
      recordTypes: g.record_types === null ? null : (JSON.parse(g.record_types) as string[]),
    })),
    breakGlass: glass === undefined ? undefined : { id: glass.id, expiresAt: glass.expires_at },
  };
}

export async function patientExists(db: DbOrTx, patientId: string): Promise<boolean> {
  const row = await db.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst();
  return row !== undefined;
}
