/**
 * The registrar's pages against a real server: registering a patient shows the one-time
 * recovery code (and that code works), the form checks input before sending, care teams are
 * changed from the patient list, and an assisted PIN reset gives a token the patient then uses
 * on the sign-in page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../web/src/api/client.js';
import {
  addStaffWithCli,
  createStaffApi,
  loginStaffApi,
  nextSsn,
  PATIENT_PASSWORD,
  registerPatientApi,
  type ApiClient,
  type StaffCredentials,
} from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness, type PageHarness } from './page-harness.js';
import { fillForgotPin, keyFile, openPage, screenshot, signInPatient, signInStaff } from './sign-in.js';

describe.skipIf(!browserTestsEnabled())('registrar pages, against the real API', () => {
  const h = usePageHarness();
  let registrar: StaffCredentials;
  let registrarApi: ApiClient;

  beforeAll(async () => {
    const admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    const adminApi = await loginStaffApi(h.server, admin);
    registrar = await createStaffApi(adminApi, 'registrar', 'reg.rita', { displayName: 'Rita Registrar' });
    await createStaffApi(adminApi, 'doctor', 'dr.who', { displayName: 'Dr. John Smith' });
    registrarApi = await loginStaffApi(h.server, registrar);
  });

  async function signInAsRegistrar(page: string, heading: string): Promise<void> {
    await signInStaff(h, registrar.username, registrar.password, keyFile(registrar.privateKeyPem));
    await openPage(h, page, heading);
  }

  it('registers a patient and shows the recovery code once; that code recovers the PIN', async () => {
    const ssn = nextSsn();
    await signInAsRegistrar('register-patient', 'Register patient');
    await fillRegistration(h, { ssn, pin: '271828' });
    await screenshot(h, 'register');
    await h.page.getByRole('button', { name: 'Register patient' }).click();

    await h.page.getByRole('heading', { name: 'Recovery code' }).waitFor();
    await h.page.getByText('Give this recovery code to the patient.').waitFor();
    const code = (await h.page.getByLabel('Recovery code for Ada Lovelace').textContent())?.trim() ?? '';
    expect(code.length).toBeGreaterThanOrEqual(8);
    await screenshot(h, 'register-recovery-code');

    // The code shown is the real one: the patient can recover a PIN with it.
    const response = await fetch(`${h.server.url}/api/v1/auth/pin-recovery`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: '1' },
      body: JSON.stringify({
        ssn,
        password: PATIENT_PASSWORD,
        dateOfBirth: '1990-12-10',
        recoveryCode: code,
        newPin: '314159',
      }),
    });
    expect(response.status).toBe(200);

    // "Done" removes the code from the page and brings back an empty form.
    await h.page.getByRole('button', { name: 'Done, register another patient' }).click();
    expect(await h.page.getByText(code).count()).toBe(0);
    expect(await h.page.getByLabel('Full name').inputValue()).toBe('');
  });

  it('checks SSN, PIN, password and date of birth in the browser before sending anything', async () => {
    await signInAsRegistrar('register-patient', 'Register patient');
    await fillRegistration(h, {
      ssn: '12-345-678',
      pin: '12345',
      password: 'too short',
      dateOfBirth: '2999-01-01',
    });
    await h.page.getByRole('button', { name: 'Register patient' }).click();
    await h.page.getByText('Enter the SSN as ###-##-#### (9 digits).').waitFor();
    await h.page.getByText('The PIN is exactly 6 digits.').waitFor();
    await h.page.getByText('Use at least 12 characters.').waitFor();
    await h.page.getByText('The date of birth cannot be in the future.').waitFor();
    expect(await h.page.getByLabel('PIN', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(h.apiCalls).not.toContain('POST /api/v1/patients');
  });

  it("a second registration with the same SSN shows the server's refusal", async () => {
    const taken = await registerPatientApi(registrarApi, 'Grace Hopper');
    await signInAsRegistrar('register-patient', 'Register patient');
    await fillRegistration(h, { ssn: taken.ssn });
    await h.page.getByRole('button', { name: 'Register patient' }).click();
    await h.page.getByRole('alert').filter({ hasText: 'Could not register the patient.' }).waitFor();
  });

  it("puts a doctor on a patient's care team from the list, and takes them off again", async () => {
    await registerPatientApi(registrarApi, 'Alan Turing');
    await signInAsRegistrar('care-teams', 'Care teams');
    await h.page.getByLabel('Alan Turing').check();
    const card = h.page.getByRole('region', { name: 'Care team of Alan Turing' });
    await card.getByText("No doctor is on Alan Turing's care team yet.").waitFor();
    await card.getByLabel('Add a doctor').selectOption({ label: 'Dr. John Smith' });
    await card.getByRole('button', { name: 'Assign to care team' }).click();
    await card.getByText("Dr. John Smith is now on Alan Turing's care team.").waitFor();
    await card.getByRole('list', { name: 'Care team of Alan Turing' }).getByText('Dr. John Smith').waitFor();
    await screenshot(h, 'care-teams');

    await card.getByRole('button', { name: 'Remove Dr. John Smith from the care team' }).click();
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await card.getByText("No doctor is on Alan Turing's care team yet.").waitFor();
  });

  it('an assisted PIN reset gives a one-time token; the patient sets a new PIN with it and signs in', async () => {
    const patient = await registerPatientApi(registrarApi, 'Katherine Johnson');
    await signInAsRegistrar('care-teams', 'Care teams');
    await h.page.getByLabel('Katherine Johnson').check();
    await h.page.getByRole('button', { name: 'Start PIN reset for Katherine Johnson' }).click();
    const token =
      (await h.page.getByLabel('PIN reset token for Katherine Johnson').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThanOrEqual(8);
    await h.page.getByRole('button', { name: 'Logout' }).click();

    await h.openLoginPage();
    const panel = await fillForgotPin(h, {
      proof: 'I have a reset token from a registrar',
      ssn: patient.ssn,
      password: patient.password,
      fields: { 'Reset token': token },
      newPin: '161803',
    });
    await panel.getByText('Your PIN is changed. Sign in with your new PIN.').first().waitFor();

    await signInPatient(h, { ssn: patient.ssn, pin: '161803', password: patient.password });
    await h.page.getByRole('heading', { level: 1, name: 'Welcome, Katherine Johnson' }).waitFor();
  });
});

async function fillRegistration(
  h: PageHarness,
  fields: { ssn: string; pin?: string; password?: string; dateOfBirth?: string },
): Promise<void> {
  await h.page.getByLabel('Full name').fill('Ada Lovelace');
  await h.page.getByLabel('Social Security number').fill(fields.ssn);
  await h.page.getByLabel('Date of birth').fill(fields.dateOfBirth ?? '1990-12-10');
  await h.page.getByLabel('Smoking status').selectOption('never');
  await h.page.getByLabel('PIN', { exact: true }).fill(fields.pin ?? '271828');
  await h.page.getByLabel('Password', { exact: true }).fill(fields.password ?? PATIENT_PASSWORD);
}
