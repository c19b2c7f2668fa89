import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { imageNeedles } from '../synthetic-xray.js';
import type { DemoWorld } from '../world.js';
import { keysFromVerifier, recordsOpenedWith } from './credential-keys.js';
import { dataFolderFiles, dumpTables } from './database-copy.js';

/** Clinical and identifying values of the demo that must appear nowhere at rest. */
function needles(world: DemoWorld): Array<{ what: string; bytes: Buffer }> {
  const p = world.needPatient();
  const b = world.needPatientB();
  const r = world.needRecords();
  const text = (what: string, s: string) => ({ what, bytes: Buffer.from(s, 'utf8') });
  return [
    text('SSN', p.ssn),
    text('SSN (digits only)', p.ssn.replaceAll('-', '')),
    text("second patient's SSN", b.ssn),
    text('name', p.fullName),
    text('surname', p.fullName.split(' ').pop() ?? p.fullName),
    text("second patient's name", b.fullName),
    text('date of birth', p.dateOfBirth),
    text('diagnosis', r.diagnosisText),
    text('diagnosis (ICD-10)', r.icd10),
    text('lab analyte', 'Haemoglobin'),
    text('password', p.password),
    text('recovery code', p.recoveryCode),
    ...world.vitalsNeedles.map((v) => text('vital', v)),
    ...imageNeedles(r.image).map((bytes) => ({ what: 'X-ray image bytes', bytes })),
  ];
}

/**
 * A thief copies the whole database — every table, byte for byte — and the rest of the data
 * folder, but not the master key. Nothing clinical or identifying may appear in it, and the
 * credential verifiers in it must not work as keys to any record.
 */
export const stolenDatabase: Attack = {
  id: 'stolen-database',
  title: 'Stolen database copy: dump every table and file, look for patient data, use the hashes as keys',
  async run(world: DemoWorld): Promise<AttackResult> {
    const tables = await dumpTables(world);
    const files = dataFolderFiles(world.dataDir);
    const haystacks = [
      ...tables.map((t) => ({ where: `table ${t.table}`, bytes: t.bytes })),
      ...files.map((f) => ({ where: `file ${f.file}`, bytes: f.bytes })),
    ];
    const total = haystacks.reduce((n, h) => n + h.bytes.length, 0);
    const rows = tables.reduce((n, t) => n + t.rows.length, 0);
    world.say(
      `dumped ${tables.length} tables (${rows} rows) and ${files.length} file(s) of the data folder: ${(total / 1024).toFixed(0)} KiB`,
    );
    const list = needles(world);
    const found: string[] = [];
    for (const n of list)
      for (const h of haystacks) if (h.bytes.includes(n.bytes)) found.push(`${n.what} in ${h.where}`);
    world.say(
      `searched for ${list.length} values (SSNs, names, DOB, diagnosis, lab values, vitals, image bytes, password): ${found.length} found`,
    );
    for (const f of found) world.say(`  FOUND ${f}`);
    const verifiers = new Set<string>();
    for (const t of tables)
      for (const row of t.rows)
        for (const v of Object.values(row))
          if (typeof v === 'string' && v.startsWith('mv1$')) verifiers.add(v);
    const candidates = [...verifiers].flatMap(keysFromVerifier);
    const { tried, opened } = await recordsOpenedWith(world.app.store.db, candidates);
    world.say(
      `${verifiers.size} credential verifiers (argon2id, peppered) tried as data keys and key-encryption keys: ${tried} attempts, ${opened} records opened`,
    );
    return verdictOf([
      [found.length === 0, `no patient value in ${(total / 1024).toFixed(0)} KiB of stolen bytes`],
      [verifiers.size > 0 && opened === 0, `${verifiers.size} credential hashes open 0 records`],
    ]);
  },
};
