import { scopeOf } from '../support/scopes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispense, prescribe, rxWorld, signed, submit, type RxWorld } from './world.js';
import { insertStaff, tokenFor } from '../support/people.js';
import { items } from '../support/json-answer.js';

/**
 * Acceptance: a pharmacist cannot read non-prescription records; a doctor cannot dispense; a
 * patient cannot create prescriptions. Plus who sees which prescription.
 */
describe('prescription access', () => {
  let w: RxWorld;
  beforeAll(async () => {
    w = await rxWorld();
  });
  afterAll(async () => w?.close());

  it('a pharmacist reads prescriptions but no other record, nor patient demographics', async () => {
    const p = w.patient.id;
    const id = await prescribe(w, w.doctor);
    expect((await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.pharmacist.token })).status).toBe(
      200,
    );
    for (const path of [
      `/api/v1/patients/${p}/records`,
      `/api/v1/patients/${p}`,
      `/api/v1/patients/${p}/prescriptions`,
    ])
      expect([403, 404], path).toContain((await w.call('GET', path, { token: w.pharmacist.token })).status);
    expect(
      (
        await w.call('POST', `/api/v1/patients/${p}/records`, {
          token: w.pharmacist.token,
          body: { type: 'clinical_note' },
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (
        await w.call('POST', '/api/v1/prescriptions', {
          token: w.pharmacist.token,
          body: signed(w.doctor, p),
        })
      ).status,
    ).toBe(403);
  });

  it('a doctor cannot dispense; a patient cannot create; admins and registrars neither', async () => {
    const id = await prescribe(w, w.doctor);
    expect((await dispense(w, id, w.doctor.token)).status).toBe(403);
    expect((await dispense(w, id, w.patient.token)).status).toBe(403);
    expect((await dispense(w, id, w.admin.token)).status).toBe(403);
    expect(
      (await w.call('GET', '/api/v1/prescriptions?status=pending', { token: w.doctor.token })).status,
    ).toBe(403);
    const asPatient = await w.call('POST', '/api/v1/prescriptions', {
      token: w.patient.token,
      body: signed(w.doctor, w.patient.id),
    });
    expect(asPatient.status).toBe(403);
    const registrar = await insertStaff(w.app.store.db, 'registrar');
    const rt = await tokenFor(w.app, registrar);
    expect(
      (await w.call('POST', '/api/v1/prescriptions', { token: rt, body: signed(w.doctor, w.patient.id) }))
        .status,
    ).toBe(403);
    expect((await dispense(w, id)).status).toBe(200);
  });

  it("the patient sees their own prescriptions only; doctors with access see the patient's", async () => {
    const id = await prescribe(w, w.doctor);
    const own = await w.call('GET', `/api/v1/patients/${w.patient.id}/prescriptions`, {
      token: w.patient.token,
    });
    expect(own.status).toBe(200);
    expect(items(own.body.prescriptions).map((p) => p.id)).toContain(id);
    expect(own.body.prescriptions?.[0]?.verification?.valid).toBe(true);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.patient.id}/prescriptions`, { token: w.patientB.token }))
        .status,
    ).toBe(404);
    expect((await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.patientB.token })).status).toBe(
      404,
    );
    expect(
      (await w.call('GET', `/api/v1/patients/${w.patient.id}/prescriptions`, { token: w.other.token }))
        .status,
    ).toBe(200);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.patient.id}/prescriptions`, { token: w.stranger.token }))
        .status,
    ).toBe(404);
    expect((await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.stranger.token })).status).toBe(
      404,
    );
    expect((await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.admin.token })).status).toBe(403);
    // A doctor's read is in the patient's access history.
    const entries = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'record.read', targetId: id },
      { limit: 10 },
    );
    expect(entries.entries.some((e) => e.actor?.userId === w.stranger.actor.userId)).toBe(false);
    await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.other.token });
    const after = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'record.read', targetId: id },
      { limit: 10 },
    );
    expect(after.entries.some((e) => e.actor?.userId === w.other.actor.userId)).toBe(true);
  });

  it('a grant limited to other record types does not reach prescriptions', async () => {
    const doc = await insertStaff(w.app.store.db, 'doctor', 'Dr Labs');
    await w.app.sharing.grants.create(scopeOf({ userId: w.patient.id, role: 'patient' }), w.patient.id, {
      doctorId: doc.userId,
      recordTypes: ['lab_result'],
    });
    const token = await tokenFor(w.app, doc);
    expect((await w.call('GET', `/api/v1/patients/${w.patient.id}/prescriptions`, { token })).status).toBe(
      404,
    );
    const res = await submit(w, { ...w.doctor, actor: doc, token }, {});
    expect(res.status).toBe(404); // the grant does not cover prescriptions: nothing to write to
  });
});
