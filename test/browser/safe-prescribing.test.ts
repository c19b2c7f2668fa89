/**
 * Issue 20 in Chromium on the demo hospital: safe prescribing (point 3) — Harsh is allergic to
 * penicillin and already has amoxicillin: Dr Omkar, prescribing amoxicillin again from Harsh's
 * page, is warned and cannot sign without a reason; the pharmacist sees the warnings and the
 * reason before dispensing — and prescriptions in record lists open a prescription view titled
 * with the medicine (point 4), for the patient and the doctor. axe-core checks the new pages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { scopeOf } from '../support/scopes.js';
import { browserTestsEnabled } from './chromium.js';
import { axeViolations } from './page-checks.js';
import { usePageHarness } from './page-harness.js';
import { openPage, signInPatient, signInStaff } from './sign-in.js';

const HARSH = DEMO_PATIENTS[0]!;
const REASON = 'Rash in childhood only; second course needed for persisting pneumonia.';

describe.skipIf(!browserTestsEnabled())('safe prescribing and prescription views (issue 20)', () => {
  const h = usePageHarness();
  let hospital: DemoHospital;
  let harshId: string;

  beforeAll(async () => {
    const seeded = await seedDemoHospital(h.server.app, { dataDir: h.server.dataDir });
    if (!seeded) throw new Error('demo hospital not seeded');
    hospital = seeded;
    harshId = hospital.patients[0]!.patientId;
  });

  const signInAs = (username: string) => {
    const s = hospital.staff.find((x) => x.username === username);
    if (!s) throw new Error(`no ${username}`);
    return signInStaff(h, s.username, s.password, s.keyFile);
  };
  const noAxeViolations = async () => expect(await axeViolations(h.page)).toEqual([]);
  const posts = () => h.apiCalls.filter((c) => c === 'POST /api/v1/prescriptions');

  it('3. the doctor is warned from the patient page and must give a reason, which is signed', async () => {
    await signInAs('omkar@doctor.kmc.edu');
    await openPage(h, `patients/${encodeURIComponent(harshId)}`, 'Harsh Kulkarni');
    await h.page.locator('main').getByRole('link', { name: 'Prescribe', exact: true }).click();
    await h.page.getByRole('heading', { level: 1, name: 'Prescribe' }).waitFor();
    // The patient page's button chose Harsh.
    expect(await h.page.getByLabel('Patient', { exact: true }).inputValue()).toBe(harshId);
    await h.page.getByLabel('Search medicines').fill('amox');
    await h.page.getByLabel('Amoxicillin 500 mg capsule').check();
    const warnings = h.page.getByRole('alert').filter({ hasText: 'Check before you sign' });
    await warnings.waitFor();
    expect(await warnings.textContent()).toContain('Allergy recorded to Penicillin (moderate)');
    expect(await warnings.textContent()).toContain('Already prescribed and active: Amoxicillin 500 mg');
    await h.page.getByLabel('Frequency').fill('three times daily');
    await h.page.getByLabel('Quantity').fill('21');
    const omkar = hospital.staff.find((s) => s.username === 'omkar@doctor.kmc.edu')!;
    await h.page.getByLabel('Your signing key file').setInputFiles(omkar.keyFile);
    await noAxeViolations();

    // No reason: refused at the field, nothing sent.
    await h.page.getByRole('button', { name: 'Sign and submit' }).click();
    await h.page.getByText('Give your reason to prescribe despite the warnings').waitFor();
    const reason = h.page.getByLabel('Reason to prescribe despite the warnings');
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(posts()).toEqual([]);

    await reason.fill(REASON);
    await h.page.getByRole('button', { name: 'Sign and submit' }).click();
    await h.page.getByText('Prescription signed and submitted').waitFor();
    expect(posts()).toHaveLength(1);

    // What the server stored is signed: the reason is inside the payload the signature covers.
    const { app } = h.server;
    const rows = await app.store.db
      .selectFrom('prescriptions')
      .select(['id'])
      .where('patient_id', '=', harshId)
      .orderBy('created_at', 'desc')
      .execute();
    const pharmacist = hospital.staff.find((s) => s.role === 'pharmacist')!;
    const view = await app.prescriptions.prescriptions.get(
      scopeOf({ userId: pharmacist.userId, role: 'pharmacist' }),
      rows[0]!.id,
    );
    expect(view.verification.valid).toBe(true);
    expect(view.details?.override?.reason).toBe(REASON);
    expect(view.details?.override?.warnings.join(' ')).toContain('Penicillin');
  });

  it('3. the pharmacist sees the warnings and the reason before dispensing', async () => {
    await signInAs('sushmita@pharmacist.kmc.edu');
    await openPage(h, 'prescription-queue', 'Prescription queue');
    // The seeded amoxicillin (oldest first) was also prescribed despite the allergy.
    await h.page
      .getByRole('button', { name: /^Open prescription/ })
      .first()
      .click();
    await h.page.getByRole('button', { name: 'Dispense' }).waitFor();
    const note = h.page.getByRole('note', { name: 'Prescribing warnings overridden' });
    await note.waitFor();
    expect(await note.textContent()).toContain('Allergy recorded to Penicillin');
    expect(await note.textContent()).toContain("Doctor's signed reason");
    await noAxeViolations();
  });

  it("4. a prescription in the patient's records list opens the prescription, titled with the medicine", async () => {
    await signInPatient(h, HARSH);
    await openPage(h, 'records', 'My records');
    const link = h.page.locator('main a[href^="#/prescriptions/"]').first();
    await link.click();
    const title = h.page.locator('#prescription-title');
    await expect.poll(() => title.textContent()).toMatch(/^(Amoxicillin 500 mg capsule|Salbutamol .+)$/);
    expect(await h.page.getByText('No such record').count()).toBe(0);
    await h.page.getByText('Verified').first().waitFor();
    await noAxeViolations();
  });

  it("4. and in the doctor's view of the patient", async () => {
    await signInAs('omkar@doctor.kmc.edu');
    await openPage(h, `patients/${encodeURIComponent(harshId)}`, 'Harsh Kulkarni');
    await h.page
      .locator(`main a[href^="#/patients/${encodeURIComponent(harshId)}/prescriptions/"]`)
      .first()
      .click();
    const title = h.page.locator('#prescription-title');
    await expect.poll(() => title.textContent()).toMatch(/ (capsule|inhaler)$/);
    expect(await h.page.getByText('No such record').count()).toBe(0);
    await noAxeViolations();
  });
});
