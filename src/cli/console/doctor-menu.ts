import { browseRecords, showRecord } from './records-view.js';
import { attempt, type ConsoleSession } from './session.js';
import { ask, BACK, choose, show, type Back } from './ui.js';

async function pickPatient(s: ConsoleSession): Promise<string | Back> {
  const patients = await s.api.all('listPatients', { query: { limit: 100 } });
  if (patients.length === 0) {
    show('  (no patients in your care)');
    return BACK;
  }
  return choose<string | Back>('Patient', [
    ...patients.map((p) => ({
      name: `${p.fullName}  ${p.maskedSsn}  (${p.relation ?? 'care'})`,
      value: p.id,
    })),
    { name: '← Back', value: BACK },
  ]);
}

async function newNote(s: ConsoleSession): Promise<void> {
  const patientId = await pickPatient(s);
  if (patientId === BACK) return;
  const title = await ask('Title:', { validate: (v) => v.trim().length > 0 || 'required' });
  const text = await ask('Note:', { validate: (v) => v.trim().length > 0 || 'required' });
  const made = await s.api.call('createRecord', {
    params: { id: patientId },
    body: { type: 'clinical_note', title, body: { text } },
  });
  show(`  ✔ note ${made.id} written (encrypted under its own key)`);
}

async function search(s: ConsoleSession): Promise<void> {
  const keyword = await ask('Diagnosis keyword or ICD-10 code:', {
    validate: (v) => v.trim().length > 0 || 'required',
  });
  const hits = await s.api.all('search', { query: { keyword: keyword.trim() } });
  if (hits.length === 0) return show('  (no record you may read matches)');
  const id = await choose<string | Back>('Matches', [
    ...hits.map((h) => ({ name: `${h.title}  [${h.type}]`, value: h.recordId })),
    { name: '← Back', value: BACK },
  ]);
  if (id !== BACK) await showRecord(s, id);
}

/** The doctor's menu: my patients and their records, a new note, search by diagnosis. */
export async function doctorMenu(s: ConsoleSession): Promise<void> {
  for (;;) {
    const action = await choose<'patients' | 'note' | 'search' | Back>('Doctor menu', [
      { name: 'My patients and their records', value: 'patients' },
      { name: 'New clinical note', value: 'note' },
      { name: 'Search by diagnosis', value: 'search' },
      { name: 'Log out', value: BACK },
    ]);
    if (action === BACK) return;
    await attempt(async () => {
      if (action === 'patients') {
        const id = await pickPatient(s);
        if (id !== BACK) await browseRecords(s, id);
      } else if (action === 'note') await newNote(s);
      else await search(s);
    });
  }
}
