import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import {
  dispense,
  draft,
  ledgerCount,
  prescribe,
  rxWorld,
  signed,
  signedRaw,
  submit,
  type RxWorld,
} from './world.js';
import { DIALECTS } from '../support/stores.js';
import { items } from '../support/json-answer.js';

/** The happy path and submission checks, on every dialect. */
describe.each(DIALECTS)('prescriptions on %s', (dialect) => {
  let w: RxWorld;
  beforeAll(async () => {
    // Refill timing (refill-timing.test.ts) is off here: these tests take refills back to back.
    w = await rxWorld({ db: dialect, settings: { MEDVAULT_REFILL_DUE_PERCENT: '0' } });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('signs (RSA and Ed25519), queues, verifies and dispenses once, with ledger entries', async () => {
    for (const signer of [w.doctor, w.doctorEd]) {
      const id = await prescribe(w, signer);
      const view = await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.pharmacist.token });
      expect(view.status).toBe(200);
      expect(view.body.verification).toMatchObject({
        valid: true,
        failure: null,
        keyId: signer.keyId,
        algorithm: signer.algorithm,
      });
      expect(view.body.prescriber?.name).toBe('Dr Ada Signer');
      expect(view.body.details?.medicine?.id).toBe('amoxicillin-500mg-capsule');
      expect(view.body.patient?.name).toMatch(/^Ada Quill/);
      const queue = await w.call('GET', '/api/v1/prescriptions?status=pending&limit=100', {
        token: w.pharmacist.token,
      });
      expect(items(queue.body.items).map((i) => i.id)).toContain(id);
      const first = await dispense(w, id);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ fillNumber: 1, fillsRemaining: 0, status: 'dispensed' });
      expect((await dispense(w, id)).status).toBe(409);
      const after = await w.call('GET', '/api/v1/prescriptions?status=pending&limit=100', {
        token: w.pharmacist.token,
      });
      expect(items(after.body.items).map((i) => i.id)).not.toContain(id);
      expect(await ledgerCount(w, 'prescription.sign', id)).toBe(1);
      expect(await ledgerCount(w, 'prescription.dispense', id)).toBe(1);
    }
  });

  it('refills decrement one fill at a time', async () => {
    const id = await prescribe(w, w.doctor, { refills: 2 });
    const fills = [];
    for (let i = 0; i < 3; i++) fills.push((await dispense(w, id)).body);
    expect(fills.map((f) => [f.fillNumber, f.fillsRemaining])).toEqual([
      [1, 2],
      [2, 1],
      [3, 0],
    ]);
    expect((await dispense(w, id)).status).toBe(409);
    const view = await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.patient.token });
    expect(view.body.dispenses).toHaveLength(3);
    expect(view.body.status).toBe('dispensed');
  });

  it('stores no plaintext of the payload, and no private key', async () => {
    const marker = 'Unusual instruction 7f3a9c';
    const id = await prescribe(w, w.doctor, { instructions: marker });
    const row = await w.app.store.db
      .selectFrom('prescriptions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(row) + row.payload_ct.toString('latin1');
    expect(text).not.toContain(marker);
    expect(text).not.toContain('amoxicillin');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('refuses a bad signature, a signature reused on a new payload, a revoked or foreign key (422), and replays (409)', async () => {
    const original = signed(w.doctor, w.patient.id);
    const post = (body: unknown, token = w.doctor.token) =>
      w.call('POST', '/api/v1/prescriptions', { token, body });
    // Signature of another payload.
    const other = signed(w.doctor, w.patient.id, { quantity: 99 });
    expect((await post({ ...original, signature: other.signature })).status).toBe(422);
    // The same signature over a modified payload.
    const reused = await post({ ...original, payload: { ...original.payload, quantity: 99 } });
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe('invalid_signature');
    // Another doctor's key id (the payload signed by the other doctor but submitted by this one).
    const foreign = signPrescriptionDraft(w.other.privateKeyPem, draft(w.doctor, w.patient.id));
    const f = await post(foreign);
    expect([f.status, f.body.error?.code]).toEqual([422, 'unknown_signing_key']);
    // Accepted once; the identical signed bytes again are a replay.
    expect((await post(original)).status).toBe(201);
    const replay = await post(original);
    expect([replay.status, replay.body.error?.code]).toEqual([409, 'duplicate_prescription']);
    // Prescriber must be the caller.
    const notMe = signPrescriptionDraft(w.doctor.privateKeyPem, draft(w.other, w.patient.id));
    expect((await post(notMe)).status).toBe(400);
    // A doctor without access to the patient: 404.
    expect((await submit(w, w.stranger)).status).toBe(404);
  });

  it('refuses submissions outside the bounds (4xx) and stores nothing', async () => {
    const count = async () =>
      Number(
        (
          await w.app.store.db
            .selectFrom('prescriptions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const now = Date.now();
    const bad: Array<Record<string, unknown>> = [
      { quantity: 0 },
      { quantity: 1001 },
      { refills: 12 },
      { route: 'by wishing' },
      { dose: '' },
      { dose: 'x'.repeat(101) },
      { instructions: 'x'.repeat(1001) },
      { medicine: { id: 'no-such-medicine', name: 'X', strength: '1 mg', form: 'tablet' } },
      {
        medicine: {
          id: 'amoxicillin-500mg-capsule',
          name: 'Amoxicillin',
          strength: '5000 mg',
          form: 'capsule',
        },
      },
      { issuedAt: now - 3_600_000 },
      { expiresAt: now - 1 },
      { expiresAt: now + 400 * 86_400_000 },
      { extra: 'field' },
      { nonce: 'short' },
      { patientId: 'x'.repeat(65) },
      { frequency: 'tab\tcharacter' },
      {
        medicine: { id: 'oxycodone-5mg-tablet', name: 'Oxycodone', strength: '5 mg', form: 'tablet' },
        refills: 1,
      },
    ];
    for (const over of bad) {
      const res = await w.call('POST', '/api/v1/prescriptions', {
        token: w.doctor.token,
        body: signedRaw(w.doctor, w.patient.id, over),
      });
      expect(res.status, JSON.stringify(over)).toBe(400);
    }
    const raw = async (text: string) =>
      (await w.call('POST', '/api/v1/prescriptions', { token: w.doctor.token, raw: text })).status;
    expect(await raw('{not json')).toBe(400);
    // A lone surrogate has no canonical form: nothing could have signed it.
    const good = signed(w.doctor, w.patient.id);
    expect(await raw(JSON.stringify({ ...good, payload: { ...good.payload, dose: 'x \ud800 y' } }))).toBe(
      400,
    );
    expect(await raw(JSON.stringify({ ...signed(w.doctor, w.patient.id), pad: 'x'.repeat(20_000) }))).toBe(
      413,
    );
    expect(await raw(JSON.stringify({ payload: 1, signature: 'AA==', keyId: 'x'.repeat(22) }))).toBe(400);
    expect(await count()).toBe(before);
  });

  it('searches the medicines catalog (doctor, pharmacist; not patients)', async () => {
    const res = await w.call('GET', '/api/v1/medicines?q=AMOX', { token: w.doctor.token });
    expect(res.status).toBe(200);
    expect(items(res.body.medicines).map((m) => m.id)).toEqual([
      'amoxicillin-500mg-capsule',
      'amoxicillin-and-clavulanate-875mg-125mg-tablet',
    ]);
    const all = await w.call('GET', '/api/v1/medicines?limit=50', { token: w.pharmacist.token });
    expect(all.body.medicines).toHaveLength(50);
    expect(
      (await w.call('GET', '/api/v1/medicines?q=%25', { token: w.doctor.token })).body.medicines,
    ).toEqual([]);
    expect((await w.call('GET', '/api/v1/medicines', { token: w.patient.token })).status).toBe(403);
    const oxy = await w.call('GET', '/api/v1/medicines?q=oxycodone', { token: w.doctor.token });
    expect(oxy.body.medicines?.[0]?.schedule).toBe('II');
  });
});
