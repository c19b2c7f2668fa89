/**
 * Registrar routes: patient registration, the patient list, care teams, assisted PIN reset,
 * and the doctor directory. Answers are checked before the UI uses them.
 */
import { apiDelete, apiGet, apiPost, isRecord, segment } from './client.js';
import { firstText, idOf, listOf, malformed, parseEach, timeOf, unwrap } from './parse.js';

export const SMOKING_STATUSES = ['never', 'former', 'current', 'unknown'] as const;
export type SmokingStatus = (typeof SMOKING_STATUSES)[number];

export interface PatientRegistration {
  readonly ssn: string;
  readonly fullName: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly pin: string;
  readonly password: string;
  readonly smokingStatus: SmokingStatus;
}

export interface RegisteredPatient {
  readonly patientId: string;
  /** Shown once: the patient needs it to recover a forgotten PIN. */
  readonly recoveryCode: string;
}

export async function registerPatient(registration: PatientRegistration): Promise<RegisteredPatient> {
  const body = await apiPost('/patients', registration);
  const fields = unwrap(body, 'patient');
  const patientId = isRecord(body) ? (idOf(body.patientId) ?? idOf(fields?.id)) : undefined;
  const recoveryCode = isRecord(body) ? firstText(body, 'recoveryCode') : undefined;
  if (patientId === undefined || recoveryCode === undefined) throw malformed('registration answer');
  return { patientId, recoveryCode };
}

export interface PatientSummary {
  readonly id: string;
  readonly name: string;
  /** e.g. "***-**-6789"; the full SSN is never listed. */
  readonly maskedSsn: string;
}

function parsePatient(item: unknown): PatientSummary | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.patientId);
  if (id === undefined) return undefined;
  return {
    id,
    name: firstText(item, 'fullName', 'name', 'displayName') ?? `Patient ${id}`,
    maskedSsn: firstText(item, 'maskedSsn', 'ssnMasked', 'ssnLast4', 'ssn') ?? '',
  };
}

export interface PatientPage {
  readonly patients: readonly PatientSummary[];
  /** Pass back to fetch the next page; undefined on the last page. */
  readonly next: string | undefined;
}

/** GET /patients (paged). `cursor` is the `next` of the previous page. */
export async function listPatients(cursor?: string): Promise<PatientPage> {
  const query = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`;
  const body = await apiGet(`/patients${query}`);
  const patients = parseEach(listOf(body, 'patients'), parsePatient);
  const next = isRecord(body) ? firstText(body, 'nextCursor', 'next') : undefined;
  return { patients, next };
}

export interface Doctor {
  readonly id: string;
  readonly displayName: string;
}

function parseDoctor(item: unknown): Doctor | undefined {
  if (!isRecord(item)) return undefined;
  const id = idOf(item.id) ?? idOf(item.userId);
  if (id === undefined) return undefined;
  return { id, displayName: firstText(item, 'displayName', 'name', 'username') ?? id };
}

/** GET /doctors: who can be put on a care team or granted access. */
export async function listDoctors(): Promise<Doctor[]> {
  return parseEach(listOf(await apiGet('/doctors'), 'doctors'), parseDoctor);
}

/** Resolves to false when the doctor was already on the care team. */
export async function assignCareTeam(patientId: string, doctorId: string): Promise<boolean> {
  const body = await apiPost(`/patients/${segment(patientId)}/care-team`, { doctorId });
  return !(isRecord(body) && body.added === false);
}

export async function removeFromCareTeam(patientId: string, doctorId: string): Promise<void> {
  await apiDelete(`/patients/${segment(patientId)}/care-team/${segment(doctorId)}`);
}

export interface CareTeamMember {
  readonly doctorId: string;
  readonly displayName: string;
  readonly assignedAt: number | undefined;
}

export interface PatientDetails {
  readonly id: string;
  readonly fullName: string;
  readonly dateOfBirth: string | undefined;
  readonly maskedSsn: string | undefined;
  readonly careTeam: readonly CareTeamMember[];
}

function parseMember(item: unknown): CareTeamMember | undefined {
  if (!isRecord(item)) return undefined;
  const doctorId = idOf(item.doctorId) ?? idOf(item.id);
  if (doctorId === undefined) return undefined;
  return {
    doctorId,
    displayName: firstText(item, 'displayName', 'name') ?? `Doctor ${doctorId}`,
    assignedAt: timeOf(item.assignedAt),
  };
}

/** GET /patients/:id: demographics and care team (registrar, the patient themself). */
export async function getPatient(patientId: string): Promise<PatientDetails> {
  const body = unwrap(await apiGet(`/patients/${segment(patientId)}`), 'patient');
  const id = idOf(body?.id);
  if (!body || id === undefined) throw malformed('patient answer');
  return {
    id,
    fullName: firstText(body, 'fullName', 'name') ?? '',
    dateOfBirth: firstText(body, 'dateOfBirth'),
    maskedSsn: firstText(body, 'maskedSsn'),
    careTeam: Array.isArray(body.careTeam) ? parseEach(body.careTeam, parseMember) : [],
  };
}

export interface PinResetToken {
  readonly resetToken: string;
  readonly expiresAt: number | undefined;
}

/** POST /patients/:id/pin-reset → a one-time token the patient uses to set a new PIN. */
export async function startPinReset(patientId: string): Promise<PinResetToken> {
  const body = await apiPost(`/patients/${segment(patientId)}/pin-reset`);
  const resetToken = isRecord(body) ? firstText(body, 'resetToken', 'token') : undefined;
  if (resetToken === undefined || !isRecord(body)) throw malformed('PIN reset answer');
  return { resetToken, expiresAt: timeOf(body.expiresAt) };
}
