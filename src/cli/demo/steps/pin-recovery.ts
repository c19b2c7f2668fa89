import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describeSeen, seen } from '../answers.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { patientLogin } from './register.js';

/**
 * SHA-256 of everything stored for the patient's records: each row's title and body
 * ciphertext, each record's wrapped data key, and the encrypted image file. Read straight from
 * the database and the data folder, as an auditor would.
 */
export async function ciphertextFingerprints(
  world: DemoWorld,
  patientId: string,
): Promise<Map<string, string>> {
  const db = world.app.store.db;
  const rows = await db
    .selectFrom('records')
    .select(['id', 'title_ct', 'body_ct'])
    .where('patient_id', '=', patientId)
    .orderBy('id')
    .execute();
  const out = new Map<string, string>();
  for (const row of rows) {
    const keys = await db
      .selectFrom('data_keys')
      .select(['wrapped'])
      .where('owner_table', '=', 'records')
      .where('owner_id', '=', row.id)
      .execute();
    const h = createHash('sha256').update(row.title_ct).update(row.body_ct);
    for (const k of keys) h.update(k.wrapped);
    out.set(`record ${row.id}`, h.digest('hex'));
  }
  const recs = world.records;
  if (recs !== undefined) {
    const file = path.join(world.dataDir, 'attachments', `${recs.attachmentId}.mves`);
    if (fs.existsSync(file))
      out.set(
        `image  ${recs.attachmentId}`,
        createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      );
  }
  return out;
}

/**
 * Step 4: the patient forgets the PIN and recovers it with SSN + password + date of birth +
 * recovery code. Authentication is not encryption: the ciphertext and the wrapped keys are
 * byte-identical before and after, so nothing was re-encrypted.
 */
export const pinRecoveryStep: Step = {
  title: 'Step 4 — The patient forgets the PIN, recovers it, and nothing is re-encrypted',
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatient();
    const recs = world.needRecords();
    const before = await ciphertextFingerprints(world, p.id);
    world.say('SHA-256 of the stored ciphertext before recovery:');
    for (const [what, hash] of before) world.say(`  ${what}  ${hash.slice(0, 24)}…`);
    let newPin = p.pin;
    while (newPin === p.pin) newPin = String(randomInt(1_000_000)).padStart(6, '0');
    const answer = await world.api.call('recoverPin', {
      body: {
        ssn: p.ssn,
        password: p.password,
        dateOfBirth: p.dateOfBirth,
        recoveryCode: p.recoveryCode,
        newPin,
      },
    });
    world.say(
      `recovered with the recovery code: new PIN ${newPin}; new one-time recovery code ${answer.recoveryCode}`,
    );
    if (answer.recoveryCode === '') throw new Error('recovery gave no new recovery code');
    const old = seen(
      await world.api.answer('patientLogin', { body: { ssn: p.ssn, pin: p.pin, password: p.password } }),
    );
    if (old.status !== 401) throw new Error(`the old PIN still answered ${old.status}`);
    world.say(`old PIN ${p.pin}: ${describeSeen(old)}`);
    p.pin = newPin;
    p.recoveryCode = answer.recoveryCode;
    p.token = (await patientLogin(world, p)).token;
    const view = await world.as(p.token).call('getRecord', { params: { id: recs.diagnosisId } });
    world.say(`new PIN ${newPin}: logged in, diagnosis "${view.title}" still reads`);
    const after = await ciphertextFingerprints(world, p.id);
    world.say('SHA-256 of the stored ciphertext after recovery:');
    let changed = 0;
    for (const [what, hash] of after) {
      const same = before.get(what) === hash;
      if (!same) changed++;
      world.say(`  ${what}  ${hash.slice(0, 24)}…  ${same ? 'unchanged' : 'CHANGED'}`);
    }
    if (changed > 0 || after.size !== before.size)
      throw new Error(`${changed} stored objects changed during PIN recovery`);
    return `${after.size} ciphertexts byte-identical before and after: the PIN is not a key`;
  },
};
