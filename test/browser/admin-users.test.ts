/**
 * The admin's "Users & keys" page against a real server (issue 14): an admin creates a doctor
 * with no password and no key and is shown a one-time invite code; the holder enrols with it
 * (own password, own key), a SECOND admin approves, and that key signs in. Admins revoke keys
 * and disable accounts; they never set a password or add a key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownKeyBody } from '../../src/cli/staff-enrol.js';
import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { NAV } from '../../web/src/nav.js';
import { scopeOf } from '../support/scopes.js';
import { addStaffWithCli, STAFF_PASSWORD, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { expectAccessible, usePageHarness, type PageHarness } from './page-harness.js';
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

/** The one-time invite code on screen (OneTimeSecret), checked for its shape. */
async function shownInvite(h: PageHarness, username: string): Promise<string> {
  const name = `Invite code for ${username}`;
  const shown = h.page.getByRole('region', { name }).getByLabel(name, { exact: true });
  await shown.waitFor();
  const code = ((await shown.textContent()) ?? '').trim();
  expect(code.replace(/[^0-9A-Z]/g, '')).toHaveLength(25);
  return code;
}

async function logout(h: PageHarness): Promise<void> {
  await h.page.getByRole('button', { name: 'Logout' }).click();
  await h.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
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

  /** An account created through the service, enrolled by its holder and approved: active. */
  async function activeStaff(role: 'pharmacist' | 'registrar', username: string, displayName: string) {
    const created = await h.server.app.identity.staffAccounts.create(
      scopeOf({ userId: admin.id, role: 'admin' }),
      { role, username, displayName },
    );
    const holder = await enrol(created.invite.code);
    await approveAsSecondAdmin(holder.userId);
    return holder;
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

    const inviteCode = await shownInvite(h, 'dr.grey');
    await h.page
      .getByRole('status')
      .filter({
        hasText: 'dr.grey was created; a second administrator must approve it on the Approvals page.',
      })
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
    const first = await activeStaff('pharmacist', 'pharm.ali', 'Ali Pharma');
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

  it('two admins on the Approvals page; the new doctor accepts the invite in the browser, saves the key and signs in with it', async () => {
    // Admin A creates the account and is handed the invite code.
    await signInAsAdmin(h, admin);
    const form = await fillNewUser(h, {
      username: 'dr.yang',
      displayName: 'Dr. Cristina Yang',
      role: 'Doctor',
    });
    await form.getByRole('button', { name: 'Create account' }).click();
    const inviteCode = await shownInvite(h, 'dr.yang');
    await h.page.getByRole('button', { name: 'Done' }).click();

    // A's own request: in words, and no button to decide it.
    await openPage(h, 'approvals', 'Approvals');
    expect(await h.navLabels()).toEqual(NAV.admin.map((item) => item.label));
    const own = h.page.getByRole('article', { name: /Dr\. Cristina Yang/ });
    await own.getByText('You asked for this: a different administrator must approve or refuse it.').waitFor();
    expect(await own.textContent()).toContain('Activate the new doctor account "dr.yang".');
    expect(await own.getByRole('button').count()).toBe(0);
    await expectAccessible(h);
    await screenshot(h, 'approvals-own-request');

    // Admin B approves it.
    await logout(h);
    await signInStaff(h, admin2.username, admin2.password, keyFile(admin2.privateKeyPem));
    await openPage(h, 'approvals', 'Approvals');
    const request = h.page.getByRole('article', { name: /Dr\. Cristina Yang/ });
    expect(await request.textContent()).toContain('Asked by');
    expect(await request.textContent()).toContain('Expires');
    await request
      .getByRole('button', { name: /^Approve: Activate a new staff account, Dr\. Cristina Yang/ })
      .click();
    await expectAccessible(h);
    await request.getByRole('button', { name: 'Approve', exact: true }).click();
    await h.page.getByRole('status').filter({ hasText: 'Approved. Activate a new staff account' }).waitFor();
    await h.page.getByText('Nothing waits for a second administrator.').waitFor();

    // The doctor accepts the invite from the login page, without signing in.
    await logout(h);
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByRole('button', { name: 'Have an invite code?' }).click();
    await panel.getByRole('heading', { name: 'Accept your invite' }).waitFor();
    await expectAccessible(h);
    // Checked here first: nothing is sent while the form is wrong.
    const before = h.apiCalls.length;
    await panel.getByLabel('Username').fill('dr.yang');
    await panel.getByLabel('Invite code').fill('not-a-code');
    await panel.getByLabel('Choose a password').fill('dr.yang');
    await panel.getByRole('button', { name: 'Enrol and make my key' }).click();
    await panel.getByText('The invite code is 25 letters and digits').waitFor();
    await panel.getByText('Use at least 12 characters.').waitFor();
    await panel.getByText('The two passwords differ.').waitFor();
    expect(h.apiCalls.length).toBe(before);

    await panel.getByLabel('Invite code').fill(inviteCode.toLowerCase());
    await panel.getByLabel('Choose a password').fill(STAFF_PASSWORD);
    await panel.getByLabel('Repeat password').fill(STAFF_PASSWORD);
    await panel.getByRole('button', { name: 'Enrol and make my key' }).click();
    await panel.getByRole('heading', { name: 'Save your private key' }).waitFor();
    expect(h.apiCalls).toContain('POST /api/v1/auth/staff/enrol');
    await expectAccessible(h);
    await screenshot(h, 'accept-invite-key');

    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      panel.getByRole('link', { name: 'Download dr.yang.pem' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('dr.yang.pem');
    const savedPath = await download.path();
    const saved = await readFile(savedPath, 'utf8');
    expect(saved).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    // The server holds the public half only, and it is the saved key's.
    const users = await h.server.app.identity.staffAccounts.list(
      scopeOf({ userId: admin.id, role: 'admin' }),
    );
    const yang = users.find((u) => u.username === 'dr.yang');
    expect(yang?.status).toBe('active');
    expect(yang?.keys).toHaveLength(1);
    expect(JSON.stringify(yang)).not.toContain('PRIVATE');

    await panel.getByRole('button', { name: 'Continue to sign in' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: 'You are enrolled. Sign in with your username' })
      .waitFor();
    expect(await panel.getByLabel('Username').inputValue()).toBe('dr.yang');
    await panel.getByLabel('Password').fill(STAFF_PASSWORD);
    await panel.getByLabel('Private key file').setInputFiles(savedPath);
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await h.page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await h.navLabels()).toEqual(NAV.doctor.map((item) => item.label));
  });

  it('a re-enrolment asked on Users & keys and approved by another admin shows the new invite code once', async () => {
    const holder = await activeStaff('registrar', 'reg.lost', 'Lost Keys');

    await signInAsAdmin(h, admin);
    const card = h.page.getByRole('article', { name: 'Lost Keys' });
    await card.getByRole('button', { name: 'Re-enrol reg.lost' }).click();
    await card.getByRole('button', { name: 'Ask for re-enrolment' }).click();
    await h.page.getByRole('status').filter({ hasText: 'Re-enrolment of reg.lost requested' }).waitFor();

    // A asks for two more on the Approvals page: a budget raise (which B refuses) and required
    // second factors for pharmacists (which B approves). A bad epsilon is refused in the form.
    await openPage(h, 'approvals', 'Approvals');
    const ask = h.page.getByRole('region', { name: 'Ask a second administrator' });
    await ask.getByLabel('Epsilon to add this window').fill('0');
    await ask.getByRole('button', { name: 'Ask to raise the budget' }).click();
    await ask.getByText('Enter an epsilon above 0 and at most 100').waitFor();
    await ask.getByLabel('Epsilon to add this window').fill('0.5');
    await ask.getByRole('button', { name: 'Ask to raise the budget' }).click();
    await h.page.getByRole('status').filter({ hasText: 'raise this window' }).waitFor();
    await ask.getByLabel('Role').selectOption('pharmacist');
    await ask.getByLabel('Second factor').selectOption('required');
    await ask.getByRole('button', { name: 'Ask to change the policy' }).click();
    await h.page.getByRole('article', { name: /^Change the second-factor policy/ }).waitFor();
    expect(await h.page.getByRole('button', { name: /^Approve: / }).count()).toBe(0); // all A's own
    await expectAccessible(h);

    await logout(h);
    await signInStaff(h, admin2.username, admin2.password, keyFile(admin2.privateKeyPem));
    await openPage(h, 'approvals', 'Approvals');
    const raise = h.page.getByRole('article', {
      name: "Raise the privacy budget: The hospital's statistics",
    });
    expect(await raise.textContent()).toContain("Raise this window's privacy budget by epsilon 0.5.");
    await raise.getByRole('button', { name: /^Refuse: / }).click();
    await raise.getByRole('button', { name: 'Refuse', exact: true }).click();
    await h.page.getByRole('status').filter({ hasText: 'Refused. Raise the privacy budget' }).waitFor();
    await raise.waitFor({ state: 'detached' });

    const policy = h.page.getByRole('article', { name: /^Change the second-factor policy/ });
    expect(await policy.textContent()).toContain('pharmacists to "required"');
    await policy.getByRole('button', { name: /^Approve: / }).click();
    await policy.getByRole('button', { name: 'Approve', exact: true }).click();
    await h.page
      .getByRole('list', { name: 'Second-factor policy in force' })
      .getByText('Pharmacist: required')
      .waitFor();

    const request = h.page.getByRole('article', { name: /^Re-enrol a staff member: Lost Keys/ });
    expect(await request.textContent()).toContain(
      'revoke every key, the password, every second factor and every session',
    );
    await request.getByRole('button', { name: /^Approve: / }).click();
    await request.getByRole('button', { name: 'Approve', exact: true }).click();
    const code = await shownInvite(h, 'reg.lost');
    await expectAccessible(h);
    // The new code works (once): the holder enrols again with a new key.
    const again = await enrol(code);
    expect(again.userId).toBe(holder.userId);
    await h.page.getByRole('button', { name: 'Done' }).click();
    expect(await h.page.getByRole('region', { name: 'Invite code for reg.lost' }).count()).toBe(0);
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
