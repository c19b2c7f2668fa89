import { signPrescriptionDraft } from '../../../app/prescriptions/index.js';
import { describeSeen, seen } from '../answers.js';
import type { Step } from '../scenario.js';
import type { DemoWorld } from '../world.js';

export const PRESCRIPTION_ROUTES = [
  'POST /api/v1/prescriptions',
  'GET /api/v1/prescriptions',
  'POST /api/v1/prescriptions/:id/dispense',
  'GET /api/v1/medicines',
  'GET /api/v1/patients/:id/prescribing-checks',
] as const;

/**
 * What the doctor fills in for the patient: amoxicillin from the catalog, 21 capsules. When the
 * prescribing checks warn (an allergy on record, or amoxicillin already active), the doctor's
 * reason goes into the payload, as the browser's form asks for it (issue 20, point 3).
 */
export async function prescriptionDraft(
  world: DemoWorld,
  patientId: string,
): Promise<Record<string, unknown>> {
  const doctor = world.member('doctor');
  const found = await world.as(doctor.token).call('searchMedicines', { query: { q: 'amoxicillin' } });
  const med = found.medicines[0];
  if (med === undefined) throw new Error('the medicines catalog has no amoxicillin');
  const { warnings } = await world
    .as(doctor.token)
    .call('prescribingChecks', { params: { id: patientId }, query: { medicineId: med.id } });
  return {
    patientId,
    medicine: { id: med.id, name: med.genericName, strength: med.strength, form: med.form },
    dose: '1 capsule',
    route: 'oral',
    frequency: 'three times daily',
    quantity: 21,
    refills: 0,
    instructions: 'Take with water for 7 days.',
    prescriberId: doctor.id,
    ...(warnings.length === 0
      ? {}
      : {
          override: {
            reason: 'Reviewed with the patient: benefits outweigh the risk.',
            warnings: warnings.slice(0, 10).map((w) => w.message),
          },
        }),
  };
}

/**
 * The doctor signs a prescription for the patient with their own private key (in this
 * process, as `medvault rx sign` and the browser do) and submits it; answers its id.
 */
export async function prescribe(world: DemoWorld, patientId: string): Promise<string> {
  const doctor = world.member('doctor');
  const signed = signPrescriptionDraft(doctor.privateKeyPem, await prescriptionDraft(world, patientId));
  const made = await world.as(doctor.token).call('submitPrescription', { body: signed });
  return made.id;
}

/** Step 7: sign, verify, dispense once; the second dispense is refused. */
export const prescriptionStep: Step = {
  title: 'Step 7 — The doctor signs a prescription; the pharmacist verifies and dispenses it once',
  requires: PRESCRIPTION_ROUTES,
  async run(world: DemoWorld): Promise<string> {
    const p = world.needPatient();
    const pharmacist = world.member('pharmacist');
    const id = await prescribe(world, p.id);
    world.say(
      `${world.member('doctor').displayName} signed prescription ${id} (RSA-2048 PKCS#1 v1.5 over 'MedVault prescription v1' + RFC 8785 JSON; key never sent)`,
    );
    const asPharmacist = world.as(pharmacist.token);
    const queue = await asPharmacist.all('prescriptionQueue', { query: { status: 'pending' } });
    const item = queue.find((i) => i.id === id);
    if (item === undefined) throw new Error('the prescription is not in the pharmacist queue');
    const d = item.details;
    world.say(
      `pharmacist queue: ${d === null ? '?' : `${d.medicine.name} ${d.medicine.strength} ${d.medicine.form}, ${d.dose} ${d.frequency}, qty ${d.quantity}`} for ${item.patient.name ?? item.patient.id}`,
    );
    const view = await asPharmacist.call('getPrescription', { params: { id } });
    world.say(
      `verification: ${view.verification.valid ? 'VALID' : 'INVALID'} — ${view.verification.message} (key ${view.verification.keyId}, ${view.verification.algorithm})`,
    );
    if (!view.verification.valid) throw new Error('a freshly signed prescription does not verify');
    const first = await asPharmacist.call('dispensePrescription', { params: { id } });
    world.say(
      `dispensed fill ${first.fillNumber}; fills remaining ${first.fillsRemaining}; status ${first.status}`,
    );
    const again = seen(await asPharmacist.answer('dispensePrescription', { params: { id } }));
    world.say(`second dispense: ${describeSeen(again)}`);
    if (again.status !== 409) throw new Error(`the second dispense answered ${again.status}`);
    return 'signed, verified, dispensed exactly once (second attempt 409)';
  },
};
