/**
 * The authentication routes (DESIGN.md "HTTP API"), with the server's answers checked before the
 * UI trusts them.
 */
import { ApiError, apiGet, apiPost, isRecord } from './client.js';
import { isRole, type Role } from '../nav.js';

export interface SessionUser {
  readonly id: string;
  readonly role: Role;
  /** What the header shows: display name, else username, else id. */
  readonly displayName: string;
}

export interface StaffChallenge {
  readonly challengeId: string;
  readonly challenge: string;
}

/**
 * Accepts `{user: {...}}` (the login answer's shape) or a bare user object, with `id` (string or
 * number), `role`, and optionally `displayName`, `name` or `username`. Returns undefined when the
 * shape does not fit, so a half-built server cannot crash the UI.
 */
export function parseSessionUser(body: unknown): SessionUser | undefined {
  const candidate = isRecord(body) && isRecord(body.user) ? body.user : body;
  if (!isRecord(candidate) || !isRole(candidate.role)) return undefined;
  const id = typeof candidate.id === 'string' || typeof candidate.id === 'number' ? String(candidate.id) : '';
  const name = [candidate.displayName, candidate.name, candidate.username].find(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  if (!id && !name) return undefined;
  return { id, role: candidate.role, displayName: name ?? id };
}

/** The current session's user, or undefined when not logged in (401, or 404 before the route exists). */
export async function fetchCurrentUser(): Promise<SessionUser | undefined> {
  try {
    const body = await apiGet('/auth/me');
    return parseSessionUser(body);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return undefined;
    throw error;
  }
}

export interface PatientCredentials {
  readonly ssn: string;
  readonly pin: string;
  readonly password: string;
}

export async function loginPatient(credentials: PatientCredentials): Promise<SessionUser | undefined> {
  return parseSessionUser(await apiPost('/auth/patient/login', credentials));
}

export async function requestStaffChallenge(username: string): Promise<StaffChallenge> {
  const body = await apiPost('/auth/staff/challenge', { username });
  if (isRecord(body) && typeof body.challengeId === 'string' && typeof body.challenge === 'string') {
    return { challengeId: body.challengeId, challenge: body.challenge };
  }
  throw new ApiError(502, 'bad_challenge', 'The server sent a malformed login challenge.');
}

export interface StaffLogin {
  readonly username: string;
  readonly password: string;
  readonly challengeId: string;
  /** base64 signature over the UTF-8 bytes of the challenge string. */
  readonly signature: string;
}

export async function loginStaff(login: StaffLogin): Promise<SessionUser | undefined> {
  return parseSessionUser(await apiPost('/auth/staff/login', login));
}

export async function logout(): Promise<void> {
  await apiPost('/auth/logout');
}
