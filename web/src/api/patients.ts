/**
 * Registrar routes: patient registration, the patient list, care teams, assisted PIN reset,
 * and the doctor directory. Shapes and values from the contract.
 */
import { api, type RouteInput, type RouteOutput } from './client.js';

export { SMOKING_STATUSES, type SmokingStatus } from '../../../src/contract/vocabulary/patients.js';

export type PatientRegistration = RouteInput<'registerPatient'>['body'];
export type RegisteredPatient = RouteOutput<'registerPatient'>;
export type PatientPage = RouteOutput<'listPatients'>;
export type PatientSummary = PatientPage['patients'][number];
export type Doctor = RouteOutput<'listDoctors'>['doctors'][number];
export type PatientDetails = RouteOutput<'getPatient'>;
export type CareTeamMember = PatientDetails['careTeam'][number];
export type PinResetToken = RouteOutput<'issuePinReset'>;

/** How a doctor is named on screen: their display name, else their id. */
export function doctorName(doctor: { readonly displayName: string | null; readonly id: string }): string {
  return doctor.displayName ?? doctor.id;
}

/** How a care-team member is named on screen. */
export function memberName(member: CareTeamMember): string {
  return member.displayName ?? `Doctor ${member.doctorId}`;
}

export async function registerPatient(registration: PatientRegistration): Promise<RegisteredPatient> {
  return api.call('registerPatient', { body: registration });
}

/** GET /patients, one page; pass the previous page's `nextCursor` as `cursor` for the next. */
export async function listPatients(cursor?: string): Promise<PatientPage> {
  return api.call('listPatients', { query: cursor === undefined ? {} : { cursor } });
}

/** GET /doctors: who can be put on a care team or granted access. */
export async function listDoctors(): Promise<Doctor[]> {
  return (await api.call('listDoctors')).doctors;
}

/** Resolves to false when the doctor was already on the care team. */
export async function assignCareTeam(patientId: string, doctorId: string): Promise<boolean> {
  return (await api.call('assignCareTeam', { params: { id: patientId }, body: { doctorId } })).added;
}

export async function removeFromCareTeam(patientId: string, doctorId: string): Promise<void> {
  await api.call('removeCareTeam', { params: { id: patientId, doctorId } });
}

/** GET /patients/:id: demographics and care team (registrar, the patient themself). */
export async function getPatient(patientId: string): Promise<PatientDetails> {
  return api.call('getPatient', { params: { id: patientId } });
}

/** POST /patients/:id/pin-reset → a one-time token the patient uses to set a new PIN. */
export async function startPinReset(patientId: string): Promise<PinResetToken> {
  return api.call('issuePinReset', { params: { id: patientId } });
}
