import { AccessLogPage, RecordPage, RecordView } from '../demo/api-schemas.js';
import type { ConsoleSession } from './session.js';
import { BACK, choose, show, type Back } from './ui.js';

/** Prints one record in full (title, author, type, the decrypted body as indented JSON). */
export async function showRecord(s: ConsoleSession, recordId: string): Promise<void> {
  const r = await s.api.expect(RecordView, 200, 'GET', `/api/v1/records/${recordId}`, { token: s.token });
  show(
    '',
    `  ${r.title}`,
    `  ${r.type} · by ${r.authorName ?? 'unknown'} · ${new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')}`,
    ...JSON.stringify(r.body, null, 2)
      .split('\n')
      .map((l) => `    ${l}`),
    ...(r.keywords.length > 0 ? [`  keywords: ${r.keywords.join(', ')}`] : []),
    '',
  );
}

/** A patient's records as a menu; choosing one shows it. Loops until "Back". */
export async function browseRecords(s: ConsoleSession, patientId: string): Promise<void> {
  for (;;) {
    const page = await s.api.expect(
      RecordPage,
      200,
      'GET',
      `/api/v1/patients/${patientId}/records?limit=100`,
      { token: s.token },
    );
    if (page.records.length === 0) {
      show('  (no records)');
      return;
    }
    const picked = await choose<string | Back>('Records', [
      ...page.records.map((r) => ({
        name: `${r.title ?? '(untitled)'}  [${r.type}]  ${new Date(r.createdAt).toISOString().slice(0, 10)}`,
        value: r.id,
      })),
      { name: '← Back', value: BACK },
    ]);
    if (picked === BACK) return;
    await showRecord(s, picked);
  }
}

/** Who accessed the patient's data, newest first. */
export async function showAccessLog(s: ConsoleSession, patientId: string): Promise<void> {
  const log = await s.api.expect(
    AccessLogPage,
    200,
    'GET',
    `/api/v1/patients/${patientId}/access-log?limit=50`,
    { token: s.token },
  );
  show('', '  Access history (newest first)');
  for (const e of log.entries) {
    const who = e.actorName ?? e.actorRole ?? 'system';
    show(
      `  ${new Date(e.time).toISOString().slice(0, 19).replace('T', ' ')}  ${who.padEnd(22)} ${e.action}${e.recordType === null ? '' : ` (${e.recordType})`}  ${e.outcome}`,
    );
  }
  show('');
}
