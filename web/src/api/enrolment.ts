/**
 * Patient enrolment (issue 14): the first visit, with the SSN and the one-time code from the
 * registration slip; the patient chooses PIN and password and receives the recovery code.
 */
import { api, type RouteInput } from './client.js';

export type Enrolment = RouteInput<'enrolPatient'>['body'];

/** POST /auth/patient/enrol → the recovery code, shown once. */
export async function enrol(request: Enrolment): Promise<string> {
  return (await api.call('enrolPatient', { body: request })).recoveryCode;
}
