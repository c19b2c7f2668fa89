/**
 * Issue 4 acceptance, "a patient logs in with SSN, PIN and password and is shown their
 * dashboard", and the patient's own pages against a real server: sharing (grant and revoke a
 * doctor) and self-service PIN recovery with the recovery code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NAV } from '../../web/src/nav.js';
import {
  addStaffWithCli,
  ApiClient,
  createStaffApi,
  loginStaffApi,
  registerPatientApi,
  type PatientCredentials,
} from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { fillForgotPin, openPage, screenshot, signInPatient } from './sign-in.js';

describe.skipIf(!browserTestsEnabled())('patient pages, against the real API', () => {
  const h = usePageHarness();
  let registrarApi: ApiClient;
  let ada: PatientCredentials;
  let doctorId: string;

  beforeAll(async () => {
    const admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    await loginStaffApi(h.server, admin); // the first admin signs in with its own key
    const registrar = await createStaffApi(h.server, 'registrar', 'reg.rita');
    doctorId = (await createStaffApi(h.server, 'doctor', 'dr.quinn', { displayName: 'Dr. Michaela Quinn' }))
      .id;
    await createStaffApi(h.server, 'doctor', 'dr.strange', { displayName: 'Dr. Stephen Strange' });
    registrarApi = await loginStaffApi(h.server, registrar);
    ada = await registerPatientApi(registrarApi, 'Ada Lovelace');
    await registrarApi.request('POST', `/patients/${ada.patientId}/care-team`, { doctorId });
  });

  it('signs in with SSN, PIN and password and is shown the dashboard with the patient navigation', async () => {
    await signInPatient(h, ada);
    await h.page.getByRole('heading', { level: 1, name: 'Welcome, Ada Lovelace' }).waitFor();
    expect(await h.navLabels()).toEqual(NAV.patient.map((item) => item.label));
    expect(new URL(h.page.url()).hash).toBe('');
    const careTeam = h.page.getByRole('region', { name: 'Your care team' });
    await careTeam.getByText('Dr. Michaela Quinn').waitFor();
    await screenshot(h, 'patient-dashboard');

    // The records page (issue 5): none yet. test/browser/records.test.ts covers it with records.
    await h.page.getByRole('link', { name: 'My records' }).first().click();
    await h.page.getByRole('heading', { level: 1, name: 'My records' }).waitFor();
    await h.page.getByText('You have no records yet.').waitFor();
  });

  it('grants a doctor access to some record types until a date, then revokes it', async () => {
    await signInPatient(h, ada);
    await openPage(h, 'sharing', 'Sharing');
    await h.page.getByText('You are not sharing your records with any other doctor.').waitFor();

    const form = h.page.getByRole('region', { name: 'Share with a doctor' });
    await form.getByLabel('Doctor').selectOption({ label: 'Dr. Stephen Strange' });
    await form.getByLabel('Only some kinds of record').check();
    await form.getByLabel('Lab results').check();
    await form.getByLabel('Allergies').check();
    const nextYear = new Date().getFullYear() + 1;
    await form.getByLabel('Access ends (optional)').fill(`${nextYear}-06-30`);
    await form.getByRole('button', { name: 'Share records' }).click();

    await h.page.getByText('Dr. Stephen Strange can now read the records you chose.').waitFor();
    const row = h.page.getByRole('row', { name: /Dr\. Stephen Strange/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Lab results, Allergies');
    expect(await row.textContent()).toContain(String(nextYear));
    expect(await row.textContent()).toContain('Read only');
    await screenshot(h, 'sharing');

    const grants = await listGrants(ada);
    expect(grants).toEqual([
      expect.objectContaining({
        recordTypes: expect.arrayContaining(['lab_result', 'allergy']),
        scope: 'read',
        status: 'active',
      }),
    ]);

    await h.page.getByRole('button', { name: 'Revoke access for Dr. Stephen Strange' }).click();
    await h.page.getByText('Dr. Stephen Strange can no longer read your records.').waitFor();
    await h.page.getByText('You are not sharing your records with any other doctor.').waitFor();
    await h.page.getByText('Revoked (1)').waitFor();
    expect((await listGrants(ada))[0]).toMatchObject({ status: 'revoked' });
  });

  it('shares for reading only unless the patient chooses read and write, and shows which', async () => {
    await signInPatient(h, ada);
    await openPage(h, 'sharing', 'Sharing');
    const form = h.page.getByRole('region', { name: 'Share with a doctor' });
    expect(await form.getByLabel('Read only').isChecked()).toBe(true);
    await form.getByLabel('Doctor').selectOption({ label: 'Dr. Stephen Strange' });
    await form.getByLabel('Read and write').check();
    await form
      .getByText('The doctor can also add records and images to them, and write you prescriptions.')
      .waitFor();
    await form.getByRole('button', { name: 'Share records' }).click();

    await h.page.getByText('Dr. Stephen Strange can now read and write the records you chose.').waitFor();
    const row = h.page.getByRole('row', { name: /Dr\. Stephen Strange/ });
    expect(await row.textContent()).toContain('Read and write');
    expect(await form.getByLabel('Read only').isChecked()).toBe(true);
    const active = (await listGrants(ada)).filter((g) => g.status === 'active');
    expect(active).toEqual([expect.objectContaining({ scope: 'read_write', recordTypes: null })]);
    await screenshot(h, 'sharing-read-write');

    await h.page.getByRole('button', { name: 'Revoke access for Dr. Stephen Strange' }).click();
    await h.page.getByText('Dr. Stephen Strange can no longer read your records.').waitFor();
  });

  it('the grant form asks for a doctor and at least one kind of record before sending', async () => {
    await signInPatient(h, ada);
    await openPage(h, 'sharing', 'Sharing');
    const form = h.page.getByRole('region', { name: 'Share with a doctor' });
    await form.getByLabel('Only some kinds of record').check();
    await form.getByRole('button', { name: 'Share records' }).click();
    await form.getByText('Choose a doctor.').waitFor();
    await form.getByText('Tick at least one kind of record.').waitFor();
    expect(h.apiCalls.filter((call) => call.startsWith('POST /api/v1/patients/'))).toEqual([]);
  });

  it('recovers a forgotten PIN with the recovery code, gets a new code, and signs in with the new PIN', async () => {
    const alan = await registerPatientApi(registrarApi, 'Alan Turing', { dateOfBirth: '1912-06-23' });
    const panel = await fillForgotPin(h, {
      proof: 'I have my recovery code',
      ssn: alan.ssn,
      password: alan.password,
      fields: { 'Date of birth': alan.dateOfBirth, 'Recovery code': alan.recoveryCode },
      newPin: '905172',
    });
    await panel.getByRole('heading', { name: 'Your new recovery code' }).waitFor();
    const fresh = (await panel.getByLabel('New recovery code', { exact: true }).textContent())?.trim();
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(alan.recoveryCode);
    await screenshot(h, 'forgot-pin-new-code');
    await panel.getByRole('button', { name: 'Back to sign in' }).click();
    await panel.getByText('Your PIN is changed. Sign in with your new PIN.').waitFor();

    await signInPatient(h, { ...alan, pin: '905172' });
    await h.page.getByRole('heading', { level: 1, name: 'Welcome, Alan Turing' }).waitFor();
  });

  it("a wrong recovery code is refused with the server's message and nothing changes", async () => {
    const panel = await fillForgotPin(h, {
      proof: 'I have my recovery code',
      ssn: ada.ssn,
      password: ada.password,
      fields: { 'Date of birth': ada.dateOfBirth, 'Recovery code': 'WRONG-CODE-0000' },
      newPin: '111333',
    });
    await panel.getByRole('alert').filter({ hasText: 'Could not set a new PIN.' }).waitFor();
    await panel.getByRole('button', { name: 'Back to sign in' }).click();
    await signInPatient(h, ada);
  });

  async function listGrants(patient: PatientCredentials): Promise<Record<string, unknown>[]> {
    const login = await fetch(`${h.server.url}/api/v1/auth/patient/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ssn: patient.ssn, pin: patient.pin, password: patient.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const api = new ApiClient(h.server.url, token);
    const body = (await api.request('GET', `/patients/${patient.patientId}/grants`)) as {
      grants: Record<string, unknown>[];
    };
    return body.grants;
  }
});
