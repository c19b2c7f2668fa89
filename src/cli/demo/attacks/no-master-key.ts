import { randomBytes } from 'node:crypto';
import { openApp, type AppContext } from '../../../app/context.js';
import { AppError } from '../../../app/errors.js';
import { StartupError } from '../../../app/startup-error.js';
import { loadConfig } from '../../../config/config.js';
import { openWithDek } from '../../../crypto/envelope.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';
import { keysFromCredentials, recordsOpenedWith } from './credential-keys.js';
import { stealCopy, type StolenCopy } from './database-copy.js';
import { recordFieldContext, recordKeyContext } from '../../../app/records/index.js';

/** Opens the stolen copy with MedVault itself, under a master key of the attacker's choosing. */
function openCopy(copy: StolenCopy, masterKey: Buffer): Promise<AppContext> {
  return openApp(
    loadConfig({
      MEDVAULT_DATA_DIR: copy.dataDir,
      MEDVAULT_MASTER_KEY: masterKey.toString('base64'),
      LOG_LEVEL: 'silent',
      ...(copy.databaseUrl === undefined ? {} : { DATABASE_URL: copy.databaseUrl }),
    }),
  );
}

/** How many of the copy's records open through MedVault's own data-key path. */
async function recordsOpenedByApp(app: AppContext): Promise<{ rows: number; opened: number }> {
  const db = app.store.db;
  const records = await db.selectFrom('records').select(['id', 'patient_id', 'body_ct']).execute();
  let opened = 0;
  for (const r of records) {
    try {
      const dek = await app.dataKeys.dekFor(db, recordKeyContext(r.id, r.patient_id));
      openWithDek(r.body_ct, recordFieldContext(r.id, r.patient_id, 'body'), dek);
      opened++;
    } catch {
      // Expected: the data key was wrapped under the real keyring and does not unwrap.
    }
  }
  return { rows: records.length, opened };
}

/**
 * The thief has the database copy AND the patient's credentials (cracked or phished), but not
 * the master key. They run MedVault on the copy: with a guessed master key it refuses to start;
 * with the keyring replaced by a fresh one (their own master key) it starts, but the stolen
 * credentials no longer log in (the pepper is gone) and no record opens — not with the new
 * keyring, not with keys derived from the credentials.
 */
export const noMasterKey: Attack = {
  id: 'no-master-key',
  title: 'Stolen database + cracked credentials, no master key: run MedVault on the copy',
  async run(world: DemoWorld): Promise<AttackResult> {
    const p = world.needPatient();
    const copy = await stealCopy(world);
    try {
      let refused = false;
      try {
        const wrong = await openCopy(copy, randomBytes(32));
        await wrong.close();
      } catch (err) {
        if (!(err instanceof StartupError)) throw err;
        refused = true;
        world.say(`MedVault on the copy with a guessed master key: refused — ${err.message.slice(0, 100)}`);
      }
      await copy.deleteKeyring();
      const forged = await openCopy(copy, randomBytes(32));
      try {
        world.say(
          "keyring replaced by a fresh one under the attacker's own master key: MedVault starts on the copy",
        );
        let loginRefused = false;
        try {
          await forged.identity.patientLogin.login({ ssn: p.ssn, pin: p.pin, password: p.password });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          loginRefused = true;
          world.say(`login with the real SSN, PIN and password on the copy: refused (${err.code})`);
        }
        const viaApp = await recordsOpenedByApp(forged);
        const derived = await recordsOpenedWith(forged.store.db, keysFromCredentials(p));
        world.say(
          `${viaApp.rows} records: ${viaApp.opened} opened through the fresh keyring; keys derived from the credentials: ${derived.tried} attempts, ${derived.opened} opened`,
        );
        return verdictOf([
          [refused, 'a guessed master key does not open the keyring'],
          [loginRefused, 'the real credentials do not log in without the pepper'],
          [viaApp.rows > 0 && viaApp.opened + derived.opened === 0, `0 of ${viaApp.rows} records readable`],
        ]);
      } finally {
        await forged.close();
      }
    } finally {
      await copy.dispose();
    }
  },
};
