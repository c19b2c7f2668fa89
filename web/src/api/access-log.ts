/**
 * A patient's access history: who read or wrote what of theirs, when, in which role and why
 * (break-glass reason). GET /patients/:id/access-log (the patient themself, admins), newest first;
 * alike entries of one day (the browser's day) come as one entry with their count.
 */
import { api, type RouteOutput } from './client.js';

export type AccessPage = RouteOutput<'accessLog'>;
export type AccessEntry = AccessPage['entries'][number];

export async function listAccessLog(patientId: string, cursor?: string, limit?: number): Promise<AccessPage> {
  // Minutes east of UTC, as the server groups by the reader's day (the cursor keeps the first page's).
  const utcOffset = -new Date().getTimezoneOffset();
  return api.call('accessLog', { params: { id: patientId }, query: { cursor, limit, utcOffset } });
}
