/**
 * A patient's access history: who read or wrote what of theirs, when, in which role and why
 * (break-glass reason). GET /patients/:id/access-log (the patient themself, admins), newest first.
 */
import { api, type RouteOutput } from './client.js';

export type AccessPage = RouteOutput<'accessLog'>;
export type AccessEntry = AccessPage['entries'][number];

export async function listAccessLog(patientId: string, cursor?: string, limit?: number): Promise<AccessPage> {
  return api.call('accessLog', { params: { id: patientId }, query: { cursor, limit } });
}
