import { scopeOf } from '../support/scopes.js';
/**
 * Signed prescriptions end to end in Chromium: a doctor signs in the browser with the key file
 * they pick (WebCrypto; the key never leaves the page); the server verifies it, and so does
 * `medvault rx verify` on the evidence. The pharmacist sees the verification result before the
 * dispense button is enabled (and a tampered prescription keeps it disabled); the patient sees
 * their prescription.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInPatient, signInStaff } from './sign-in.js';
import { tempDir } from '../support/stores.js';
import { insertStaff, PATIENT_PASSWORD, registerEnrolled, registration } from '../support/people.js';
import { runCli } from '../support/cli.js';

const STAFF_PASSWORD = 'Tangerine-Kettle-4471';

describe.skipIf(!browserTestsEnabled())('prescriptions in the browser', () => {
  const h = usePageHarness();
  let doctorPem: string;
  let pharmacistPem: string;
  let patient: { id: string; ssn: string };
  let prescriptionId: string;

  beforeAll(async () => {
    const { app } = h.server;
    const doctor = await app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'dr.signer',
      displayName: 'Dr. Sig Ner',
      password: STAFF_PASSWORD,
      key: { generate: 'rsa' },
    });
    const pharmacist = await app.identity.staffAccounts.createAsOperator({
      role: 'pharmacist',
      username: 'ph.counter',
      displayName: 'Pharmacist Counter',
      password: STAFF_PASSWORD,
      key: { generate: 'ed25519' },
    });
    doctorPem = doctor.privateKeyPem!;
    pharmacistPem = pharmacist.privateKeyPem!;
    const registrar = await insertStaff(app.store.db, 'registrar');
    const reg = registration({ fullName: 'Rosa Patient' });
    const { patientId } = await registerEnrolled(app, scopeOf(registrar), reg);
    await app.sharing.careTeams.assign(scopeOf(registrar), patientId, doctor.user.id);
    patient = { id: patientId, ssn: reg.ssn };
  });

  it('a doctor signs with WebCrypto; the server and `medvault rx verify` both verify it', async () => {
    await signInStaff(h, 'dr.signer', STAFF_PASSWORD, keyFile(doctorPem));
    await openPage(h, 'prescribe', 'Prescribe');
    await h.page
      .getByLabel('Patient', { exact: true })
      .selectOption({ label: `Rosa Patient (***-**-${patient.ssn.slice(-4)})` });
    await h.page.getByLabel('Search medicines').fill('amox');
    await h.page.getByLabel('Amoxicillin 500 mg capsule').check();
    await h.page.getByLabel('Frequency').fill('three times daily');
    await h.page.getByLabel('Quantity').fill('21');
    await h.page.getByLabel('Instructions for the patient').fill('Finish the course.');
    await h.page.getByLabel('Your signing key file').setInputFiles(keyFile(doctorPem, 'dr.signer.pem'));
    await screenshot(h, 'prescribe-form');
    await h.page.getByRole('button', { name: 'Sign and submit' }).click();
    const done = h.page.getByText('Prescription signed and submitted');
    await done.waitFor();
    await screenshot(h, 'prescribe-done');
    expect(h.apiCalls.filter((c) => c === 'POST /api/v1/prescriptions')).toHaveLength(1);

    const { app } = h.server;
    const row = await app.store.db
      .selectFrom('prescriptions')
      .select(['id', 'algorithm'])
      .where('patient_id', '=', patient.id)
      .executeTakeFirstOrThrow();
    prescriptionId = row.id;
    expect(row.algorithm).toBe('rsa-pkcs1-sha256');
    const patientActor: Actor = { userId: patient.id, role: 'patient' };
    const view = await app.prescriptions.prescriptions.get(scopeOf(patientActor), prescriptionId);
    expect(view.verification.valid).toBe(true);
    expect(view.details?.instructions).toBe('Finish the course.');

    const evidence = await app.prescriptions.prescriptions.evidence(scopeOf(patientActor), prescriptionId);
    const dir = tempDir('medvault-rx-browser-');
    const file = path.join(dir, 'evidence.json');
    fs.writeFileSync(file, JSON.stringify(evidence));
    const verified = await runCli(['rx', 'verify', file], { MEDVAULT_DATA_DIR: path.join(dir, 'none') });
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('signature VALID');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the pharmacist sees the verification before dispensing; a tampered one stays disabled', async () => {
    const { app } = h.server;
    // A copy of the first prescription under another id: its payload does not decrypt there.
    const first = await app.store.db
      .selectFrom('prescriptions')
      .selectAll()
      .where('id', '=', prescriptionId)
      .executeTakeFirstOrThrow();
    const tampered = `${prescriptionId.slice(0, -4)}beef`;
    await app.store.db
      .insertInto('prescriptions')
      .values({ ...first, id: tampered, payload_sha256: 'f'.repeat(64) })
      .execute();

    await signInStaff(h, 'ph.counter', STAFF_PASSWORD, keyFile(pharmacistPem));
    await openPage(h, 'prescription-queue', 'Prescription queue');
    const rows = h.page.getByRole('button', { name: 'Open prescription for Rosa Patient' });
    await expect.poll(() => rows.count()).toBe(2);

    // The copied row does not decrypt in its new place: refused, button disabled.
    const queueIds = await app.prescriptions.prescriptions.queue(
      scopeOf({ userId: 'x', role: 'pharmacist' }),
      {},
    );
    const order = queueIds.items.map((i) => i.id);
    await rows.nth(order.indexOf(tampered)).click();
    await h.page.getByText('Does not verify', { exact: true }).waitFor();
    await expect
      .poll(() => h.page.getByRole('button', { name: 'Dispense', exact: true }).isDisabled())
      .toBe(true);

    await rows.nth(order.indexOf(prescriptionId)).click();
    await h.page.getByText('Signature verified', { exact: true }).waitFor();
    await h.page.getByText('Dr. Sig Ner').first().waitFor();
    await h.page.getByText('RSA PKCS#1 v1.5 with SHA-256').waitFor();
    await screenshot(h, 'dispense-verified');
    const button = h.page.getByRole('button', { name: 'Dispense', exact: true });
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await h.page.getByText('Dispensed fill 1').waitFor();
    await app.store.db.deleteFrom('prescriptions').where('id', '=', tampered).execute();
  });

  it('the patient sees the prescription, dispensed, with a verified signature', async () => {
    await signInPatient(h, { ssn: patient.ssn, pin: '482915', password: PATIENT_PASSWORD });
    await openPage(h, 'prescriptions', 'Prescriptions');
    await h.page.getByRole('rowheader', { name: 'Amoxicillin 500 mg capsule' }).waitFor();
    await h.page.getByRole('cell', { name: 'Dispensed' }).waitFor();
    await h.page.getByText('Verified', { exact: true }).waitFor();
    await h.page.getByRole('button', { name: 'Get evidence' }).click();
    await h.page.getByRole('link', { name: 'Save evidence' }).waitFor();
    await screenshot(h, 'patient-prescriptions');
  });
});
