/**
 * Issue 14, passkeys in real Chromium with the DevTools virtual authenticator, against a real
 * server on http://localhost (a secure context; 127.0.0.1 would not do for WebAuthn). Doctors are
 * under `required`: the first sign-in leads through adding a passkey, later ones sign with it.
 * The server refuses an assertion without user verification, and one whose signature counter
 * went back (a cloned authenticator).
 *
 * The account page's Security section (every role): the doctor sees their passkey and cannot
 * remove the only one while the policy requires it; a patient (policy optional), in a browser
 * context with an authenticator of its own, adds an authenticator app (codes from Debian's
 * oathtool) and a passkey from the page, signs in with each, and removes the app. axe-core
 * checks the page as each state shows.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessScope } from '../../src/app/access/index.js';
import { browserTestsEnabled, launchChromium } from './chromium.js';
import { axeViolations } from './page-checks.js';
import { keyFile } from './sign-in.js';
import { ensureWebBuild } from './web-build.js';
import { oathtool } from '../support/oathtool.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GOOD_PASSWORD, insertStaff, registerEnrolled, registration, sign } from '../support/people.js';

const BLOCKING_IMPACTS = new Set(['critical', 'serious', 'moderate']);

/** axe-core's critical, serious and moderate findings on the page as it stands, one line each. */
async function blockingViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => BLOCKING_IMPACTS.has(v.impact))
    .map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`);
}

/** A virtual authenticator (CTAP2, user verification) in the page's browser context. */
async function addAuthenticator(cdp: CDPSession): Promise<string> {
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

describe.skipIf(!browserTestsEnabled())(
  'passkeys as the second factor (Chromium virtual authenticator)',
  () => {
    let server: TestServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let cdp: CDPSession;
    let authenticatorId: string;
    let origin: string;
    let doctor: { username: string; privateKeyPem: string };

    beforeAll(async () => {
      server = await startTestServer({
        webRoot: await ensureWebBuild(),
        settings: { MEDVAULT_SECOND_FACTOR_POLICY: 'doctor=required' },
      });
      origin = server.url.replace('127.0.0.1', 'localhost');
      const made = await server.app.identity.staffAccounts.createAsOperator({
        role: 'doctor',
        username: 'dr.passkey',
        displayName: 'Dr Passkey',
        password: GOOD_PASSWORD,
        key: { generate: 'ed25519' },
      });
      doctor = { username: 'dr.passkey', privateKeyPem: made.privateKeyPem! };
      browser = await launchChromium();
      context = await browser.newContext();
      context.setDefaultTimeout(20_000);
      page = await context.newPage();
      cdp = await context.newCDPSession(page);
      authenticatorId = await addAuthenticator(cdp);
    }, 120_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.close();
    });

    /** The staff first step through the login page; answers when the second step shows. */
    async function firstFactor(): Promise<void> {
      await page.goto(origin);
      await page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
      await page.getByRole('tab', { name: 'Staff' }).click();
      const panel = page.getByRole('tabpanel', { name: 'Staff' });
      await panel.getByLabel('Username').fill(doctor.username);
      await panel.getByLabel('Password').fill(GOOD_PASSWORD);
      await panel.getByLabel('Private key file').setInputFiles(keyFile(doctor.privateKeyPem));
      await panel.getByRole('button', { name: 'Sign in with key' }).click();
    }

    /** A pending token of a fresh first step, through the API (for the server-side refusals). */
    async function pendingToken(): Promise<string> {
      const post = async (path: string, body: unknown) =>
        (await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json())) as Record<string, unknown>;
      const ch = (await post('/api/v1/auth/staff/challenge', { username: doctor.username })) as {
        challengeId: string;
        challenge: unknown;
      };
      const login = (await post('/api/v1/auth/staff/login', {
        username: doctor.username,
        password: GOOD_PASSWORD,
        challengeId: ch.challengeId,
        signature: sign('ed25519', doctor.privateKeyPem, ch.challenge),
      })) as { secondFactor: { pendingToken: string } };
      return login.secondFactor.pendingToken;
    }

    /**
     * In the page: asks the server for sign-in options, signs with the virtual authenticator
     * (asking for `userVerification`), posts the assertion; answers the HTTP status.
     */
    async function assertInPage(
      token: string,
      userVerification: 'discouraged' | 'required',
    ): Promise<number> {
      return page.evaluate(
        async ({ token, userVerification }) => {
          const b64 = (s: string) =>
            Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
          const u64 = (b: ArrayBuffer) =>
            btoa(String.fromCharCode(...new Uint8Array(b)))
              .replace(/\+/g, '-')
              .replace(/\//g, '_')
              .replace(/=+$/, '');
          const post = (path: string, body: unknown) =>
            fetch(path, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-medvault-csrf': '1' },
              body: JSON.stringify(body),
            });
          const { options } = (await (
            await post('/api/v1/auth/second-factor/passkey/options', { pendingToken: token })
          ).json()) as {
            options: {
              challenge: string;
              rpId: string;
              allowCredentials: { id: string; type: 'public-key' }[];
            };
          };
          const credential = (await navigator.credentials.get({
            publicKey: {
              challenge: b64(options.challenge),
              rpId: options.rpId,
              allowCredentials: options.allowCredentials.map((c) => ({
                type: 'public-key' as const,
                id: b64(c.id),
              })),
              userVerification,
            },
          })) as PublicKeyCredential;
          const r = credential.response as AuthenticatorAssertionResponse;
          const response = {
            id: credential.id,
            rawId: u64(credential.rawId),
            type: 'public-key',
            response: {
              clientDataJSON: u64(r.clientDataJSON),
              authenticatorData: u64(r.authenticatorData),
              signature: u64(r.signature),
            },
            clientExtensionResults: {},
          };
          return (await post('/api/v1/auth/second-factor/passkey', { pendingToken: token, response })).status;
        },
        { token, userVerification },
      );
    }

    it('"required": the first sign-in leads through adding a passkey, which completes it', async () => {
      await firstFactor();
      await page.getByRole('heading', { name: 'Add a second factor' }).waitFor();
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      const list = await server.app.store.db
        .selectFrom('second_factors')
        .select(['kind', 'confirmed_at'])
        .execute();
      expect(list).toEqual([{ kind: 'passkey', confirmed_at: expect.any(Number) }]);
    });

    it('a later sign-in asks for the passkey and signs with it', async () => {
      await context.clearCookies();
      await firstFactor();
      await page.getByRole('heading', { name: 'Second factor' }).waitFor();
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    });

    it('the doctor\'s account page lists the passkey; the only one cannot be removed under "required"', async () => {
      await page.goto(`${origin}/#/account`);
      const security = page.getByRole('region', { name: 'Security' });
      await security.getByText('Your hospital requires a second factor for your role').waitFor();
      const factors = security.getByRole('list', { name: 'Your second factors' });
      expect(await factors.getByRole('listitem').count()).toBe(1);
      expect(await blockingViolations(page)).toEqual([]);
      await factors.getByRole('button', { name: /^Remove passkey/ }).click();
      await security
        .getByRole('group', { name: /^Remove .*\? Sign-ins stop accepting it at once\.$/ })
        .waitFor();
      expect(await blockingViolations(page)).toEqual([]);
      await security.getByRole('button', { name: 'Remove', exact: true }).click();
      await security
        .getByText('Your role requires a second factor: add another before removing this one.')
        .waitFor();
      expect(await server.app.store.db.selectFrom('second_factors').select('id').execute()).toHaveLength(1);
    });

    it('an assertion without user verification is refused by the server (UV required for doctors)', async () => {
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
      try {
        expect(await assertInPage(await pendingToken(), 'discouraged')).toBe(401);
      } finally {
        await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
      }
      // The same authenticator verifying the user is accepted.
      expect(await assertInPage(await pendingToken(), 'required')).toBe(200);
    });

    it('single use: once a pending sign-in is completed, its token and challenge answer nothing', async () => {
      const token = await pendingToken();
      expect(await assertInPage(token, 'required')).toBe(200);
      // The options call of the used token is refused (401), so no new challenge can be had with it.
      expect(await assertInPage(token, 'required').catch(() => 401)).toBe(401);
    });

    it('a cloned authenticator (its signature counter set back) is refused', async () => {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      const original = credentials[0]!;
      expect(original.signCount).toBeGreaterThan(0);
      await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original.credentialId });
      await cdp.send('WebAuthn.addCredential', {
        authenticatorId,
        credential: { ...original, signCount: 0 },
      });
      expect(await assertInPage(await pendingToken(), 'required')).toBe(401);
      const failures = (
        await server.app.audit.ledger.entries(server.app.store.db, {}, { limit: 50 })
      ).entries.filter((e) => e.action === 'login.failure');
      expect(JSON.stringify(failures)).toContain('passkey_counter');
    });
    describe('a patient (policy optional) on the account page', () => {
      let patientContext: BrowserContext;
      let p: Page;
      let patientCdp: CDPSession;
      let patientAuthenticator: string;
      let patientId: string;
      const patient = registration();
      let totpSecret = '';

      beforeAll(async () => {
        const registrar = AccessScope.following(
          await insertStaff(server.app.store.db, 'registrar'),
          Date.now,
        );
        ({ patientId } = await registerEnrolled(server.app, registrar, patient));
        patientContext = await browser.newContext();
        patientContext.setDefaultTimeout(20_000);
        p = await patientContext.newPage();
        patientCdp = await patientContext.newCDPSession(p);
        patientAuthenticator = await addAuthenticator(patientCdp);
      });

      afterAll(async () => {
        await patientContext?.close();
      });

      /** SSN, PIN and password on the login page (the first step). */
      async function patientFirstStep(): Promise<void> {
        await p.goto(origin);
        const panel = p.getByRole('tabpanel', { name: 'Patient' });
        await panel.getByLabel('Social Security number').fill(patient.ssn);
        await panel.getByLabel('PIN', { exact: true }).fill(patient.pin);
        await panel.getByLabel('Password', { exact: true }).fill(patient.password);
        await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
      }

      async function logOut(): Promise<void> {
        await p.getByRole('button', { name: 'Logout' }).click();
        await p.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
      }

      const security = () => p.getByRole('region', { name: 'Security' });
      const factorKinds = async () =>
        (
          await server.app.store.db
            .selectFrom('second_factors')
            .innerJoin('users', 'users.id', 'second_factors.user_id')
            .where('users.role', '=', 'patient')
            .where('second_factors.confirmed_at', 'is not', null)
            .select('second_factors.kind')
            .execute()
        )
          .map((r) => r.kind)
          .sort();

      it('adds an authenticator app (key shown as text, confirmed with a code), then signs in with its code', async () => {
        await patientFirstStep();
        await p.getByRole('navigation', { name: 'Main' }).waitFor();
        await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
        await p.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
        await security().getByText('You have no second factor yet.').waitFor();
        expect(await blockingViolations(p)).toEqual([]);

        await security().getByRole('button', { name: 'Add an authenticator app' }).click();
        totpSecret = (await security().getByTestId('totp-secret').textContent()) ?? '';
        expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
        const uri = await security().getByTestId('totp-uri').getAttribute('href');
        expect(uri).toContain(`secret=${totpSecret}`);
        expect(uri).toContain('MedVault:patient'); // never the name or the SSN
        expect(await blockingViolations(p)).toEqual([]);

        // A wrong code is refused and the app is not added.
        const wrong = oathtool(totpSecret) === '000000' ? '111111' : '000000';
        await security().getByLabel('Code from your authenticator app').fill(wrong);
        await security().getByRole('button', { name: 'Confirm' }).click();
        await security().getByText('That code or passkey did not verify.').waitFor();
        expect(await factorKinds()).toEqual([]);

        await security().getByLabel('Code from your authenticator app').fill(oathtool(totpSecret));
        await security().getByRole('button', { name: 'Confirm' }).click();
        await security().getByText('Authenticator app added.', { exact: false }).waitFor();
        await security()
          .getByRole('list', { name: 'Your second factors' })
          .getByText('Authenticator app:')
          .waitFor();
        expect(await factorKinds()).toEqual(['totp']);

        await logOut();
        await patientFirstStep();
        await p.getByRole('heading', { name: 'Second factor' }).waitFor();
        expect(await blockingViolations(p)).toEqual([]);
        // The step the confirmation used is spent; the next one (one step of skew) is accepted.
        await p
          .getByLabel('Code from your authenticator app')
          .fill(oathtool(totpSecret, Date.now() + 30_000));
        await p.getByRole('button', { name: 'Continue' }).click();
        await p.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
      });

      it('adds a passkey from the account page and signs in with it', async () => {
        await p.goto(`${origin}/#/account`);
        await security().getByRole('button', { name: 'Add a passkey' }).click();
        await security().getByText('Passkey added.', { exact: false }).waitFor();
        const { credentials } = await patientCdp.send('WebAuthn.getCredentials', {
          authenticatorId: patientAuthenticator,
        });
        expect(credentials).toHaveLength(1);
        expect(await factorKinds()).toEqual(['passkey', 'totp']);
        expect(
          await security().getByRole('list', { name: 'Your second factors' }).getByRole('listitem').count(),
        ).toBe(2);

        await logOut();
        await patientFirstStep();
        await p.getByRole('heading', { name: 'Second factor' }).waitFor();
        await p.getByLabel('Code from your authenticator app').waitFor(); // both are offered
        await p.getByRole('button', { name: 'Use a passkey' }).click();
        await p.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
      });

      it('removes the authenticator app after a confirmation; it shows in the access history and sign-in stops offering it', async () => {
        await p.goto(`${origin}/#/account`);
        const list = security().getByRole('list', { name: 'Your second factors' });
        await list.getByRole('button', { name: 'Remove authenticator app Authenticator app' }).click();
        // Cancel steps back without removing.
        await security().getByRole('button', { name: 'Cancel' }).click();
        expect(await factorKinds()).toEqual(['passkey', 'totp']);
        await list.getByRole('button', { name: 'Remove authenticator app Authenticator app' }).click();
        await security().getByRole('button', { name: 'Remove', exact: true }).click();
        await security().getByText('Authenticator app "Authenticator app" removed.').waitFor();
        expect(await list.getByRole('listitem').count()).toBe(1);
        expect(await factorKinds()).toEqual(['passkey']);
        expect(await blockingViolations(p)).toEqual([]);

        const entries = (
          await server.app.audit.ledger.entries(server.app.store.db, {}, { limit: 200 })
        ).entries.filter((e) => e.patientId === patientId && e.action.startsWith('factor.'));
        expect(entries.map((e) => e.action).sort()).toEqual(['factor.add', 'factor.add', 'factor.remove']);

        await logOut();
        await patientFirstStep();
        await p.getByRole('heading', { name: 'Second factor' }).waitFor();
        await p.getByRole('button', { name: 'Use a passkey' }).waitFor();
        expect(await p.getByLabel('Code from your authenticator app').count()).toBe(0);
      });

      it("the account page's credential forms (one pattern) check before sending, then change the PIN", async () => {
        await p.getByRole('button', { name: 'Use a passkey' }).click();
        await p.getByRole('heading', { level: 1, name: /^Welcome/ }).waitFor();
        await p.goto(`${origin}/#/account`);
        const card = p.locator('.card', { has: p.getByRole('heading', { name: 'Change PIN' }) });
        await card.getByRole('button', { name: 'Change PIN' }).click();
        await card.getByText('Enter your current PIN.').waitFor();
        await card.getByText('Choose a new 6-digit PIN.').waitFor();
        expect(await card.getByLabel('Current PIN').evaluate((el) => el === document.activeElement)).toBe(
          true,
        );

        await card.getByLabel('Current PIN').fill(patient.pin);
        await card.getByLabel('Password', { exact: true }).fill(patient.password);
        await card.getByLabel('New PIN').fill('730519');
        await card.getByRole('button', { name: 'Change PIN' }).click();
        await p.getByText('Your PIN is changed.', { exact: false }).waitFor();
        expect(await card.getByLabel('New PIN').inputValue()).toBe(''); // the form empties itself
        const answer = await server.app.identity.patientLogin.signIn({ ...patient, pin: '730519' });
        expect('secondFactor' in answer).toBe(true); // the new PIN passes the first step
      });
    });
  },
);
