import { describeSeen, seen, type Seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { readStored, writeStored } from './record-rows.js';

/**
 * Ciphertext swapped between patients: the attacker exchanges, in SQL, the encrypted title,
 * body AND wrapped data key of patient A's diagnosis with those of patient B's record. Every
 * byte is genuine ciphertext made by MedVault, so only the associated data (which binds each
 * ciphertext and key to its record id and patient id) can tell. B must not read A's diagnosis
 * as their own: both reads must fail with 422. Restored afterwards.
 */
export const swappedCiphertext: Attack = {
  id: 'swapped-ciphertext',
  title: "Ciphertext swapped between patients: exchange two patients' encrypted records and keys",
  async run(world: DemoWorld): Promise<AttackResult> {
    const a = world.needPatient();
    const b = world.needPatientB();
    const r = world.needRecords();
    const db = world.app.store.db;
    const recA = await readStored(db, r.diagnosisId);
    const recB = await readStored(db, b.recordId);
    await writeStored(db, b.recordId, recA);
    await writeStored(db, r.diagnosisId, recB);
    let readB: Seen;
    let readA: Seen;
    try {
      readB = seen(await world.as(b.token).answer('getRecord', { params: { id: b.recordId } }));
      readA = seen(await world.as(a.token).answer('getRecord', { params: { id: r.diagnosisId } }));
    } finally {
      await writeStored(db, b.recordId, recB);
      await writeStored(db, r.diagnosisId, recA);
    }
    const leaked = JSON.stringify(readB.body ?? '').includes(r.diagnosisText);
    world.say(
      `swapped title_ct, body_ct and data_keys.wrapped of records ${r.diagnosisId.slice(0, 8)}… (A) and ${b.recordId.slice(0, 8)}… (B)`,
    );
    world.say(
      `patient B reads their record: ${describeSeen(readB)}${leaked ? ` — got A's diagnosis "${r.diagnosisText}"` : ''}`,
    );
    world.say(`patient A reads their diagnosis: ${describeSeen(readA)}`);
    const restored = seen(await world.as(b.token).answer('getRecord', { params: { id: b.recordId } }));
    return verdictOf([
      [
        readB.status === 422 && !leaked,
        `B reading A's ciphertext → ${readB.status}${leaked ? " (A's diagnosis shown to B)" : ''}`,
      ],
      [readA.status === 422, `A reading B's ciphertext → ${readA.status}`],
      [restored.status === 200, 'restored records read again'],
    ]);
  },
};
