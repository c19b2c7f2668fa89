/**
 * Staff enrolment with an invite code (issue 14): the holder sends the password they chose and
 * the public half of a key pair made in this browser; the private half never leaves it.
 */
import { api, type RouteInput, type RouteOutput } from './client.js';

export type StaffEnrolment = RouteInput<'enrolStaff'>['body'];
export type StaffEnrolled = RouteOutput<'enrolStaff'>;

/** POST /auth/staff/enrol → who the invite was for, the key's id, whether the account is active. */
export async function enrolStaff(request: StaffEnrolment): Promise<StaffEnrolled> {
  return api.call('enrolStaff', { body: request });
}
