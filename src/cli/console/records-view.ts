import type { ConsoleSession } from './session.js';
import { BACK, choose, show, type Back } from './ui.js';

/** Prints one record in full (title, author, type, the decrypted body as indented JSON). */
export async function showRecord(s: ConsoleSession, recordId: string): Promise<void> {
  const r = await s.api.call('getRecord', { params: { id: recordId } });
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
    const records = await s.api.all('listRecords', { params: { id: patientId }, query: { limit: 100 } });
    if (records.length === 0) {
      show('  (no records)');
      return;
    }
    const picked = await choose<string | Back>('Records', [
      ...records.map((r) => ({
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
  const log = await s.api.call('accessLog', { params: { id: patientId }, query: { limit: 50 } });
  show('', '  Access history (newest first)');
  for (const e of log.entries) {
    const who = e.actorName ?? e.actorRole ?? 'system';
    show(
      `  ${new Date(e.time).toISOString().slice(0, 19).replace('T', ' ')}  ${who.padEnd(22)} ${e.action}${e.recordType === null ? '' : ` (${e.recordType})`}  ${e.outcome}`,
    );
  }
  show('');
}
