/** The authentication routes (DESIGN.md "HTTP API"), through the contract client. */
import { api, ContractMismatch, isStatus, type RouteInput, type RouteOutput } from './client.js';

export type SessionUser = RouteOutput<'me'>;
export type StaffChallenge = RouteOutput<'staffChallenge'>;
export type PatientCredentials = RouteInput<'patientLogin'>['body'];
export type StaffLogin = RouteInput<'staffLogin'>['body'];
/** A login whose first factor(s) passed: the second step's pending token and what it may use. */
export type PendingSecondFactor = Extract<
  RouteOutput<'staffLogin'>,
  { secondFactor: unknown }
>['secondFactor'];
/** What a login form gets: the user (undefined: ask /auth/me), or the second step to take. */
export type LoginOutcome = SessionUser | PendingSecondFactor | undefined;

export const isPending = (outcome: LoginOutcome): outcome is PendingSecondFactor =>
  outcome !== undefined && 'pendingToken' in outcome;

/** What the header shows for the user: display name, else username, else id. */
export function userLabel(user: SessionUser): string {
  return user.displayName ?? user.username ?? user.id;
}

/** The current session's user, or undefined when not logged in (401). */
export async function fetchCurrentUser(): Promise<SessionUser | undefined> {
  try {
    return await api.call('me');
  } catch (error) {
    if (isStatus(error, 401)) return undefined;
    throw error;
  }
}

/**
 * The user a login answered with; undefined when the server accepted the login (200) but its
 * answer does not say who: the session then asks GET /auth/me (checked like every answer) and
 * tells the user when no session stands behind the login. Every other failure is thrown.
 */
async function loggedInUser(
  login: Promise<{ readonly user: SessionUser } | { readonly secondFactor: PendingSecondFactor }>,
): Promise<LoginOutcome> {
  try {
    const answer = await login;
    return 'secondFactor' in answer ? answer.secondFactor : answer.user;
  } catch (error) {
    if (error instanceof ContractMismatch && error.status === 200) return undefined;
    throw error;
  }
}

export async function loginPatient(credentials: PatientCredentials): Promise<LoginOutcome> {
  return loggedInUser(api.call('patientLogin', { body: credentials }));
}

export async function requestStaffChallenge(username: string): Promise<StaffChallenge> {
  return api.call('staffChallenge', { body: { username } });
}

export async function loginStaff(login: StaffLogin): Promise<LoginOutcome> {
  return loggedInUser(api.call('staffLogin', { body: login }));
}

export async function logout(): Promise<void> {
  await api.call('logout');
}
