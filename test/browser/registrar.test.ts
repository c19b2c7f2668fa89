/**
 * The registrar's pages against a real server: registering a patient (identity only) prints an
 * enrolment slip, with which the patient activates the account, chooses PIN and password and
 * signs in (issue 14); the form checks input before sending, care teams are
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
import { expectAccessible, usePageHarness, type PageHarness } from './page-harness.js';
import { fillForgotPin, keyFile, openPage, screenshot, signInPatient, signInStaff } from './sign-in.js';

describe.skipIf(!browserTestsEnabled())('registrar pages, against the real API', () => {
  const h = usePageHarness();
  let registrar: StaffCredentials;
  let registrarApi: ApiClient;

  beforeAll(async () => {
    const admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    await loginStaffApi(h.server, admin); // the first admin signs in with its own key
    registrar = await createStaffApi(h.server, 'registrar', 'reg.rita', { displayName: 'Rita Registrar' });
    await createStaffApi(h.server, 'doctor', 'dr.who', { displayName: 'Dr. John Smith' });
    registrarApi = await loginStaffApi(h.server, registrar);
  });

  async function signInAsRegistrar(page: string, heading: string): Promise<void> {
    await signInStaff(h, registrar.username, registrar.password, keyFile(registrar.privateKeyPem));
    await openPage(h, page, heading);
  }

  it('registers a patient and prints the enrolment slip; the patient activates with it, chooses PIN and password, and signs in', async () => {
    const ssn = nextSsn();
    await signInAsRegistrar('register-patient', 'Register patient');
    // Identity only: the form has no PIN or password for the registrar to type.
    expect(await h.page.getByLabel('PIN', { exact: true }).count()).toBe(0);
    expect(await h.page.getByLabel('Password', { exact: true }).count()).toBe(0);
    await fillRegistration(h, { ssn });
    await screenshot(h, 'register');
    await h.page.getByRole('button', { name: 'Register patient' }).click();

    await h.page.getByRole('heading', { name: 'Enrolment slip' }).waitFor();
    await h.page.getByText('Give this slip to the patient.').waitFor();
    await h.page.getByRole('button', { name: 'Print slip' }).waitFor();
    const code = (await h.page.getByLabel('Enrolment code for Ada Lovelace').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    await screenshot(h, 'register-enrolment-slip');
    // The slip is what prints.
    await h.page.emulateMedia({ media: 'print' });
    expect(await h.page.getByRole('button', { name: 'Print slip' }).isVisible()).toBe(false);
    await h.page.emulateMedia({ media: 'screen' });
    await h.page.getByRole('button', { name: 'Done, register another patient' }).click();
    expect(await h.page.getByText(code).count()).toBe(0);
    expect(await h.page.getByLabel('Full name').inputValue()).toBe('');
    await h.page.getByRole('button', { name: 'Logout' }).click();

    // Not activated yet: signing in is refused, saying what to do.
    await h.openLoginPage();
    const panel = h.patientPanel();
    await panel.getByLabel('Social Security number').fill(ssn);
    await panel.getByLabel('PIN', { exact: true }).fill('271828');
    await panel.getByLabel('Password', { exact: true }).fill(PATIENT_PASSWORD);
    await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
    await panel.getByText(/not activated yet/).waitFor();

    // The patient, with the slip: "First time here?".
    await panel.getByRole('button', { name: 'First time here?' }).click();
    await panel.getByRole('heading', { name: 'Activate your account' }).waitFor();
    await panel.getByLabel('Social Security number').fill(ssn);
    await panel.getByLabel('Enrolment code').fill(code.toLowerCase());
    await panel.getByLabel('Choose a PIN').fill('271828');
    await panel.getByLabel('Repeat PIN').fill('271828');
    await panel.getByLabel('Choose a password').fill(PATIENT_PASSWORD);
    await panel.getByRole('button', { name: 'Activate my account' }).click();
    await h.page.getByRole('heading', { name: 'Your recovery code' }).waitFor();
    const recovery = (await h.page.getByLabel('Recovery code for your account').textContent())?.trim() ?? '';
    expect(recovery).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
    await screenshot(h, 'enrolment-recovery-code');
    await h.page.getByRole('button', { name: 'Continue to sign in' }).click();

    await signInPatient(h, { ssn, pin: '271828', password: PATIENT_PASSWORD });
    await h.page.getByRole('heading', { level: 1, name: 'Welcome, Ada Lovelace' }).waitFor();

    // The code shown was the real one and works once: used again, it is refused.
    const again = await fetch(`${h.server.url}/api/v1/auth/patient/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: '1' },
      body: JSON.stringify({ ssn, enrolmentCode: code, pin: '314159', password: PATIENT_PASSWORD }),
    });
    expect(again.status).toBe(409);
  });

  it('checks SSN and date of birth in the browser before sending anything', async () => {
    await signInAsRegistrar('register-patient', 'Register patient');
    await fillRegistration(h, { ssn: '12-345-678', dateOfBirth: '2999-01-01' });
    await h.page.getByRole('button', { name: 'Register patient' }).click();
    await h.page.getByText('Enter the SSN as ###-##-#### (9 digits).').waitFor();
    await h.page.getByText('The date of birth cannot be in the future.').waitFor();
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

  it('asks to re-enrol a patient and shows it pending; once another registrar approves, the patient is told at their next sign-in', async () => {
    const patient = await registerPatientApi(registrarApi, `Grace Hopper ${nextSsn().slice(-4)}`);
    const name = patient.fullName;
    await signInAsRegistrar('care-teams', 'Care teams');
    await h.page.getByLabel(name, { exact: true }).check();
    const card = h.page.getByRole('region', { name: `Re-enrolment for ${name}` });
    await card.getByRole('button', { name: 'Re-enrol patient' }).click();
    await card.getByText('Waiting for another registrar to approve it').waitFor();
    expect(await card.getByRole('button', { name: 'Re-enrolment requested' }).isDisabled()).toBe(true);
    await screenshot(h, 'reenrol-pending');
    await h.page.getByRole('button', { name: 'Logout' }).click();

    // Another registrar approves on the Approvals page and alone receives the code.
    const rob = await createStaffApi(h.server, 'registrar', 'reg.rob', { displayName: 'Rob Registrar' });
    await signInStaff(h, rob.username, rob.password, keyFile(rob.privateKeyPem));
    await openPage(h, 'approvals', 'Approvals');
    const request = h.page.getByRole('article', {
      name: new RegExp(`^Re-enrol a patient: ${name}, MRN \\d{8}`),
    });
    expect(await request.textContent()).toContain('new enrolment code to hand to the patient in person');
    await request.getByRole('button', { name: /^Approve: / }).click();
    await request.getByRole('button', { name: 'Approve', exact: true }).click();
    const label = new RegExp(`^Enrolment code for ${name}, MRN \\d{8}$`);
    const shown = h.page.getByRole('region', { name: label }).getByLabel(label);
    await shown.waitFor();
    const enrolmentCode = ((await shown.textContent()) ?? '').trim();
    await expectAccessible(h);
    await h.page.getByRole('button', { name: 'Done' }).click();
    await h.page.getByRole('button', { name: 'Logout' }).click();
    const robApi = await loginStaffApi(h.server, rob);
    const decided = { enrolment: { enrolmentCode } };
    await robApi.request('POST', '/auth/patient/enrol', {
      ssn: patient.ssn,
      enrolmentCode: decided.enrolment.enrolmentCode,
      pin: '314159',
      password: 'Copper-Lighthouse-Violin-2291',
    });

    await h.openLoginPage();
    await signInPatient(h, { ssn: patient.ssn, pin: '314159', password: 'Copper-Lighthouse-Violin-2291' });
    const notice = h.page.getByTestId('account-notice');
    await notice.getByText(/Your account was re-enrolled on .* at the request of Rita Registrar\./).waitFor();
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
  });
});

async function fillRegistration(
  h: PageHarness,
  fields: { ssn: string; dateOfBirth?: string },
): Promise<void> {
  await h.page.getByLabel('Full name').fill('Ada Lovelace');
  await h.page.getByLabel('Social Security number').fill(fields.ssn);
  await h.page.getByLabel('Date of birth').fill(fields.dateOfBirth ?? '1990-12-10');
  await h.page.getByLabel('Smoking status').selectOption('never');
}
