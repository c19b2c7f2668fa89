/**
 * Issue 4 acceptance, "a staff member logs in with a PEM file in Chromium", against a real
 * server: the first admin is made with `medvault users add` (the key file it writes is what the
 * browser picks); a doctor with an RSA key is registered through the admin API. The key is used
 * only inside the page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NAV, ROLE_LABELS } from '../../web/src/nav.js';
import { addStaffWithCli, createStaffApi, loginStaffApi, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { keyFile, signInStaff } from './sign-in.js';

describe.skipIf(!browserTestsEnabled())('staff sign-in with a key file, against the real API', () => {
  const h = usePageHarness();
  let admin: StaffCredentials & { readonly keyFile: string };
  let doctor: StaffCredentials;

  beforeAll(async () => {
    admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    await loginStaffApi(h.server, admin); // the first admin signs in with its own key
    doctor = await createStaffApi(h.server, 'doctor', 'dr.house', {
      displayName: 'Dr. Gregory House',
      keyType: 'rsa',
    });
  });

  it('the admin made by `medvault users add` picks its key file, signs in and sees the admin navigation', async () => {
    await signInStaff(h, admin.username, admin.password, admin.keyFile);
    expect(await h.navLabels()).toEqual(NAV.admin.map((item) => item.label));
    expect(await h.page.locator('.role-badge').textContent()).toBe(ROLE_LABELS.admin);
    expect(h.apiCalls).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/staff/challenge', 'POST /api/v1/auth/staff/login']),
    );
    // The session is the server's: a reload stays signed in, and logout ends it.
    await h.page.reload();
    await h.page.getByRole('navigation', { name: 'Main' }).waitFor();
    await h.page.getByRole('button', { name: 'Logout' }).click();
    await h.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
    await h.page.reload();
    await h.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
  });

  it('a doctor with an RSA key registered by the admin signs in and sees the doctor navigation', async () => {
    await signInStaff(h, doctor.username, doctor.password, keyFile(doctor.privateKeyPem));
    expect(await h.navLabels()).toEqual(NAV.doctor.map((item) => item.label));
    expect(await h.page.locator('.app-header').textContent()).toContain('Dr. Gregory House');
  });

  it("the right key with a wrong password is refused with the server's message", async () => {
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill(doctor.username);
    await panel.getByLabel('Password').fill('Not-The-Password-2024');
    await panel.getByLabel('Private key file').setInputFiles(keyFile(doctor.privateKeyPem));
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Could not sign in.' }).waitFor();
    expect(await h.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  });

  it("another person's key with the right password is refused", async () => {
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill(doctor.username);
    await panel.getByLabel('Password').fill(doctor.password);
    await panel.getByLabel('Private key file').setInputFiles(keyFile(admin.privateKeyPem));
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Could not sign in.' }).waitFor();
    expect(await h.page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  });

  describe('a compromised server cannot use the login page as a signing oracle (issue 15, finding 1)', () => {
    /** Signs in with the server's challenge answer replaced; answers the alert's text. */
    const signInAgainst = async (challenge: unknown): Promise<string> => {
      await h.openLoginPage();
      await h.mockRoute('/auth/staff/challenge', () => ({
        status: 200,
        body: { challengeId: 'harvest', challenge, expiresAt: Date.now() + 60_000 },
      }));
      await h.page.getByRole('tab', { name: 'Staff' }).click();
      const panel = h.staffPanel();
      await panel.getByLabel('Username').fill(doctor.username);
      await panel.getByLabel('Password').fill(doctor.password);
      await panel.getByLabel('Private key file').setInputFiles(keyFile(doctor.privateKeyPem));
      await panel.getByRole('button', { name: 'Sign in with key' }).click();
      const alert = panel.getByRole('alert').filter({ hasText: 'Could not sign in.' });
      await alert.waitFor();
      expect(h.apiCalls).not.toContain('POST /api/v1/auth/staff/login');
      return (await alert.textContent()) ?? '';
    };
    const prescription = JSON.stringify({ v: 1, patientId: 'p-1', quantity: 90, keyId: 'k'.repeat(22) });

    it("a prescription's JSON sent as the challenge is not signed and no login is sent", async () => {
      expect(await signInAgainst(prescription)).toMatch(/did not fit what this page expects/);
    });

    it('a well-formed challenge for another origin (a relaying site) is not signed', async () => {
      const relayed = {
        type: 'medvault-staff-login',
        v: 1,
        origin: 'https://medvault.hospital.example',
        username: doctor.username,
        nonce: 'A'.repeat(43),
        expiresAt: Date.now() + 60_000,
      };
      expect(await signInAgainst(relayed)).toMatch(
        /is for https:\/\/medvault\.hospital\.example, not for http/,
      );
    });
  });
});
