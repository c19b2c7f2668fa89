/**
 * The admin's "Users & keys" page against a real server (issue 14): an admin creates a doctor
 * with no password and no key and is shown a one-time invite code; the holder enrols with it
 * (own password, own key), a SECOND admin approves, and that key signs in. Admins revoke keys
 * and disable accounts; they never set a password or add a key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownKeyBody } from '../../src/cli/staff-enrol.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { NAV } from '../../web/src/nav.js';
import { scopeOf } from '../support/scopes.js';
import { addStaffWithCli, STAFF_PASSWORD, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness, type PageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInStaff } from './sign-in.js';

async function signInAsAdmin(h: PageHarness, admin: StaffCredentials): Promise<void> {
  await signInStaff(h, admin.username, admin.password, keyFile(admin.privateKeyPem));
  await openPage(h, 'users', 'Users & keys');
}

/** Fills "Create a staff account": username, display name and role, nothing else. */
async function fillNewUser(h: PageHarness, user: { username: string; displayName: string; role: string }) {
  const form = h.page.getByRole('region', { name: 'Create a staff account' });
  await form.getByLabel('Username').fill(user.username);
  await form.getByLabel('Display name').fill(user.displayName);
  await form.getByLabel('Role').selectOption({ label: user.role });
  return form;
}

describe.skipIf(!browserTestsEnabled())('admin: users and keys, against the real API', () => {
  const h = usePageHarness();
  let admin: StaffCredentials;
  let admin2: StaffCredentials;

  beforeAll(async () => {
    admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    admin2 = await addStaffWithCli(h.server, 'admin', 'second.admin');
  });

  /** The holder enrols with the invite code (own password, own key made here). */
  async function enrol(inviteCode: string, algorithm: 'ed25519' | 'rsa-pkcs1-sha256' = 'ed25519') {
    const pair = generateSigningKeyPair(algorithm);
    const enrolled = await h.server.app.identity.staffInvites.enrol({
      inviteCode,
      password: STAFF_PASSWORD,
      publicKeyPem: pair.publicKeyPem,
    });
    return { ...pair, keyId: enrolled.keyId, userId: enrolled.userId };
  }

  /** The second admin approves the pending request about `userId`. */
  async function approveAsSecondAdmin(userId: string): Promise<void> {
    const scope = scopeOf({ userId: admin2.id, role: 'admin' });
    const pending = await h.server.app.approvals.pending(scope);
    const request = pending.find((p) => p.subjectId === userId);
    if (request === undefined) throw new Error(`no pending request about ${userId}`);
    await h.server.app.approvals.approve(scope, request.id);
  }

  it('creates a doctor with a one-time invite code; enrolled and approved by a second admin, the key signs in', async () => {
    await signInAsAdmin(h, admin);
    const form = await fillNewUser(h, {
      username: 'dr.grey',
      displayName: 'Dr. Meredith Grey',
      role: 'Doctor',
    });
    // No password and no key: the admin never chooses either.
    expect(await form.getByLabel('Initial password').count()).toBe(0);
    expect(await form.getByLabel('Public key (PEM)').count()).toBe(0);
    await form.getByRole('button', { name: 'Create account' }).click();

    const shown = h.page.getByTestId('invite-code');
    await shown.waitFor();
    const inviteCode = ((await shown.textContent()) ?? '').trim();
    expect(inviteCode.replace(/[^0-9A-Z]/g, '')).toHaveLength(25);
    await h.page
      .getByRole('status')
      .filter({ hasText: 'dr.grey was created; a second administrator must approve it.' })
      .waitFor();
    expect(await h.page.getByRole('link', { name: /Download/ }).count()).toBe(0);
    await screenshot(h, 'admin-users-invite');

    // "Done" forgets the code: the form is back and the account waits for approval.
    await h.page.getByRole('button', { name: 'Done' }).click();
    await h.page.getByRole('button', { name: 'Create account' }).waitFor();
    const card = h.page.getByRole('article', { name: 'Dr. Meredith Grey' });
    await card.getByText('Waiting for approval').waitFor();

    const holder = await enrol(inviteCode);
    await approveAsSecondAdmin(holder.userId);
    await h.page.reload();
    await openPage(h, 'users', 'Users & keys');
    const active = h.page.getByRole('article', { name: 'Dr. Meredith Grey' });
    await active.getByText('Active').first().waitFor();
    expect(await active.textContent()).toContain('Ed25519');
    await screenshot(h, 'admin-users');

    // The holder's own key signs in.
    await h.page.getByRole('button', { name: 'Logout' }).click();
    await signInStaff(h, 'dr.grey', STAFF_PASSWORD, keyFile(holder.privateKeyPem, 'dr.grey.pem'));
    expect(await h.navLabels()).toEqual(NAV.doctor.map((item) => item.label));
  });

  it('revokes the first of two keys the holder registered, then disables the account', async () => {
    const created = await h.server.app.identity.staffAccounts.create(
      scopeOf({ userId: admin.id, role: 'admin' }),
      {
        role: 'pharmacist',
        username: 'pharm.ali',
        displayName: 'Ali Pharma',
      },
    );
    const first = await enrol(created.invite.code);
    await approveAsSecondAdmin(first.userId);
    // The holder adds a second key of their own, signed by the first (admins add none).
    const second = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const secondPublic = second.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    await h.server.app.identity.ownKeys.add(
      scopeOf({ userId: first.userId, role: 'pharmacist' }),
      ownKeyBody('pharm.ali', secondPublic, first),
    );

    await signInAsAdmin(h, admin);
    const card = h.page.getByRole('article', { name: 'Ali Pharma' });
    await card.getByText('RSA (PKCS#1 v1.5, SHA-256)').waitFor();
    expect(await card.getByText('Add a public key').count()).toBe(0);
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
    const before = h.apiCalls.filter((call) => call.startsWith('POST')).length;
    await form.getByRole('button', { name: 'Create account' }).click();
    await form.getByText('Use 3–64 lowercase letters, digits, or . _ @ -').waitFor();
    await form.getByText('Choose a role.').waitFor();
    await form.getByText('Enter the name shown to others.').waitFor();
    expect(h.apiCalls.filter((call) => call.startsWith('POST')).length).toBe(before);
  });
});
