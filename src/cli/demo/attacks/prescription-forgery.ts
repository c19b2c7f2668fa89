import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { sealWithDek } from '../../../crypto/envelope.js';
import { describeSeen, seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { PRESCRIPTION_ROUTES, prescribe } from '../steps/prescription.js';
import type { DemoWorld } from '../world.js';
import { payloadContext, canonicalPayload } from '../../../app/prescriptions/index.js';

/**
 * Rewrites a stored prescription as a strong insider would: decrypt the payload with the
 * server's own data keys, edit it, re-encrypt it in place and fix the stored hash, optionally
 * replacing the signature with one the attacker made.
 */
async function rewrite(
  world: DemoWorld,
  id: string,
  edit: (payload: Record<string, unknown>) => void,
  resign?: (canonical: string) => string,
): Promise<void> {
  const db = world.app.store.db;
  const row = await db
    .selectFrom('prescriptions')
    .select(['patient_id', 'payload_ct'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const ctx = payloadContext(id, row.patient_id);
  const payload = JSON.parse(
    (await world.app.dataKeys.open(db, ctx, row.payload_ct)).toString('utf8'),
  ) as Record<string, unknown>;
  edit(payload);
  const canonical = canonicalPayload(payload);
  const ct = sealWithDek(Buffer.from(canonical, 'utf8'), ctx, await world.app.dataKeys.dekFor(db, ctx));
  await db
    .updateTable('prescriptions')
    .set({
      payload_ct: ct,
      payload_sha256: createHash('sha256').update(canonical, 'utf8').digest('hex'),
      ...(resign === undefined ? {} : { signature: resign(canonical) }),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Two prescriptions are signed by the doctor; then, in the database: one has its quantity
 * raised from 21 to 900 (re-encrypted, hash fixed — only the doctor's signature stands in the
 * way); the other is changed to oxycodone and re-signed with the attacker's own key under the
 * doctor's key id (a forgery). The pharmacist's dispense must refuse both with 422.
 */
export const prescriptionForgery: Attack = {
  id: 'prescription-forgery',
  title: 'Forged and altered prescriptions: edit the signed payload in the database, forge a signature',
  requires: PRESCRIPTION_ROUTES,
  async run(world: DemoWorld): Promise<AttackResult> {
    const p = world.needPatient();
    const pharmacist = world.member('pharmacist');
    const altered = await prescribe(world, p.id);
    const forged = await prescribe(world, p.id);
    await rewrite(world, altered, (payload) => {
      payload.quantity = 900;
    });
    const found = await world
      .as(world.member('doctor').token)
      .call('searchMedicines', { query: { q: 'oxycodone' } });
    const opioid = found.medicines[0];
    const attackerKey = generateKeyPairSync('ed25519').privateKey;
    await rewrite(
      world,
      forged,
      (payload) => {
        if (opioid !== undefined)
          payload.medicine = {
            id: opioid.id,
            name: opioid.genericName,
            strength: opioid.strength,
            form: opioid.form,
          };
        payload.quantity = 120;
      },
      (canonical) => sign(null, Buffer.from(canonical, 'utf8'), attackerKey).toString('base64'),
    );
    const asPharmacist = world.as(pharmacist.token);
    const a = seen(await asPharmacist.answer('dispensePrescription', { params: { id: altered } }));
    world.say(`altered (quantity 21 → 900, re-encrypted, hash recomputed) → dispense: ${describeSeen(a)}`);
    const f = seen(await asPharmacist.answer('dispensePrescription', { params: { id: forged } }));
    world.say(
      `forged (${opioid?.genericName ?? 'same medicine'} ×120, signed with the attacker's key) → dispense: ${describeSeen(f)}`,
    );
    const fills = await world.app.store.db
      .selectFrom('prescription_dispenses')
      .select('prescription_id')
      .where('prescription_id', 'in', [altered, forged])
      .execute();
    return verdictOf([
      [a.status === 422, `altered prescription refused (${describeSeen(a)})`],
      [f.status === 422, `forged prescription refused (${describeSeen(f)})`],
      [fills.length === 0, 'nothing dispensed'],
    ]);
  },
};
