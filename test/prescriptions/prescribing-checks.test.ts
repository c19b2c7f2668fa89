import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { MEDICINE_CATALOG } from '../../src/app/prescriptions/medicine-catalog.js';
import { insertStaff } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { DIALECTS } from '../support/stores.js';
import { items, text, type JsonAnswer } from '../support/json-answer.js';
import { giveRecordKeyOf } from '../support/tamper.js';
import { draft, rxWorld, signedRaw, type RxWorld, type Signer } from './world.js';

/**
 * Issue 20, point 3: safe prescribing. The server checks a new prescription against the
 * patient's allergy records and active prescriptions; a warning needs a reason the doctor
 * SIGNED (payload.override), or the submission is refused (422 prescribing_warnings) and nothing
 * is stored. The pharmacist sees the reason and the warnings the doctor was shown.
 */

const medicine = (id: string) => {
  const m = MEDICINE_CATALOG.find((x) => x.id === id);
  if (m === undefined) throw new Error(`no ${id}`);
  return { id: m.id, name: m.genericName, strength: m.strength, form: m.form };
};
const AMOXICILLIN = medicine('amoxicillin-500mg-capsule');
const CEFALEXIN = medicine('cefalexin-500mg-capsule');
const SALBUTAMOL = medicine('salbutamol-100mcg-actuation-inhaler');

/** A draft for `patientId` with no override (the fixtures add one by default). */
function bare(
  signer: Signer,
  patientId: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const { override: _ignored, ...rest } = draft(signer, patientId, over);
  return rest;
}

