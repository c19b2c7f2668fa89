/**
 * The admin's "Users & keys" page against a real server: creating a doctor with a generated key
 * offers the private key once as a `<username>.pem` download, and that very file signs in;
 * public keys can be pasted, added and revoked; accounts can be disabled.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { NAV } from '../../web/src/nav.js';
import { addStaffWithCli, STAFF_PASSWORD, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness, type PageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInStaff } from './sign-in.js';

async function signInAsAdmin(h: PageHarness, admin: StaffCredentials): Promise<void> {
  await signInStaff(h, admin.username, admin.password, keyFile(admin.privateKeyPem));
  await openPage(h, 'users', 'Users & keys');
}

/** Fills "Create a staff account" up to, not including, the key choice. */
async function fillNewUser(h: PageHarness, user: { username: string; displayName: string; role: string }) {
  const form = h.page.getByRole('region', { name: 'Create a staff account' });
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel('Display name').fill(user.displayName);
  await form.getByLabel('Role').selectOption({ label: user.role });
  await form.getByLabel('Initial password').fill(STAFF_PASSWORD);
  return form;
}

describe.skipIf(!browserTestsEnabled())('admin: users and keys, against the real API', () => {
  const h = usePageHarness();
  let admin: StaffCredentials;

  beforeAll(async () => {
    admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
  });

  it('creates a doctor with a generated key; the one-time download signs in as that doctor', async () => {
    await signInAsAdmin(h, admin);
    const form = await fillNewUser(h, {
      username: 'dr.grey',
      displayName: 'Dr. Meredith Grey',
      role: 'Doctor',
    });
    await form.getByLabel('Generate an Ed25519 key pair (recommended)').check();
    await form.getByRole('button', { name: 'Create account' }).click();

    await h.page.getByRole('heading', { name: 'Download the private key for dr.grey' }).waitFor();
    await h.page.getByText('This is the only copy.').waitFor();
    await screenshot(h, 'admin-users-download');
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByRole('link', { name: 'Download dr.grey.pem' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dr.grey.pem');
    const pem = await readFile(await download.path(), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    // "Done" forgets the key: the form is back and the new account is listed with its key.
    await h.page.getByRole('button', { name: 'Done' }).click();
    await h.page.getByRole('button', { name: 'Create account' }).waitFor();
    const card = h.page.getByRole('article', { name: 'Dr. Meredith Grey' });
    await card.waitFor();
    expect(await card.textContent()).toContain('Ed25519');
    expect(await card.getByText('Active').count()).toBeGreaterThan(0);
    await screenshot(h, 'admin-users');

    // The downloaded file is a working key: a fresh browser session signs in with it.
    await h.page.getByRole('button', { name: 'Logout' }).click();
    await signInStaff(h, 'dr.grey', STAFF_PASSWORD, keyFile(pem, 'dr.grey.pem'));
    expect(await h.navLabels()).toEqual(NAV.doctor.map((item) => item.label));
  });

  it('registers a pasted public key, adds a second key, revokes the first, then disables the account', async () => {
    const first = generateKeyPairSync('ed25519');
    const second = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = (key: typeof first.publicKey): string =>
      key.export({ format: 'pem', type: 'spki' }).toString();
    await signInAsAdmin(h, admin);
    const form = await fillNewUser(h, {
      username: 'pharm.ali',
      displayName: 'Ali Pharma',
      role: 'Pharmacist',
    });
    await form.getByLabel('Register a public key the person made').check();
    await form.getByLabel('Public key (PEM)').fill(spki(first.publicKey));
    await form.getByRole('button', { name: 'Create account' }).click();
    await h.page.getByRole('status').filter({ hasText: 'pharm.ali was created.' }).waitFor();
    // No private key was made, so none is offered.
    expect(await h.page.getByRole('link', { name: /Download/ }).count()).toBe(0);

    const card = h.page.getByRole('article', { name: 'Ali Pharma' });
    await card.getByText('Add a public key').click();
    await card.getByLabel('Public key (PEM)').fill(spki(second.publicKey));
    await card.getByRole('button', { name: 'Add key for pharm.ali' }).click();
    await card.getByText('RSA (PKCS#1 v1.5, SHA-256)').waitFor();
    expect(await card.getByRole('button', { name: /^Revoke key / }).count()).toBe(2);

    await card
      .getByRole('button', { name: /^Revoke key / })
      .first()
      .click();
    await card.getByRole('button', { name: 'Revoke key', exact: true }).click();
    await card.getByText(/^Revoked /).waitFor();
    expect(await card.getByRole('button', { name: /^Revoke key / }).count()).toBe(1);

    await card.getByRole('button', { name: 'Disable pharm.ali' }).click();
    await card.getByRole('button', { name: 'Disable account' }).click();
    await card.getByText('Disabled', { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: 'Disable pharm.ali' }).count()).toBe(0);
    // A disabled account cannot sign in, even with an active key.
    await h.page.getByRole('button', { name: 'Logout' }).click();
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill('pharm.ali');
    await panel.getByLabel('Password').fill(STAFF_PASSWORD);
    const rsaPem = second.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await panel.getByLabel('Private key file').setInputFiles(keyFile(rsaPem));
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Could not sign in.' }).waitFor();
  });

  it('checks the form in the browser before sending anything', async () => {
    await signInAsAdmin(h, admin);
    const form = h.page.getByRole('region', { name: 'Create a staff account' });
    await form.getByLabel('Username').fill('Bad Name');
    await form.getByLabel('Initial password').fill('short');
    await form.getByLabel('Register a public key the person made').check();
    await form.getByLabel('Public key (PEM)').fill(admin.privateKeyPem);
    const before = h.apiCalls.filter((call) => call.startsWith('POST')).length;
    await form.getByRole('button', { name: 'Create account' }).click();
    await form.getByText('Use 3–64 lowercase letters, digits, or . _ @ -').waitFor();
    await form.getByText('Choose a role.').waitFor();
    await form.getByText('Use at least 12 characters.').waitFor();
    await form.getByText(/This is a private key\. Never share it/).waitFor();
    expect(h.apiCalls.filter((call) => call.startsWith('POST')).length).toBe(before);
  });
});
