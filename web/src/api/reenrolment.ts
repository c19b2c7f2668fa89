/** Patient re-enrolment requests (registrars) and one's own notices (everyone), through the contract client. */
import { api, type RouteOutput } from './client.js';

export type ReenrolmentRequest = RouteOutput<'requestPatientReenrolment'>;
export type AccountNotice = RouteOutput<'myNotices'>['notices'][number];

/** POST /patients/:id/reenrol: asks for a re-enrolment; another registrar approves it. */
export async function requestReenrolment(patientId: string): Promise<ReenrolmentRequest> {
  return api.call('requestPatientReenrolment', { params: { id: patientId } });
}

/** GET /patients/:id/reenrol: the newest re-enrolment request about the patient, or null. */
export async function latestReenrolment(patientId: string): Promise<ReenrolmentRequest | null> {
  return (await api.call('patientReenrolment', { params: { id: patientId } })).request;
}

/** GET /me/notices: what the signed-in user must be told (their account was re-enrolled). */
export async function myNotices(): Promise<AccountNotice[]> {
  return (await api.call('myNotices')).notices;
}

export async function dismissNotice(id: string): Promise<void> {
  await api.call('dismissNotice', { params: { id } });
}
