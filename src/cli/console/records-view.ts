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

/**
 * Who accessed the patient's data, newest first: alike entries of one day (the console's day) are
 * one line with how many times and the first and last time.
 */
export async function showAccessLog(s: ConsoleSession, patientId: string): Promise<void> {
  const utcOffset = -new Date().getTimezoneOffset();
  const log = await s.api.call('accessLog', { params: { id: patientId }, query: { limit: 50, utcOffset } });
  const local = (ms: number): string =>
    new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString();
  show('', '  Access history (newest first)');
  for (const e of log.entries) {
    const who = e.actorName ?? e.actorRole ?? 'system';
    const when =
      e.count === 1
        ? local(e.time).slice(0, 16).replace('T', ' ')
        : `${local(e.firstTime).slice(0, 16).replace('T', ' ')}–${local(e.time).slice(11, 16)}`;
    const times = e.count === 1 ? '' : ` ×${e.count}`;
    show(
      `  ${when.padEnd(22)} ${who.padEnd(22)} ${e.action}${e.recordType === null ? '' : ` (${e.recordType})`}${times}  ${e.outcome}`,
    );
  }
  show('');
}
