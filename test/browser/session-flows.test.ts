/**
 * The client's side of the session protocol in Chromium, with the auth routes answered inside
 * the browser (page.route) so it can be proven before the server implements them: the staff key
 * is read and used in the page and its signature verifies with node:crypto over the challenge's
 * login message, writes carry the CSRF header, each role gets its navigation, logout works and its
 * failures are reported. The UI itself is served by a freshly started MedVault server.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../web/src/api/client.js';
import { loginMessage } from '../../src/contract/signing/index.js';
import { ROLES } from '../../src/contract/vocabulary/roles.js';
import { NAV, ROLE_LABELS } from '../../web/src/nav.js';
import { browserTestsEnabled } from './chromium.js';
import { pemFile } from './pem-file.js';
import { usePageHarness } from './page-harness.js';

describe.skipIf(!browserTestsEnabled())('session flows with the auth API answered in the browser', () => {
  const h = usePageHarness();
  const notLoggedIn = {
    status: 401,
    body: { error: { code: 'unauthenticated', message: 'Log in first.' } },
  };
  // The signed-in shell asks for the user's notices (a re-enrolment to tell them about): with the
  // session answered in the browser, the real server would say 401 and end it.
  beforeEach(async () => {
    await h.mockRoute('/me/notices', () => ({ status: 200, body: { notices: [] } }));
  });

  for (const keyType of ['ed25519', 'rsa'] as const) {
    it(`staff (${keyType}): signs the challenge's login message in the page; node:crypto verifies it`, async () => {
      const { privateKey, publicKey } =
        keyType === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ed25519');
      const challenge = {
        type: 'medvault-staff-login' as const,
        v: 1 as const,
        origin: new URL(h.server.url).origin,
        username: 'dr.house',
        nonce: `${keyType}-`.padEnd(43, 'Z'),
        expiresAt: Date.now() + 120_000,
      };
      let signatureVerified = false;
      await h.mockRoute('/auth/me', () => notLoggedIn);
      const challenges = await h.mockRoute('/auth/staff/challenge', () => ({
        status: 200,
        body: { challengeId: 'ch-1', challenge, expiresAt: Date.now() + 120_000 },
      }));
      const logins = await h.mockRoute('/auth/staff/login', (request) => {
        const body = request.postDataJSON() as Record<string, string>;
        signatureVerified = verify(
          keyType === 'rsa' ? 'sha256' : null,
          loginMessage(challenge),
          publicKey,
          Buffer.from(body.signature ?? '', 'base64'),
        );
        return signatureVerified
          ? {
              status: 200,
              body: {
                token: 'opaque',
                user: { id: 'u1', role: 'doctor', username: 'dr.house', displayName: null },
              },
            }
          : { status: 422, body: { error: { code: 'bad_signature', message: 'Signature invalid.' } } };
      });

      // The doctor's first page loads their patients and recent records; the session is mocked.
      await h.mockRoute('/patients*', () => ({ status: 200, body: { patients: [], nextCursor: null } }));
      await h.mockRoute('/records/recent', () => ({ status: 200, body: { records: [] } }));

      await h.openLoginPage();
      await h.page.getByRole('tab', { name: 'Staff' }).click();
      const panel = h.staffPanel();
      await panel.getByLabel('Username').fill(' dr.house ');
      await panel.getByLabel('Password').fill('correct horse battery');
      await panel.getByLabel('Private key file').setInputFiles(pemFile(privateKey));
      await panel.getByRole('button', { name: 'Sign in with key' }).click();
      await h.page.getByRole('navigation', { name: 'Main' }).waitFor();

      expect(signatureVerified).toBe(true);
      expect(challenges[0]?.postDataJSON()).toEqual({ username: 'dr.house' });
      const login = logins[0]?.postDataJSON() as Record<string, unknown>;
      expect(Object.keys(login).sort()).toEqual(['challengeId', 'password', 'signature', 'username']);
      expect(login).toMatchObject({
        username: 'dr.house',
        password: 'correct horse battery',
        challengeId: 'ch-1',
      });
      // The key file's content never leaves the page: no 40-character piece of its base64 body
      // appears in any request, and every write carries the CSRF header.
      const keyBase64 = pemFile(privateKey)
        .buffer.toString()
        .replace(/-----[^-]+-----|\s/g, '');
      const pieces = keyBase64.match(/.{1,40}/g) ?? [];
      for (const request of [...challenges, ...logins]) {
        const sent = request.postData() ?? '';
        expect(pieces.filter((piece) => sent.includes(piece))).toEqual([]);
        expect(await request.headerValue(CSRF_HEADER)).toBe('1');
      }
      expect(await h.navLabels()).toEqual(NAV.doctor.map((item) => item.label));
      expect(await h.page.locator('.app-header').textContent()).toContain('dr.house');
    });
  }

  it('patient: logs in, sees the dashboard, navigates to another page and back, logs out', async () => {
    let loggedIn = false;
    await h.mockRoute('/patients/p1/access-log*', () => ({
      status: 200,
      body: { entries: [], nextCursor: null },
    }));
    await h.mockRoute('/patients/p1', () => ({
      status: 200,
      body: {
        id: 'p1',
        mrn: '48213307',
        fullName: 'Ada Lovelace',
        dateOfBirth: '1815-12-10',
        maskedSsn: '***-**-6789',
        smokingStatus: 'never',
        registeredAt: 1_700_000_000_000,
        careTeam: [],
      },
    }));
    await h.mockRoute('/auth/me', () =>
      loggedIn
        ? { status: 200, body: { id: 'p1', role: 'patient', username: null, displayName: 'Ada L.' } }
        : notLoggedIn,
    );
    const logins = await h.mockRoute('/auth/patient/login', () => {
      loggedIn = true;
      return {
        status: 200,
        body: { token: 'opaque', user: { id: 'p1', role: 'patient', username: null, displayName: 'Ada L.' } },
      };
    });
    const logouts = await h.mockRoute('/auth/logout', () => {
      loggedIn = false;
      return { status: 204 };
    });

    await h.openLoginPage();
    await h.patientPanel().getByLabel('Social Security number').fill('123456789');
    await h.patientPanel().getByLabel('PIN', { exact: true }).fill('123456');
    await h.patientPanel().getByLabel('Password', { exact: true }).fill('correct horse battery');
    await h.page.getByRole('button', { name: 'Sign in' }).click();
    await h.page.getByRole('navigation', { name: 'Main' }).waitFor();

    expect(logins[0]?.postDataJSON()).toEqual({
      ssn: '123-45-6789',
      pin: '123456',
      password: 'correct horse battery',
    });
    expect(await logins[0]?.headerValue(CSRF_HEADER)).toBe('1');
    expect(await h.navLabels()).toEqual([
      'Dashboard',
      'My records',
      'Sharing',
      'Access history',
      'Prescriptions',
      'Account',
    ]);
    await h.page.getByRole('heading', { level: 1, name: 'Welcome, Ada Lovelace' }).waitFor();

    const nav = h.page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Access history' }).click();
    await h.page.getByRole('heading', { level: 1, name: 'Access history' }).waitFor();
    await h.page.getByText('Nobody has accessed your records yet.').waitFor();
    expect(await nav.getByRole('link', { name: 'Access history' }).getAttribute('aria-current')).toBe('page');
    expect(new URL(h.page.url()).hash).toBe('#/access-history');

    // A reload keeps the session (the server says who is logged in) and the page.
    await h.page.reload();
    await h.page.getByRole('heading', { level: 1, name: 'Access history' }).waitFor();

    await h.page.getByRole('button', { name: 'Logout' }).click();
    await h.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
    expect(logouts).toHaveLength(1);
    expect(await logouts[0]?.headerValue(CSRF_HEADER)).toBe('1');
  });

  it('a login answer without a user, and no session behind it, is reported and the form is usable again', async () => {
    await h.mockRoute('/auth/me', () => notLoggedIn);
    await h.mockRoute('/auth/patient/login', () => ({ status: 200, body: { token: 'opaque' } }));
    await h.openLoginPage();
    await h.patientPanel().getByLabel('Social Security number').fill('123-45-6789');
    await h.patientPanel().getByLabel('PIN', { exact: true }).fill('123456');
    await h.patientPanel().getByLabel('Password', { exact: true }).fill('correct horse battery');
    await h.page.getByRole('button', { name: 'Sign in' }).click();
    await h.page.getByText('The server accepted the sign-in but did not confirm a session.').waitFor();
    expect(await h.page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
  });

  it('a failed logout is reported and keeps the user signed in', async () => {
    await h.mockRoute('/auth/me', () => ({
      status: 200,
      body: { id: 'a1', role: 'admin', username: 'root', displayName: null },
    }));
    await h.mockRoute('/admin/users', () => ({ status: 200, body: { users: [] } }));
    await h.mockRoute('/auth/logout', () => ({
      status: 503,
      body: { error: { code: 'unavailable', message: 'Database unreachable.' } },
    }));
    await h.page.goto(h.server.url);
    await h.page.getByRole('button', { name: 'Logout' }).click();
    await h.page.getByRole('alert').filter({ hasText: 'Could not log out: Database unreachable.' }).waitFor();
    expect(await h.page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
  });

  it('a page whose request finds the session gone returns to the login page and says why', async () => {
    await h.mockRoute('/auth/me', () => ({
      status: 200,
      body: { id: 'a1', role: 'admin', username: 'root', displayName: null },
    }));
    await h.mockRoute('/admin/users', () => notLoggedIn);
    await h.page.goto(`${h.server.url}/#/users`);
    await h.page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
    await h.page.getByText('Your session has ended. Please sign in again.').waitFor();
  });

  for (const role of ROLES) {
    it(`an existing ${role} session opens straight into the ${role} navigation`, async () => {
      await h.mockRoute('/auth/me', () => ({
        status: 200,
        body: { id: '7', role, username: `${role}-user`, displayName: null },
      }));
      // The first pages that load data (patient dashboard, admin users) get a harmless answer.
      await h.mockRoute('/patients/7', () => ({
        status: 200,
        body: {
          id: '7',
          mrn: '48213307',
          fullName: '',
          dateOfBirth: '1990-01-01',
          maskedSsn: '***-**-0007',
          smokingStatus: 'unknown',
          registeredAt: 1_700_000_000_000,
          careTeam: [],
        },
      }));
      await h.mockRoute('/admin/users', () => ({ status: 200, body: { users: [] } }));
      // Patient dashboard: recent access; doctor home: patients and recent records.
      await h.mockRoute('/patients/7/access-log*', () => ({
        status: 200,
        body: { entries: [], nextCursor: null },
      }));
      await h.mockRoute('/patients*', () => ({ status: 200, body: { patients: [], nextCursor: null } }));
      await h.mockRoute('/records/recent', () => ({ status: 200, body: { records: [] } }));
      // Pharmacist home: the queue of pending prescriptions.
      await h.mockRoute('/prescriptions*', () => ({ status: 200, body: { items: [], nextCursor: null } }));
      await h.page.goto(h.server.url);
      await h.page.getByRole('navigation', { name: 'Main' }).waitFor();
      expect(await h.navLabels()).toEqual(NAV[role].map((item) => item.label));
      expect(await h.page.locator('.role-badge').textContent()).toBe(ROLE_LABELS[role]);
      // The first page opens; the patient's is a dashboard that greets them.
      const first = NAV[role][0];
      const heading = await h.page.getByRole('heading', { level: 1 }).textContent();
      expect(heading).toBe(role === 'patient' ? 'Welcome' : first?.label);
    });
  }
});
