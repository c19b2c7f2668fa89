import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from './database.js';
import type { RecordRow } from './record-repository.js';

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

/** One row of the relationships union: a care-team membership, a live grant or an open break-glass. */
interface LinkRow {
  readonly link_kind: 'team' | 'grant' | 'glass' | null;
  readonly link_id: string | null;
  readonly link_scope: string | null;
  readonly link_types: string | null;
  /** bigint columns: PostgreSQL's driver answers them as strings. */
  readonly link_created: number | string | null;
  readonly link_expires: number | string | null;
}

/**
 * The three relationships of one doctor to the patients `patientId` matches, as ONE union (a
 * round trip instead of three): an SQL expression for the patient id, a bound value or a
 * subquery. Each part uses its table's (doctor_id, patient_id) index.
 */
function linksUnion(doctorId: string, patientId: RawBuilder<unknown>, now: number): RawBuilder<LinkRow> {
  return sql<LinkRow>`
    select 'team' as link_kind, patient_id as link_patient, null as link_id, null as link_scope,
           null as link_types, created_at as link_created, null as link_expires
      from care_teams where doctor_id = ${doctorId} and patient_id = ${patientId}
    union all
    select 'grant', patient_id, id, scope, record_types, created_at, expires_at
      from grants where doctor_id = ${doctorId} and patient_id = ${patientId}
       and revoked_at is null and (expires_at is null or expires_at > ${now})
    union all
    select 'glass', patient_id, id, null, null, created_at, expires_at
      from break_glass where doctor_id = ${doctorId} and patient_id = ${patientId} and expires_at > ${now}`;
}

const asNumber = (v: number | string | null): number => Number(v ?? 0);

/** Folds union rows into the links: grants oldest first (then by id), the newest-expiring break-glass. */
function foldLinks(rows: readonly LinkRow[]): DoctorPatientLinks {
  let onCareTeam = false;
  const grants: Array<GrantLinkRow & { createdAt: number }> = [];
  let breakGlass: { id: string; expiresAt: number } | undefined;
  for (const r of rows) {
    if (r.link_kind === 'team') onCareTeam = true;
    else if (r.link_kind === 'grant' && r.link_id !== null) {
      grants.push({
        id: r.link_id,
        scope: r.link_scope ?? 'read',
        recordTypes: r.link_types === null ? null : (JSON.parse(r.link_types) as string[]),
        createdAt: asNumber(r.link_created),
      });
    } else if (r.link_kind === 'glass' && r.link_id !== null) {
      const expiresAt = asNumber(r.link_expires);
      if (breakGlass === undefined || expiresAt > breakGlass.expiresAt)
        breakGlass = { id: r.link_id, expiresAt };
    }
  }
  grants.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    onCareTeam,
    grants: grants.map(({ id, scope, recordTypes }) => ({ id, scope, recordTypes })),
    breakGlass,
  };
}

export async function doctorPatientLinks(
  db: DbOrTx,
  doctorId: string,
  patientId: string,
  now: number,
): Promise<DoctorPatientLinks> {
  const { rows } = await linksUnion(doctorId, sql`${patientId}`, now).execute(db);
  return foldLinks(rows);
}

/**
 * A record and its patient's relationships to a doctor, in ONE round trip: the record row
 * left-joined with the relationships union (one row per relationship, or one with none).
 * Undefined when there is no such record.
 */
export async function recordWithDoctorLinks(
  db: DbOrTx,
  recordId: string,
  doctorId: string,
  now: number,
): Promise<{ readonly record: RecordRow; readonly links: DoctorPatientLinks } | undefined> {
  const links = linksUnion(doctorId, sql`(select patient_id from records where id = ${recordId})`, now);
  const { rows } = await sql<RecordRow & LinkRow>`
    select r.id, r.patient_id, r.type, r.author_id, r.created_at, r.title_ct, r.body_ct,
           l.link_kind, l.link_id, l.link_scope, l.link_types, l.link_created, l.link_expires
      from records r left join (${links}) l on l.link_patient = r.patient_id
     where r.id = ${recordId}`.execute(db);
  const first = rows[0];
  if (first === undefined) return undefined;
  const record: RecordRow = {
    id: first.id,
    patient_id: first.patient_id,
    type: first.type,
    author_id: first.author_id,
    created_at: Number(first.created_at),
    title_ct: first.title_ct,
    body_ct: first.body_ct,
  };
  return { record, links: foldLinks(rows) };
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
