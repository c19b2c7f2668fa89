import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadContext } from '../../src/app/prescriptions/deps.js';
import { canonicalJson, type JsonValue } from '../../src/contract/canonical-json.js';
import { sealWithDek } from '../../src/crypto/envelope.js';
import { addKey, dispense, ledgerCount, prescribe, rxWorld, signed, type RxWorld } from './world.js';
import { DIALECTS } from '../support/stores.js';
import { items } from '../support/json-answer.js';

/**
 * Acceptance: a stored prescription that was altered in any way, names another doctor's key,
 * carries a signature of another payload, or was signed with a key revoked before it was
 * issued is refused at dispense with 422, a `prescription.refused` entry, and nothing dispensed.
 * The attacker here is strong: they hold the data keys and re-encrypt a payload they edited,
 * recomputing the stored hash too; only the doctor's signature stands in their way.
 */
describe.each(DIALECTS)('tampered prescriptions on %s', (dialect) => {
  let w: RxWorld;
  beforeAll(async () => {
    w = await rxWorld({ db: dialect });
  });
  afterAll(async () => {
    await w?.close();
  });

  const db = () => w.app.store.db;

  /** Dispense must answer 422 `code`, leave the fills alone and write one refusal. */
  async function expectRefused(id: string, code: string | RegExp): Promise<void> {
    const before = await db()
      .selectFrom('prescriptions')
      .select('fills_remaining')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const res = await dispense(w, id);
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toMatch(code);
    const after = await db()
      .selectFrom('prescriptions')
      .select(['fills_remaining', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after.fills_remaining).toBe(before.fills_remaining);
    expect(after.status).toBe('active');
    expect(await ledgerCount(w, 'prescription.dispense', id)).toBe(0);
    expect(await ledgerCount(w, 'prescription.refused', id)).toBe(1);
    const view = await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.pharmacist.token });
    expect(view.body.verification?.valid).toBe(false);
  }

  /** Re-encrypts an edited payload under the row's own DEK and (optionally) fixes the hash. */
  async function rewritePayload(
    id: string,
    edit: (p: Record<string, JsonValue>) => void,
    fixHash = true,
  ): Promise<void> {
    const row = await db()
      .selectFrom('prescriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const ctx = payloadContext(id, row.patient_id);
    const payload = JSON.parse(
      (await w.app.dataKeys.open(db(), ctx, row.payload_ct)).toString('utf8'),
    ) as Record<string, JsonValue>;
    edit(payload);
    const bytes = Buffer.from(canonicalJson(payload), 'utf8');
    const ct = sealWithDek(bytes, ctx, await w.app.dataKeys.dekFor(db(), ctx));
    await db()
      .updateTable('prescriptions')
      .set({
        payload_ct: ct,
        ...(fixHash ? { payload_sha256: createHash('sha256').update(bytes).digest('hex') } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  const FIELD_EDITS: Record<string, (p: Record<string, JsonValue>) => void> = {
    patientId: (p) => void (p.patientId = w.patientB.id),
    'medicine.id': (p) => void ((p.medicine as Record<string, JsonValue>).id = 'oxycodone-5mg-tablet'),
    'medicine.name': (p) => void ((p.medicine as Record<string, JsonValue>).name = 'Oxycodone'),
    'medicine.strength': (p) => void ((p.medicine as Record<string, JsonValue>).strength = '5000 mg'),
    'medicine.form': (p) => void ((p.medicine as Record<string, JsonValue>).form = 'tablet'),
    dose: (p) => void (p.dose = '10 capsules'),
    route: (p) => void (p.route = 'intravenous'),
    frequency: (p) => void (p.frequency = 'hourly'),
    quantity: (p) => void (p.quantity = 900),
    refills: (p) => void (p.refills = 11),
    instructions: (p) => void (p.instructions = 'Take them all.'),
    issuedAt: (p) => void (p.issuedAt = (p.issuedAt as number) + 1),
    expiresAt: (p) => void (p.expiresAt = (p.expiresAt as number) + 86_400_000),
    nonce: (p) => void (p.nonce = 'A'.repeat(22)),
    prescriberId: (p) => void (p.prescriberId = w.other.actor.userId),
    keyId: (p) => void (p.keyId = w.doctorEd.keyId),
  };

  it('refuses a payload with ANY field changed (re-encrypted, hash recomputed)', async () => {
    for (const [field, edit] of Object.entries(FIELD_EDITS)) {
      const id = await prescribe(w, w.doctor);
      await rewritePayload(id, edit);
      await expectRefused(id, /^(invalid_signature|payload_altered|key_mismatch)$/).catch((err: Error) => {
        throw new Error(`field ${field}: ${err.message}`);
      });
    }
  });

  it('refuses a changed payload whose stored hash was left alone, and flipped ciphertext', async () => {
    const a = await prescribe(w, w.doctor);
    await rewritePayload(a, (p) => void (p.quantity = 500), false);
    await expectRefused(a, 'payload_altered');
    const b = await prescribe(w, w.doctor);
    const row = await db()
      .selectFrom('prescriptions')
      .select('payload_ct')
      .where('id', '=', b)
      .executeTakeFirstOrThrow();
    const flipped = Buffer.from(row.payload_ct);
    flipped[flipped.length - 5]! ^= 0x01;
    await db().updateTable('prescriptions').set({ payload_ct: flipped }).where('id', '=', b).execute();
    await expectRefused(b, 'payload_unreadable');
  });

  it('refuses clear columns that disagree with the signed payload (more fills, later expiry)', async () => {
    const a = await prescribe(w, w.doctor);
    await db().updateTable('prescriptions').set({ fills_remaining: 5 }).where('id', '=', a).execute();
    await expectRefused(a, 'payload_altered');
    const b = await prescribe(w, w.doctor);
    await db()
      .updateTable('prescriptions')
      .set({ expires_at: Date.now() + 900 * 86_400_000 })
      .where('id', '=', b)
      .execute();
    await expectRefused(b, 'payload_altered');
  });

  it("refuses another doctor's key id substituted in the row, or in row and payload", async () => {
    const a = await prescribe(w, w.doctorEd);
    await db().updateTable('prescriptions').set({ key_id: w.other.keyId }).where('id', '=', a).execute();
    await expectRefused(a, /^(key_mismatch|unknown_signing_key)$/);
    // Everything rewritten to name the other doctor and their key: the signature is still this doctor's.
    const b = await prescribe(w, w.doctorEd);
    await rewritePayload(b, (p) => {
      p.keyId = w.other.keyId;
      p.prescriberId = w.other.actor.userId;
    });
    await db()
      .updateTable('prescriptions')
      .set({ key_id: w.other.keyId, prescriber_id: w.other.actor.userId })
      .where('id', '=', b)
      .execute();
    await expectRefused(b, 'invalid_signature');
  });

  it('refuses a signature reused from another prescription', async () => {
    const a = await prescribe(w, w.doctor);
    const b = await prescribe(w, w.doctor);
    const sigA = await db()
      .selectFrom('prescriptions')
      .select('signature')
      .where('id', '=', a)
      .executeTakeFirstOrThrow();
    await db().updateTable('prescriptions').set({ signature: sigA.signature }).where('id', '=', b).execute();
    await expectRefused(b, 'invalid_signature');
  });

  it('refuses a key revoked before issue; a key revoked later keeps earlier prescriptions valid; new signatures with it fail', async () => {
    const signer = await addKey(w.app, w.doctor.actor, 'ed25519');
    const early = await prescribe(w, signer);
    const later = await prescribe(w, signer);
    const issued = await db()
      .selectFrom('prescriptions')
      .select('issued_at')
      .where('id', '=', early)
      .executeTakeFirstOrThrow();
    // Revoked (by an admin, through the API) after both were issued: both stay dispensable…
    const res = await w.call('DELETE', `/api/v1/admin/users/${signer.actor.userId}/keys/${signer.keyId}`, {
      token: w.admin.token,
    });
    expect(res.status).toBe(204);
    expect((await dispense(w, later)).status).toBe(200);
    // …but a revocation dated before the issue time voids it.
    await db()
      .updateTable('staff_keys')
      .set({ revoked_at: issued.issued_at - 1000 })
      .where('key_id', '=', signer.keyId)
      .execute();
    await expectRefused(early, 'signing_key_revoked');
    const fresh = await w.call('POST', '/api/v1/prescriptions', {
      token: signer.token,
      body: signed(signer, w.patient.id),
    });
    expect([fresh.status, fresh.body.error?.code]).toEqual([422, 'signing_key_revoked']);
  });

  it('refuses an expired prescription and drops it from the queue', async () => {
    const id = await prescribe(w, w.doctorEd, { expiresAt: Date.now() + 1200 });
    await new Promise((r) => setTimeout(r, 1300));
    await expectRefused(id, 'prescription_expired');
    const queue = await w.call('GET', '/api/v1/prescriptions?status=pending&limit=100', {
      token: w.pharmacist.token,
    });
    expect(items(queue.body.items).map((i) => i.id)).not.toContain(id);
  });
});