describe.each(DIALECTS)('prescribing checks on %s', (dialect) => {
  let w: RxWorld;
  let patientC: string;

  const check = (patientId: string, medicineId: string, token = w.doctor.token) =>
    w.call(
      'GET',
      `/api/v1/patients/${patientId}/prescribing-checks?medicineId=${encodeURIComponent(medicineId)}`,
      { token },
    );
  const submitDraft = (d: Record<string, unknown>, signer: Signer = w.doctor) =>
    w.call('POST', '/api/v1/prescriptions', {
      token: signer.token,
      body: signPrescriptionDraft(signer.privateKeyPem, d),
    });
  const codes = (body: Record<string, unknown>): string[] =>
    items(body.warnings as JsonAnswer).map((x) => text(x.code));
  const stored = async (patientId: string): Promise<number> =>
    (await w.app.prescriptions.prescriptions.forPatient(scopeOf(w.doctor.actor), patientId)).length;

  beforeAll(async () => {
    w = await rxWorld({ db: dialect });
    // Harsh's situation: a penicillin allergy on record.
    await w.app.records.records.create(scopeOf(w.doctor.actor), w.patient.id, {
      type: 'allergy',
      title: 'Penicillin allergy',
      body: { substance: 'Penicillin', reaction: 'Urticaria', severity: 'moderate' },
    });
    // Patient B: no allergy, nothing prescribed; on the doctor's care team too.
    patientC = w.patientB.id;
    const registrar = await insertStaff(w.app.store.db, 'registrar');
    await w.app.sharing.careTeams.assign(scopeOf(registrar), patientC, w.doctor.actor.userId);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('warns about an allergy to the class before signing; the check is a ledger read', async () => {
    const res = await check(w.patient.id, AMOXICILLIN.id);
    expect(res.status).toBe(200);
    expect(codes(res.body)).toEqual(['allergy-class:penicillins']);
    expect(res.body.allergiesChecked).toBe(true);
    expect(res.body.medicine).toMatchObject({
      id: AMOXICILLIN.id,
      ingredients: ['amoxicillin'],
      classes: ['penicillins', 'beta-lactams'],
    });
    const entries = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'record.read', targetId: w.patient.id },
      { limit: 200 },
    );
    expect(entries.entries.some((e) => e.details.via === 'prescribing_checks')).toBe(true);
    // A medicine with nothing in common: no warning.
    expect(codes((await check(w.patient.id, SALBUTAMOL.id)).body)).toEqual([]);
  });

  it('refuses a signed prescription with a warning and no reason (422, named), and stores nothing', async () => {
    const before = await stored(w.patient.id);
    const res = await submitDraft(bare(w.doctor, w.patient.id, { medicine: AMOXICILLIN }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'prescribing_warnings' });
    expect(text(res.body.error?.message)).toContain('[allergy-class:penicillins]');
    expect(text(res.body.error?.message)).toContain('Allergy recorded to Penicillin (moderate)');
    expect(await stored(w.patient.id)).toBe(before);
    const failures = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'prescription.sign' },
      { limit: 200 },
    );
    expect(
      failures.entries.some((e) => e.outcome === 'failure' && e.details.reason === 'prescribing_warnings'),
    ).toBe(true);
  });

  it('accepts it with a signed reason, which the pharmacist sees with the warnings', async () => {
    const warnings = items((await check(w.patient.id, AMOXICILLIN.id)).body.warnings).map((x) =>
      text(x.message),
    );
    const override = { reason: 'Childhood rash only; tolerated amoxicillin in 2024.', warnings };
    const res = await submitDraft({ ...bare(w.doctor, w.patient.id, { medicine: AMOXICILLIN }), override });
    expect(res.status).toBe(201);
    const view = await w.call('GET', `/api/v1/prescriptions/${text(res.body.id)}`, {
      token: w.pharmacist.token,
    });
    expect(view.status).toBe(200);
    expect(view.body.verification?.valid).toBe(true);
    expect(view.body.details?.override).toEqual(override);
    const queue = await w.call('GET', '/api/v1/prescriptions?status=pending&limit=100', {
      token: w.pharmacist.token,
    });
    const item = items(queue.body.items).find((i) => i.id === res.body.id);
    expect(item?.details?.override?.reason).toBe(override.reason);
  });

  it('warns about the same ingredient and the same class among active prescriptions', async () => {
    const again = await check(w.patient.id, AMOXICILLIN.id);
    expect(codes(again.body)).toEqual(['allergy-class:penicillins', 'duplicate:amoxicillin']);
    const refused = await submitDraft(bare(w.doctor, w.patient.id, { medicine: AMOXICILLIN }));
    expect(refused.status).toBe(422);
    expect(text(refused.body.error?.message)).toContain('[duplicate:amoxicillin]');
    // Cefalexin: a beta-lactam like penicillin (cross-sensitivity) and like the active amoxicillin.
    expect(codes((await check(w.patient.id, CEFALEXIN.id)).body)).toEqual([
      'allergy-class:beta-lactams',
      'duplicate-class:beta-lactams',
    ]);
  });

  it('a patient with no allergy and nothing active: no warning, no reason needed; then a duplicate', async () => {
    expect(codes((await check(patientC, AMOXICILLIN.id)).body)).toEqual([]);
    const first = await submitDraft(bare(w.doctor, patientC, { medicine: AMOXICILLIN }));
    expect(first.status).toBe(201);
    // Replaying the very same bytes is a replay (409), not a duplicate of itself.
    expect(first.body.id).toBeDefined();
    const second = await submitDraft(bare(w.doctor, patientC, { medicine: AMOXICILLIN }));
    expect(second.status).toBe(422);
    expect(text(second.body.error?.message)).toContain('[duplicate:amoxicillin]');
    expect(text(second.body.error?.message)).not.toContain('allergy');
  });

  it('an old-format payload (no override) still verifies, and its view says override null', async () => {
    // A medicine that warns about nothing (salbutamol), signed without an override, as before issue 20.
    const res = await submitDraft(bare(w.doctor, w.patient.id, { medicine: SALBUTAMOL }));
    expect(res.status).toBe(201);
    const view = await w.call('GET', `/api/v1/prescriptions/${text(res.body.id)}`, {
      token: w.pharmacist.token,
    });
    expect(view.body.verification?.valid).toBe(true);
    expect(view.body.details?.override).toBeNull();
    // And now the same ingredient again is a duplicate (albuterol is salbutamol too).
    const dup = await submitDraft(bare(w.doctor, w.patient.id, { medicine: SALBUTAMOL }));
    expect(dup.status).toBe(422);
    expect(text(dup.body.error?.message)).toContain('[duplicate:salbutamol]');
  });

  it('a reason outside the signed payload is impossible: altered after signing, or beside it', async () => {
    const signedOne = signPrescriptionDraft(w.doctor.privateKeyPem, {
      ...bare(w.doctor, w.patient.id, { medicine: AMOXICILLIN }),
      override: { reason: 'Signed reason', warnings: [] },
    });
    const altered = {
      ...signedOne,
      payload: { ...signedOne.payload, override: { reason: 'Another reason', warnings: [] } },
    };
    const res = await w.call('POST', '/api/v1/prescriptions', { token: w.doctor.token, body: altered });
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('invalid_signature');
    // A reason next to the payload (not signed) is not part of the request's schema.
    const unsigned = signPrescriptionDraft(
      w.doctor.privateKeyPem,
      bare(w.doctor, w.patient.id, { medicine: AMOXICILLIN }),
    );
    const beside = await w.call('POST', '/api/v1/prescriptions', {
      token: w.doctor.token,
      body: { ...unsigned, override: { reason: 'Not signed', warnings: [] } },
    });
    expect(beside.status).toBe(400);
    // A blank reason is not a reason: the signer refuses it, and so does the server.
    const blankReason = { override: { reason: ' .  ', warnings: [] }, medicine: AMOXICILLIN };
    const blankDraft = { ...bare(w.doctor, w.patient.id), ...blankReason };
    expect(() => signPrescriptionDraft(w.doctor.privateKeyPem, blankDraft)).toThrow(/override\/reason/);
    const blank = await w.call('POST', '/api/v1/prescriptions', {
      token: w.doctor.token,
      body: signedRaw(w.doctor, w.patient.id, blankReason),
    });
    expect(blank.status).toBe(400);
  });

  it('who may ask: not a pharmacist (403), not a stranger (404), not for an unknown medicine (400)', async () => {
    expect((await check(w.patient.id, AMOXICILLIN.id, w.pharmacist.token)).status).toBe(403);
    expect((await check(w.patient.id, AMOXICILLIN.id, w.stranger.token)).status).toBe(404);
    const unknown = await check(w.patient.id, 'no-such-medicine');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe('unknown_medicine');
    expect((await check(w.patient.id, '')).status).toBe(400);
  });

  it('a doctor whose grant does not cover allergies is told they were not checked', async () => {
    await w.app.sharing.grants.create(scopeOf({ userId: patientC, role: 'patient' }), patientC, {
      doctorId: w.stranger.actor.userId,
      recordTypes: ['prescription'],
      scope: 'read_write',
    });
    const res = await check(patientC, AMOXICILLIN.id, w.stranger.token);
    expect(res.status).toBe(200);
    expect(res.body.allergiesChecked).toBe(false);
  });

  it('an allergy record whose key was swapped refuses the check (422), never hides the allergy', async () => {
    const scope = scopeOf(w.doctor.actor);
    const a = await w.app.records.records.create(scope, patientC, {
      type: 'allergy',
      title: 'Latex allergy',
      body: { substance: 'Latex', reaction: 'Rash', severity: 'mild' },
    });
    const b = await w.app.records.records.create(scope, patientC, {
      type: 'allergy',
      title: 'Sulfa allergy',
      body: { substance: 'Sulfonamides', reaction: 'Rash', severity: 'mild' },
    });
    expect((await check(patientC, AMOXICILLIN.id)).status).toBe(200);
    // An insider with database access moves b's key onto a: a's body no longer opens.
    await giveRecordKeyOf(w.app.store.db, a.id, b.id);
    const res = await check(patientC, AMOXICILLIN.id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'integrity_failure' } });
  });

  it('random medicine ids answer 200 or 400, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (id) => {
        const res = await check(w.patient.id, id);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 25 },
    );
  });
});
